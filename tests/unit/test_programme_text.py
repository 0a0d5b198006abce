"""Reading programmes as organisers write them: text, Markdown, YAML and CSV."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from traef.programme import EVERYONE, Audience, AudienceKind, ItemKind, ProgrammeItem
from traef.programme_calendar import format_day
from traef.programme_dates import parse_date
from traef.programme_fields import guess_kind
from traef.programme_formats import parse_csv, parse_file, parse_yaml
from traef.programme_parsed import ParsedProgramme, to_json
from traef.programme_people import parse_audience, split_speakers
from traef.programme_problems import ProblemCode
from traef.programme_text import parse_programme

DATA = Path(__file__).resolve().parents[1] / "data" / "programme"
SEED_004 = (DATA / "seed_004_fredag.txt").read_text("utf-8")
FRIDAY = date(2018, 11, 9)
TODAY = date(2025, 3, 1)
CPH = ZoneInfo("Europe/Copenhagen")


def parse(text: str, default_date: date | None = FRIDAY) -> ParsedProgramme:
    return parse_programme(text, default_date, "Europe/Copenhagen", today=TODAY)


def clock(item: ProgrammeItem) -> str:
    start = f"{item.start.astimezone(CPH):%H.%M}"
    return f"{start}–{item.end.astimezone(CPH):%H.%M}" if item.end else start


def only(parsed: ParsedProgramme) -> ProgrammeItem:
    assert not parsed.problems, [p.text("en") for p in parsed.problems]
    assert len(parsed.items) == 1
    return parsed.items[0]


# --- Seed 004 ---------------------------------------------------------------------------------


def test_seed_004_friday_gives_exactly_its_eight_items() -> None:
    parsed = parse(SEED_004)

    assert parsed.problems == ()
    assert [day.date for day in parsed.days] == [FRIDAY]
    items = parsed.items
    assert [clock(item) for item in items] == [
        "08.30–08.50",
        "08.50–09.45",
        "09.45–11.00",
        "11.20–11.40",
        "11.40–12.20",
        "12.20–12.40",
        "12.50–14.00",
        "14.00",  # the closing item has no end: a moment
    ]
    assert [item.title for item in items] == [
        "Opsamling – hvad skete der i går?",
        "Fortællinger i plenum – To direktører og to ledere udkommer med deres "
        "ledelsesgrundlag og fortæller om arbejdet",
        "Lederne udkommer med deres personlige ledelsesgrundlag",
        "'Fælles om ledelse' - det videre forløb",
        "Frokost",
        "Arbejdet vedr. aktiv visionsledelse i sparringsgrupperne - coaching og træning",
        "Næste skridt i arbejdet vedr. aktiv visionsledelse",
        "Tak for denne gang",
    ]
    assert [item.speakers for item in items] == [
        ("Helle Bach Lauridsen",),
        ("Hosea Dutschke", "Henrik Seiding", "Lotte Henriksen", "Jakob Ljungberg"),
        ("alle",),
        ("Helle Bach Lauridsen",),
        (),
        (
            "vicecenterleder Christian Bøtcher Jacobsen, "
            "Kronprins Frederiks Center for Offentlig Ledelse",
        ),
        ("sparringsgrupperne",),
        (),
    ]
    assert [item.kind for item in items] == [
        ItemKind.PLENARY,
        ItemKind.PLENARY,
        ItemKind.PLENARY,
        ItemKind.PLENARY,
        ItemKind.LUNCH,
        ItemKind.PLENARY,
        ItemKind.BREAKOUT,  # "/ v. sparringsgrupperne": the groups do it
        ItemKind.PLENARY,
    ]
    assert all(item.audience == EVERYONE for item in items)


def test_seed_004_as_json() -> None:
    shown = to_json(parse(SEED_004))

    assert list(shown) == ["date", "items", "unparsed"]
    assert shown["date"] == "2018-11-09"
    assert shown["unparsed"] == []
    assert shown["items"][0] == {
        "start": "08:30",
        "end": "08:50",
        "title": "Opsamling – hvad skete der i går?",
        "speakers": ["Helle Bach Lauridsen"],
        "kind": "plenary",
    }
    assert shown["items"][-1] == {
        "start": "14:00",
        "end": None,
        "title": "Tak for denne gang",
        "speakers": [],
        "kind": "plenary",
    }
    assert json.loads(json.dumps(shown)) == shown


def test_seed_004_takes_its_date_from_a_date_line_instead_of_the_option() -> None:
    text = SEED_004.replace("Program for fredag", "Program for fredag den 9. november 2018")

    parsed = parse(text, default_date=None)

    assert parsed.problems == ()
    assert [day.date for day in parsed.days] == [FRIDAY]
    assert len(parsed.items) == 8


def test_seed_004_pasted_into_a_chat_without_tabs_reads_the_same() -> None:
    pasted = SEED_004.replace("\t", " ").replace("\n", "\r\n")

    assert to_json(parse(pasted)) == to_json(parse(SEED_004))


def test_the_whole_seed_004_lists_every_line_after_the_programme_it_cannot_read() -> None:
    seed = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "004_e35a73752130c1c5.txt"
    if not seed.exists():
        pytest.skip("the seeds are not beside this checkout")

    parsed = parse(seed.read_text("utf-8"))

    assert len(parsed.items) == 8
    lines = [problem.line for problem in parsed.unparsed]
    assert lines[:4] == [24, 25, 26, 28]  # FÆLLES / OM / LEDELSE / KAPTAJN JESPERSEN …
    assert ProblemCode.MISSING_TITLE in {p.code for p in parsed.unparsed}  # "Kl. 8.50 – 9.30"


# --- Times ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "8.30 – 8.50 Opsamling",
        "8:30 – 8:50 Opsamling",
        "8.30-8.50 Opsamling",
        "8.30 - 8.50\tOpsamling",
        "8.30 til 8.50 Opsamling",
        "08:30 to 08:50 Opsamling",
        "8.30 — 8.50: Opsamling",
        "Kl. 8.30 – 8.50 Opsamling",
        "kl. 8.30 - kl. 8.50 Opsamling",
        "- 8.30 – 8.50 Opsamling",
    ],
)
def test_time_ranges_in_every_way_organisers_write_them(line: str) -> None:
    item = only(parse(line))

    assert (clock(item), item.title) == ("08.30–08.50", "Opsamling")


def test_an_item_without_end_ends_when_the_next_begins_and_the_last_stays_a_moment() -> None:
    parsed = parse("9.00 Velkomst\n9.00 Parallelt spor [Gruppe 1]\n9.30 Oplæg\n10.00 Tak")

    assert [clock(item) for item in parsed.items] == [
        "09.00–09.30",  # the next item *beginning later*, not the parallel one
        "09.00–09.30",
        "09.30–10.00",
        "10.00",
    ]


def test_times_that_are_no_times_or_run_backwards_are_reported() -> None:
    parsed = parse("8.30 Start\n25.10 Pause\n9.00 – 8.45 Baglæns\n9.60 Forkert\n10.00 – 10.30")

    assert [clock(item) for item in parsed.items] == ["08.30"]
    assert [(p.line, p.code, p.value) for p in parsed.unparsed] == [
        (2, ProblemCode.INVALID_TIME, "25.10"),
        (3, ProblemCode.ENDS_BEFORE_START, "9.00 – 8.45"),
        (4, ProblemCode.INVALID_TIME, "9.60"),
        (5, ProblemCode.MISSING_TITLE, ""),
    ]


def test_numbers_that_merely_look_like_times_are_not_items() -> None:
    parsed = parse("Budget\n2020\t175.000 kr.\n4 mandsgrupper\n8.-9. november\n9.00 Start")

    assert [item.title for item in parsed.items] == ["Start"]
    assert parsed.unparsed == ()  # all before the first item: headings


# --- Speakers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "title", "speakers"),
    [
        ("9.00 Velkomst /v. Hosea Dutschke", "Velkomst", ("Hosea Dutschke",)),
        ("9.00 Velkomst / v. Hosea Dutschke", "Velkomst", ("Hosea Dutschke",)),
        ("9.00 Næste skridt/ v. sparringsgrupperne", "Næste skridt", ("sparringsgrupperne",)),
        ("9.00 Velkomst v/ Hosea Dutschke", "Velkomst", ("Hosea Dutschke",)),
        ("9.00 Velkomst v/Hosea Dutschke", "Velkomst", ("Hosea Dutschke",)),
        (
            "9.00 Oplæg v. Sebastian Nybo, erhvervspsykolog",
            "Oplæg",
            ("Sebastian Nybo, erhvervspsykolog",),
        ),
        ("9.00 Arbejdet vedr. visionen", "Arbejdet vedr. visionen", ()),
        ("9.00 Integration/videndeling", "Integration/videndeling", ()),
        ("9.00 Hans V. Nielsen fortæller", "Hans V. Nielsen fortæller", ()),
    ],
)
def test_speakers_follow_their_markers(line: str, title: str, speakers: tuple[str, ...]) -> None:
    item = only(parse(line))

    assert (item.title, item.speakers) == (title, speakers)


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        ("Helle Bach Lauridsen", ("Helle Bach Lauridsen",)),
        ("alle", ("alle",)),
        (
            "direktørerne Hosea Dutschke og Henrik Seiding, og lederne Lotte Henriksen og "
            "Jakob Ljungberg",
            ("Hosea Dutschke", "Henrik Seiding", "Lotte Henriksen", "Jakob Ljungberg"),
        ),
        (
            "vicecenterleder Christian Bøtcher Jacobsen, Kronprins Frederiks Center for "
            "Offentlig Ledelse",
            (
                "vicecenterleder Christian Bøtcher Jacobsen, Kronprins Frederiks Center for "
                "Offentlig Ledelse",
            ),
        ),
        ("Lotte Elling & Jesper Burvil", ("Lotte Elling", "Jesper Burvil")),
        ("Anne Smith and Hans van Binsbergen", ("Anne Smith", "Hans van Binsbergen")),
        ("Lotte Elling, Jesper Burvil", ("Lotte Elling", "Jesper Burvil")),
    ],
)
def test_speakers_are_split_into_names(text: str, speakers: tuple[str, ...]) -> None:
    assert split_speakers(text) == speakers


def test_a_line_holding_only_speakers_adds_them_to_the_item_above() -> None:
    item = only(parse("9.00 – 9.30 Velkomst\n/v. Hosea Dutschke og Thune Korsager"))

    assert item.speakers == ("Hosea Dutschke", "Thune Korsager")


# --- Kinds ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Frokost", ItemKind.LUNCH),
        ("Lunch", ItemKind.LUNCH),
        ("Frokostpause", ItemKind.LUNCH),
        ("Pause", ItemKind.BREAK),
        ("Kaffepause", ItemKind.BREAK),
        ("Coffee break", ItemKind.BREAK),
        ("Breakout-rum 1: egen ledelsespraksis", ItemKind.BREAKOUT),
        ("Break-out rooms", ItemKind.BREAKOUT),
        ("Gruppearbejde", ItemKind.BREAKOUT),
        ("Del jeres ledelsesgrundlag i grupper", ItemKind.BREAKOUT),
        ("4-mandsgrupper", ItemKind.BREAKOUT),
        ("Group work", ItemKind.BREAKOUT),
        ("Telefondialog med en kollega", ItemKind.PHONE_DIALOGUE),
        ("Ring til en lederkollega", ItemKind.PHONE_DIALOGUE),
        ("Phone dialogue in pairs", ItemKind.PHONE_DIALOGUE),
        ("Telefondialog i pausen", ItemKind.PHONE_DIALOGUE),  # the first telling word wins
        ("Arbejdet i sparringsgrupperne", ItemKind.PLENARY),  # inside a word: a talk about it
        ("Opsamling – hvad skete der i går?", ItemKind.PLENARY),
    ],
)
def test_kinds_are_recognised_from_the_title(title: str, kind: ItemKind) -> None:
    assert guess_kind(title) is kind
    assert only(parse(f"9.00 {title}")).kind is kind


# --- Audiences --------------------------------------------------------------------------------

TR = Audience(AudienceKind.PARTICIPANT_TYPE, "representative")


@pytest.mark.parametrize(
    ("marker", "audience"),
    [
        ("[kun TR]", TR),
        ("[TR/arbejdsmiljø]", TR),
        ("[only representatives]", TR),
        ("[type: representative]", TR),
        ("[for: ledertrainees]", Audience(AudienceKind.PARTICIPANT_TYPE, "trainee")),
        ("[kun ledere]", Audience(AudienceKind.PARTICIPANT_TYPE, "leader")),
        ("[Gruppe 3]", Audience(AudienceKind.GROUP, "Gruppe 3")),
        ("[gruppe: Coach-hold A]", Audience(AudienceKind.GROUP, "Coach-hold A")),
        ("[alle]", EVERYONE),
    ],
)
def test_an_audience_marker_names_a_type_or_a_group(marker: str, audience: Audience) -> None:
    item = only(parse(f"9.00 – 9.30 Arbejdsmiljø i praksis {marker} /v. Anne Hansen"))

    assert item.audience == audience
    assert (item.title, item.speakers) == ("Arbejdsmiljø i praksis", ("Anne Hansen",))


def test_an_unknown_audience_is_reported_not_guessed() -> None:
    parsed = parse("9.00 Start\n9.30 Oplæg [hvem ved]")

    assert [(p.line, p.code, p.value) for p in parsed.unparsed] == [
        (2, ProblemCode.UNKNOWN_AUDIENCE, "hvem ved")
    ]
    assert parse_audience("kantinen") is None


# --- Dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "day"),
    [
        ("Virtuelt ledelsestræf den 27. oktober 2020", date(2020, 10, 27)),
        ("27. oktober 2020", date(2020, 10, 27)),
        ("2020-10-27", date(2020, 10, 27)),
        ("27.10.2020", date(2020, 10, 27)),
        ("Program for tirsdag den 27. okt. 2020", date(2020, 10, 27)),
        ("Programme for Tuesday 27 October 2020", date(2020, 10, 27)),
        ("Tuesday, October 27, 2020", date(2020, 10, 27)),
        ("# Program for fredag den 9. november", date(2018, 11, 9)),  # the option's year
    ],
)
def test_a_date_line_gives_the_day(heading: str, day: date) -> None:
    parsed = parse(f"{heading}\n\n8.30 Velkomst", default_date=date(2018, 1, 1))

    assert parsed.problems == ()
    assert [d.date for d in parsed.days] == [day]
    assert parsed.items[0].start.date() == day


def test_a_date_without_year_takes_todays_year_without_a_date_option() -> None:
    parsed = parse_programme(
        "Program for onsdag den 9. november\n8.30 Velkomst", None, today=date(2022, 3, 1)
    )

    assert parsed.problems == ()
    assert [d.date for d in parsed.days] == [date(2022, 11, 9)]


def test_without_any_year_to_go_by_the_date_is_refused() -> None:
    parsed = parse_programme("9. november\n8.30 Velkomst", None)

    assert [(p.code, p.line) for p in parsed.problems] == [
        (ProblemCode.NO_DATE, None),
        (ProblemCode.MISSING_YEAR, 1),
    ]


def test_a_weekday_that_does_not_fit_the_date_is_reported() -> None:
    parsed = parse("Program for fredag den 9. november 2020\n8.30 Velkomst", None)

    problem = parsed.unparsed[0]
    assert problem.code is ProblemCode.WEEKDAY_MISMATCH
    assert (
        problem.text("da") == "Linje 1: mandag den 9. november 2020 er en mandag, ikke en fredag."
    )
    assert problem.text("en") == "Line 1: Monday 9 November 2020 is a Monday, not a Friday."


def test_a_weekday_heading_must_fit_the_date_option() -> None:
    assert parse(SEED_004).problems == ()  # 9 November 2018 is a Friday

    parsed = parse(SEED_004, default_date=date(2018, 11, 8))

    assert [(p.line, p.code) for p in parsed.unparsed] == [(1, ProblemCode.WEEKDAY_MISMATCH)]


def test_a_date_that_does_not_exist_is_reported() -> None:
    parsed = parse("Program for 31. november 2018\n8.30 Velkomst", None)

    assert [(p.code, p.line, p.value) for p in parsed.problems] == [
        (ProblemCode.NO_DATE, None, ""),
        (ProblemCode.INVALID_DATE, 1, "31. november 2018"),
    ]


def test_without_a_date_line_or_option_the_text_is_refused() -> None:
    parsed = parse(SEED_004, default_date=None)

    assert parsed.days == ()
    assert [p.code for p in parsed.file_problems] == [ProblemCode.NO_DATE]
    assert "--date" in parsed.file_problems[0].text("da")
    assert "--date" in parsed.file_problems[0].text("en")
    assert to_json(parsed) == {"date": None, "items": [], "unparsed": []}


def test_a_heading_date_is_not_overruled_by_a_date_in_prose() -> None:
    text = "Program for fredag den 9. november 2018\nTilmelding senest 19. oktober 2018\n8.30 Start"

    assert [d.date for d in parse(text, None).days] == [FRIDAY]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2020-10-27", date(2020, 10, 27)),
        ("27. oktober 2020", date(2020, 10, 27)),
        ("fredag den 9. november", date(2018, 11, 9)),
        ("Friday 9 November 2018", date(2018, 11, 9)),
        ("torsdag den 9. november", None),  # a Friday
        ("9. november kl. 8", None),
        ("snart", None),
    ],
)
def test_parse_date_reads_a_date_on_its_own(text: str, day: date | None) -> None:
    assert parse_date(text, 2018) == day


def test_format_day_in_danish_and_english() -> None:
    assert format_day(FRIDAY) == "fredag den 9. november 2018"
    assert format_day(FRIDAY, "en") == "Friday 9 November 2018"


# --- Several days -----------------------------------------------------------------------------

TWO_DAYS = """Fælles om ledelse
Dag 1 – torsdag den 8. november 2018
9.00 – 9.30 Velkomst
12.00 Frokost

Dag 2 – 9. november
8.30 – 8.50 Opsamling
9.45 Tak for denne gang
"""


def test_a_programme_of_two_days() -> None:
    parsed = parse(TWO_DAYS, None)

    assert parsed.problems == ()
    assert [(d.date, [clock(i) for i in d.items]) for d in parsed.days] == [
        (date(2018, 11, 8), ["09.00–09.30", "12.00"]),  # the end rule stays within a day
        (date(2018, 11, 9), ["08.30–08.50", "09.45"]),
    ]


def test_two_days_as_json() -> None:
    shown = to_json(parse(TWO_DAYS, None))

    assert list(shown) == ["days", "unparsed"]
    assert [day["date"] for day in shown["days"]] == ["2018-11-08", "2018-11-09"]
    assert shown["days"][1]["items"][0] == {
        "start": "08:30",
        "end": "08:50",
        "title": "Opsamling",
        "speakers": [],
        "kind": "plenary",
    }


def test_an_english_programme_of_two_days() -> None:
    text = "Day 1: Thursday 8 November 2018\n9:00 Welcome\nDay 2\n9:00 Coffee break\n"

    parsed = parse(text, None)

    assert parsed.problems == ()
    assert [(d.date, d.items[0].kind) for d in parsed.days] == [
        (date(2018, 11, 8), ItemKind.PLENARY),
        (FRIDAY, ItemKind.BREAK),
    ]


def test_day_numbers_count_from_the_date_option() -> None:
    text = "Dag 1\n9.00 Velkomst\nDag 2\n9.00 Opsamling\nDag 3:\n9.00 Afslutning"

    parsed = parse(text, date(2018, 11, 8))

    assert [d.date for d in parsed.days] == [date(2018, 11, 8), FRIDAY, date(2018, 11, 10)]


def test_weekday_headings_begin_the_next_such_day() -> None:
    text = "Program for fredag\n8.30 Start\nProgram for mandag\n9.00 Videre"

    parsed = parse(text)

    assert [d.date for d in parsed.days] == [FRIDAY, date(2018, 11, 12)]


def test_days_of_the_same_date_are_one_day() -> None:
    text = "9. november 2018\n9.00 A\n2018-11-08\n9.00 B\n9. november 2018\n8.00 C"

    parsed = parse(text, None)

    assert [(d.date, [i.title for i in d.items]) for d in parsed.days] == [
        (date(2018, 11, 8), ["B"]),
        (FRIDAY, ["C", "A"]),
    ]


def test_a_markdown_programme_of_two_days_with_an_audience_column() -> None:
    parsed = parse_file("program.md", (DATA / "two_days.md").read_bytes(), None, today=TODAY)

    assert parsed.problems == ()
    assert [(d.date, len(d.items)) for d in parsed.days] == [
        (date(2018, 11, 8), 5),
        (FRIDAY, 3),
    ]
    first = parsed.days[0].items
    assert (first[0].title, first[0].speakers) == ("Velkomst", ("Hosea Dutschke",))
    assert (first[2].kind, first[3].audience) == (ItemKind.BREAK, TR)
    assert parsed.days[1].items[1].kind is ItemKind.BREAKOUT


def test_a_tab_table_with_more_columns_reads_each_as_its_header_says() -> None:
    text = (
        "Tid\tProgrampunkt\tOplægsholder\tMålgruppe\tType\n"
        "9.00 – 9.30\tVelkomst\tHosea Dutschke\t\t\n"
        "9.30 – 10.00\tSnak\tThune Korsager\tkun TR\tpause\n"
    )

    parsed = parse(text)

    assert parsed.problems == ()
    assert [(i.title, i.speakers, i.audience, i.kind) for i in parsed.items] == [
        ("Velkomst", ("Hosea Dutschke",), EVERYONE, ItemKind.PLENARY),
        ("Snak", ("Thune Korsager",), TR, ItemKind.BREAK),
    ]


# --- Lines that cannot be understood ----------------------------------------------------------


def test_lines_that_cannot_be_understood_are_listed_with_their_numbers() -> None:
    parsed = parse_file("fejl.txt", (DATA / "bad_lines.txt").read_bytes(), None)

    assert [i.title for i in parsed.items] == ["Opsamling", "Frokost"]
    assert [(p.line, p.code) for p in parsed.unparsed] == [
        (4, ProblemCode.NOT_UNDERSTOOD),
        (5, ProblemCode.ENDS_BEFORE_START),
        (6, ProblemCode.INVALID_TIME),
    ]
    assert to_json(parsed)["unparsed"] == [
        {"line": 4, "text": "Husk navneskilt"},
        {"line": 5, "text": "9.00 – 8.45\tFortællinger i plenum"},
        {"line": 6, "text": "25.10\tPause"},
    ]
    assert [p.text("da") for p in parsed.unparsed] == [
        "Linje 4: »Husk navneskilt« er ikke forstået – en programlinje begynder med et "
        "klokkeslæt, fx »8.30 – 8.50 Opsamling«.",
        "Linje 5: »9.00 – 8.45« slutter, før det begynder.",
        "Linje 6: »25.10« er ikke et klokkeslæt.",
    ]
    assert parsed.unparsed[0].text("en").startswith("Line 4: 'Husk navneskilt' was not understood")


def test_a_text_without_any_item_says_so() -> None:
    parsed = parse("Program for fredag\nVi ses!")

    assert [p.code for p in parsed.problems] == [ProblemCode.NO_ITEMS]
    assert parsed.problems[0].is_about_file


def test_a_word_or_excel_file_is_not_read_as_text() -> None:
    parsed = parse_file("program.docx", b"PK\x03\x04\x14\x00 not text", FRIDAY)

    assert [p.code for p in parsed.problems] == [ProblemCode.NOT_TEXT]


# --- YAML and JSON ----------------------------------------------------------------------------


def test_yaml_with_danish_keys() -> None:
    parsed = parse_file("fredag.yaml", (DATA / "fredag.yaml").read_bytes(), None)

    assert parsed.problems == ()
    assert [d.date for d in parsed.days] == [FRIDAY]
    items = parsed.items
    assert [clock(i) for i in items] == [
        "08.30–08.50",
        "08.50–09.45",
        "11.00–11.20",
        "11.40–12.20",
        "12.20–12.40",
        "12.50–14.00",
        "14.00",
    ]
    assert items[1].speakers == ("Hosea Dutschke", "Henrik Seiding")
    assert items[1].description.startswith("To direktører")
    assert [i.kind for i in items[2:4]] == [ItemKind.BREAK, ItemKind.LUNCH]
    assert items[4].audience == TR
    coaching = items[5]
    assert (coaching.kind, coaching.audience, coaching.link) == (
        ItemKind.BREAKOUT,
        Audience(AudienceKind.GROUP, "Gruppe 3"),
        "https://example.org/gruppe-3",
    )


def test_what_json_prints_reads_back_as_yaml() -> None:
    text = SEED_004 + "14.10\tKaffe [kun TR]\n"
    shown = to_json(parse(text))

    again = parse_yaml(json.dumps(shown, ensure_ascii=False).encode(), None)

    assert again.problems == ()
    assert to_json(again) == shown
    assert again.items[-1].audience == TR


def test_yaml_with_several_days_and_unquoted_times() -> None:
    text = (
        "days:\n"
        "  - date: 2018-11-08\n"
        "    items:\n"
        "      - {start: 9:00, end: 09:30, title: Velkomst}\n"
        "  - date: 9. november 2018\n"
        "    items:\n"
        "      - {time: 8.30, title: Opsamling, end: null}\n"
    )

    parsed = parse_yaml(text, None)

    assert parsed.problems == ()
    assert [(d.date, [clock(i) for i in d.items]) for d in parsed.days] == [
        (date(2018, 11, 8), ["09.00–09.30"]),
        (FRIDAY, ["08.30"]),
    ]


def test_yaml_problems_name_their_lines() -> None:
    text = (
        "- time: 9.00\n"
        "  title: Velkomst\n"
        "- time: 9.30\n"
        "  titel: Oplæg\n"
        "  farve: rød\n"
        "- time: 9.45\n"
        "- time: 10.00\n"
        "  title: Pause\n"
        "  kind: kaffeslabberas\n"
        "- Bare en tekst\n"
    )

    parsed = parse_yaml(text, FRIDAY)

    assert [i.title for i in parsed.items] == ["Velkomst"]
    assert [(p.line, p.code, p.value) for p in parsed.unparsed] == [
        (1, ProblemCode.INVALID_ENTRY, ""),
        (3, ProblemCode.UNKNOWN_FIELD, "farve"),
        (6, ProblemCode.MISSING_TITLE, ""),
        (7, ProblemCode.UNKNOWN_KIND, "kaffeslabberas"),
    ]


def test_a_file_that_is_not_yaml() -> None:
    parsed = parse_yaml("items: [9.00 Velkomst\n", FRIDAY)

    assert [(p.code, p.line) for p in parsed.problems] == [(ProblemCode.NOT_YAML, 2)]
    assert parsed.problems[0].text("da").startswith("Filen kan ikke læses som YAML (linje 2)")


# --- CSV --------------------------------------------------------------------------------------


def test_seed_004s_coaching_table_as_csv_gives_one_item_per_group() -> None:
    parsed = parse_file(
        "coaching.csv", (DATA / "coaching.csv").read_bytes(), None, today=date(2018, 10, 1)
    )

    assert parsed.problems == ()
    assert [(d.date, len(d.items)) for d in parsed.days] == [
        (date(2018, 11, 23), 2),
        (date(2018, 11, 29), 1),
        (date(2019, 1, 23), 1),
        (date(2019, 1, 28), 1),
    ]
    first = parsed.days[0].items[0]
    assert (clock(first), first.title, first.speakers, first.audience) == (
        "10.00–11.30",
        "Coaching 1",
        ("Lotte",),
        Audience(AudienceKind.GROUP, "Gruppe 1"),
    )


def test_csv_from_excel_with_start_and_end_columns_in_windows_1252() -> None:
    data = "Start;Slut;Programpunkt;Type\r\n8:30;8:50;Åbning;\r\n11:40;;Frokost;\r\n".encode(
        "cp1252"
    )

    parsed = parse_csv(data, FRIDAY)

    assert parsed.problems == ()
    assert [(clock(i), i.title, i.kind) for i in parsed.items] == [
        ("08.30–08.50", "Åbning", ItemKind.PLENARY),
        ("11.40", "Frokost", ItemKind.LUNCH),
    ]


def test_csv_problems_name_their_lines() -> None:
    data = "Dato,Tid,Programpunkt\n2018-11-09,9.00,Velkomst\n31-11-2018,9.30,Oplæg\n,,\n,10.00,\n"

    parsed = parse_csv(data, None)

    assert [(p.line, p.code) for p in parsed.unparsed] == [
        (3, ProblemCode.INVALID_DATE),
        (5, ProblemCode.MISSING_TITLE),
    ]


def test_a_csv_file_without_time_and_title_columns() -> None:
    parsed = parse_csv("Navn;E-mail\nAnne;anne@example.org\n", FRIDAY)

    assert [(p.code, p.line) for p in parsed.problems] == [(ProblemCode.MISSING_COLUMNS, 1)]
