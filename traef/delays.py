"""Delays and moves during the day, planned before they are applied, kept so they can be undone.

A delay of N minutes lengthens what is on now and moves what follows. Two ways to place it:
- *absorbed*: the following items move until the next break or lunch, which gets shorter (the
  rest of the day is untouched; if the break is shorter than the delay, what remains moves on);
- *to the end of the day*: every following item of the day moves.
Moving an item ("ryk frokost til 12.30") is the same with the item itself as the first to move;
the item before it is lengthened (or shortened) so there is no gap or overlap.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from traef.change_requests import ChangeRequest, Delay, Move
from traef.changes import ProgrammeChange
from traef.errors import TraefError
from traef.ports import UnitOfWork
from traef.programme import Event, ItemKind, ProgrammeItem

_ABSORBING = (ItemKind.BREAK, ItemKind.LUNCH)


class ChangeNotPossibleError(TraefError):
    """The change cannot be made; `reason` says why, for the message to the facilitator."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # nothing_left | unknown_item | in_past | before_previous | ...


@dataclass(frozen=True, slots=True)
class PlanOption:
    absorbed: bool  # True: the next break takes up the delay; False: the rest of the day moves
    items: tuple[ProgrammeItem, ...]  # the whole programme after the change
    moved: tuple[tuple[ProgrammeItem, ProgrammeItem], ...]  # (before, after) of changed items


@dataclass(frozen=True, slots=True)
class ChangePlan:
    options: tuple[PlanOption, ...]  # the first is the suggestion; one option when both agree


def plan_change(event: Event, request: ChangeRequest, now: datetime) -> ChangePlan:
    day = event.local(now).date()
    today = [item for item in event.items if event.day_of(item) == day]
    if isinstance(request, Delay):
        start = _delay_start(today, now, timedelta(minutes=request.minutes))
    else:
        start = _move_start(event, today, request, now)
    options: list[PlanOption] = []
    for absorbed in (True, False):
        changed = _shifted(today, start, absorbed)
        option = _option(event.items, today, changed, absorbed)
        if option.moved and all(o.items != option.items for o in options):
            options.append(option)
    if not options:
        raise ChangeNotPossibleError("no_change")
    return ChangePlan(tuple(options))


@dataclass(frozen=True, slots=True)
class _Start:
    first: int  # the first item to move
    delta: timedelta
    absorb_from: int  # breaks from this index on may take up the delay
    new_end: tuple[int, datetime] | None = None  # the item ahead, lengthened or shortened


async def apply_change(
    uow: UnitOfWork, event: Event, option: PlanOption, summary: str, made_by: str, now: datetime
) -> ProgrammeChange:
    assert event.id is not None
    async with uow:
        await uow.events.save_programme(event.id, option.items)
        change = await uow.changes.add(
            ProgrammeChange(event.id, made_by, now, summary, event.items, option.items)
        )
        await uow.commit()
        return change


async def undo_last_change(uow: UnitOfWork, event: Event, now: datetime) -> ProgrammeChange:
    """Put the programme back as it was before the newest change; returns that change."""
    assert event.id is not None
    async with uow:
        change = await uow.changes.latest(event.id)
        if change is None or change.id is None:
            raise ChangeNotPossibleError("nothing_to_undo")
        await uow.events.save_programme(event.id, change.before)
        await uow.changes.mark_undone(change.id, now)
        await uow.commit()
        return change


def _delay_start(today: list[ProgrammeItem], now: datetime, delta: timedelta) -> _Start:
    """What is on now is lengthened; everything after it moves (a break right after absorbs)."""
    on_now = [i for i, item in enumerate(today) if item.is_on_at(now)]
    if on_now:
        current = today[on_now[-1]]
        assert current.end is not None
        first = on_now[-1] + 1
        return _Start(first, delta, first, (on_now[-1], current.end + delta))
    upcoming = [i for i, item in enumerate(today) if item.start >= now]
    if not upcoming:
        raise ChangeNotPossibleError("nothing_left")
    return _Start(upcoming[0], delta, upcoming[0] + 1)


def _move_start(event: Event, today: list[ProgrammeItem], request: Move, now: datetime) -> _Start:
    """The item moves whole; breaks after it may absorb; the item ahead closes the gap it left."""
    started = sum(1 for item in today if item.start < now)
    index = request.item.find(today, after=started)
    if index is None:
        raise ChangeNotPossibleError("unknown_item")
    item = today[index]
    new_start = event.local(item.start).replace(hour=request.to.hour, minute=request.to.minute)
    if new_start < now or item.start < now:
        raise ChangeNotPossibleError("in_past")
    new_end = None
    if index > 0:
        ahead = today[index - 1]
        if new_start < ahead.start:
            raise ChangeNotPossibleError("before_previous")
        if ahead.end is not None and (ahead.end == item.start or ahead.end > new_start):
            new_end = (index - 1, new_start)
    return _Start(index, new_start - item.start, index + 1, new_end)


def _shifted(today: list[ProgrammeItem], start: _Start, absorbed: bool) -> list[ProgrammeItem]:
    changed = list(today)
    if start.new_end is not None:
        index, end = start.new_end
        changed[index] = replace(changed[index], end=end)
    remaining = start.delta
    for index in range(start.first, len(changed)):
        if not remaining:
            break
        item = changed[index]
        if absorbed and index >= start.absorb_from and item.kind in _ABSORBING and item.end:
            new_start = item.start + remaining
            if new_start <= item.end:
                changed[index] = replace(item, start=new_start)
                break
            # The break is used up: it shrinks to nothing where it would have started.
            changed[index] = replace(item, start=new_start, end=new_start)
            remaining -= item.end - item.start
            continue
        changed[index] = replace(
            item,
            start=item.start + remaining,
            end=item.end + remaining if item.end is not None else None,
        )
    return changed


def _option(
    everything: tuple[ProgrammeItem, ...],
    today: list[ProgrammeItem],
    changed: list[ProgrammeItem],
    absorbed: bool,
) -> PlanOption:
    replaced = {id(old): new for old, new in zip(today, changed, strict=True)}
    items = tuple(replaced.get(id(item), item) for item in everything)
    moved = tuple((old, new) for old, new in zip(today, changed, strict=True) if old != new)
    return PlanOption(absorbed, items, moved)
