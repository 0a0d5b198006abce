"""What the operator commands print: Danish counts, unreadable files, refusals."""

from __future__ import annotations

import sys
from pathlib import Path


def count(number: int, singular: str, plural: str) -> str:
    """'1 ny', '3 nye'."""
    return f"{number} {singular if number == 1 else plural}"


def unreadable(path: Path, error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return f"Filen »{path}« findes ikke."
    return f"Filen »{path}« kan ikke læses: {error.strerror or error}."


def refused(*lines: str) -> int:
    """Print why on standard error; the exit code of a refused command."""
    print("\n".join(lines), file=sys.stderr)
    return 1
