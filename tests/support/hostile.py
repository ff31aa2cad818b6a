"""A loopback HTTP server whose replies are programs, not scripts: endless, slow or bombs.

``HostileServer(behaviour)`` answers every request by calling ``behaviour(send)`` after the
status line and headers it returns; ``send(bytes)`` writes and flushes one chunk and returns
False once the client has gone or the server stops, so an endless behaviour stops when the
client gives up; ``send.pause(seconds)`` waits, but not past the server's end. Leaving the
``with`` block ends every reply and joins its thread (a thread started while an app runs holds
that app through its ``sys.stderr`` until it ends). Kept
apart from ``loopback.py`` (scripted replies) on purpose: these replies never end by
themselves. The modes issue 13 needed are the functions below.
"""

from __future__ import annotations

import json
import threading
import zlib
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Send = Callable[[bytes], bool]
Behaviour = Callable[[Send], None]

SSE_HEADERS = {"Content-Type": "text/event-stream"}


class HostileServer:
    """Serves ``behaviour`` with ``status`` and ``headers`` to every request."""

    def __init__(
        self,
        behaviour: Behaviour,
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.requests = 0
        self.stopped = threading.Event()
        self._handlers: list[threading.Thread] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                server.requests += 1
                server._handlers.append(threading.current_thread())
                self.send_response(status)
                for name, value in (headers if headers is not None else SSE_HEADERS).items():
                    self.send_header(name, value)
                self.send_header("Connection", "close")
                self.end_headers()

                def send(data: bytes) -> bool:
                    if server.stopped.is_set():
                        return False
                    try:
                        self.wfile.write(data)
                        self.wfile.flush()
                    except OSError:
                        return False
                    return True

                send.pause = server.stopped.wait  # type: ignore[attr-defined]
                if send(b""):
                    behaviour(send)

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

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self._server.shutdown()
        self._server.server_close()
        for handler in self._handlers:
            handler.join(10)


def frame(content: str, **extra: Any) -> bytes:
    """One OpenRouter-style content event."""
    choice = {"index": 0, "delta": {"role": "assistant", "content": content}}
    return f"data: {json.dumps({'choices': [choice], **extra})}\n\n".encode()


# -- behaviours -------------------------------------------------------------------------------


def endless_line(send: Send) -> None:
    """Some answer, then one line that never ends (no newline, ever)."""
    send(frame("The start of the answer. "))
    send(b"data: ")
    block = b"x" * 65536
    while send(block):
        pass


def endless_answer(send: Send) -> None:
    """Content events forever, as fast as the client reads them."""
    text = "Lorem ipsum dolor sit amet. " * 40
    while send(frame(text)):
        pass


def every(seconds: float, data: bytes, *, first: bytes = b"") -> Behaviour:
    """``first``, then ``data`` every ``seconds`` forever (a keep-alive or a dribble)."""

    def behaviour(send: Send) -> None:
        if first and not send(first):
            return
        while send(data):
            send.pause(seconds)  # type: ignore[attr-defined]

    return behaviour


def gzip_bomb(plain: Iterator[bytes]) -> Behaviour:
    """``plain`` gzip-compressed on the fly (tiny on the wire, huge once inflated)."""

    def behaviour(send: Send) -> None:
        deflate = zlib.compressobj(9, zlib.DEFLATED, 31)
        for block in plain:
            if not send(deflate.compress(block)):
                return
        send(deflate.flush())

    return behaviour


def zeros(total: int, *, head: bytes = b"") -> Iterator[bytes]:
    yield head
    block = b"\0" * (1 << 20)
    for _ in range(total >> 20):
        yield block


def comments(total: int, *, head: bytes = b"") -> Iterator[bytes]:
    """SSE comment lines (no events) adding up to ``total`` bytes."""
    yield head
    block = b": keep-alive\n" * 80_000
    for _ in range(total // len(block) + 1):
        yield block


def truncated_gzip(plain: bytes) -> Behaviour:
    """A gzip body cut off before its end."""

    def behaviour(send: Send) -> None:
        deflate = zlib.compressobj(9, zlib.DEFLATED, 31)
        whole = deflate.compress(plain) + deflate.flush()
        send(whole[: len(whole) // 2])

    return behaviour
