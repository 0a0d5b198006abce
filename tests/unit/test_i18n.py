from __future__ import annotations

import string
from datetime import date, datetime

import pytest

from dialogs.i18n import Catalogue, CatalogueError, language_from_locale


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", Catalogue.default().keys())
def test_every_text_has_both_languages_with_the_same_placeholders(key: str) -> None:
    catalogue = Catalogue.default()
    da, en = catalogue.raw(key, "da"), catalogue.raw(key, "en")
    assert type(da) is type(en)
    if isinstance(da, str) and isinstance(en, str):
        assert placeholders(da) == placeholders(en)
        assert da.strip() and en.strip()
    else:
        assert len(da) == len(en)


def test_a_text_missing_a_language_is_refused() -> None:
    with pytest.raises(CatalogueError, match="'hello' has no en version"):
        Catalogue({"hello": {"da": "Hej"}})


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en-US", "en"),
        ("en_GB", "en"),
        ("EN", "en"),
        ("da-DK", "da"),
        ("sv-SE", "da"),
        (None, "da"),
        ("", "da"),
    ],
)
def test_language_from_locale(locale: str | None, expected: str) -> None:
    assert language_from_locale(locale) == expected


def test_dates_times_and_lists_read_naturally() -> None:
    da, en = Catalogue.default().texts("da"), Catalogue.default().texts("en")
    day = date(2026, 11, 27)
    assert da.long_date(day) == "fredag den 27. november 2026"
    assert en.long_date(day) == "Friday 27 November 2026"
    assert da.short_date(day) == "fredag den 27. november"
    assert da.time(datetime(2026, 11, 27, 8, 5)) == "8.05"
    assert en.time(datetime(2026, 11, 27, 14, 0)) == "14:00"
    assert da.join(["Lotte", "Jakob", "Helle"]) == "Lotte, Jakob og Helle"
    assert en.join(["Lotte", "Jakob"]) == "Lotte and Jakob"
    assert da.join(["Lotte"]) == "Lotte" and da.join([]) == ""


def test_counts_agree_with_their_noun() -> None:
    da, en = Catalogue.default().texts("da"), Catalogue.default().texts("en")
    assert da("purge_done", participants=1).startswith(
        "Personoplysningerne er slettet: 1 deltager."
    )
    assert da("purge_done", participants=3).startswith(
        "Personoplysningerne er slettet: 3 deltagere."
    )
    assert da("import_done", added=1, updated=0, unchanged=2) == (
        "Deltagerlisten er importeret: 1 ny, 0 opdaterede og 2 uændrede."
    )
    assert en("broadcast_queued", count=1).startswith("The broadcast to 1 recipient has started.")
