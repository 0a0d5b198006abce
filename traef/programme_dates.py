"""Dates as organisers write them, in Danish or English: found in a line or given on their own."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import dateparser

from traef.programme_calendar import MONTHS, WEEKDAY_OF_NAME
from traef.programme_problems import ProblemCode, ProgrammeProblem

_MONTH_NAMES = (
    *(name.casefold() for names in MONTHS for name in names),
    *("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "oct", "nov", "dec"),
)
_WD = "|".join(sorted(WEEKDAY_OF_NAME, key=len, reverse=True))
_MON = "|".join(sorted(set(_MONTH_NAMES), key=len, reverse=True))
_PREFIX = rf"(?:\b(?P<wd>{_WD})\b[\s,]*)?(?:\b(?:den|d\.|the)\s*)?"
_DATES = tuple(
    re.compile(_PREFIX + pattern, re.IGNORECASE)
    for pattern in (
        r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b",
        r"(?<![\d.])(?P<d>\d{1,2})[./-](?P<m>\d{1,2})[./-](?P<y>\d{4})\b",
        rf"(?<![\d.])(?P<d>\d{{1,2}})(?:\.|st|nd|rd|th)?[\s-]*(?:of\s+)?(?P<mon>{_MON})\b\.?"
        rf"(?:[,\s-]*(?P<y>\d{{4}})\b)?",
        rf"\b(?P<mon>{_MON})\b\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b,?(?:\s*(?P<y>\d{{4}})\b)?",
    )
)
_DATEPARSER_SETTINGS = {"DATE_ORDER": "DMY", "STRICT_PARSING": True}


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date written in a line: where, what it means, and what is wrong with it, if anything."""

    start: int
    end: int
    written: str
    day: date | None
    problem: ProblemCode | None = None
    named_weekday: int | None = None

    def as_problem(self, line: int, source: str) -> ProgrammeProblem | None:
        if self.problem is None:
            return None
        return ProgrammeProblem(
            self.problem, line, source, self.written, self.day, self.named_weekday
        )


def find_date(text: str, year: int | None) -> DateMention | None:
    """The first date in the text, read with dateparser in Danish and English.

    A date without a year takes `year`; without one either, it is MISSING_YEAR.
    """
    matches = [m for pattern in _DATES if (m := pattern.search(text)) is not None]
    if not matches:
        return None
    match = min(matches, key=lambda m: (m.start(), -m.end()))
    written = match.group(0).strip()
    named = WEEKDAY_OF_NAME.get((match.group("wd") or "").casefold())
    groups = match.groupdict()
    stated_year = groups.get("y")
    if stated_year is None and year is None:
        return DateMention(match.start(), match.end(), written, None, ProblemCode.MISSING_YEAR)
    phrase = (
        f"{groups['d']} {groups['mon']} {stated_year or year}"
        if groups.get("mon")
        else f"{groups['d']}.{groups['m']}.{stated_year}"
    )
    parsed = dateparser.parse(phrase, languages=["da", "en"], settings=_DATEPARSER_SETTINGS)
    if parsed is None:
        return DateMention(match.start(), match.end(), written, None, ProblemCode.INVALID_DATE)
    day = parsed.date()
    mismatch = named is not None and named != day.weekday()
    problem = ProblemCode.WEEKDAY_MISMATCH if mismatch else None
    return DateMention(match.start(), match.end(), written, day, problem, named)


def parse_date(text: str, year: int | None = None) -> date | None:
    """A date given on its own ('2020-10-27', '27. oktober 2020', 'fredag den 9. november')."""
    mention = find_date(text, year)
    if mention is None or mention.problem is not None or text[: mention.start].strip():
        return None
    return mention.day if not text[mention.end :].strip(" .") else None
