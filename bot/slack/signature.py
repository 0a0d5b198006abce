"""Is a request really from Slack? Checked before anything in it is read.

Slack signs each request with the app's signing secret: HMAC-SHA256 over `v0:{timestamp}:{body}`,
sent as `X-Slack-Signature` with the timestamp in `X-Slack-Request-Timestamp`. A request older
than five minutes is refused, so a captured request cannot be replayed later; the signatures
are compared in constant time (slack_sdk's `SignatureVerifier`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

from slack_sdk.signature import Clock, SignatureVerifier


class _Clock(Clock):
    def __init__(self, now: Callable[[], float]) -> None:
        self._now = now

    def now(self) -> float:
        return self._now()


class RequestVerifier:
    def __init__(self, signing_secret: str, now: Callable[[], float] = time.time) -> None:
        self._verifier = SignatureVerifier(signing_secret, clock=_Clock(now))

    def is_from_slack(self, body: bytes, headers: Mapping[str, str]) -> bool:
        timestamp = headers.get("X-Slack-Request-Timestamp")
        signature = headers.get("X-Slack-Signature")
        if not timestamp or not signature or not timestamp.strip().isdigit():
            return False
        return self._verifier.is_valid(body=body, timestamp=timestamp.strip(), signature=signature)
