"""The app's one outgoing HTTP session: pooled keep-alive connections, bounded per host.

Made on first use inside the running event loop and closed with the app (`close`). Every
outgoing call (replies, proactive messages, tokens, identity metadata) shares it.
"""

from __future__ import annotations

import aiohttp

# Teams sends every conversation's replies to one service host, so its bound is the number of
# replies under way at once: a burst of turns must not queue behind each other's connections.
# The rest leaves room for tokens, identity metadata and another channel's host.
CONNECTIONS = 128
CONNECTIONS_PER_HOST = 100
TIMEOUT = aiohttp.ClientTimeout(total=30, connect=10)


class SharedSession:
    def __init__(
        self,
        connections: int = CONNECTIONS,
        per_host: int = CONNECTIONS_PER_HOST,
        timeout: aiohttp.ClientTimeout = TIMEOUT,
    ) -> None:
        self._connections = connections
        self._per_host = per_host
        self._timeout = timeout
        self._session: aiohttp.ClientSession | None = None

    def __call__(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(
                limit=self._connections, limit_per_host=self._per_host, ttl_dns_cache=300
            )
            self._session = aiohttp.ClientSession(connector=connector, timeout=self._timeout)
        return self._session

    async def close(self) -> None:
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()
