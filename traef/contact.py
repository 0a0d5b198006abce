"""Phone numbers and e-mail addresses as participants type them, checked and normalised."""

from __future__ import annotations

import re

from traef.errors import InvalidEmailError, InvalidPhoneError

_SEPARATORS = re.compile(r"[\s\-./()]")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
DANISH_PREFIX = "+45"


def normalise_phone(text: str) -> str:
    """A phone number in E.164: '12 34 56 78', '+45 12345678', '0045-12345678' → '+4512345678'.

    Eight digits without a country code are Danish; other countries need '+' or '00' first.
    """
    compact = _SEPARATORS.sub("", text.strip())
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if compact.startswith("+"):
        digits = compact[1:]
        if not digits.isdigit():
            raise InvalidPhoneError(text)
        if digits.startswith("45"):
            return _danish(digits[2:], text)
        if not 7 <= len(digits) <= 15 or digits.startswith("0"):
            raise InvalidPhoneError(text)
        return "+" + digits
    return _danish(compact, text)


def _danish(digits: str, original: str) -> str:
    if len(digits) != 8 or not digits.isdigit() or digits.startswith("0"):
        raise InvalidPhoneError(original)
    return DANISH_PREFIX + digits


def format_phone(e164: str) -> str:
    """'+4512345678' → '+45 12 34 56 78'; other countries are shown as stored."""
    if e164.startswith(DANISH_PREFIX) and len(e164) == 11:
        local = e164[3:]
        return f"{DANISH_PREFIX} " + " ".join(local[i : i + 2] for i in range(0, 8, 2))
    return e164


def normalise_email(text: str) -> str:
    email = text.strip().lower()
    if email.startswith("mailto:"):
        email = email[len("mailto:") :]
    if not _EMAIL.match(email) or len(email) > 254:
        raise InvalidEmailError(text)
    return email
