"""What a stream yields: plain, immutable data, the same for every provider and dialect.

Errors are not events: they are raised as :class:`pplx_tui.client.errors.ClientError`
subclasses, so ``async for event in client.stream(request)`` ends on a failure and the caller
keeps everything it had received (a broken stream keeps its partial answer).
"""

from __future__ import annotations

from dataclasses import dataclass

from pplx_tui.values import Image, Source, Usage


@dataclass(frozen=True, slots=True)
class TextDelta:
    """A piece of the answer (never reasoning)."""

    text: str


@dataclass(frozen=True, slots=True)
class ReasoningDelta:
    """A piece of the model's reasoning (``<think>`` part or ``delta.reasoning``)."""

    text: str


@dataclass(frozen=True, slots=True)
class SourcesUpdate:
    """The full, current source list; replaces any earlier one. Numbered like the markers."""

    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class ImagesUpdate:
    images: tuple[Image, ...]


@dataclass(frozen=True, slots=True)
class RelatedQuestions:
    questions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SearchProgress:
    """The model is searching: a thought ("Searching the web…"), its queries, results so far."""

    thought: str | None = None
    queries: tuple[str, ...] = ()
    result_count: int | None = None


@dataclass(frozen=True, slots=True)
class UsageUpdate:
    """Cumulative usage as last reported; replaces any earlier one."""

    usage: Usage


@dataclass(frozen=True, slots=True)
class SearchNotSent:
    """Search settings the provider or model cannot honour, so the request left them out:
    ``(option, reason)`` pairs (:mod:`pplx_tui.search_support`). The first event of a stream,
    and only when there are any."""

    options: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class KeepAlive:
    """The server is still there: a keep-alive comment, or bytes that made no event yet.

    Not content: it never counts as progress toward the idle timeout, and it holds nothing to
    keep. A front end may say "the server is still working". Yielded at most once a second.
    """


@dataclass(frozen=True, slots=True)
class Retrying:
    """The request failed before any of the answer arrived and is sent again in ``delay``
    seconds; ``reason`` says why (``rate limited (429)``, ``server error (503)``). Not content:
    a front end says a retry is coming instead of "waiting for the server"."""

    reason: str
    delay: float


@dataclass(frozen=True, slots=True)
class Done:
    """The stream finished normally."""

    finish_reason: str | None = None


StreamEvent = (
    TextDelta
    | ReasoningDelta
    | SourcesUpdate
    | ImagesUpdate
    | RelatedQuestions
    | SearchProgress
    | UsageUpdate
    | SearchNotSent
    | KeepAlive
    | Retrying
    | Done
)
