"""Danish and English names of weekdays and months, and a day written out with them."""

from __future__ import annotations

from datetime import date

# (Danish, English), Monday and January first.
WEEKDAYS = (
    ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"),
    ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
)
MONTHS = (
    (
        "januar",
        "februar",
        "marts",
        "april",
        "maj",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "december",
    ),
    (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
)
WEEKDAY_OF_NAME = {name.casefold(): i for names in WEEKDAYS for i, name in enumerate(names)}


def format_day(day: date, language: str = "da") -> str:
    """'fredag den 9. november 2018' or 'Friday 9 November 2018'."""
    if language == "en":
        return f"{WEEKDAYS[1][day.weekday()]} {day.day} {MONTHS[1][day.month - 1]} {day.year}"
    return f"{WEEKDAYS[0][day.weekday()]} den {day.day}. {MONTHS[0][day.month - 1]} {day.year}"
