"""Fetching the files people attach: Teams download links, plain URLs, and local files in the
terminal chat (only there)."""

from __future__ import annotations

import base64
from pathlib import Path
from urllib.parse import unquote, urlparse

import aiohttp
from botbuilder.core import TurnContext
from botbuilder.schema import Attachment

from dialogs.dependencies import AttachmentError

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
TEAMS_FILE = "application/vnd.microsoft.teams.file.download.info"


class AttachmentDownloader:
    def __init__(self, allow_local_files: bool = False, timeout_seconds: float = 20) -> None:
        self._allow_local_files = allow_local_files
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)

    async def fetch(self, context: TurnContext, attachment: Attachment) -> bytes:
        url = _url_of(attachment)
        if url is None:
            raise AttachmentError("The attachment has no content to fetch.")
        scheme = urlparse(url).scheme
        if scheme == "data":
            return _limited(_data_url(url))
        if scheme == "file" and self._allow_local_files:
            return self._local_file(Path(unquote(urlparse(url).path)))
        if scheme in ("http", "https"):
            return await self._download(url)
        raise AttachmentError(f"Attachments from '{scheme}:' are not accepted.")

    def _local_file(self, path: Path) -> bytes:
        try:
            if path.stat().st_size > MAX_ATTACHMENT_BYTES:
                raise AttachmentError("The file is too large.")
            return path.read_bytes()
        except OSError as error:
            raise AttachmentError(f"Cannot read {path}: {error.strerror}") from None

    async def _download(self, url: str) -> bytes:
        try:
            async with (
                aiohttp.ClientSession(timeout=self._timeout) as session,
                session.get(url) as response,
            ):
                if response.status != 200:
                    raise AttachmentError(f"Download failed with HTTP {response.status}.")
                data = await response.content.read(MAX_ATTACHMENT_BYTES + 1)
        except (aiohttp.ClientError, TimeoutError) as error:
            raise AttachmentError(f"Download failed: {error}") from None
        return _limited(data)


def _url_of(attachment: Attachment) -> str | None:
    if attachment.content_type == TEAMS_FILE and isinstance(attachment.content, dict):
        url = attachment.content.get("downloadUrl")
        return url if isinstance(url, str) else None
    return attachment.content_url


def _data_url(url: str) -> bytes:
    header, _, payload = url.partition(",")
    try:
        return (
            base64.b64decode(payload) if header.endswith(";base64") else unquote(payload).encode()
        )
    except ValueError:
        raise AttachmentError("The attachment's data is not valid base64.") from None


def _limited(data: bytes) -> bytes:
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise AttachmentError("The file is too large.")
    return data
