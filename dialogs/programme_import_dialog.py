"""A facilitator pastes (or attaches) a programme, sees how it was understood, and confirms."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.dialogs import (
    DialogContext,
    DialogTurnResult,
    WaterfallDialog,
    WaterfallStepContext,
)
from botbuilder.dialogs.choices import FoundChoice, ListStyle
from botbuilder.dialogs.prompts import ChoicePrompt, PromptOptions

from dialogs.cancellable_dialog import CancellableDialog
from dialogs.dependencies import AttachmentError, DialogDependencies
from dialogs.facilitator_commands import file_attachment, listed
from dialogs.i18n import Texts
from dialogs.lookups import event_or_none
from dialogs.programme_view import programme_text
from dialogs.sign_up_questions import yes_no_choices
from traef.errors import TraefError
from traef.programme import Event
from traef.programme_formats import parse_file
from traef.programme_import import ProgrammeRefusedError, import_programme
from traef.programme_parsed import ParsedProgramme
from traef.programme_problems import ProgrammeProblem

SOURCE = "source"


@dataclass
class ProgrammeSource:
    """What was sent, kept in the dialog state until the facilitator confirms."""

    name: str  # a file name, or "pasted.txt"
    text: str


class ProgrammeImportDialog(CancellableDialog):
    WATERFALL = "ProgrammeImportDialog.steps"
    CONFIRM_PROMPT = "ProgrammeImportDialog.confirm"

    def __init__(self, dependencies: DialogDependencies) -> None:
        super().__init__(ProgrammeImportDialog.__name__, dependencies)
        self.add_dialog(ChoicePrompt(self.CONFIRM_PROMPT))
        self.add_dialog(WaterfallDialog(self.WATERFALL, [self.preview_step, self.import_step]))
        self.initial_dialog_id = self.WATERFALL

    async def preview_step(self, step_context: WaterfallStepContext) -> DialogTurnResult:
        context = step_context.context
        texts = await self._deps.language.texts(context)
        if not await self._deps.is_facilitator(context):
            return await self._say(step_context, texts("facilitator_only"))
        source = await self._source(context, texts)
        event = await event_or_none(self._deps)
        if source is None or event is None:
            return await step_context.end_dialog()
        parsed = self._parse(source, event)
        if parsed.problems:
            return await self._say(step_context, refusal(parsed.problems, texts))
        step_context.values[SOURCE] = source
        before_it = parsed.days[0].items[0].start - timedelta(days=1)  # nothing marked as "now"
        preview = programme_text(_as_event(event, parsed), before_it, texts)
        question = texts("programme_import_preview", count=len(parsed.items), event=event.name)
        options = PromptOptions(
            prompt=MessageFactory.text(f"{preview}\n\n{question}"),
            retry_prompt=MessageFactory.text(texts("retry_yes_no")),
            choices=yes_no_choices(texts),
            style=ListStyle.suggested_action,
        )
        return await step_context.prompt(self.CONFIRM_PROMPT, options)

    async def import_step(self, step_context: WaterfallStepContext) -> DialogTurnResult:
        texts = await self._deps.language.texts(step_context.context)
        answer = step_context.result
        if not (isinstance(answer, FoundChoice) and answer.index == 0):
            return await self._say(step_context, texts("programme_import_kept"))
        event = await event_or_none(self._deps)
        if event is None:
            return await self._say(step_context, texts("no_event"))
        parsed = self._parse(step_context.values[SOURCE], event)
        try:
            stored = await import_programme(self._deps.uow_factory(), parsed, replace_event=event)
        except ProgrammeRefusedError as refused:
            return await self._say(step_context, refusal(refused.problems, texts))
        except TraefError as error:
            return await self._say(step_context, texts("invalid_detail", reason=error))
        return await self._say(
            step_context, texts("programme_import_done", count=len(stored.items))
        )

    def cancelled_text(self, inner_dc: DialogContext, texts: Texts) -> str:
        return texts("programme_import_kept")

    async def _source(self, context: TurnContext, texts: Texts) -> ProgrammeSource | None:
        """The pasted lines after the command, or the attached file; None after saying why."""
        attachment = file_attachment(context.activity.attachments or [])
        if attachment is not None:
            try:
                data = await self._deps.attachments.fetch(context, attachment)
            except AttachmentError:
                await context.send_activity(MessageFactory.text(texts("import_unreadable")))
                return None
            return ProgrammeSource(
                attachment.name or "programme.txt", data.decode("utf-8", "replace")
            )
        _, _, pasted = (context.activity.text or "").partition("\n")
        if not pasted.strip():
            await context.send_activity(MessageFactory.text(texts("programme_import_needs_text")))
            return None
        return ProgrammeSource("pasted.txt", pasted)

    def _parse(self, source: ProgrammeSource, event: Event) -> ParsedProgramme:
        return parse_file(
            source.name,
            source.text.encode("utf-8"),
            event.start_date,
            event.timezone,
            today=self._deps.today(),
        )

    async def _say(self, step_context: WaterfallStepContext, text: str) -> DialogTurnResult:
        await step_context.context.send_activity(MessageFactory.text(text))
        return await step_context.end_dialog()


def refusal(problems: Sequence[ProgrammeProblem], texts: Texts) -> str:
    lines = [problem.text(texts.language) for problem in problems]
    return "\n".join(
        [
            texts("programme_import_refused"),
            *listed(lines),
            texts("programme_import_refused_footer"),
        ]
    )


def _as_event(event: Event, parsed: ParsedProgramme) -> Event:
    """The parsed programme shown as the event would look after the import."""
    first, last = parsed.days[0].date, parsed.days[-1].date
    return Event(event.name, first, last, parsed.timezone, parsed.items)
