"""The sign-up form as it is filled in, one answer at a time; kept in the dialog state."""

from __future__ import annotations

from dataclasses import dataclass

from traef.participants import Participant, ParticipantType
from traef.registration import Detail, SignUp

# The order the questions are asked in.
QUESTIONS: tuple[Detail, ...] = (
    Detail.NAME,
    Detail.EMAIL,
    Detail.DEPARTMENT,
    Detail.AREA,
    Detail.LEVEL,
    Detail.PARTICIPANT_TYPE,
    Detail.PHONE,
    Detail.PHONE_CONSENT,
)


@dataclass
class SignUpForm:
    """Plain values only (it is serialised into the conversation state between turns)."""

    name: str | None = None
    email: str | None = None
    department: str | None = None
    area: str | None = None
    level: str | None = None
    participant_type: str | None = None
    phone: str | None = None
    phone_consent: bool | None = None
    phone_answered: bool = False  # the phone question may be answered with "skip"
    departments: tuple[str, ...] = ()  # the event's choices, fixed when the form is opened
    levels: tuple[str, ...] = ()
    suggested_name: str | None = None
    suggested_email: str | None = None
    editing: bool = False  # changing an existing registration rather than signing up
    asking: str | None = None  # the question whose answer is awaited

    @classmethod
    def from_participant(
        cls,
        participant: Participant,
        editing: bool,
        departments: tuple[str, ...],
        levels: tuple[str, ...],
    ) -> SignUpForm:
        return cls(
            departments=departments,
            levels=levels,
            name=participant.name,
            email=participant.email,
            department=participant.department,
            area=participant.area,
            level=participant.level,
            participant_type=participant.participant_type.value,
            phone=participant.phone,
            phone_consent=participant.phone_consent,
            phone_answered=True,
            editing=editing,
        )

    def next_question(self) -> Detail | None:
        return next((detail for detail in QUESTIONS if not self.has(detail)), None)

    def has(self, detail: Detail) -> bool:
        if detail is Detail.PHONE:
            return self.phone_answered
        if detail is Detail.PHONE_CONSENT:
            return self.phone is None or self.phone_consent is not None
        return getattr(self, detail.value) is not None

    def answer(self, detail: Detail, value: str | bool | None) -> None:
        setattr(self, detail.value, value)
        if detail is Detail.PHONE:
            self.phone_answered = True
            if value is None:
                self.phone_consent = False

    def clear(self, detail: Detail) -> None:
        setattr(self, detail.value, None)
        if detail is Detail.PHONE:
            self.phone_answered = False
            self.phone_consent = None

    def to_sign_up(self, language: str) -> SignUp:
        assert self.next_question() is None, "the form is not complete"
        return SignUp(
            name=self.name or "",
            email=self.email,
            department=self.department or "",
            area=self.area or "",
            level=self.level or "",
            participant_type=ParticipantType(self.participant_type or ParticipantType.LEADER),
            phone=self.phone,
            phone_consent=bool(self.phone_consent),
            language=language,
        )
