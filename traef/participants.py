"""Participants: who they are, where they come from in the organisation, how to reach them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from traef.errors import InvalidParticipantError

DEFAULT_DEPARTMENTS: tuple[str, ...] = (
    "MSO",
    "MBU",
    "MSB",
    "MKB",
    "MTM",
    "BA",
    "Privat/selvejende institution",
)
DEFAULT_LEVELS: tuple[str, ...] = ("Direktør", "Chef", "Leder", "Ledertrainee", "Forstander")
LANGUAGES = ("da", "en")


class ParticipantType(StrEnum):
    LEADER = "leader"
    TRAINEE = "trainee"
    EXTERNAL_LEADER = "external_leader"
    REPRESENTATIVE = "representative"  # TR / arbejdsmiljørepræsentant: only some programme items

    @classmethod
    def parse(cls, text: str) -> ParticipantType:
        """The type named in a sign-up list, in Danish or English; raises when unknown."""
        key = re.sub(r"[\s\-_/.]+", " ", text.strip().lower())
        for participant_type, names in _TYPE_NAMES.items():
            if key == participant_type.value.replace("_", " ") or key in names:
                return participant_type
        raise InvalidParticipantError(f"Unknown participant type '{text}'.")


_TYPE_NAMES: dict[ParticipantType, frozenset[str]] = {
    ParticipantType.LEADER: frozenset({"leder", "chef", "leader", "manager", "direktør"}),
    ParticipantType.TRAINEE: frozenset({"ledertrainee", "trainee", "leder trainee"}),
    ParticipantType.EXTERNAL_LEADER: frozenset(
        {
            "ekstern leder",
            "ekstern",
            "privat leder",
            "selvejende leder",
            "privat selvejende leder",
            "leder af privat institution",
            "leder af selvejende institution",
            "external leader",
            "external",
        }
    ),
    ParticipantType.REPRESENTATIVE: frozenset(
        {
            "tr",
            "tr arbejdsmiljørepræsentant",
            "tr arbejdsmiljø",
            "arbejdsmiljø",
            "arbejdsmiljørepræsentant",
            "amr",
            "tillidsrepræsentant",
            "tr amr",
            "representative",
            "union representative",
            "work environment representative",
        }
    ),
}


class Status(StrEnum):
    SIGNED_UP = "signed_up"
    CANCELLED = "cancelled"
    CHECKED_IN = "checked_in"


@dataclass(frozen=True, slots=True, order=True)
class ChannelIdentity:
    """A person's account on one channel: ('msteams', '29:1abc…'), ('slack', 'U0123'), …"""

    channel: str
    user_id: str

    def __post_init__(self) -> None:
        if not self.channel or not self.user_id:
            raise InvalidParticipantError("A channel identity needs a channel and a user id.")


@dataclass(frozen=True, slots=True)
class Participant:
    event_id: int
    name: str
    department: str
    level: str
    participant_type: ParticipantType = ParticipantType.LEADER
    email: str | None = None
    area: str = ""
    phone: str | None = None  # E.164
    phone_consent: bool = False
    language: str = "da"
    status: Status = Status.SIGNED_UP
    checked_in_at: datetime | None = None
    reminders: bool = False  # reminders before breakouts and phone dialogues
    groups: frozenset[str] = field(default_factory=frozenset)  # fixed groups, e.g. "Gruppe 3"
    calendar_token: str | None = None  # the secret in the participant's calendar URL
    identities: frozenset[ChannelIdentity] = field(default_factory=frozenset)
    id: int | None = None

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InvalidParticipantError("A participant needs a name.")
        if self.language not in LANGUAGES:
            raise InvalidParticipantError(f"Unknown language '{self.language}'.")
        if self.phone_consent and not self.phone:
            raise InvalidParticipantError("Consent to share a phone number needs a phone number.")

    @property
    def is_active(self) -> bool:
        return self.status is not Status.CANCELLED

    def with_identity(self, identity: ChannelIdentity) -> Participant:
        return replace(self, identities=self.identities | {identity})


_DANISH_ORDER = str.maketrans(
    {"æ": "z\u0001", "ä": "z\u0001", "ø": "z\u0002", "ö": "z\u0002", "å": "z\u0003"}
)


def name_sort_key(participant: Participant) -> tuple[str, int]:
    """Names in Danish alphabetical order (… x, y, z, æ, ø, å), then by id."""
    name = participant.name.casefold().replace("aa", "å")
    return name.translate(_DANISH_ORDER), participant.id or 0


def canonical_choice(text: str, choices: tuple[str, ...], what: str) -> str:
    """The configured spelling of a department or level typed in any case: 'mso' → 'MSO'."""
    wanted = text.strip().casefold()
    for choice in choices:
        if choice.casefold() == wanted:
            return choice
    raise InvalidParticipantError(f"Unknown {what} '{text}'. Choose one of: {', '.join(choices)}.")
