"""A real HTTP server on 127.0.0.1 that replays scripted SSE replies and records requests.

Replies are close-delimited (no Content-Length), as streaming servers send them, and each
chunk is written and flushed separately so a test controls how the bytes are split. The server
itself is :class:`tests.support.http_server.LocalServer`, shared with ``hostile.py``.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.support.http_server import LocalServer, send_head


@dataclass
class Reply:
    status: int = 200
    chunks: list[bytes] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/event-stream"})
    delay: float = 0.0
    """Seconds to wait before each chunk."""
    hang_after: int | None = None
    """Stop sending after this many chunks and keep the connection open (a stalled stream),
    until :meth:`resume` sends the rest (or the server stops)."""
    _resumed: threading.Event = field(default_factory=threading.Event, repr=False, compare=False)

    def resume(self) -> None:
        """Let a reply held at ``hang_after`` send its remaining chunks."""
        self._resumed.set()


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


def sse(*events: Any, done: bool = False, crlf: bool = False) -> list[bytes]:
    """Encode events as SSE ``data:`` frames (dicts become JSON), one chunk per event."""
    newline = "\r\n" if crlf else "\n"
    frames = [
        f"data: {event if isinstance(event, str) else json.dumps(event)}{newline}{newline}"
        for event in events
    ]
    if done:
        frames.append(f"data: [DONE]{newline}{newline}")
    return [frame.encode() for frame in frames]


def bytewise(chunks: Iterable[bytes]) -> list[bytes]:
    """Split every chunk into single bytes (splits UTF-8 characters and JSON everywhere)."""
    return [bytes([b]) for chunk in chunks for b in chunk]


def json_reply(status: int, body: Any, headers: dict[str, str] | None = None) -> Reply:
    raw = body if isinstance(body, (bytes, str)) else json.dumps(body)
    data = raw.encode() if isinstance(raw, str) else raw
    content_type = "application/json" if not isinstance(body, (bytes, str)) else "text/html"
    return Reply(
        status=status, chunks=[data], headers={"Content-Type": content_type, **(headers or {})}
    )


class LoopbackServer:
    """Serve queued replies in order (then ``default``) and record every request."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self._queue: list[Reply] = []
        self.default: Callable[[RecordedRequest], Reply] | None = None
        self._lock = threading.Lock()
        self._release = threading.Event()
        self._held: list[Reply] = []
        self._http = LocalServer(self._respond)

    def _respond(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        headers = {k.lower(): v for k, v in handler.headers.items()}
        reply = self._next_reply(RecordedRequest(handler.command, handler.path, headers, body))
        try:
            send_head(handler, reply.status, reply.headers)
            handler.wfile.flush()
            for number, chunk in enumerate(reply.chunks):
                if reply.hang_after is not None and number == reply.hang_after:
                    with self._lock:
                        self._held.append(reply)
                    reply._resumed.wait(30)
                    if self._release.is_set():
                        return
                if reply.delay:
                    time.sleep(reply.delay)
                handler.wfile.write(chunk)
                handler.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return

    @property
    def base_url(self) -> str:
        return self._http.base_url

    def queue(self, *replies: Reply) -> None:
        with self._lock:
            self._queue.extend(replies)

    def _next_reply(self, request: RecordedRequest) -> Reply:
        with self._lock:
            self.requests.append(request)
            if self._queue:
                return self._queue.pop(0)
        if self.default is not None:
            return self.default(request)
        return json_reply(500, {"error": {"message": "no reply queued"}})

    def start(self) -> LoopbackServer:
        self._http.start()
        return self

    def stop(self) -> None:
        self._release.set()
        with self._lock:
            for reply in self._held:
                reply._resumed.set()
        self._http.stop()
