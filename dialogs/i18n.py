"""Message catalogue: Danish and English texts side by side in `texts/messages.toml`."""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Any, Literal

Language = Literal["da", "en"]
LANGUAGES: tuple[Language, ...] = ("da", "en")
DEFAULT_LANGUAGE: Language = "da"

Entry = Mapping[str, str | list[str]]


class CatalogueError(Exception):
    """The catalogue file is incomplete or malformed."""


def language_from_locale(locale: str | None, default: Language = DEFAULT_LANGUAGE) -> Language:
    """'en-US' → 'en', 'da-DK' → 'da'; anything else → the default."""
    if not locale:
        return default
    prefix = locale.strip().lower().replace("_", "-").split("-")[0]
    return prefix if prefix in LANGUAGES else default


class Catalogue:
    def __init__(self, entries: Mapping[str, Entry]) -> None:
        for key, entry in entries.items():
            missing = [language for language in LANGUAGES if language not in entry]
            if missing:
                raise CatalogueError(f"Text '{key}' has no {', '.join(missing)} version.")
        self._entries = entries

    @classmethod
    @cache
    def default(cls) -> Catalogue:
        source = resources.files("dialogs").joinpath("texts/messages.toml").read_text("utf-8")
        return cls(tomllib.loads(source))

    def keys(self) -> list[str]:
        return list(self._entries)

    def raw(self, key: str, language: Language) -> str | list[str]:
        return self._entries[key][language]

    def texts(self, language: Language) -> Texts:
        return Texts(self, language)


class _CountingFormatter(string.Formatter):
    """`{count:deltager|deltagere}` → '1 deltager', '3 deltagere' (and '0 deltagere')."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if "|" in format_spec and isinstance(value, int):
            one, many = format_spec.split("|", 1)
            return f"{value} {one if value == 1 else many}"
        return str(super().format_field(value, format_spec))


_COUNTING = _CountingFormatter()


@dataclass(frozen=True)
class Texts:
    """The catalogue in one language, with the formatting a reader of that language expects."""

    catalogue: Catalogue
    language: Language

    def __call__(self, key: str, **values: object) -> str:
        template = self.catalogue.raw(key, self.language)
        if not isinstance(template, str):
            raise CatalogueError(f"Text '{key}' is a list, not a sentence.")
        return _COUNTING.format(template, **values)

    def words(self, key: str) -> list[str]:
        words = self.catalogue.raw(key, self.language)
        if isinstance(words, str):
            raise CatalogueError(f"Text '{key}' is a sentence, not a list.")
        return words

    def time(self, instant: datetime) -> str:
        return self("time_format", hour=instant.hour, minute=instant.minute)

    def time_span(self, start: datetime, end: datetime | None) -> str:
        return self.time(start) if end is None else f"{self.time(start)}–{self.time(end)}"

    def _date(self, key: str, day: date) -> str:
        return self(
            key,
            weekday=self.words("weekdays")[day.weekday()],
            day=day.day,
            month=self.words("months")[day.month - 1],
            year=day.year,
        )

    def long_date(self, day: date) -> str:
        return self._date("date_long", day)

    def short_date(self, day: date) -> str:
        return self._date("date_short", day)

    def join(self, names: Sequence[str]) -> str:
        """'a', 'a og b', 'a, b og c'."""
        if len(names) <= 1:
            return "".join(names)
        return f"{', '.join(names[:-1])} {self('list_and')} {names[-1]}"
