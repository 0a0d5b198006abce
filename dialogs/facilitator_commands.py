"""What only facilitators may do in chat: see the participant overview and import the list."""

from __future__ import annotations

from collections import Counter

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.schema import Activity, Attachment

from dialogs.dependencies import AttachmentError, DialogDependencies
from dialogs.i18n import Texts
from traef.errors import NoEventError
from traef.participants import Status
from traef.roster_import import RosterInvalidError, import_roster
from traef.services import current_event
from traef.views import participants_of

MAX_PROBLEMS_SHOWN = 15


class FacilitatorCommands:
    def __init__(self, dependencies: DialogDependencies) -> None:
        self._deps = dependencies

    async def participants(self, context: TurnContext, texts: Texts) -> Activity:
        if not await self._deps.is_facilitator(context):
            return MessageFactory.text(texts("facilitator_only"))
        try:
            event = await current_event(self._deps.uow_factory(), self._deps.today())
        except NoEventError:
            return MessageFactory.text(texts("no_event"))
        assert event.id is not None
        everyone = await participants_of(self._deps.uow_factory(), event.id)
        if not everyone:
            return MessageFactory.text(texts("participants_none", event=event.name))
        statuses = Counter(p.status for p in everyone)
        active = [p for p in everyone if p.is_active]
        lines = [
            texts(
                "participants_overview",
                event=event.name,
                signed_up=len(active),
                checked_in=statuses[Status.CHECKED_IN],
                cancelled=statuses[Status.CANCELLED],
            )
        ]
        departments = Counter(p.department for p in active)
        lines += [
            texts("participants_department", department=d, count=n)
            for d, n in sorted(departments.items())
        ]
        return MessageFactory.text("\n".join(lines))

    async def import_participants(self, context: TurnContext, texts: Texts) -> Activity:
        """The attached list; `… alligevel` / `… anyway` imports the valid lines of a faulty one."""
        said = (context.activity.text or "").lower()
        skip_invalid = any(word in said for word in ("alligevel", "anyway"))
        if not await self._deps.is_facilitator(context):
            return MessageFactory.text(texts("facilitator_only"))
        attachment = file_attachment(context.activity.attachments or [])
        if attachment is None:
            return MessageFactory.text(texts("import_needs_file"))
        try:
            data = await self._deps.attachments.fetch(context, attachment)
            event = await current_event(self._deps.uow_factory(), self._deps.today())
            report = await import_roster(self._deps.uow_factory(), event, data, skip_invalid)
        except AttachmentError:
            return MessageFactory.text(texts("import_unreadable"))
        except NoEventError:
            return MessageFactory.text(texts("no_event"))
        except RosterInvalidError as refused:
            problems = [p.text(texts.language) for p in refused.problems]
            lines = [texts("import_refused"), *listed(problems)]
            if not any(p.is_about_file for p in refused.problems):
                lines.append(texts("import_refused_footer"))
            return MessageFactory.text("\n".join(lines))
        lines = [
            texts(
                "import_done",
                added=report.added,
                updated=report.updated,
                unchanged=report.unchanged,
            )
        ]
        if report.problems:
            lines.append(texts("import_skipped", count=report.skipped))
            lines += listed([p.text(texts.language) for p in report.problems])
        return MessageFactory.text("\n".join(lines))


def file_attachment(attachments: list[Attachment]) -> Attachment | None:
    """The first attachment that is a file, not a card."""
    return next(
        (
            a
            for a in attachments
            if not (a.content_type or "").startswith("application/vnd.microsoft.card")
        ),
        None,
    )


def listed(problems: list[str]) -> list[str]:
    shown = [f"- {problem}" for problem in problems[:MAX_PROBLEMS_SHOWN]]
    if len(problems) > MAX_PROBLEMS_SHOWN:
        shown.append(f"- … (+{len(problems) - MAX_PROBLEMS_SHOWN})")
    return shown
