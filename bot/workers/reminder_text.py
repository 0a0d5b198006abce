"""How a reminder reads, in the reader's language."""

from __future__ import annotations

from datetime import datetime

from dialogs.i18n import Texts
from traef.programme import ItemKind, ProgrammeItem
from traef.reminders import Reminder

_KIND_LABELS = {ItemKind.BREAKOUT: "kind_breakout", ItemKind.PHONE_DIALOGUE: "kind_phone_dialogue"}


def reminder_text(reminder: Reminder, now: datetime, texts: Texts) -> str:
    event = reminder.event
    if reminder.item is None:
        return texts(
            "reminder_preparation",
            event=event.name,
            day=texts.short_date(event.start_date),
            preparation=event.preparation.strip(),
        )
    item = reminder.item
    minutes = max(1, int(-(-(item.start - now).total_seconds() // 60)))  # round up
    lines = [
        texts(
            "reminder_item",
            minutes=minutes,
            item=_name(item, texts),
            time=texts.time(event.local(item.start)),
        )
    ]
    if item.link:
        lines.append(texts("reminder_link", link=item.link))
    return "\n\n".join(lines)


def _name(item: ProgrammeItem, texts: Texts) -> str:
    label = _KIND_LABELS.get(item.kind)
    kind = f" ({texts(label).lower()})" if label else ""
    return f"**{item.title}**{kind}"
