"""botbuilder-testing's `StorageBaseTests`, which every botbuilder `Storage` must pass."""

from __future__ import annotations

import inspect

import pytest
from botbuilder.testing.storage_base_tests import StorageBaseTests

from storage.bot_storage import SqlStorage

CONFORMANCE_TESTS = [
    "return_empty_object_when_reading_unknown_key",
    "handle_null_keys_when_reading",
    "handle_null_keys_when_writing",
    "does_not_raise_when_writing_no_items",
    "create_object",
    "handle_crazy_keys",
    "update_object",
    "delete_object",
    "delete_unknown_object",
    "perform_batch_operations",
    "proceeds_through_waterfall",
]


def test_every_conformance_test_is_run() -> None:
    published = {
        name
        for name, member in inspect.getmembers(StorageBaseTests, inspect.iscoroutinefunction)
        if not name.startswith("_")
    }
    assert published == set(CONFORMANCE_TESTS)


@pytest.mark.parametrize("name", CONFORMANCE_TESTS)
async def test_conformance(storage: SqlStorage, name: str) -> None:
    check = getattr(StorageBaseTests, name)
    assert await check(storage) is True
