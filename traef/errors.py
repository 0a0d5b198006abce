"""Domain errors. Raised by use cases, translated into the user's language at the edge."""


class TraefError(Exception):
    """Base class of everything the domain refuses."""


class InvalidProgrammeError(TraefError):
    """An event or programme item that breaks the programme's rules."""


class NoEventError(TraefError):
    """No event has been set up yet."""
