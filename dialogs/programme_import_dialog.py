"""A facilitator pastes (or attaches) a programme, sees how it was understood, and confirms."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from botbuilder.core import MessageFactory, TurnContext

from dialogs.confirmation_dialog import ConfirmationDialog, Memo
from dialogs.dependencies import AttachmentError, DialogDependencies
from dialogs.facilitator_commands import file_attachment, listed
from dialogs.i18n import Texts
from dialogs.lookups import event_or_none
from dialogs.programme_view import programme_text
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


class ProgrammeImportDialog(ConfirmationDialog):
    """A pasted or attached programme replaces the current event's after a yes."""

    FACILITATORS_ONLY = True

    def __init__(self, dependencies: DialogDependencies) -> None:
        super().__init__(ProgrammeImportDialog.__name__, dependencies)

    async def question_text(self, context: TurnContext, texts: Texts, memo: Memo) -> str | None:
        source = await self._source(context, texts)
        event = await event_or_none(self._deps)
        if source is None or event is None:
            return None
        parsed = self._parse(source, event)
        if parsed.problems:
            await context.send_activity(MessageFactory.text(refusal(parsed.problems, texts)))
            return None
        memo[SOURCE] = source
        before_it = parsed.days[0].items[0].start - timedelta(days=1)  # nothing marked as "now"
        preview = programme_text(_as_event(event, parsed), before_it, texts)
        question = texts("programme_import_preview", count=len(parsed.items), event=event.name)
        return f"{preview}\n\n{question}"

    async def on_yes(self, context: TurnContext, texts: Texts, memo: Memo) -> str:
        event = await event_or_none(self._deps)
        if event is None:
            return texts("no_event")
        parsed = self._parse(memo[SOURCE], event)
        try:
            stored = await import_programme(self._deps.uow_factory(), parsed, replace_event=event)
        except ProgrammeRefusedError as refused:
            return refusal(refused.problems, texts)
        except TraefError as error:
            return texts("invalid_detail", reason=error)
        return texts("programme_import_done", count=len(stored.items))

    def no_text(self, texts: Texts) -> str:
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
