"""An SSE reply sent in the byte chunks a test chooses, through httpx's mock transport (to
split a stream anywhere without a socket)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx


class _Chunks(httpx.AsyncByteStream):
    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            yield chunk


def chunked_sse(chunks: list[bytes]) -> httpx.MockTransport:
    """A transport answering every request with 200, ``text/event-stream`` and ``chunks``."""

    def reply(request: httpx.Request) -> httpx.Response:
        headers = {"Content-Type": "text/event-stream"}
        return httpx.Response(200, headers=headers, stream=_Chunks(chunks))

    return httpx.MockTransport(reply)
