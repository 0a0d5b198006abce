"""Fixtures shared by the end-to-end tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.e2e.fake_channel import FakeChannel


@pytest.fixture
async def channel() -> AsyncIterator[FakeChannel]:
    fake = FakeChannel()
    await fake.server.start_server()
    yield fake
    await fake.server.close()
