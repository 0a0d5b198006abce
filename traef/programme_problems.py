"""Why a programme or one of its lines was not understood, in Danish and English."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from traef.programme_calendar import WEEKDAYS, format_day


class ProblemCode(StrEnum):
    NOT_UNDERSTOOD = "not_understood"
    INVALID_TIME = "invalid_time"
    MISSING_TIME = "missing_time"
    ENDS_BEFORE_START = "ends_before_start"
    MISSING_TITLE = "missing_title"
    UNKNOWN_AUDIENCE = "unknown_audience"
    UNKNOWN_KIND = "unknown_kind"
    INVALID_DATE = "invalid_date"
    MISSING_YEAR = "missing_year"
    WEEKDAY_MISMATCH = "weekday_mismatch"
    UNKNOWN_FIELD = "unknown_field"
    INVALID_ENTRY = "invalid_entry"
    # about the whole file
    NOT_TEXT = "not_text"
    NOT_YAML = "not_yaml"
    NOT_CSV = "not_csv"
    MISSING_COLUMNS = "missing_columns"
    NO_DATE = "no_date"
    NO_ITEMS = "no_items"


FILE_PROBLEMS = frozenset(
    {
        ProblemCode.NOT_TEXT,
        ProblemCode.NOT_YAML,
        ProblemCode.NOT_CSV,
        ProblemCode.MISSING_COLUMNS,
        ProblemCode.NO_DATE,
        ProblemCode.NO_ITEMS,
    }
)
_EXAMPLE = ("»8.30 – 8.50 Opsamling«", "'8.30 – 8.50 Welcome'")

# (Danish, English); {line}, {value}, {source}, {day}, {actual}, {named} and {example}.
_REASONS: dict[ProblemCode, tuple[str, str]] = {
    ProblemCode.NOT_UNDERSTOOD: (
        "Linje {line}: »{source}« er ikke forstået – en programlinje begynder med et "
        "klokkeslæt, fx {example}.",
        "Line {line}: '{source}' was not understood – a programme line starts with a time, "
        "e.g. {example}.",
    ),
    ProblemCode.INVALID_TIME: (
        "Linje {line}: »{value}« er ikke et klokkeslæt.",
        "Line {line}: '{value}' is not a time of day.",
    ),
    ProblemCode.MISSING_TIME: (
        "Linje {line}: klokkeslættet mangler.",
        "Line {line}: the time is missing.",
    ),
    ProblemCode.ENDS_BEFORE_START: (
        "Linje {line}: »{value}« slutter, før det begynder.",
        "Line {line}: '{value}' ends before it starts.",
    ),
    ProblemCode.MISSING_TITLE: (
        "Linje {line}: der står et klokkeslæt, men ikke hvad der sker.",
        "Line {line}: there is a time but no title.",
    ),
    ProblemCode.UNKNOWN_AUDIENCE: (
        "Linje {line}: målgruppen »{value}« kendes ikke – skriv fx [kun TR], "
        "[for: ledertrainees] eller [Gruppe 3].",
        "Line {line}: the audience '{value}' is unknown – write e.g. [only TR], "
        "[for: trainees] or [Gruppe 3].",
    ),
    ProblemCode.UNKNOWN_KIND: (
        "Linje {line}: typen »{value}« kendes ikke – vælg plenum, breakout, telefondialog, "
        "pause eller frokost.",
        "Line {line}: the kind '{value}' is unknown – choose plenary, breakout, "
        "phone dialogue, break or lunch.",
    ),
    ProblemCode.INVALID_DATE: (
        "Linje {line}: »{value}« er ikke en dato, der findes.",
        "Line {line}: '{value}' is not a date that exists.",
    ),
    ProblemCode.MISSING_YEAR: (
        "Linje {line}: datoen »{value}« mangler et årstal.",
        "Line {line}: the date '{value}' has no year.",
    ),
    ProblemCode.WEEKDAY_MISMATCH: (
        "Linje {line}: {day} er en {actual}, ikke en {named}.",
        "Line {line}: {day} is a {actual}, not a {named}.",
    ),
    ProblemCode.UNKNOWN_FIELD: (
        "Linje {line}: feltet »{value}« kendes ikke – brug fx tid, titel, oplægsholdere, "
        "type og målgruppe.",
        "Line {line}: the field '{value}' is unknown – use e.g. time, title, speakers, kind "
        "and audience.",
    ),
    ProblemCode.INVALID_ENTRY: (
        "Linje {line}: et programpunkt skal have felter som tid og titel.",
        "Line {line}: a programme item needs fields such as time and title.",
    ),
    ProblemCode.NOT_TEXT: (
        "Filen er ikke en tekstfil. Kopiér programmet ind i en .txt-fil, eller gem det som CSV.",
        "This is not a text file. Copy the programme into a .txt file, or save it as CSV.",
    ),
    ProblemCode.NOT_YAML: (
        "Filen kan ikke læses som YAML (linje {line}): {value}",
        "The file cannot be read as YAML (line {line}): {value}",
    ),
    ProblemCode.NOT_CSV: (
        "Filen er ikke en CSV-fil. Gem programmet i Excel som »CSV UTF-8 (kommasepareret)«.",
        "This is not a CSV file. Save the programme in Excel as 'CSV UTF-8 (Comma delimited)'.",
    ),
    ProblemCode.MISSING_COLUMNS: (
        "Linje {line}: der mangler en kolonne til klokkeslæt eller programpunkt. "
        "Overskrifterne skal fx være Dato, Tid og Programpunkt.",
        "Line {line}: there is no column for the time or the title. "
        "The headers should be e.g. Date, Time and Title.",
    ),
    ProblemCode.NO_DATE: (
        "Programmet har ingen dato. Skriv datoen i en linje over programmet, fx »Program for "
        "fredag den 9. november 2018«, eller angiv den ved importen (--date).",
        "The programme has no date. Write it on a line above the programme, e.g. 'Programme "
        "for Friday 9 November 2018', or give it when importing (--date).",
    ),
    ProblemCode.NO_ITEMS: (
        "Der er ingen programpunkter – en programlinje begynder med et klokkeslæt, fx {example}.",
        "There are no programme items – a programme line starts with a time, e.g. {example}.",
    ),
}


@dataclass(frozen=True, slots=True)
class ProgrammeProblem:
    """Why a line (or, with `line` None, the whole text) was not understood."""

    code: ProblemCode
    line: int | None = None
    source: str = ""  # the line as written
    value: str = ""  # the part that is wrong
    day: date | None = None  # for WEEKDAY_MISMATCH: the date
    named_weekday: int | None = None  # for WEEKDAY_MISMATCH: the weekday the text names

    @property
    def is_about_file(self) -> bool:
        return self.code in FILE_PROBLEMS

    def text(self, language: str = "da") -> str:
        """The reason in Danish ('da', also for any unknown language) or English ('en')."""
        index = 1 if language == "en" else 0
        weekdays = WEEKDAYS[index] if index else tuple(name.lower() for name in WEEKDAYS[0])
        return _REASONS[self.code][index].format(
            line=self.line,
            value=self.value,
            source=self.source,
            example=_EXAMPLE[index],
            day=format_day(self.day, "en" if index else "da") if self.day else "",
            actual=weekdays[self.day.weekday()] if self.day else "",
            named=weekdays[self.named_weekday] if self.named_weekday is not None else "",
        )
