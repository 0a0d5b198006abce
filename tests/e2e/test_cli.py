"""`python -m bot serve` migrates, loads the demo event and serves; bad settings fail clearly."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def environment(tmp_path: Path, **values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MICROSOFT_", "BOT_"))}
    env.update(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'data' / 'bot.db'}", **values)
    return env


async def test_serve_starts_migrates_and_answers(tmp_path: Path) -> None:
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "serve",
        cwd=tmp_path,
        env=environment(tmp_path, PORT=str(port)),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        status = await wait_for_health(f"http://127.0.0.1:{port}/healthz")
        assert status == 200
    finally:
        process.terminate()
        output, _ = await asyncio.wait_for(process.communicate(), 20)
    log = output.decode()
    assert "authentication is OFF" in log
    assert "loaded the demo event 'Fælles om ledelse'" in log
    assert "Traceback" not in log
    assert (tmp_path / "data" / "bot.db").exists()


async def wait_for_health(url: str) -> int:
    async with aiohttp.ClientSession() as session:
        for _ in range(150):
            try:
                async with session.get(url) as response:
                    return response.status
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.1)
    raise AssertionError("the bot did not start within 15 seconds")


def test_invalid_setting_stops_the_start_with_one_clear_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "serve"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=environment(tmp_path, PORT="not-a-port"),
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Invalid setting PORT: Input should be a valid integer, "
        "unable to parse string as an integer"
    ]
