"""An incremental Server-Sent Events parser that takes bytes exactly as the network gives them.

Why not ``httpx_sse.EventSource``: it insists on a ``text/event-stream`` content type (some
gateways label streams ``application/json``), decodes with the response's declared charset
(SSE is always UTF-8), and drops an event that the server ended with EOF instead of a blank
line. This parser works on bytes, splits lines on ``\\r\\n``, ``\\r`` or ``\\n`` even when the two
halves of a CRLF arrive in different reads, skips ``:`` comments, and decodes each complete
line as UTF-8 (so a character split across reads is never broken). Feeding it one byte at a
time gives the same events as feeding it everything at once.
"""

from __future__ import annotations

from dataclasses import dataclass

_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class SSEEvent:
    """One dispatched event: its ``event:`` name (``""`` when unnamed) and joined ``data:``."""

    data: str
    event: str = ""


class SSEParser:
    """Feed bytes with :meth:`feed`, call :meth:`close` at EOF; both return complete events."""

    __slots__ = ("_buffer", "_data", "_event", "_skip_lf", "_started")

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._data: list[str] = []
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
            self._event = ""
            return event
        if raw[:1] == b":":
            return None
        line = raw.decode("utf-8", "replace")
        name, colon, value = line.partition(":")
        if colon and value[:1] == " ":
            value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        # ``id`` and ``retry`` are irrelevant for one-shot answer streams; unknown fields ignored.
        return None
