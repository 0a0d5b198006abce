"""What a participant means: free text and card buttons mapped onto intents."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from botbuilder.core import TurnContext
from pydantic import BaseModel, ConfigDict, ValidationError

from traef.change_requests import parse_change_request, parse_question


class Intent(StrEnum):
    GREETING = "greeting"
    HELP = "help"
    PROGRAMME = "programme"
    NOW = "now"
    NEXT = "next"
    ENGLISH = "english"
    DANISH = "danish"
    SIGN_UP = "sign_up"
    MY_REGISTRATION = "my_registration"
    EDIT_REGISTRATION = "edit_registration"
    CANCEL_REGISTRATION = "cancel_registration"
    CHECK_IN = "check_in"
    MY_DATA = "my_data"
    ERASE_DATA = "erase_data"
    PARTICIPANTS = "participants"
    IMPORT_PARTICIPANTS = "import_participants"
    CANCEL = "cancel"
    CHANGE_PROGRAMME = "change_programme"
    UNDO_CHANGE = "undo_change"
    PROGRAMME_QUESTION = "programme_question"
    PREPARATION = "preparation"
    SET_PREPARATION = "set_preparation"
    REMINDERS_ON = "reminders_on"
    REMINDERS_OFF = "reminders_off"
    CALENDAR = "calendar"
    IMPORT_PROGRAMME = "import_programme"
    MY_GROUP = "my_group"
    MY_PARTNER = "my_partner"
    PARTNER_NO_ANSWER = "partner_no_answer"
    MAKE_GROUPS = "make_groups"
    MAKE_PAIRS = "make_pairs"
    MOVE_MEMBER = "move_member"
    LOCK_GROUPS = "lock_groups"
    PUBLISH_GROUPS = "publish_groups"
    IMPORT_GROUPS = "import_groups"
    PURGE = "purge"
    GIVE_FEEDBACK = "give_feedback"
    RATE = "rate"
    POSTIT = "postit"
    MY_POSTITS = "my_postits"
    WITHDRAW_POSTIT = "withdraw_postit"
    ALL_POSTITS = "all_postits"
    RESULTS = "results"
    START_EVALUATION = "start_evaluation"
    EVALUATION = "evaluation"
    REMIND_EVALUATION = "remind_evaluation"
    CLOSE_EVALUATION = "close_evaluation"
    BROADCAST = "broadcast"
    BROADCAST_STATUS = "broadcast_status"
    BROADCAST_STOP = "broadcast_stop"
    UNKNOWN = "unknown"


# Checked in order: the first pattern that matches decides.
_PATTERNS: tuple[tuple[Intent, re.Pattern[str]], ...] = tuple(
    (intent, re.compile(pattern))
    for intent, pattern in (
        (Intent.ENGLISH, r"^(english|engelsk|in english|på engelsk|speak english)( please| tak)?$"),
        (Intent.DANISH, r"^(dansk|danish|på dansk|in danish|tal dansk)( tak| please)?$"),
        (Intent.HELP, r"^(hjælp|help|\?|hvad kan du|what can you do|kommandoer|commands)$"),
        (Intent.CANCEL, r"^(annuller|annullér|afbryd|stop|cancel|abort|quit)$"),
        (
            Intent.UNDO_CHANGE,
            r"^(fortryd|fortryd (sidste )?ændring(en)?|undo|undo (the )?(last )?change)$",
        ),
        (Intent.BROADCAST, r"^(send|send besked|broadcast|udsend) (til|to) "),
        (Intent.START_EVALUATION, r"^start (evaluering|evalueringen|evaluation|the evaluation)\b"),
        (Intent.EVALUATION, r"^(evaluering|evalueringen|evaluation|the evaluation)$"),
        (
            Intent.REMIND_EVALUATION,
            r"^(påmind om evaluering(en)?|remind about (the )?evaluation)$",
        ),
        (Intent.CLOSE_EVALUATION, r"^(luk evaluering(en)?|close (the )?evaluation)$"),
        (
            Intent.MY_POSTITS,
            r"^(mine post-?its|vis mine post-?its|my post-?its|show my post-?its)$",
        ),
        (
            Intent.WITHDRAW_POSTIT,
            r"^(træk (min )?post-?it (nr )?\d+ tilbage|(slet|fjern) post-?it (nr )?\d+"
            r"|(withdraw|delete|remove) post-?it \d+)$",
        ),
        (Intent.ALL_POSTITS, r"^(alle )?post-?its$|^(all )?post-?its$"),
        (Intent.POSTIT, r"^(idé|ide|post-?it|forslag|idea|suggestion)( |$)"),
        (
            Intent.GIVE_FEEDBACK,
            r"^(giv feedback|feedback|giv en vurdering|give feedback|rate( it)?)$",
        ),
        (
            Intent.RESULTS,
            r"^(resultater|feedback resultater|vis resultater|results|feedback results"
            r"|show results)$",
        ),
        (
            Intent.PURGE,
            r"^slet (træffets|arrangementets|alle) (person)?(data|oplysninger)$"
            r"|^(purge|delete) (the )?(event'?s |all )?personal data$",
        ),
        (
            Intent.BROADCAST_STATUS,
            r"^(status på udsendelse(n)?|udsendelsesstatus|broadcast status"
            r"|status of (the )?broadcast)$",
        ),
        (
            Intent.BROADCAST_STOP,
            r"^(stop|annuller|annullér) udsendelse(n)?$|^(stop|cancel) (the )?broadcast$",
        ),
        (
            Intent.PARTNER_NO_ANSWER,
            r"^(min|my) (partner|makker|telefonmakker)( svarer ikke| tager ikke telefonen"
            r"| doesn'?t answer| does not answer| is not answering| isn'?t answering"
            r"| er ikke kommet)$",
        ),
        (
            Intent.MY_PARTNER,
            r"^(hvem skal jeg ringe til|min (partner|makker|telefonmakker)|hvem er min makker"
            r"|who (do|should) i call|my (partner|phone partner)|who is my partner)$",
        ),
        (
            Intent.MY_GROUP,
            r"^(min gruppe|hvem er i min gruppe|hvilken gruppe er jeg i|my group"
            r"|which group am i in|who is in my group)$",
        ),
        (
            Intent.MAKE_PAIRS,
            r"^(dan|lav|make|form) (telefonpar|telefonparrene|phone pairs|pairs)\b",
        ),
        (Intent.MAKE_GROUPS, r"^(dan|lav|make|form) (grupper|grupperne|groups|breakout groups)\b"),
        (Intent.MOVE_MEMBER, r"^(flyt|move) .+ (til|to) (gruppe|group) \d+$"),
        (Intent.LOCK_GROUPS, r"^(lås|lock) (grupper|grupperne|parrene|groups|pairs)$"),
        (
            Intent.PUBLISH_GROUPS,
            r"^(offentliggør|publicer|send|publish)( grupperne| grupper"
            r"| parrene| telefonparrene| the groups| groups| pairs)?$",
        ),
        (Intent.IMPORT_GROUPS, r"^(importer|importér|import) (faste )?(grupper|groups)\b"),
        (
            Intent.IMPORT_PROGRAMME,
            r"^(importer|importér|import) (program|programmet|programme|agenda)\b",
        ),
        (
            Intent.SET_PREPARATION,
            r"^(sæt optakt|optakt:|set preparation|preparation:)"
            r"|^(påmind om optakten?|remind about (the )?preparation)"
            r" \d+ (dage?|days?)( før| before)?$",
        ),
        (
            Intent.PREPARATION,
            r"^(optakt|optakten|forberedelse|preparation|prepare|hvordan forbereder jeg mig"
            r"|how do i prepare)$",
        ),
        (
            Intent.REMINDERS_ON,
            r"^((slå )?påmindelser? til|påmind mig|(turn )?reminders? on|remind me)$",
        ),
        (
            Intent.REMINDERS_OFF,
            r"^((slå )?påmindelser? fra|ingen påmindelser|(turn )?reminders? off"
            r"|no reminders|stop reminders)$",
        ),
        (
            Intent.CALENDAR,
            r"^(kalender|kalenderfil|min kalender|ics|calendar|my calendar"
            r"|tilføj til kalender|add to calendar)$",
        ),
        (
            Intent.ERASE_DATA,
            r"\b(slet (alle )?mine (person)?(data|oplysninger)|delete (all )?my data"
            r"|erase (all )?my data|forget me|glem mig)\b",
        ),
        (
            Intent.MY_DATA,
            r"^(vis )?(mine (person)?(data|oplysninger)|(show )?my data"
            r"|hvad ved du om mig|what do you know about me)$",
        ),
        (
            Intent.EDIT_REGISTRATION,
            r"\b(ret|ændr|rediger|opdater) (min |mine )?(tilmelding"
            r"|oplysninger)|\b(edit|change|update|correct) (my )?(registration|details|sign ?up)\b",
        ),
        (
            Intent.CANCEL_REGISTRATION,
            r"^(afmeld|afmeld mig|meld mig fra|jeg vil afmelde mig"
            r"|cancel my (registration|sign ?up)|unregister|deregister|withdraw)$",
        ),
        (
            Intent.MY_REGISTRATION,
            r"^(vis )?min tilmelding$|^(show )?my (registration|sign ?up)$"
            r"|^er jeg tilmeldt$|^am i (registered|signed up)$",
        ),
        (
            Intent.SIGN_UP,
            r"^(tilmeld|tilmeld mig|tilmelding|jeg vil tilmelde mig|sign ?up"
            r"|sign me up|register|register me)$",
        ),
        (
            Intent.CHECK_IN,
            r"^(jeg er her|jeg er kommet|tjek ind|tjek mig ind|check ?in"
            r"|check me in|i'?m here|i am here)$",
        ),
        (
            Intent.IMPORT_PARTICIPANTS,
            r"^(importer|importér|import) (deltagere|deltagerliste"
            r"|deltagerlisten|participants|participant list)( alligevel| anyway)?$",
        ),
        (
            Intent.PARTICIPANTS,
            r"^(vis )?(deltagere|deltagerliste|deltagerlisten|alle deltagere"
            r"|hvem er tilmeldt|participants|participant list|who is signed up|who'?s signed up)$",
        ),
        (
            Intent.NOW,
            r"\b(hvad sker der( lige)? nu|hvad foregår der nu|hvad er der nu|hvad er på nu"
            r"|what'?s on( right)? now|what is on( right)? now|what'?s happening( right)? now"
            r"|what is happening( right)? now)\b|^(nu|lige nu|now|right now)$",
        ),
        (
            Intent.NEXT,
            r"\b(hvad er det næste|hvad sker der så|hvad kommer der nu|hvad er næste punkt"
            r"|what'?s next|what is next|what comes next)\b|^(næste|det næste|next)$",
        ),
        (Intent.PROGRAMME, r"\b(program\w*|dagsorden\w*|agenda|schedule)\b"),
        (
            Intent.GREETING,
            r"^(hej|hejsa|hallo|goddag|godmorgen|god morgen|halløj|dav|hi|hello|hey"
            r"|good morning|start|menu)( træfbot| traefbot| there)?$",
        ),
    )
)


def without_mentions(text: str) -> str:
    """The text without Teams' @-mentions of the bot."""
    return re.sub(r"<at>.*?</at>", " ", text).strip()


def normalise(text: str) -> str:
    text = without_mentions(text.strip().lower())
    text = re.sub(r"[!.,;:¿¡\"“”]+", " ", text)
    text = text.replace("’", "'")
    text = re.sub(r"\s+", " ", text).strip()
    return text.rstrip("?").strip() or ("?" if "?" in text else "")


def recognise(text: str | None) -> Intent:
    cleaned = normalise(text or "")
    if not cleaned:
        return Intent.UNKNOWN
    words = without_mentions(text or "")
    if parse_change_request(words):
        return Intent.CHANGE_PROGRAMME
    if parse_question(words):
        return Intent.PROGRAMME_QUESTION
    for intent, pattern in _PATTERNS:
        if pattern.search(cleaned):
            return intent
    return Intent.UNKNOWN


class CardSubmit(BaseModel):
    """The data a card button sends back: {"action": "now"}."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    action: Intent


def intent_of(context: TurnContext) -> Intent | None:
    """The intent of a message; None for a card payload that is not one of ours."""
    activity = context.activity
    if activity.value is not None and not (activity.text or "").strip():
        return recognise_submit(activity.value)
    return recognise(activity.text)


def recognise_submit(value: Any) -> Intent | None:
    """The intent of a card button press; None when the payload is not one of ours."""
    try:
        return CardSubmit.model_validate(value).action
    except ValidationError:
        return None
