"""Reading participant lists as Excel and course portals export them, and writing them back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from traef.demo import demo_event
from traef.participants import Participant, ParticipantType, Status
from traef.programme import Event
from traef.roster import (
    Column,
    ProblemCode,
    RosterParse,
    RosterProblem,
    parse_roster,
    write_roster,
)

DATA = Path(__file__).resolve().parents[1] / "data"
EVENT = demo_event(date(2026, 11, 22))
HEADER = "Navn;E-mail;Afdeling;Område;Stilling;Telefon;Deltagertype"


def parse_lines(*lines: str, event: Event = EVENT) -> RosterParse:
    return parse_roster("\r\n".join(lines).encode("utf-8"), event)


def problems_of(parsed: RosterParse) -> list[tuple[int, ProblemCode, str]]:
    return [(p.line, p.code, p.value) for p in parsed.problems]


def test_danish_excel_export_with_bom_semicolons_and_æøå() -> None:
    parsed = parse_roster((DATA / "roster_excel_da.csv").read_bytes(), EVENT)

    assert parsed.problems == []
    rows = {row.email: row for row in parsed.rows}
    assert [row.line for row in parsed.rows] == [2, 3, 4, 5, 7]  # line 6 is blank
    søren = rows["soren.ostergaard@aarhus.dk"]
    assert (søren.name, søren.department, søren.level) == ("Søren Østergaard", "MSO", "Leder")
    assert (søren.area, søren.phone) == ("Pleje og Omsorg Nord", "+4512345678")
    åse = rows["aase.baek@aarhus.dk"]
    assert (åse.name, åse.department, åse.level) == ("Åse Bæk Jørgensen", "MSO", "Chef")
    assert åse.area == "Sundhed; Forebyggelse"
    assert åse.participant_type is ParticipantType.LEADER  # empty cell
    assert åse.phone == "+4587654321"
    assert rows["mette.kjaer@aarhus.dk"].phone == "+4522334455"  # Excel dropped the '+'
    assert rows["mette.kjaer@aarhus.dk"].participant_type is ParticipantType.TRAINEE
    jørgen = rows["jorgen.hoj@friplejehjem.dk"]
    assert jørgen.department == "Privat/selvejende institution"
    assert jørgen.participant_type is ParticipantType.EXTERNAL_LEADER
    assert jørgen.phone is None
    birgitte = rows["birgitte.aagaard@aarhus.dk"]
    assert birgitte.participant_type is ParticipantType.REPRESENTATIVE
    assert birgitte.phone == "+4523456789"


def test_english_headers_separated_by_commas_without_bom() -> None:
    parsed = parse_roster((DATA / "roster_english_comma.csv").read_bytes(), EVENT)

    assert parsed.problems == []
    anna, peter = parsed.rows
    assert (anna.name, anna.email, anna.phone) == (
        "Anna Larsen",
        "anna.larsen@aarhus.dk",
        "+46701234567",
    )
    assert (peter.department, peter.area, peter.level) == ("MKB", "Culture, Libraries", "Chef")


def test_windows_1252_file_from_older_excel_keeps_æøå() -> None:
    data = (DATA / "roster_cp1252.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")

    parsed = parse_roster(data, EVENT)

    assert parsed.problems == []
    assert [row.name for row in parsed.rows] == ["Søren Ærø Østergaard", "Åse Bæk"]
    assert parsed.rows[0].area == "Område Syd"


def test_excel_unicode_text_is_utf16_and_tab_separated() -> None:
    text = "Navn\tE-mail\tAfdeling\tStilling\r\nJørn Ås\tjorn@aarhus.dk\tMSO\tLeder\r\n"

    parsed = parse_roster(text.encode("utf-16"), EVENT)

    assert [(row.name, row.department) for row in parsed.rows] == [("Jørn Ås", "MSO")]


def test_bad_rows_are_reported_with_excel_line_numbers_and_good_rows_kept() -> None:
    parsed = parse_roster((DATA / "roster_bad_rows.csv").read_bytes(), EVENT)

    assert [row.line for row in parsed.rows] == [2, 3, 9]
    assert problems_of(parsed) == [
        (4, ProblemCode.INVALID_PHONE, "12 34"),
        (5, ProblemCode.UNKNOWN_DEPARTMENT, "Sundhed og Omsorg"),
        (6, ProblemCode.MISSING_NAME, ""),
        (7, ProblemCode.INVALID_EMAIL, "niels.krogh(at)aarhus.dk"),
        (8, ProblemCode.DUPLICATE_EMAIL, "aase.baek@aarhus.dk"),
    ]
    texts = [problem.text() for problem in parsed.problems]
    assert texts[0] == (
        "Linje 4: telefonnummeret »12 34« kan ikke bruges – et dansk nummer har 8 cifre, "
        "og et udenlandsk skal starte med + og landekode."
    )
    assert texts[1] == (
        "Linje 5: afdelingen »Sundhed og Omsorg« kendes ikke – vælg en af "
        "MSO, MBU, MSB, MKB, MTM, BA eller Privat/selvejende institution."
    )
    assert texts[2] == "Linje 6: navnet mangler."
    assert texts[4] == "Linje 8: e-mailadressen »aase.baek@aarhus.dk« står også på linje 3."
    assert parsed.problems[4].text("en") == (
        "Line 8: the e-mail address 'aase.baek@aarhus.dk' is also on line 3."
    )


def test_every_problem_of_a_line_is_reported() -> None:
    parsed = parse_lines(HEADER, ";;MSX;;Boss;123;Konge")

    assert parsed.rows == []
    assert [(p.line, p.code, p.column) for p in parsed.problems] == [
        (2, ProblemCode.MISSING_NAME, Column.NAME),
        (2, ProblemCode.MISSING_EMAIL, Column.EMAIL),
        (2, ProblemCode.UNKNOWN_DEPARTMENT, Column.DEPARTMENT),
        (2, ProblemCode.UNKNOWN_LEVEL, Column.LEVEL),
        (2, ProblemCode.INVALID_PHONE, Column.PHONE),
        (2, ProblemCode.UNKNOWN_PARTICIPANT_TYPE, Column.PARTICIPANT_TYPE),
    ]
    assert parsed.problems[-1].text() == (
        "Linje 2: deltagertypen »Konge« kendes ikke – vælg en af "
        "Leder, Ledertrainee, Ekstern leder eller TR/arbejdsmiljø."
    )


def test_department_and_level_use_the_events_own_spelling() -> None:
    event = Event(
        "Træf", date(2026, 10, 27), date(2026, 10, 27), departments=("Sundhed",), levels=("Chef",)
    )

    parsed = parse_lines("Navn;E-mail;Afdeling;Stilling", "Ib;ib@x.dk; SUNDHED ;chef", event=event)

    assert [(row.department, row.level) for row in parsed.rows] == [("Sundhed", "Chef")]
    missing = parse_lines("Navn;E-mail;Afdeling;Stilling", "Ib;ib@x.dk;;", event=event)
    assert [p.text() for p in missing.problems] == [
        "Linje 2: afdelingen mangler – vælg en af Sundhed.",
        "Linje 2: stillingen mangler – vælg en af Chef.",
    ]


def test_missing_required_columns_are_one_problem_and_no_rows() -> None:
    parsed = parse_lines("Navn;Område;Telefon", "Ib Ås;Nord;12345678")

    assert parsed.rows == []
    assert problems_of(parsed) == [(1, ProblemCode.MISSING_COLUMNS, "")]
    assert parsed.problems[0].is_about_file
    assert parsed.problems[0].text() == (
        "Linje 1: der mangler en kolonne til e-mail, afdeling og stilling. "
        "Overskrifterne skal fx være Navn, E-mail, Afdeling og Stilling."
    )
    assert (
        parsed.problems[0]
        .text("en")
        .startswith("Line 1: there is no column for e-mail, department and level.")
    )


@pytest.mark.parametrize(
    "header",
    [
        "Fulde navn;E-mailadresse;Magistratsafdeling;Ledelsesniveau",
        " NAVN ; e-mail ; AFDELING ; stilling ",
        "Name;Email;Department;Level",
        "Full name;E-mail address;Department;Level;Participant type",
        "Navn;Mail;Afdeling/Magistratsafdeling;Stilling/Niveau;Telefon/Mobil;Område/Enhed",
    ],
)
def test_header_names_in_danish_or_english_in_any_case(header: str) -> None:
    parsed = parse_lines(header, "Ib Ås;IB@aarhus.dk;mso;leder")

    assert parsed.problems == []
    assert [(row.name, row.email, row.department, row.level) for row in parsed.rows] == [
        ("Ib Ås", "ib@aarhus.dk", "MSO", "Leder")
    ]


def test_unknown_columns_are_ignored_and_a_phone_is_taken_from_the_first_filled_column() -> None:
    parsed = parse_lines(
        "Medarbejdernr.;Navn;E-mail;Afdeling;Stilling;Telefon;Mobil;Bemærkning",
        "4711;Ib Ås;ib@aarhus.dk;MSO;Leder;;20 30 40 50;vegetar",
    )

    assert [row.phone for row in parsed.rows] == ["+4520304050"]


def test_title_lines_before_the_header_and_excels_sep_line_are_skipped() -> None:
    titled = parse_lines(
        "Deltagerliste – Ledelsestræf 2026;;;", "", HEADER, "Ib;ib@x.dk;MSO;;Leder;;"
    )
    assert [(row.line, row.name) for row in titled.rows] == [(4, "Ib")]

    with_sep = parse_lines("sep=,", "Navn,E-mail,Afdeling,Stilling", "Ib,ib@x.dk,MSO,Leder", "Bo")
    assert [row.line for row in with_sep.rows] == [2]  # Excel hides the sep line
    assert problems_of(with_sep)[0][0] == 3


def test_a_cell_spanning_lines_is_one_excel_row() -> None:
    parsed = parse_lines(HEADER, 'Ib;ib@x.dk;MSO;"Nord\nSyd";Leder;;', "Bo;bo@x.dk;MSO;;Boss;;")

    assert parsed.rows[0].area == "Nord\nSyd"
    assert problems_of(parsed) == [(3, ProblemCode.UNKNOWN_LEVEL, "Boss")]


def test_duplicate_email_is_found_in_any_case_and_even_after_an_invalid_line() -> None:
    parsed = parse_lines(HEADER, "Ib;Ib@X.dk;MSX;;Leder;;", "Ib;ib@x.dk;MSO;;Leder;;")

    assert problems_of(parsed) == [
        (2, ProblemCode.UNKNOWN_DEPARTMENT, "MSX"),
        (3, ProblemCode.DUPLICATE_EMAIL, "ib@x.dk"),
    ]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", ProblemCode.EMPTY_FILE),
        (b"\xef\xbb\xbf\r\n;;;\r\n\r\n", ProblemCode.EMPTY_FILE),
        (HEADER.encode() + b"\r\n;;;;;;\r\n", ProblemCode.NO_ROWS),
        (b"PK\x03\x04\x14\x00\x06\x00 xlsx", ProblemCode.NOT_CSV),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ProblemCode.NOT_CSV),
    ],
)
def test_a_file_without_participants_is_one_problem(data: bytes, code: ProblemCode) -> None:
    parsed = parse_roster(data, EVENT)

    assert parsed.rows == []
    assert [problem.code for problem in parsed.problems] == [code]
    assert parsed.problems[0].is_about_file
    assert parsed.problems[0].text() and parsed.problems[0].text("en")


def test_every_problem_has_a_danish_and_an_english_text() -> None:
    for code in ProblemCode:
        problem = RosterProblem(3, code, value="x", choices=("name",), other_line=2)
        danish, english = problem.text("da"), problem.text("en")
        assert danish != english
        assert "{" not in danish + english


def participant(**changes: object) -> Participant:
    values: dict[str, object] = {
        "event_id": 1,
        "name": "Søren Ærø",
        "department": "MSO",
        "level": "Leder",
        "email": "soren@aarhus.dk",
    }
    values.update(changes)
    return Participant(**values)  # type: ignore[arg-type]


def test_written_list_opens_in_excel_and_reads_back_the_same() -> None:
    participants = [
        participant(area="Pleje Nord", phone="+4512345678", phone_consent=True),
        participant(
            name="Åse Bæk",
            email="aase@aarhus.dk",
            department="Privat/selvejende institution",
            level="Forstander",
            participant_type=ParticipantType.EXTERNAL_LEADER,
            status=Status.CANCELLED,
        ),
        participant(
            name="Bo TR",
            email="bo@aarhus.dk",
            participant_type=ParticipantType.REPRESENTATIVE,
            phone="+46701234567",
            status=Status.CHECKED_IN,
        ),
        participant(name="Ida", email="ida@aarhus.dk", participant_type=ParticipantType.TRAINEE),
    ]

    data = write_roster(participants)

    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "Navn;E-mail;Afdeling;Område;Stilling;Telefon;Deltagertype;Status"
    assert (
        lines[1] == "Søren Ærø;soren@aarhus.dk;MSO;Pleje Nord;Leder;'+45 12 34 56 78;Leder;Tilmeldt"
    )
    assert lines[2].endswith(";Ekstern leder;Afmeldt")
    assert lines[3].endswith(";'+46701234567;TR/arbejdsmiljø;Tjekket ind")
    parsed = parse_roster(data, EVENT)
    assert parsed.problems == []
    assert [
        (r.name, r.email, r.department, r.area, r.level, r.participant_type, r.phone)
        for r in parsed.rows
    ] == [
        (p.name, p.email, p.department, p.area, p.level, p.participant_type, p.phone)
        for p in participants
    ]


def test_written_cells_never_start_a_formula_but_read_back_unchanged() -> None:
    sly = participant(name='=HYPERLINK("http://x";"Klik")', area="-Nord", email="sly@x.dk")

    data = write_roster([sly])

    assert ";'-Nord;" in data.decode("utf-8-sig")
    assert data.decode("utf-8-sig").splitlines()[1].startswith("\"'=HYPERLINK")
    (row,) = parse_roster(data, EVENT).rows
    assert (row.name, row.area) == (sly.name, "-Nord")


def test_an_empty_list_is_written_as_the_header_alone() -> None:
    assert write_roster([]).decode("utf-8-sig").splitlines() == [
        "Navn;E-mail;Afdeling;Område;Stilling;Telefon;Deltagertype;Status"
    ]
