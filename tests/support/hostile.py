"""A loopback HTTP server whose replies are programs, not scripts: endless, slow or bombs.

``HostileServer(behaviour)`` answers every request by calling ``behaviour(send)`` after the
status line and headers it returns; ``send(bytes)`` writes and flushes one chunk and returns
False once the client has gone or the server stops, so an endless behaviour stops when the
client gives up; ``send.pause(seconds)`` waits, but not past the server's end. Leaving the
``with`` block ends every reply and joins its thread (a thread started while an app runs holds
that app through its ``sys.stderr`` until it ends). ``head=False`` leaves the status line and
headers to the behaviour (:func:`silence` never sends them: a server that takes the request and
never answers). The server itself is
:class:`tests.support.http_server.LocalServer`, as ``loopback.py``'s (scripted replies) is;
only the replies differ: these never end by themselves. The modes issue 13 needed are the
functions below.
"""

from __future__ import annotations

import json
import threading
import zlib
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.support.http_server import LocalServer, send_head

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
        head: bool = True,
    ) -> None:
        self.requests = 0
        self.stopped = threading.Event()
        self._handlers: list[threading.Thread] = []
        self._status = status
        self._headers = headers if headers is not None else SSE_HEADERS
        self._behaviour = behaviour
        self._head = head
        self._http = LocalServer(self._respond)

    def _respond(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        self.requests += 1
        self._handlers.append(threading.current_thread())
        if self._head:
            send_head(handler, self._status, self._headers)

        def send(data: bytes) -> bool:
            if self.stopped.is_set():
                return False
            try:
                handler.wfile.write(data)
                handler.wfile.flush()
            except OSError:
                return False
            return True

        send.pause = self.stopped.wait  # type: ignore[attr-defined]
        if send(b""):
            self._behaviour(send)

    @property
    def base_url(self) -> str:
        return self._http.base_url

    def __enter__(self) -> HostileServer:
        self._http.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self._http.stop()
        for handler in self._handlers:
            handler.join(10)


def frame(content: str, **extra: Any) -> bytes:
    """One OpenRouter-style content event."""
    choice = {"index": 0, "delta": {"role": "assistant", "content": content}}
    return f"data: {json.dumps({'choices': [choice], **extra})}\n\n".encode()


# -- behaviours -------------------------------------------------------------------------------


def silence(send: Send) -> None:
    """Nothing at all until the server stops (with ``head=False``: not even the headers)."""
    send.pause(None)  # type: ignore[attr-defined]


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
