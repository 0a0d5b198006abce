"""Fixtures shared by the end-to-end tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from tests.e2e.fake_channel import FakeChannel
from tests.e2e.fake_slack import FakeSlack
from tests.e2e.slack_requests import serve_slack


@pytest.fixture
async def channel() -> AsyncIterator[FakeChannel]:
    fake = FakeChannel()
    await fake.server.start_server()
    yield fake
    await fake.server.close()


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    """Slack's Web API on loopback."""
    fake = FakeSlack()
    await fake.server.start_server()
    yield fake
    await fake.server.close()


@pytest.fixture
async def slack_bot(tmp_path: Path, slack: FakeSlack) -> AsyncIterator[TestClient[Any, Any]]:
    """The real app with Slack on, talking to the fake Web API."""
    client = await serve_slack(tmp_path, slack)
    yield client
    await client.close()
