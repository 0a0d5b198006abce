"""Domain errors. Raised by use cases, translated into the user's language at the edge."""


class TraefError(Exception):
    """Base class of everything the domain refuses."""


class InvalidProgrammeError(TraefError):
    """An event or programme item that breaks the programme's rules."""


class NoEventError(TraefError):
    """No event has been set up yet."""


class InvalidPhoneError(TraefError):
    """Not a phone number we can call: Danish numbers have 8 digits, others need a country code."""


class InvalidEmailError(TraefError):
    """Not an e-mail address."""


class InvalidParticipantError(TraefError):
    """A participant's details break a rule: an unknown department or level, a missing name."""


class NotSignedUpError(TraefError):
    """The person has no registration for the event (or has cancelled it)."""


class NotEventDayError(TraefError):
    """Checking in is only possible on a day of the event."""


class NotFacilitatorError(TraefError):
    """Only facilitators may do this."""


class EmailInUseError(TraefError):
    """Another participant of the event is registered with this e-mail address."""
