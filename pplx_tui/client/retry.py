"""When and how long to wait before asking again.

Retries happen only before the first byte of an answer (a half-streamed answer is never
repeated): on connection errors, 408, 409, 429 and 5xx; never after the idle timeout or the
deadline (a server silent before its headers is waited on once), nor past the deadline.
Like the official SDKs: at most two retries, exponential backoff from 0.5 s to 8 s with
jitter, and a server's ``Retry-After`` (seconds or an HTTP date) honoured up to a cap so a
question never hangs for minutes.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pplx_tui.client.errors import ClientError

RETRY_STATUSES = frozenset({408, 409, 429})


def is_retryable_status(status: int) -> bool:
    return status in RETRY_STATUSES or status >= 500


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


@dataclass(frozen=True)
class RetryPolicy:
    """How many retries and how long between them; ``sleep`` is injectable for tests."""

    max_retries: int = 2
    base_delay: float = 0.5
    max_delay: float = 8.0
    retry_after_cap: float = 20.0
    """Never wait longer than this for one ``Retry-After``."""
    jitter: bool = True
    sleep: Callable[[float], Awaitable[None]] = field(default=asyncio.sleep, compare=False)

    def delay(self, attempt: int, retry_after: str | None = None) -> float:
        """Seconds to wait before retry number ``attempt`` (0 for the first retry)."""
        hinted = parse_retry_after(retry_after)
        if hinted is not None:
            return min(hinted, self.retry_after_cap)
        backoff = min(self.max_delay, self.base_delay * 2.0**attempt)
        if self.jitter:
            backoff *= 1 - 0.25 * random.random()
        return max(0.0, backoff)

    async def backoff(self, error: ClientError, attempt: int) -> None:
        """Wait before retry number ``attempt`` after ``error``; raise it if none is left."""
        await self.sleep(self.pause(error, attempt))

    def pause(self, error: ClientError, attempt: int) -> float:
        """Seconds to wait before retry number ``attempt`` after ``error``; raise it if none
        is left.

        The one retry decision of the client: only a retryable error, at most
        ``max_retries`` times, after the server's ``Retry-After`` when it gave one.
        """
        if not error.retryable or attempt >= self.max_retries:
            raise error
        return self.delay(attempt, error.retry_after)


def retry_reason(error: ClientError) -> str:
    """A few words on why a request is sent again: ``rate limited (429)``."""
    status = error.status
    if status == 429:
        return "rate limited (429)"
    if status is not None and status >= 500:
        return f"server error ({status})"
    if status is not None:
        return f"the server answered {status}"
    return "the connection failed"
