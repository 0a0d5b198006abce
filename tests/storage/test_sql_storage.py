"""SqlStorage beyond the conformance tests: e_tags, atomic batches, what state holds."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from botbuilder.core import ConversationState, StoreItem, TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.dialogs import DialogInstance, DialogState
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.bot_storage import EtagConflictError, SqlStorage
from storage.models import BotStateRow


async def test_a_stale_e_tag_conflicts_and_leaves_the_stored_item_alone(
    storage: SqlStorage,
) -> None:
    await storage.write({"conversation": {"count": 1}})
    mine = (await storage.read(["conversation"]))["conversation"]
    theirs = (await storage.read(["conversation"]))["conversation"]
    assert isinstance(mine, dict) and isinstance(theirs, dict)
    theirs["count"] = 2
    await storage.write({"conversation": theirs})

    mine["count"] = 99
    with pytest.raises(EtagConflictError, match="conversation"):
        await storage.write({"conversation": mine})

    stored = (await storage.read(["conversation"]))["conversation"]
    assert stored == {"count": 2, "e_tag": theirs["e_tag"]}


async def test_an_e_tag_for_an_item_that_is_not_stored_conflicts(storage: SqlStorage) -> None:
    with pytest.raises(EtagConflictError):
        await storage.write({"gone": {"count": 1, "e_tag": "an-old-e-tag"}})
    assert await storage.read(["gone"]) == {}


async def test_a_batch_with_one_conflict_writes_none_of_its_items(storage: SqlStorage) -> None:
    await storage.write({"a": {"n": 1}, "b": {"n": 1}})
    loaded = await storage.read(["a", "b"])
    await storage.write({"b": {"n": 2}})  # another turn changes b

    with pytest.raises(EtagConflictError, match="'b'"):
        await storage.write({"a": {**_dict(loaded["a"]), "n": 10}, "b": loaded["b"], "c": {"n": 1}})

    after = await storage.read(["a", "b", "c"])
    assert {key: _dict(item)["n"] for key, item in after.items()} == {"a": 1, "b": 2}


async def test_an_empty_e_tag_is_refused_before_anything_is_written(storage: SqlStorage) -> None:
    with pytest.raises(Exception, match="e_tag"):
        await storage.write({"first": {"n": 1}, "second": {"n": 1, "e_tag": ""}})
    assert await storage.read(["first", "second"]) == {}


async def test_writing_puts_the_new_e_tag_on_the_callers_item(storage: SqlStorage) -> None:
    item: dict[str, Any] = {"count": 1}
    await storage.write({"turn": item})
    first = item["e_tag"]
    assert first == _dict((await storage.read(["turn"]))["turn"])["e_tag"]

    item["count"] = 2  # a second save in the same turn carries the new e_tag: no conflict
    await storage.write({"turn": item})

    assert item["e_tag"] != first
    assert (await storage.read(["turn"]))["turn"] == {"count": 2, "e_tag": item["e_tag"]}


async def test_the_e_tag_is_kept_out_of_the_stored_data(
    storage: SqlStorage, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await storage.write({"plain": {"n": 1, "e_tag": "*"}, "object": StoreItem(n=1, e_tag="*")})
    async with session_factory() as session:
        stored = (await session.scalars(select(BotStateRow.data))).all()
    assert [json.loads(data).get("e_tag") for data in stored] == [None, None]


async def test_objects_carry_their_e_tag_as_an_attribute(storage: SqlStorage) -> None:
    item = StoreItem(count=1, e_tag="*")
    await storage.write({"object": item})
    loaded = (await storage.read(["object"]))["object"]

    assert isinstance(loaded, StoreItem)
    assert loaded.count == 1
    assert loaded.e_tag == item.e_tag != "*"


async def test_dialog_state_round_trips(storage: SqlStorage) -> None:
    instance = DialogInstance()
    instance.id = "MainDialog"
    instance.state = {"stepIndex": 2, "values": {"language": "da", "day": [2026, 11, 22]}}
    await storage.write({"conversation": {"DialogState": DialogState([instance])}})

    loaded = _dict((await storage.read(["conversation"]))["conversation"])

    state = loaded["DialogState"]
    assert isinstance(state, DialogState)
    assert [(entry.id, entry.state) for entry in state.dialog_stack] == [
        ("MainDialog", {"stepIndex": 2, "values": {"language": "da", "day": [2026, 11, 22]}})
    ]


async def test_conversation_state_saved_twice_in_one_turn(storage: SqlStorage) -> None:
    conversation_state = ConversationState(storage)
    counter = conversation_state.create_property("counter")

    async def logic(turn: TurnContext) -> None:
        count = await counter.get(turn) or 0
        await counter.set(turn, count + 1)
        await conversation_state.save_changes(turn)
        await counter.set(turn, count + 2)
        await conversation_state.save_changes(turn)
        await turn.send_activity(str(count + 2))

    adapter = TestAdapter(logic)
    step = await adapter.send("first")
    step = await step.assert_reply("2")
    step = await step.send("second")
    await step.assert_reply("4")


async def test_simultaneous_first_writes_of_one_key_all_succeed(storage: SqlStorage) -> None:
    await asyncio.gather(*(storage.write({"new": {"writer": n}}) for n in range(8)))
    assert _dict((await storage.read(["new"]))["new"])["writer"] in range(8)


async def test_of_two_simultaneous_saves_of_one_read_only_one_wins(storage: SqlStorage) -> None:
    await storage.write({"race": {"winner": None}})
    first = _dict((await storage.read(["race"]))["race"])
    second = _dict((await storage.read(["race"]))["race"])

    outcomes = await asyncio.gather(
        storage.write({"race": {**first, "winner": "first"}}),
        storage.write({"race": {**second, "winner": "second"}}),
        return_exceptions=True,
    )

    assert sorted(type(outcome).__name__ for outcome in outcomes) == [
        "EtagConflictError",
        "NoneType",
    ]
    winner = "first" if outcomes[0] is None else "second"
    assert _dict((await storage.read(["race"]))["race"])["winner"] == winner


async def test_deleting_removes_only_the_given_keys(storage: SqlStorage) -> None:
    await storage.write({"keep": {"n": 1}, "drop": {"n": 2}})
    await storage.delete(["drop", "never-stored"])
    assert set(await storage.read(["keep", "drop"])) == {"keep"}


def _dict(item: object) -> dict[str, Any]:
    assert isinstance(item, dict)
    return item
