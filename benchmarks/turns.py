"""Turns per second over HTTP on loopback: our bot against the stock echo bot and a bare loop.

    .venv/bin/python -m benchmarks.turns [--conversations 50] [--turns 20] [--timeout 60]
                                         [--state-conversations 2000] [--state-turns 4]

This process is the channel: a lean fake Bot Framework channel service on 127.0.0.1 that
records replies and answers Teams member lookups, and the load driver. Each bot is served in a
process of its own (`benchmarks.bot_server`), one after the other, so it has a core to itself
as in production and its peak RSS is its own. The bots:

- bare aiohttp: parses the activity and posts a reply with a shared `ClientSession`;
- stock echo: botbuilder's `CloudAdapter` with its echo sample;
- ours, echo: the same echo sample behind our adapter and /api/messages handler;
- ours, dialog: behind our adapter, the least bot that keeps botbuilder's state and dialogs (a
  waterfall with a `TextPrompt`, state in memory; `benchmarks.floor_bots`);
- ours: `create_app` as served in production: real dialogs, SQL storage on SQLite in a
  temporary folder, the outbox and reminder workers.

Each is driven through `--conversations` concurrent conversations of `--turns` turns. A turn posts
one activity to /api/messages and waits for its reply (matched by replyToId) to reach the
channel; its latency is post to reply received. Half of our bot's conversations sign up (tilmeld,
name, e-mail, MSO, area, Leder, 1, phone, ja, the confirm card submit, with the Teams member
lookup) and then ask programme and now/next questions; the other half only ask those questions.
Then ours carries `--state-conversations` more conversations, `--conversations` at a time, each
left halfway through a sign-up (its dialog state stored) or after a question, to show the memory
with that many conversations' state.

Prints turns/s, p50 and p99 latency and each bot process's peak RSS (ru_maxrss; ours after the
extra conversations too), then each of our rows' turns/s against the stock echo bot and the bare
loop, beside the issue's targets. The echo and dialog rows show how much of the budget the
adapter and botbuilder's dialogs take before any of our logic. Compare ratios within one run: the
machine is shared and its speed varies.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import multiprocessing
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import ClientSession, ClientTimeout, TCPConnector, web
from aiohttp.test_utils import TestServer

from benchmarks.bot_server import NOW, STOP, serve

__all__ = ["NOW", "SIGN_UP_DONE", "Turn", "script"]
SIGN_UP_DONE = "Tak, "  # the start of the reply that confirms a sign-up
QUESTIONS = ["dagens program", "hvad sker der nu", "hvad er det næste"]

Turn = tuple[str | None, dict[str, Any] | None]  # text, card submit value


def sign_up(participant: int) -> list[Turn]:
    answers = [
        "tilmeld",
        f"Deltager {participant} Hansen",
        f"deltager{participant}@aarhus.dk",
        "MSO",
        "Hjemmeplejen Nord",
        "Leder",
        "1",
        "12345678",
        "ja",
    ]
    return [(answer, None) for answer in answers] + [(None, {"action": "confirm"})]


def script(participant: int, turns: int, signs_up: bool) -> list[Turn]:
    steps = sign_up(participant) if signs_up else []
    while len(steps) < turns:
        steps.append((QUESTIONS[len(steps) % len(QUESTIONS)], None))
    return steps[:turns]


def echo_script(participant: int, turns: int, signs_up: bool) -> list[Turn]:
    return [(f"hej {participant} {turn}", None) for turn in range(turns)]


Script = Callable[[int, int, bool], list[Turn]]


class Channel:
    """The Bot Framework channel service on loopback: resolves a waiter per replyToId."""

    def __init__(self) -> None:
        self.waiting: dict[str, asyncio.Future[tuple[float, str]]] = {}
        self.received = 0
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities", self._receive)
        app.router.add_post("/v3/conversations/{conversation}/activities/{reply_to}", self._receive)
        app.router.add_get("/v3/conversations/{conversation}/members/{member}", self._member)
        self.server = TestServer(app, host="127.0.0.1")

    @property
    def url(self) -> str:
        return str(self.server.make_url("")).rstrip("/")

    async def _receive(self, request: web.Request) -> web.Response:
        body = await request.json()
        arrived = time.perf_counter()
        if body.get("type") == "message":
            self.received += 1
            waiter = self.waiting.pop(body.get("replyToId") or "", None)
            if waiter is not None and not waiter.done():
                text = body.get("text") or ""
                for attachment in body.get("attachments") or []:
                    content = attachment.get("content") or {}
                    text = text or str(content.get("fallbackText") or "")
                waiter.set_result((arrived, text))
        return web.json_response({"id": str(uuid.uuid4())})

    async def _member(self, request: web.Request) -> web.Response:
        """Teams' member API: the profile the bot reads a participant's e-mail from."""
        member = request.match_info["member"]
        number = member.removeprefix("user-")
        return web.json_response(
            {"id": member, "name": f"Deltager {number} Hansen", "email": f"d{number}@aarhus.dk"}
        )


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)  # ms
    failures: list[str] = field(default_factory=list)
    submit_replies: list[str] = field(default_factory=list)  # first reply to each card submit
    seconds: float = 0.0
    peak_rss_mb: float = 0.0


def activity(channel: Channel, conversation: str, participant: int, turn: Turn) -> dict[str, Any]:
    text, value = turn
    body: dict[str, Any] = {
        "type": "message",
        "id": str(uuid.uuid4()),
        "channelId": "msteams",
        "serviceUrl": channel.url,
        "from": {"id": f"user-{participant}", "name": f"Deltager {participant} Hansen"},
        "recipient": {"id": "bot-1", "name": "Træfbot"},
        "conversation": {"id": conversation},
        "locale": "da-DK",
    }
    if text is not None:
        body["text"] = text
    if value is not None:
        body["value"] = value
    return body


async def converse(
    session: ClientSession,
    bot_url: str,
    channel: Channel,
    participant: int,
    steps: list[Turn],
    outcome: Outcome,
    turn_timeout: float,
) -> None:
    conversation = f"conversation-{participant}-{uuid.uuid4().hex[:8]}"
    loop = asyncio.get_running_loop()
    for step in steps:
        body = activity(channel, conversation, participant, step)
        waiter: asyncio.Future[tuple[float, str]] = loop.create_future()
        channel.waiting[body["id"]] = waiter
        started = time.perf_counter()
        try:
            async with session.post(f"{bot_url}/api/messages", json=body) as response:
                await response.read()
                if response.status >= 300:
                    raise RuntimeError(f"HTTP {response.status}")
            arrived, text = await asyncio.wait_for(waiter, turn_timeout)
        except Exception as error:  # a failed turn ends its conversation and is counted
            channel.waiting.pop(body["id"], None)
            outcome.failures.append(f"{type(error).__name__}: {error}")
            return
        outcome.latencies.append((arrived - started) * 1000)
        if step[1] is not None:
            outcome.submit_replies.append(text)


async def drive(
    bot_url: str,
    channel: Channel,
    make_script: Script,
    conversations: int,
    turns: int,
    first_participant: int,
    timeout: float,
    concurrency: int | None = None,
) -> Outcome:
    """`conversations` conversations, at most `concurrency` (default: all) at a time."""
    outcome = Outcome()
    limit = asyncio.Semaphore(concurrency or conversations)
    connector = TCPConnector(limit=(concurrency or conversations) + 10)
    async with ClientSession(connector=connector, timeout=ClientTimeout(total=30)) as session:
        started = time.perf_counter()

        async def bounded(participant: int, steps: list[Turn]) -> None:
            async with limit:
                await converse(
                    session, bot_url, channel, participant, steps, outcome, min(30.0, timeout)
                )

        tasks = [
            bounded(participant, make_script(participant, turns, index % 2 == 0))
            for index, participant in enumerate(
                range(first_participant, first_participant + conversations)
            )
        ]
        try:
            await asyncio.wait_for(asyncio.gather(*tasks), timeout)
        except TimeoutError:
            outcome.failures.append(f"the run passed its {timeout:g} s limit")
        outcome.seconds = time.perf_counter() - started
    return outcome


async def measure(
    bot: str,
    channel: Channel,
    make_script: Script,
    args: argparse.Namespace,
    database_url: str = "",
    many: Outcome | None = None,
) -> Outcome:
    """`bot` served in a process of its own: the run of `args.conversations` conversations; with
    `many`, then also (into it) `args.state_conversations` conversations of `args.state_turns`
    turns, `args.conversations` at a time. Peak RSS is the bot process's, after both runs."""
    control, child_end = multiprocessing.Pipe()
    process = multiprocessing.get_context("spawn").Process(
        target=serve, args=(bot, database_url, child_end), daemon=True
    )
    process.start()
    try:
        if not await asyncio.to_thread(control.poll, 120):
            raise RuntimeError(f"{bot} did not start within 120 s")
        url = f"http://127.0.0.1:{control.recv()}"
        # warm up: a few conversations the figures leave out
        await drive(url, channel, make_script, 2, min(args.turns, 10), 10_000, args.timeout)
        outcome = await drive(
            url, channel, make_script, args.conversations, args.turns, 0, 2 * args.timeout
        )
        if many is not None:
            more = await drive(
                url,
                channel,
                make_script,
                args.state_conversations,
                args.state_turns,
                20_000,
                10 * args.timeout,
                concurrency=args.conversations,
            )
            many.__dict__.update(more.__dict__)
        control.send(STOP)
        if await asyncio.to_thread(control.poll, 60):
            outcome.peak_rss_mb = control.recv()
            if many is not None:
                many.peak_rss_mb = outcome.peak_rss_mb
        return outcome
    finally:
        await asyncio.to_thread(process.join, 30)
        if process.is_alive():
            process.kill()


def rate(outcome: Outcome) -> float:
    return len(outcome.latencies) / outcome.seconds if outcome.seconds else 0.0


def row(label: str, outcome: Outcome) -> str:
    cuts = (
        statistics.quantiles(outcome.latencies, n=100) if len(outcome.latencies) > 1 else [0.0] * 99
    )
    return (
        f"{label:<12} {len(outcome.latencies):6d} {rate(outcome):9.1f} {cuts[49]:9.1f} "
        f"{cuts[98]:9.1f} {outcome.peak_rss_mb:9.1f} {len(outcome.failures):6d}"
    )


TARGETS = (("stock echo", 15.0), ("bare aiohttp", 0.40))  # the issue's: ours at least 15x, 40 %


async def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--turns", type=int, default=20, help="turns per conversation")
    parser.add_argument("--timeout", type=float, default=60, help="seconds per bot's run")
    parser.add_argument(
        "--state-conversations",
        type=int,
        default=2000,
        help="then this many conversations of ours, each left with state (a sign-up under way)",
    )
    parser.add_argument("--state-turns", type=int, default=4, help="turns of each of those")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    channel = Channel()
    await channel.server.start_server()
    many = Outcome()
    outcomes: dict[str, Outcome] = {}
    try:
        with tempfile.TemporaryDirectory() as folder:
            database_url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
            for bot, make_script in [
                ("bare aiohttp", echo_script),
                ("stock echo", echo_script),
                ("ours, echo", echo_script),
                ("ours, dialog", echo_script),
            ]:
                outcomes[bot] = await measure(bot, channel, make_script, args)
            outcomes["ours"] = await measure("ours", channel, script, args, database_url, many)
    finally:
        await channel.server.close()
    report(args, outcomes, many)


def report(args: argparse.Namespace, outcomes: dict[str, Outcome], many: Outcome) -> None:
    print(
        f"{args.conversations} concurrent conversations x {args.turns} turns over loopback HTTP, "
        "each bot in its own process; ours on SQLite, half signing up"
    )
    heads = ("turns", "turns/s", "p50 ms", "p99 ms", "RSS MB")
    print(f"{'':<12} {heads[0]:>6} " + " ".join(f"{h:>9}" for h in heads[1:]) + " failed")
    for label, outcome in outcomes.items():
        print(row(label, outcome))
    print(row(f"ours, {args.state_conversations}", many), "conversations with state, then")
    ours = outcomes["ours"]
    confirmed = sum(text.startswith(SIGN_UP_DONE) for text in ours.submit_replies)
    print(f"ours: {confirmed} of {len(ours.submit_replies)} sign-up card submits confirmed")
    for label, outcome in [*outcomes.items(), ("ours, many", many)]:
        for failure in sorted(set(outcome.failures))[:3]:
            print(f"{label} failure: {failure}")
    print("turns/s against the baselines (the targets: >= 15 x stock, >= 0.40 x bare)")
    for label in ("ours", "ours, dialog", "ours, echo"):
        ratios = [
            f"/{base.split()[0]} {rate(outcomes[label]) / rate(outcomes[base]):7.3f}"
            f" ({'met' if rate(outcomes[label]) >= target * rate(outcomes[base]) else 'not met'})"
            for base, target in TARGETS
        ]
        print(f"  {label:<14}" + "  ".join(ratios))


if __name__ == "__main__":
    asyncio.run(main())
