"""Retry policies for clients under test: the waits the policy asks for are not slept."""

from __future__ import annotations

from pplx_tui.client.retry import RetryPolicy

__all__ = ["NO_RETRY", "NO_WAIT", "no_sleep"]


async def no_sleep(_: float) -> None:
    """A ``sleep`` that returns at once (for :class:`RetryPolicy` and ``PollPolicy``)."""
    return None


NO_WAIT = RetryPolicy(sleep=no_sleep)
"""Retries as in production, without the waits between them."""

NO_RETRY = RetryPolicy(max_retries=0)
"""No retry at all: the first error is the answer."""
