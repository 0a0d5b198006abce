"""Use cases of a participant's own registration: sign up, look, change, cancel, check in, erase."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from traef.contact import normalise_email, normalise_phone
from traef.errors import (
    EmailInUseError,
    InvalidEmailError,
    InvalidParticipantError,
    NotEventDayError,
    NotSignedUpError,
)
from traef.participants import (
    ChannelIdentity,
    Participant,
    ParticipantType,
    Status,
    canonical_choice,
)
from traef.ports import UnitOfWork
from traef.programme import Event


@dataclass(frozen=True, slots=True)
class SignUp:
    """What a person states when signing up; checked and normalised by `sign_up`."""

    name: str
    email: str | None
    department: str
    area: str
    level: str
    participant_type: ParticipantType
    phone: str | None
    phone_consent: bool
    language: str = "da"


class Detail(StrEnum):
    """The details a participant can change one at a time."""

    NAME = "name"
    EMAIL = "email"
    DEPARTMENT = "department"
    AREA = "area"
    LEVEL = "level"
    PARTICIPANT_TYPE = "participant_type"
    PHONE = "phone"
    PHONE_CONSENT = "phone_consent"


def checked_details(event: Event, details: SignUp) -> SignUp:
    """The details checked: department and level as configured, phone and e-mail normalised."""
    if not details.name.strip():
        raise InvalidParticipantError("A participant needs a name.")
    phone = normalise_phone(details.phone) if details.phone else None
    return replace(
        details,
        name=" ".join(details.name.split()),
        email=normalise_email(details.email) if details.email else None,
        department=canonical_choice(details.department, event.departments, "department"),
        level=canonical_choice(details.level, event.levels, "level"),
        area=details.area.strip(),
        phone=phone,
        phone_consent=details.phone_consent and phone is not None,
    )


async def sign_up(
    uow: UnitOfWork, event: Event, identity: ChannelIdentity, details: SignUp
) -> Participant:
    """Sign up, or sign up again after cancelling.

    A typed e-mail never joins someone else's registration (anyone can type an address); an
    imported registration is joined through the channel's own profile, by `recognise`.
    """
    assert event.id is not None
    details = checked_details(event, details)
    async with uow:
        existing = await uow.participants.by_identity(event.id, identity)
        await _check_email_free(uow, event.id, details.email, existing)
        if existing is None:
            stored = await uow.participants.add(_new_participant(event.id, identity, details))
        else:
            stored = await uow.participants.update(
                _apply(existing.with_identity(identity), details)
            )
        await uow.commit()
        return stored


async def registration_of(
    uow: UnitOfWork, event_id: int, identity: ChannelIdentity
) -> Participant | None:
    async with uow:
        return await uow.participants.by_identity(event_id, identity)


async def recognise(
    uow: UnitOfWork, event_id: int, identity: ChannelIdentity, email: str | None
) -> Participant | None:
    """The person behind a channel account: linked before, or found by the profile's e-mail.

    A registration found by e-mail (an imported one) is linked to the account from now on.
    """
    async with uow:
        known = await uow.participants.by_identity(event_id, identity)
        if known is not None or not email:
            return known
        try:
            address = normalise_email(email)
        except InvalidEmailError:
            return None
        found = await uow.participants.by_email(event_id, address)
        if found is None:
            return None
        linked = await uow.participants.update(found.with_identity(identity))
        await uow.commit()
        return linked


async def cancel_registration(
    uow: UnitOfWork, event_id: int, identity: ChannelIdentity
) -> Participant:
    async with uow:
        participant = await _active_registration(uow, event_id, identity)
        cancelled = replace(participant, status=Status.CANCELLED, checked_in_at=None)
        stored = await uow.participants.update(cancelled)
        await uow.commit()
        return stored


async def check_in(
    uow: UnitOfWork, event: Event, identity: ChannelIdentity, now: datetime
) -> tuple[Participant, bool]:
    """Check in on a day of the event; returns the participant and whether they were already in."""
    assert event.id is not None
    today = event.local(now).date()
    if not event.start_date <= today <= event.end_date:
        raise NotEventDayError(f"The event is from {event.start_date} to {event.end_date}.")
    async with uow:
        participant = await _active_registration(uow, event.id, identity)
        if participant.status is Status.CHECKED_IN:
            return participant, True
        checked_in = replace(participant, status=Status.CHECKED_IN, checked_in_at=now)
        stored = await uow.participants.update(checked_in)
        await uow.commit()
        return stored, False


async def erase_personal_data(uow: UnitOfWork, identity: ChannelIdentity) -> int:
    """Delete the person's registrations in every event; returns how many there were."""
    async with uow:
        registrations = await uow.participants.with_identity(identity)
        for participant in registrations:
            assert participant.id is not None
            await uow.participants.delete(participant.id)
        await uow.commit()
        return len(registrations)


async def _check_email_free(
    uow: UnitOfWork, event_id: int, email: str | None, owner: Participant | None
) -> None:
    if not email:
        return
    holder = await uow.participants.by_email(event_id, email)
    if holder is not None and (owner is None or holder.id != owner.id):
        raise EmailInUseError(email)


async def _active_registration(
    uow: UnitOfWork, event_id: int, identity: ChannelIdentity
) -> Participant:
    participant = await uow.participants.by_identity(event_id, identity)
    if participant is None or not participant.is_active:
        raise NotSignedUpError("No active registration.")
    return participant


def _new_participant(event_id: int, identity: ChannelIdentity, details: SignUp) -> Participant:
    return _apply(
        Participant(
            event_id=event_id,
            name=details.name,
            department=details.department,
            level=details.level,
            identities=frozenset({identity}),
        ),
        details,
    )


def _apply(participant: Participant, details: SignUp) -> Participant:
    status = Status.SIGNED_UP if participant.status is Status.CANCELLED else participant.status
    return replace(
        participant,
        name=details.name,
        email=details.email,
        department=details.department,
        area=details.area,
        level=details.level,
        participant_type=details.participant_type,
        phone=details.phone,
        phone_consent=details.phone_consent,
        language=details.language,
        status=status,
    )


def _details_of(participant: Participant) -> SignUp:
    return SignUp(
        name=participant.name,
        email=participant.email,
        department=participant.department,
        area=participant.area,
        level=participant.level,
        participant_type=participant.participant_type,
        phone=participant.phone,
        phone_consent=participant.phone_consent,
        language=participant.language,
    )


async def set_reminders(
    uow: UnitOfWork, event_id: int, identity: ChannelIdentity, on: bool
) -> Participant:
    """Turn reminders before breakouts and phone dialogues on or off."""
    async with uow:
        participant = await _active_registration(uow, event_id, identity)
        stored = await uow.participants.update(replace(participant, reminders=on))
        await uow.commit()
        return stored
