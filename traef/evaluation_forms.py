"""Evaluation questionnaires as organisers write them in YAML, and the answers they accept.

title: {da: Evaluering, en: Evaluation}
questions:
  - key: overall
    type: likert            # likert | single_choice | multiple_choice | free_text
    text: {da: Hvor godt …, en: How well …}
    labels: {da: [Dårligt, …, Godt], en: [Poor, …, Good]}   # five each
  - key: best
    type: single_choice
    optional: true
    text: {da: …, en: …}
    options:
      - {key: talks, da: Oplæggene, en: The talks}
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import yaml

from traef.errors import TraefError

LIKERT = range(1, 6)
MAX_TEXT_LENGTH = 2000
_KEY = re.compile(r"^[a-z0-9_\-]{1,60}$")


class QuestionType(StrEnum):
    LIKERT = "likert"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    FREE_TEXT = "free_text"


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong, in Danish and English."""

    da: str
    en: str


class InvalidEvaluationFormError(TraefError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(problem.en for problem in problems))
        self.problems = tuple(problems)


class InvalidAnswerError(TraefError):
    """An answer the question does not accept, or to a question the form does not have."""


@dataclass(frozen=True, slots=True)
class Text:
    da: str
    en: str


@dataclass(frozen=True, slots=True)
class Option:
    key: str
    text: Text


@dataclass(frozen=True, slots=True)
class Question:
    key: str
    type: QuestionType
    text: Text
    optional: bool = False
    labels: tuple[Text, ...] = ()  # likert: one per step 1–5
    options: tuple[Option, ...] = ()  # single and multiple choice

    def check(self, value: Any) -> Any:
        """The answer as stored; raises InvalidAnswerError. None skips an optional question."""
        if value is None:
            if not self.optional:
                raise InvalidAnswerError(f"Question {self.key} must be answered.")
            return None
        keys = {option.key for option in self.options}
        if self.type is QuestionType.LIKERT:
            if isinstance(value, bool) or not isinstance(value, int) or value not in LIKERT:
                raise InvalidAnswerError(f"Question {self.key} takes 1 to 5, not {value!r}.")
        elif self.type is QuestionType.SINGLE_CHOICE:
            if not isinstance(value, str) or value not in keys:
                raise InvalidAnswerError(f"Question {self.key} has no option {value!r}.")
        elif self.type is QuestionType.MULTIPLE_CHOICE:
            chosen = value if isinstance(value, list | tuple) else []
            if not chosen or not all(isinstance(v, str) and v in keys for v in chosen):
                raise InvalidAnswerError(f"Question {self.key} takes options of {sorted(keys)}.")
            return sorted(set(value))
        else:
            if not isinstance(value, str) or not value.strip():
                raise InvalidAnswerError(f"Question {self.key} takes a text.")
            if len(value) > MAX_TEXT_LENGTH:
                raise InvalidAnswerError(f"At most {MAX_TEXT_LENGTH} characters.")
            return value.strip()
        return value


@dataclass(frozen=True, slots=True)
class EvaluationForm:
    title: Text
    questions: tuple[Question, ...]

    def question(self, key: str) -> Question:
        found = next((q for q in self.questions if q.key == key), None)
        if found is None:
            raise InvalidAnswerError(f"The form has no question {key!r}.")
        return found


def parse_evaluation_form(yaml_text: str) -> EvaluationForm:
    """The form in the YAML text; raises InvalidEvaluationFormError listing every problem."""
    try:
        data = yaml.safe_load(yaml_text)
    except yaml.YAMLError as error:
        raise InvalidEvaluationFormError(
            [Problem(f"Ikke gyldig YAML: {error}", f"Not valid YAML: {error}")]
        ) from error
    return evaluation_form_from_data(data)


def evaluation_form_from_data(data: Any) -> EvaluationForm:
    """The form in parsed YAML or stored JSON (see `evaluation_form_to_data`)."""
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise InvalidEvaluationFormError(
            [
                Problem(
                    "Skemaet skal have 'title' og 'questions'.",
                    "The form needs 'title' and 'questions'.",
                )
            ]
        )
    title = _text(data.get("title"), "title", problems)
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        problems.append(Problem("Skemaet har ingen spørgsmål.", "The form has no questions."))
        raw_questions = []
    questions = [_question(raw, n, problems) for n, raw in enumerate(raw_questions, 1)]
    keys = [q.key for q in questions if q is not None]
    for key in sorted({k for k in keys if keys.count(k) > 1}):
        problems.append(
            Problem(f"Nøglen '{key}' bruges flere gange.", f"Key '{key}' is used twice.")
        )
    if problems:
        raise InvalidEvaluationFormError(problems)
    return EvaluationForm(title, tuple(q for q in questions if q is not None))


def evaluation_form_to_data(form: EvaluationForm) -> dict[str, Any]:
    """The form as JSON, in the shape `evaluation_form_from_data` reads."""
    return {
        "title": _text_data(form.title),
        "questions": [
            {
                "key": q.key,
                "type": q.type.value,
                "text": _text_data(q.text),
                "optional": q.optional,
                **({"labels": _labels_data(q.labels)} if q.labels else {}),
                **(
                    {"options": [{"key": o.key, **_text_data(o.text)} for o in q.options]}
                    if q.options
                    else {}
                ),
            }
            for q in form.questions
        ],
    }


def _question(raw: Any, number: int, problems: list[Problem]) -> Question | None:
    where_da, where_en = f"Spørgsmål {number}", f"Question {number}"
    if not isinstance(raw, dict):
        problems.append(Problem(f"{where_da} er ikke udfyldt.", f"{where_en} is empty."))
        return None
    key = str(raw.get("key", ""))
    if not _KEY.match(key):
        problems.append(
            Problem(
                f"{where_da} skal have en 'key' af små bogstaver, tal, - og _.",
                f"{where_en} needs a 'key' of lower-case letters, digits, - and _.",
            )
        )
    try:
        kind = QuestionType(str(raw.get("type")))
    except ValueError:
        choices = ", ".join(t.value for t in QuestionType)
        problems.append(
            Problem(
                f"{where_da}: 'type' skal være én af {choices}.",
                f"{where_en}: 'type' must be one of {choices}.",
            )
        )
        return None
    text = _text(raw.get("text"), f"{where_en}: text", problems)
    optional = raw.get("optional", False)
    if not isinstance(optional, bool):
        problems.append(
            Problem(
                f"{where_da}: 'optional' skal være true eller false.",
                f"{where_en}: 'optional' must be true or false.",
            )
        )
        optional = False
    labels = (
        _labels(raw.get("labels"), where_da, where_en, problems)
        if kind is QuestionType.LIKERT
        else ()
    )
    options: tuple[Option, ...] = ()
    if kind in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE):
        options = _options(raw.get("options"), where_da, where_en, problems)
    return Question(key, kind, text, optional, labels, options)


def _labels(raw: Any, where_da: str, where_en: str, problems: list[Problem]) -> tuple[Text, ...]:
    if raw is None:
        return ()
    valid = isinstance(raw, dict) and all(
        isinstance(raw.get(lang), list) and len(raw[lang]) == len(LIKERT) for lang in ("da", "en")
    )
    if not valid:
        problems.append(
            Problem(
                f"{where_da}: 'labels' skal have fem tekster på dansk (da) og fem på engelsk (en).",
                f"{where_en}: 'labels' needs five texts in Danish (da) and five in English (en).",
            )
        )
        return ()
    return tuple(Text(str(da), str(en)) for da, en in zip(raw["da"], raw["en"], strict=True))


def _options(raw: Any, where_da: str, where_en: str, problems: list[Problem]) -> tuple[Option, ...]:
    if not isinstance(raw, list) or len(raw) < 2:
        problems.append(
            Problem(
                f"{where_da} skal have mindst to 'options'.",
                f"{where_en} needs at least two 'options'.",
            )
        )
        return ()
    options = []
    for option in raw:
        key = str(option.get("key", "")) if isinstance(option, dict) else ""
        if not _KEY.match(key):
            problems.append(
                Problem(
                    f"{where_da}: hver option skal have en 'key'.",
                    f"{where_en}: every option needs a 'key'.",
                )
            )
            continue
        options.append(Option(key, _text(option, f"{where_en}: option {key}", problems)))
    keys = [o.key for o in options]
    if len(keys) != len(set(keys)):
        problems.append(
            Problem(
                f"{where_da}: to options har samme 'key'.",
                f"{where_en}: two options share a 'key'.",
            )
        )
    return tuple(options)


def _text(raw: Any, where: str, problems: list[Problem]) -> Text:
    if isinstance(raw, dict) and all(
        isinstance(raw.get(lang), str) and raw[lang].strip() for lang in ("da", "en")
    ):
        return Text(raw["da"].strip(), raw["en"].strip())
    problems.append(
        Problem(
            f"{where}: mangler tekst på dansk (da) og engelsk (en).",
            f"{where}: needs a Danish (da) and an English (en) text.",
        )
    )
    return Text("", "")


def _text_data(text: Text) -> dict[str, str]:
    return {"da": text.da, "en": text.en}


def _labels_data(labels: tuple[Text, ...]) -> dict[str, list[str]]:
    return {"da": [label.da for label in labels], "en": [label.en for label in labels]}
