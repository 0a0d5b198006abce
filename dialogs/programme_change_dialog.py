"""A facilitator changes the programme in their own words, sees what moves, and confirms.

`forsink 10 min`, `ryk frokost til 12.30`, `breakout 2 starter 11.15`: the dialog shows one or two
plans (the next break absorbs the delay, or the rest of the day moves), applies the chosen one,
keeps it for `fortryd`, and announces it to everyone the bot has talked to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.dialogs import (
    DialogContext,
    DialogTurnResult,
    WaterfallDialog,
    WaterfallStepContext,
)
from botbuilder.dialogs.prompts import PromptOptions, PromptValidatorContext, TextPrompt
from botbuilder.schema import Activity

from dialogs.cancellable_dialog import CancellableDialog
from dialogs.cards import (
    Json,
    adaptive_card,
    button,
    card_activity,
    fits,
    note_card,
    replace_card,
    submit,
    text_block,
)
from dialogs.dependencies import DialogDependencies
from dialogs.i18n import Texts
from dialogs.intents import Intent
from dialogs.lookups import event_or_none
from traef.change_requests import parse_change_request
from traef.delays import ChangeNotPossibleError, ChangePlan, PlanOption, apply_change, plan_change
from traef.programme import Event, ProgrammeItem

PLAN = "plan"
APPLY = "apply_change"


@dataclass
class ChangeForm:
    """What was asked and when: enough to plan the change again, identically, on confirmation."""

    request: str
    planned_at: str  # ISO instant


class ProgrammeChangeDialog(CancellableDialog):
    """Options: the facilitator's words."""

    WATERFALL = "ProgrammeChangeDialog.steps"
    CHOICE_PROMPT = "ProgrammeChangeDialog.choice"

    def __init__(self, dependencies: DialogDependencies) -> None:
        super().__init__(ProgrammeChangeDialog.__name__, dependencies)
        self.add_dialog(TextPrompt(self.CHOICE_PROMPT, ProgrammeChangeDialog.choice_validator))
        self.add_dialog(WaterfallDialog(self.WATERFALL, [self.plan_step, self.apply_step]))
        self.initial_dialog_id = self.WATERFALL

    async def plan_step(self, step_context: WaterfallStepContext) -> DialogTurnResult:
        context = step_context.context
        texts = await self._deps.language.texts(context)
        if not await self._deps.is_facilitator(context):
            await context.send_activity(MessageFactory.text(texts("facilitator_only")))
            return await step_context.end_dialog()
        form = ChangeForm(str(step_context.options), self._deps.now().isoformat())
        found = await self._plan(context, form, texts)
        if found is None:
            return await step_context.end_dialog()
        event, plan = found
        step_context.values[PLAN] = form
        card = preview_card(event, plan, texts)
        retry = MessageFactory.text(texts("change_retry"))
        options = PromptOptions(prompt=card_activity(card), retry_prompt=retry)
        return await step_context.prompt(self.CHOICE_PROMPT, options)

    async def apply_step(self, step_context: WaterfallStepContext) -> DialogTurnResult:
        context = step_context.context
        texts = await self._deps.language.texts(context)
        form = step_context.values[PLAN]
        found = await self._plan(context, form, texts)
        if found is None:
            return await step_context.end_dialog()
        event, plan = found
        option = plan.options[min(int(step_context.result), len(plan.options) - 1)]
        made_by = context.activity.from_property.name or context.activity.from_property.id
        await apply_change(
            self._deps.uow_factory(), event, option, form.request, made_by, self._deps.now()
        )
        count = await self._deps.announcer.announce(
            lambda reader: announcement(event, option.moved, reader, "change_announcement")
        )
        applied = texts("change_applied", count=count)
        if not await replace_card(context, applied_card(event, option, applied, texts)):
            await context.send_activity(MessageFactory.text(applied))
        return await step_context.end_dialog()

    @staticmethod
    async def choice_validator(prompt_context: PromptValidatorContext) -> bool:
        activity = prompt_context.context.activity
        value = activity.value
        if isinstance(value, dict) and value.get("action") == APPLY:
            chosen = value.get("option")
        else:
            words = (activity.text or "").strip().lower().rstrip(".!")
            chosen = {
                "1": 0,
                "2": 1,
                "ja": 0,
                "bekræft": 0,
                "ok": 0,
                "yes": 0,
                "confirm": 0,
                "forslag 1": 0,
                "forslag 2": 1,
                "option 1": 0,
                "option 2": 1,
            }.get(words)
        if not isinstance(chosen, int) or chosen not in (0, 1):
            return False
        prompt_context.recognized.value = chosen
        prompt_context.recognized.succeeded = True
        return True

    def cancelled_text(self, inner_dc: DialogContext, texts: Texts) -> str:
        return texts("change_cancelled")

    async def _plan(
        self, context: TurnContext, form: ChangeForm, texts: Texts
    ) -> tuple[Event, ChangePlan] | None:
        event = await event_or_none(self._deps)
        request = parse_change_request(form.request)
        if event is None or request is None:
            await context.send_activity(MessageFactory.text(texts("no_programme")))
            return None
        try:
            return event, plan_change(event, request, datetime.fromisoformat(form.planned_at))
        except ChangeNotPossibleError as error:
            await context.send_activity(MessageFactory.text(texts(f"change_{error.reason}")))
            return None


def preview_card(event: Event, plan: ChangePlan, texts: Texts) -> Json:
    """Each plan's moves and a button to choose it; a change that moves too many items for one
    message lists the first of them and how many more move."""
    lines = [change_lines(event, option.moved, texts) for option in plan.options]
    limit = max(len(option_lines) for option_lines in lines)
    card = _preview_card(plan, lines, limit, texts)
    while not fits(card) and limit > 1:
        limit = limit * 3 // 4
        card = _preview_card(plan, lines, limit, texts)
    return card


def _preview_card(plan: ChangePlan, lines: list[list[str]], limit: int, texts: Texts) -> Json:
    body: list[Json] = [text_block(texts("change_preview_title"), size="Large", weight="Bolder")]
    actions: list[Json] = []
    fallback: list[str] = [f"**{texts('change_preview_title')}**"]
    for number, (option, option_lines) in enumerate(zip(plan.options, lines, strict=True), 1):
        heading = _option_heading(option, number, len(plan.options), texts)
        shown = _at_most(option_lines, limit, texts)
        body += [
            text_block(heading, weight="Bolder"),
            *[text_block(f"• {line}", spacing="None") for line in shown],
        ]
        fallback += [heading, *shown]
        title = (
            texts("button_confirm")
            if len(plan.options) == 1
            else texts("button_use_option", number=number)
        )
        actions.append(button(title, {"action": APPLY, "option": number - 1}))
    actions.append(submit(texts("button_cancel"), Intent.CANCEL))
    return adaptive_card(body, actions, "\n".join([*fallback, texts("change_retry")]))


def applied_card(event: Event, option: PlanOption, applied: str, texts: Texts) -> Json:
    """What the preview becomes once a plan is chosen: that plan's moves, saved and sent."""
    lines = change_lines(event, option.moved, texts)
    limit = len(lines)
    while True:
        shown = [text_block(f"• {line}", spacing="None") for line in _at_most(lines, limit, texts)]
        card = note_card(texts("card_change_sent"), applied, *shown)
        if fits(card) or limit <= 1:
            return card
        limit = limit * 3 // 4


def _at_most(lines: list[str], limit: int, texts: Texts) -> list[str]:
    """The first `limit` lines, and how many more there are."""
    if len(lines) <= limit:
        return lines
    return [*lines[:limit], texts("card_change_more", count=len(lines) - limit)]


def change_lines(
    event: Event, moved: tuple[tuple[ProgrammeItem, ProgrammeItem], ...], texts: Texts
) -> list[str]:
    lines = []
    for before, after in moved:
        old = _span(event, before, texts)
        if after.end is not None and after.start == after.end and before.start != before.end:
            lines.append(texts("change_line_dropped", title=before.title, old=old))
        else:
            lines.append(
                texts("change_line", title=before.title, old=old, new=_span(event, after, texts))
            )
    return lines


def announcement(
    event: Event, moved: tuple[tuple[ProgrammeItem, ProgrammeItem], ...], texts: Texts, key: str
) -> Activity:
    lines = [texts(key), *[f"- {line}" for line in change_lines(event, moved, texts)]]
    return MessageFactory.text("\n".join(lines))


def _option_heading(option: PlanOption, number: int, count: int, texts: Texts) -> str:
    if count == 1:
        return texts("change_option_only")
    key = "change_option_absorbed" if option.absorbed else "change_option_to_end"
    return texts(key, number=number)


def _span(event: Event, item: ProgrammeItem, texts: Texts) -> str:
    end = event.local(item.end) if item.end is not None else None
    return texts.time_span(event.local(item.start), end)
