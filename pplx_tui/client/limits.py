"""What one answer may cost, whatever the server sends: bytes, characters and time.

Every limit ends the answer with one clear sentence and keeps what arrived (saved as
interrupted). The defaults are generous (a deep-research report is ~100 KB) and each can be
changed in config.toml's ``[limits]`` table (``pplx ask`` also takes ``--idle-timeout`` and
``--deadline``):

``max_line_mib`` (16)
    one SSE line or event, in MiB (a server that never sends a newline is cut off here).
``max_reply_mib`` (512)
    the bytes of one reply after decompression, in MiB (a gzip bomb stops here: it is
    decompressed 64 KiB at a time, never all at once).
``max_answer_chars`` (2,000,000)
    the answer plus its reasoning (an endless stream stops here).
``idle_timeout`` (900 s)
    seconds without a new event with content; keep-alive comments and stray bytes do not count
    (they only keep the connection from being called dead).
``long_idle_timeout`` (3600 s)
    the same for deep research and the Agent API's high/xhigh presets, whose streams can carry
    nothing but keep-alives for many minutes while they research.
``deadline`` (600 s)
    seconds for a whole answer, from the request to the last event.
``long_deadline`` (0: none)
    the same for deep research and the Agent API's high/xhigh presets, which can research for
    many minutes (0 = no deadline; the idle timeout still applies).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass

MIB = 1024 * 1024
DEFAULT_MAX_LINE_BYTES = 16 * MIB
DEFAULT_MAX_BODY_BYTES = 512 * MIB
DEFAULT_MAX_ANSWER_CHARS = 2_000_000
DEFAULT_IDLE_TIMEOUT = 900.0
DEFAULT_LONG_IDLE_TIMEOUT = 3600.0
DEFAULT_DEADLINE = 600.0
LONG_RUNNING_PRESETS = frozenset({"high", "xhigh"})
"""Agent API presets that research for minutes (``xhigh`` is deep research)."""
PIECE = 64 * 1024
"""At most this many decompressed bytes at a time."""


def is_long_running(model: str) -> bool:
    """Deep research (any provider's id) and the long Agent API presets: no default deadline."""
    return "deep-research" in model.lower() or model in LONG_RUNNING_PRESETS


@dataclass(frozen=True, slots=True)
class StreamLimits:
    """The limits one client applies to every answer (``None``: no limit of that kind)."""

    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    max_answer_chars: int = DEFAULT_MAX_ANSWER_CHARS
    idle_timeout: float | None = DEFAULT_IDLE_TIMEOUT
    long_idle_timeout: float | None = DEFAULT_LONG_IDLE_TIMEOUT
    deadline: float | None = DEFAULT_DEADLINE
    long_deadline: float | None = None
    """The deadline of deep research and the long presets (:func:`is_long_running`)."""
    flags: bool = False
    """The front end takes ``--idle-timeout`` and ``--deadline`` (``pplx ask``): a message
    naming a limit names them beside config.toml's key (the app has no such options)."""

    def deadline_for(self, model: str) -> float | None:
        return self.long_deadline if is_long_running(model) else self.deadline

    def idle_for(self, model: str) -> float | None:
        return self.long_idle_timeout if is_long_running(model) else self.idle_timeout

    def names_for(self, model: str) -> tuple[str, str]:
        """Where this answer's idle timeout and deadline are set, as a message names them."""
        long = "long_" if is_long_running(model) else ""
        idle, deadline = f"limits.{long}idle_timeout", f"limits.{long}deadline"
        if self.flags:
            return f"--idle-timeout or {idle}", f"--deadline or {deadline}"
        return f"{idle} in config.toml", f"{deadline} in config.toml"

    @property
    def longest_idle(self) -> float | None:
        """The longest idle timeout (``None``: one of them is unlimited)."""
        if self.idle_timeout is None or self.long_idle_timeout is None:
            return None
        return max(self.idle_timeout, self.long_idle_timeout)


class LimitExceeded(Exception):
    """A limit was reached; ``str()`` names it, the number and where to change it."""


class BodyError(Exception):
    """A compressed reply that cannot be decompressed; ``truncated`` when it was cut short."""

    def __init__(self, truncated: bool) -> None:
        super().__init__("truncated" if truncated else "corrupt")
        self.truncated = truncated


def size_text(count: int) -> str:
    return f"{count // MIB} MiB" if count % MIB == 0 else f"{count:,} bytes"


class BodyDecoder:
    """Raw response bytes in, decoded bytes out, bounded (``Content-Encoding`` gzip/deflate).

    Raises :class:`LimitExceeded` past ``limit`` decoded bytes and :class:`BodyError` for a
    corrupt or (at :meth:`close`) truncated compressed body.
    """

    def __init__(self, content_encoding: str, limit: int) -> None:
        codings = [c.strip() for c in content_encoding.lower().split(",")]
        codings = [c for c in codings if c not in ("", "identity")]
        self.limit = limit
        self.total = 0
        self.coding = codings[0] if codings else None
        if len(codings) > 1 or self.coding not in (None, "gzip", "x-gzip", "deflate"):
            raise UnsupportedEncoding(content_encoding.strip())
        # 47: gzip or zlib header, detected; a raw deflate stream is tried on the first error.
        self._inflate = zlib.decompressobj(47) if self.coding else None
        self._started = False

    def feed(self, raw: bytes) -> Iterator[bytes]:
        if self._inflate is None:
            yield self._count(raw)
            return
        data = raw
        while data:
            try:
                piece = self._inflate.decompress(data, PIECE)
            except zlib.error:
                if self._started or self.coding != "deflate":
                    raise BodyError(truncated=False) from None
                self._inflate = zlib.decompressobj(-15)
                piece = self._inflate.decompress(data, PIECE)
            self._started = True
            data = self._inflate.unconsumed_tail
            if piece:
                yield self._count(piece)

    def close(self) -> None:
        """At the end of the body: a compressed one must be complete."""
        if self._inflate is not None and self._started and not self._inflate.eof:
            raise BodyError(truncated=True)

    def _count(self, piece: bytes) -> bytes:
        self.total += len(piece)
        if self.total > self.limit:
            raise LimitExceeded(
                f"the reply passed {size_text(self.limit)} (limits.max_reply_mib in config.toml)"
            )
        return piece


class UnsupportedEncoding(Exception):
    """A ``Content-Encoding`` other than gzip or deflate (we ask for identity)."""
