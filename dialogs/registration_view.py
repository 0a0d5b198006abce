"""A registration shown to its owner: the summary to confirm, `min tilmelding`, `mine data`."""

from __future__ import annotations

import re
from typing import Any

from dialogs.cards import Json, adaptive_card, button, note_card, submit, text_block
from dialogs.i18n import LANGUAGES, Catalogue, Language, Texts
from dialogs.intents import Intent
from dialogs.sign_up_form import QUESTIONS, SignUpForm
from traef.contact import format_phone
from traef.participants import Participant, ParticipantType, Status
from traef.programme import Event
from traef.registration import Detail

CONFIRM = "confirm"
EDIT = "edit"
_CONFIRM_WORDS = {
    "ja",
    "jep",
    "jo",
    "ok",
    "okay",
    "bekræft",
    "bekræfter",
    "godkend",
    "det er rigtigt",
    "rigtigt",
    "yes",
    "y",
    "confirm",
    "correct",
    "that's right",
}
_EDIT_WORDS = re.compile(r"^(ret|ændr|ændre|rediger|change|edit|correct|fix)\s+")
_SYNONYMS: dict[Detail, set[str]] = {
    Detail.NAME: {"navn", "name", "fulde navn", "full name"},
    Detail.EMAIL: {"mail", "email", "e-mail", "e-mailadresse", "emailadresse", "e-mail address"},
    Detail.DEPARTMENT: {"afdeling", "magistratsafdeling", "department"},
    Detail.AREA: {"område", "enhed", "område/enhed", "area", "unit"},
    Detail.LEVEL: {"niveau", "ledelsesniveau", "stilling", "level"},
    Detail.PARTICIPANT_TYPE: {"type", "deltagertype", "participant type", "deltager som"},
    Detail.PHONE: {
        "mobil",
        "telefon",
        "telefonnummer",
        "nummer",
        "mobilnummer",
        "phone",
        "mobile",
        "number",
        "phone number",
    },
    Detail.PHONE_CONSENT: {"deling", "samtykke", "consent", "sharing"},
}


def field_label(detail: Detail, texts: Texts) -> str:
    return texts(f"field_{detail.value}")


def form_facts(form: SignUpForm, texts: Texts) -> list[tuple[str, str]]:
    none = texts("value_none")
    kind = ParticipantType(form.participant_type) if form.participant_type else None
    values = {
        Detail.NAME: form.name or none,
        Detail.EMAIL: form.email or none,
        Detail.DEPARTMENT: form.department or none,
        Detail.AREA: form.area or none,
        Detail.LEVEL: form.level or none,
        Detail.PARTICIPANT_TYPE: texts(f"type_{kind.value}") if kind else none,
        Detail.PHONE: format_phone(form.phone) if form.phone else none,
        Detail.PHONE_CONSENT: texts("consent_yes") if form.phone_consent else texts("consent_no"),
    }
    return [
        (field_label(detail, texts), values[detail])
        for detail in QUESTIONS
        if detail is not Detail.PHONE_CONSENT or form.phone
    ]


def summary_card(form: SignUpForm, texts: Texts) -> Json:
    facts = form_facts(form, texts)
    edit_buttons = [
        button(
            f"{texts('edit_prefix')} {field_label(d, texts).lower()}",
            {"action": EDIT, "detail": d.value},
        )
        for d in QUESTIONS
        if d is not Detail.PHONE_CONSENT or form.phone
    ]
    body = [
        text_block(texts("summary_title"), size="Large", weight="Bolder"),
        _fact_set(facts),
        text_block(texts("summary_hint"), isSubtle=True),
        {"type": "ActionSet", "actions": edit_buttons},
    ]
    actions = [
        button(texts("button_confirm"), {"action": CONFIRM}, style="positive"),
        submit(texts("button_cancel"), Intent.CANCEL),
    ]
    fallback = "\n".join(
        [f"**{texts('summary_title')}**", *_fact_lines(facts), texts("summary_retry")]
    )
    return adaptive_card(body, actions, fallback)


def decided_summary_card(form: SignUpForm, answer: str, texts: Texts) -> Json:
    """What the summary becomes once a button is used: the details, confirmed or being changed."""
    if answer == CONFIRM:
        note = texts("card_confirmed")
    else:
        note = texts("card_changing", field=field_label(Detail(answer), texts).lower())
    return note_card(texts("card_your_details"), note, _fact_set(form_facts(form, texts)))


def summary_answer(value: Any, text: str | None) -> str | None:
    """'confirm', or the Detail value of the field to change; None when the answer is neither."""
    if isinstance(value, dict):
        if value.get("action") == CONFIRM:
            return CONFIRM
        if value.get("action") == EDIT and value.get("detail") in {d.value for d in Detail}:
            return str(value["detail"])
        return None
    cleaned = " ".join((text or "").lower().replace("!", "").replace(".", "").split())
    if cleaned in _CONFIRM_WORDS or cleaned in _labels(CONFIRM):
        return CONFIRM
    wanted = _EDIT_WORDS.sub("", cleaned)
    for detail in Detail:
        if wanted in _SYNONYMS[detail] or wanted in _labels(detail.value):
            return detail.value
    return None


def _labels(key: str) -> set[str]:
    catalogue = Catalogue.default()
    name = "button_confirm" if key == CONFIRM else f"field_{key}"
    return {catalogue.texts(language)(name).lower() for language in LANGUAGES}


def registration_facts(
    participant: Participant, event: Event, texts: Texts
) -> list[tuple[str, str]]:
    form = SignUpForm.from_participant(participant, False, event.departments, event.levels)
    return [
        *form_facts(form, texts),
        (texts("field_status"), status_text(participant, event, texts)),
    ]


def status_text(participant: Participant, event: Event, texts: Texts) -> str:
    if participant.status is Status.CHECKED_IN and participant.checked_in_at is not None:
        checked_in = event.local(participant.checked_in_at)
        at_time = texts("when_today", time=texts.time(checked_in))
        when = f"{texts.short_date(checked_in.date())} {at_time}"
        return texts("status_checked_in", when=when)
    return texts(f"status_{participant.status.value}")


def registration_card(
    participant: Participant, event: Event, texts: Texts, is_event_day: bool
) -> Json:
    facts = registration_facts(participant, event, texts)
    title = texts("registration_title", event=event.name)
    actions: list[Json] = []
    if participant.is_active:
        if is_event_day and participant.status is Status.SIGNED_UP:
            actions.append(submit(texts("button_check_in"), Intent.CHECK_IN))
        actions.append(submit(texts("button_edit_registration"), Intent.EDIT_REGISTRATION))
        actions.append(submit(texts("button_cancel_registration"), Intent.CANCEL_REGISTRATION))
    else:
        actions.append(submit(texts("button_sign_up"), Intent.SIGN_UP))
    body = [text_block(title, size="Large", weight="Bolder"), _fact_set(facts)]
    return adaptive_card(body, actions, "\n".join([f"**{title}**", *_fact_lines(facts)]))


def my_data_text(
    participant: Participant | None, event: Event | None, language: Language, texts: Texts
) -> str:
    lines = [texts("my_data_intro")]
    if participant is not None and event is not None:
        lines.append(texts("my_data_registration", event=event.name))
        lines += _fact_lines(registration_facts(participant, event, texts))
        accounts = ", ".join(f"{i.channel}: {i.user_id}" for i in sorted(participant.identities))
        lines.append(texts("my_data_accounts", accounts=accounts))
    else:
        lines.append(texts("my_data_nothing"))
    language_name = Catalogue.default().texts(language)("language_name")
    lines.append(texts("my_data_language", language=language_name))
    lines.append(texts("my_data_footer"))
    return "\n".join(lines)


def _fact_set(facts: list[tuple[str, str]]) -> Json:
    return {
        "type": "FactSet",
        "facts": [{"title": label, "value": value} for label, value in facts],
    }


def _fact_lines(facts: list[tuple[str, str]]) -> list[str]:
    return [f"{label}: {value}" for label, value in facts]
