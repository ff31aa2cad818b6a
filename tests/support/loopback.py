"""A real HTTP server on 127.0.0.1 that replays scripted SSE replies and records requests.

Replies are close-delimited (no Content-Length), as streaming servers send them, and each
chunk is written and flushed separately so a test controls how the bytes are split.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


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
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = RecordedRequest(
                    self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body
                )
                reply = server._next_reply(request)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self.wfile.flush()
                    for number, chunk in enumerate(reply.chunks):
                        if reply.hang_after is not None and number == reply.hang_after:
                            with server._lock:
                                server._held.append(reply)
                            reply._resumed.wait(30)
                            if server._release.is_set():
                                return
                        if reply.delay:
                            time.sleep(reply.delay)
                        self.wfile.write(chunk)
                        self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    return

            do_GET = _handle
            do_POST = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

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
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()
        with self._lock:
            for reply in self._held:
                reply._resumed.set()
        self._server.shutdown()
        self._server.server_close()
