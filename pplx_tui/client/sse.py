"""An incremental Server-Sent Events parser that takes bytes exactly as the network gives them.

Why not ``httpx_sse.EventSource``: it insists on a ``text/event-stream`` content type (some
gateways label streams ``application/json``), decodes with the response's declared charset
(SSE is always UTF-8), and drops an event that the server ended with EOF instead of a blank
line. This parser works on bytes, splits lines on ``\\r\\n``, ``\\r`` or ``\\n`` even when the two
halves of a CRLF arrive in different reads, skips ``:`` comments, and decodes each complete
line as UTF-8 (so a character split across reads is never broken). Feeding it one byte at a
time gives the same events as feeding it everything at once.

A line (or the ``data`` of one event) longer than ``max_line`` bytes raises
:class:`~pplx_tui.client.limits.LimitExceeded`: a server that never sends a newline cannot grow
the buffer without end.
"""

from __future__ import annotations

from dataclasses import dataclass

from pplx_tui.client.limits import DEFAULT_MAX_LINE_BYTES, LimitExceeded, size_text

_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class SSEEvent:
    """One dispatched event: its ``event:`` name (``""`` when unnamed) and joined ``data:``."""

    data: str
    event: str = ""


class SSEParser:
    """Feed bytes with :meth:`feed`, call :meth:`close` at EOF; both return complete events."""

    __slots__ = ("_buffer", "_data", "_event", "_held", "_skip_lf", "_started", "max_line")

    def __init__(self, max_line: int = DEFAULT_MAX_LINE_BYTES) -> None:
        self.max_line = max_line
        self._buffer = bytearray()
        self._data: list[str] = []
        self._held = 0
        """Bytes of ``data`` lines held for the event being read."""
        self._event = ""
        self._skip_lf = False
        self._started = False

    def feed(self, chunk: bytes) -> list[SSEEvent]:
        """The events completed by ``chunk`` (possibly none)."""
        if not chunk:
            return []
        if self._skip_lf:
            self._skip_lf = False
            if chunk[:1] == b"\n":
                chunk = chunk[1:]
                if not chunk:
                    return []
        if b"\n" not in chunk and b"\r" not in chunk:
            self._buffer += chunk
            self._check(len(self._buffer))
            return []
        self._buffer += chunk
        data = bytes(self._buffer)
        if not self._started:
            self._started = True
            if data.startswith(_BOM):
                data = data[len(_BOM) :]
        if b"\r" in data:
            if data.endswith(b"\r"):
                # The LF of this CRLF may be the first byte of the next read.
                self._skip_lf = True
            data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        lines = data.split(b"\n")
        rest = lines.pop()
        self._check(len(rest))
        self._buffer = bytearray(rest)
        events: list[SSEEvent] = []
        for line in lines:
            event = self._line(line)
            if event is not None:
                events.append(event)
        return events

    def close(self) -> list[SSEEvent]:
        """Flush at EOF: a last event the server did not end with a blank line is kept."""
        events: list[SSEEvent] = []
        if self._buffer:
            data = bytes(self._buffer)
            if not self._started and data.startswith(_BOM):
                data = data[len(_BOM) :]
            self._buffer = bytearray()
            event = self._line(data)
            if event is not None:
                events.append(event)
        event = self._line(b"")
        if event is not None:
            events.append(event)
        return events

    def _line(self, raw: bytes) -> SSEEvent | None:
        if not raw:
            if not self._data:
                self._event = ""
                return None
            event = SSEEvent("\n".join(self._data), self._event)
            self._data = []
            self._held = 0
            self._event = ""
            return event
        if raw[:1] == b":":
            return None
        self._check(len(raw))
        line = raw.decode("utf-8", "replace")
        name, colon, value = line.partition(":")
        if colon and value[:1] == " ":
            value = value[1:]
        if name == "data":
            self._held += len(raw)
            self._check(self._held)
            self._data.append(value)
        elif name == "event":
            self._event = value
        # ``id`` and ``retry`` are irrelevant for one-shot answer streams; unknown fields ignored.
        return None

    def _check(self, size: int) -> None:
        if size > self.max_line:
            raise LimitExceeded(
                f"it sent a line or event over {size_text(self.max_line)} "
                "(limits.max_line_mib in config.toml)"
            )
