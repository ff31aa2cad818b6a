"""The one real HTTP server under the test servers: 127.0.0.1, a free port, its own thread.

``loopback.py`` (scripted replies) and ``hostile.py`` (replies that are programs and never end
by themselves) differ only in what a request gets back; what they share lives here: HTTP/1.0
close-delimited replies, as streaming servers send them, no request log, the request's body
read before the reply, a daemon thread per request, and a clean end.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Respond = Callable[[BaseHTTPRequestHandler, bytes], None]
"""Answers one request: its handler (to write the reply) and the request's body."""


class LocalServer:
    """Calls ``respond`` for every GET and POST, each in its own thread."""

    def __init__(self, respond: Respond) -> None:
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                respond(self, self.rfile.read(length) if length else b"")

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

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Stop accepting requests and close the listening socket (replies still being written
        end on their own; their owners tell them to).

        The serving loop sees the stop when its wait for a connection ends: a connection made
        (and closed, no request) ends it at once, not after up to a poll interval (50 ms; ~25
        ms a test using a server)."""
        stopping = threading.Thread(target=self._server.shutdown, daemon=True)
        stopping.start()
        with contextlib.suppress(OSError):
            socket.create_connection(self._server.server_address[:2], timeout=1).close()
        stopping.join()
        self._server.server_close()


def send_head(handler: BaseHTTPRequestHandler, status: int, headers: Mapping[str, str]) -> None:
    """The status line and ``headers``; the reply ends when the connection closes."""
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.send_header("Connection", "close")
    handler.end_headers()
