"""A facilitator opens the evaluation: `start evaluering [til tjekket ind] [frist kl. 15.00]`.

The form is the YAML attached or pasted below the command; without one, the standard form in
`examples/evaluering.yaml`. A preview (title, questions, how many it reaches) comes first; on
yes the form opens and the invitation goes out through the outbox.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path
from typing import Any

from botbuilder.core import MessageFactory, TurnContext

from dialogs.confirmation_dialog import ConfirmationDialog, Memo
from dialogs.dependencies import AttachmentError, DialogDependencies
from dialogs.evaluation_dialog import in_language
from dialogs.facilitator_commands import file_attachment, listed
from dialogs.i18n import Catalogue, Texts
from dialogs.intents import without_mentions
from dialogs.lookups import event_or_none
from traef.broadcasts import Audience, AudienceKind, Recipient, queue_broadcast, recipients
from traef.evaluation_forms import EvaluationForm, InvalidEvaluationFormError, parse_evaluation_form
from traef.evaluation_reminders import NoEvaluationError, latest_evaluation
from traef.feedback import FormKind, open_evaluation
from traef.programme import Event

DEFAULT_FORM = Path(__file__).resolve().parents[1] / "examples" / "evaluering.yaml"
_COMMAND = re.compile(r"^start (evaluering(en)?|(the )?evaluation)\b(?P<rest>.*)$")
_CHECKED_IN = re.compile(r"\b(til|for|to) (de )?(tjekket ind|checked[ -]in)\b")
_DEADLINE = re.compile(
    r"\b(frist|deadline|until|indtil)( kl\.?| at)? (?P<h>\d{1,2})([.:](?P<m>\d{2}))?\b"
)


@dataclass(frozen=True, slots=True)
class StartRequest:
    audience: AudienceKind
    closes_at: datetime | None


def parse_start(line: str, now: datetime) -> StartRequest | None:
    """The command's first line; None when it is not understood or the deadline has passed."""
    found = _COMMAND.match(" ".join(line.casefold().split()))
    if found is None:
        return None
    rest = found["rest"]
    audience = AudienceKind.CHECKED_IN if _CHECKED_IN.search(rest) else AudienceKind.EVERYONE
    deadline = _DEADLINE.search(rest)
    closes_at = None
    if deadline is not None:
        hour, minute = int(deadline["h"]), int(deadline["m"] or 0)
        if hour > 23 or minute > 59:
            return None
        closes_at = datetime.combine(now.date(), time(hour, minute), now.tzinfo)
        if closes_at <= now:
            return None
    return StartRequest(audience, closes_at)


class StartEvaluationDialog(ConfirmationDialog):
    """Options: the facilitator's words."""

    FACILITATORS_ONLY = True

    def __init__(self, dependencies: DialogDependencies) -> None:
        super().__init__(StartEvaluationDialog.__name__, dependencies)

    async def question_text(self, context: TurnContext, texts: Texts, memo: Memo) -> str | None:
        said = without_mentions(str(memo["options"] or context.activity.text or ""))
        command, _, pasted = said.partition("\n")
        request = parse_start(command, self._deps.now())
        if request is None:
            await self._refuse(context, texts("evaluation_start_help"))
            return None
        source = await self._source(context, pasted, texts)
        if source is None:
            return None
        try:
            form = parse_evaluation_form(source)
        except InvalidEvaluationFormError as invalid:
            lines = [p.en if texts.language == "en" else p.da for p in invalid.problems]
            await self._refuse(
                context, "\n".join([texts("evaluation_form_refused"), *listed(lines)])
            )
            return None
        found = await self._audience(context, texts, request.audience)
        if found is None:
            return None
        memo.update(
            source=source,
            audience=request.audience.value,
            closes_at=request.closes_at.isoformat() if request.closes_at else None,
        )
        return _preview(form, request, len(found[1]), texts)

    async def on_yes(self, context: TurnContext, texts: Texts, memo: Memo) -> str:
        found = await self._audience(context, texts, AudienceKind(memo["audience"]))
        if found is None:
            return texts("evaluation_start_kept")
        event, chosen = found
        assert event.id is not None
        form = parse_evaluation_form(memo["source"])
        closes_at = datetime.fromisoformat(memo["closes_at"]) if memo["closes_at"] else None
        uow = self._deps.uow_factory()
        async with uow:
            opened = [
                f for f in await uow.feedback.forms_of(event.id) if f.kind is FormKind.EVALUATION
            ]
        now = self._deps.now()
        await open_evaluation(uow, event.id, str(len(opened) + 1), form, closes_at, now)
        sender = context.activity.from_property
        await queue_broadcast(
            self._deps.uow_factory(),
            event,
            chosen,
            _invitation(form),
            created_by=sender.name or sender.id,
            audience="evaluering",
            now=now,
        )
        self._deps.outbox_wake()
        return texts("evaluation_started", count=len(chosen))

    def no_text(self, texts: Texts) -> str:
        return texts("evaluation_start_kept")

    async def _source(self, context: TurnContext, pasted: str, texts: Texts) -> str | None:
        attachment = file_attachment(context.activity.attachments or [])
        if attachment is not None:
            try:
                data = await self._deps.attachments.fetch(context, attachment)
            except AttachmentError:
                await self._refuse(context, texts("evaluation_form_unreadable"))
                return None
            return data.decode("utf-8", "replace")
        return pasted if pasted.strip() else DEFAULT_FORM.read_text("utf-8")

    async def _audience(
        self, context: TurnContext, texts: Texts, kind: AudienceKind
    ) -> tuple[Event, list[Recipient]] | None:
        """The event and the signed-up people it reaches; None after saying why not."""
        event = await event_or_none(self._deps)
        if event is None or event.id is None:
            await self._refuse(context, texts("no_event"))
            return None
        try:
            latest = await latest_evaluation(self._deps.uow_factory(), event.id)
            if latest.is_open(self._deps.now()):
                await self._refuse(context, texts("evaluation_already_open"))
                return None
        except NoEvaluationError:
            pass
        reached = await recipients(self._deps.uow_factory(), event, Audience(kind))
        chosen = [r for r in reached if r.participant is not None and r.participant.is_active]
        if not chosen:
            await self._refuse(context, texts("broadcast_nobody"))
            return None
        return event, chosen

    async def _refuse(self, context: TurnContext, text: str) -> None:
        await context.send_activity(MessageFactory.text(text))


def _preview(form: EvaluationForm, request: StartRequest, count: int, texts: Texts) -> str:
    audience = texts(f"evaluation_audience_{request.audience.value}")
    deadline = ""
    if request.closes_at is not None:
        deadline = texts("evaluation_deadline", time=texts.time(request.closes_at))
    lines = [
        texts(
            "evaluation_preview",
            title=in_language(form.title, texts),
            questions=len(form.questions),
            audience=audience,
            count=count,
        )
        + deadline,
        *(
            f"{n}. {in_language(q.text, texts)} ({texts(f'evaluation_type_{q.type.value}')}"
            f"{texts('evaluation_optional') if q.optional else ''})"
            for n, q in enumerate(form.questions, 1)
        ),
        texts("evaluation_start_question"),
    ]
    return "\n".join(lines)


def _invitation(form: EvaluationForm) -> Any:
    def body_for(recipient: Recipient) -> dict[str, Any]:
        person = recipient.participant
        texts = Catalogue.default().texts("en" if person and person.language == "en" else "da")
        return {"text": texts("evaluation_invitation", title=in_language(form.title, texts))}

    return body_for
