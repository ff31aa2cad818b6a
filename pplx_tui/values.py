"""The small values of an answer and of a question's settings, as plain dataclasses.

Sources, images, usage, search settings and sampling options are made while an answer streams
and read by ``pplx ask``, which must start fast: these classes import no pydantic (its import
and model building were most of a short ``pplx ask``). The chat file's pydantic models
(:mod:`pplx_tui.models`) hold them as fields and validate and serialise them as before: same
JSON, same errors, unknown keys ignored. :mod:`pplx_tui.models` re-exports every name here.

They keep the two pydantic methods the rest of the code calls on them, ``model_copy`` and
``model_dump``, with the same meaning.
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Literal, Self

Recency = Literal["hour", "day", "week", "month", "year"]
SearchMode = Literal["web", "academic", "sec"]
ContextSize = Literal["low", "medium", "high"]
Role = Literal["user", "assistant"]
ErrorKind = Literal["auth", "limit", "server"]


MAX_COST_USD = 1_000_000.0
"""No answer costs this much (USD) or more: such a cost (a hostile server, a hand-edited file) is
taken as not reported. Two near the largest float added up to infinity, which no JSON holds."""

RUN_UNFINISHED = frozenset({"queued", "in_progress", "cancelling"})
"""Statuses of a background run the provider is still working on."""


def utc_now() -> datetime:
    return datetime.now(UTC)


def in_utc(moment: datetime) -> datetime:
    """``moment`` in UTC; one saved without its offset (a hand-edited file) is local time, as
    ``datetime.timestamp`` reads it (aware and naive times cannot be compared). One that UTC
    would put before year 1 or after 9999 keeps its clock time, read as UTC (hours off, not a
    chat no command could read)."""
    try:
        return moment.astimezone(UTC)
    except (OverflowError, OSError, ValueError):
        return moment.replace(tzinfo=UTC)


def local_time(moment: datetime) -> datetime:
    """``moment`` in local time; in UTC when local time would put it before year 1 or after
    9999 (a hand-edited file: such a time stopped every listing of the chats)."""
    try:
        return moment.astimezone()
    except (OverflowError, OSError, ValueError):
        return in_utc(moment)


class MessageStatus(StrEnum):
    COMPLETE = "complete"
    INTERRUPTED = "interrupted"
    ERROR = "error"


class _Value:
    """pydantic's ``model_copy``/``model_dump`` for a dataclass; unknown keys in a file are
    ignored (``__pydantic_config__`` is read when a pydantic model holds one)."""

    __slots__ = ()
    __pydantic_config__: Any = {"extra": "ignore"}

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        """The class's pydantic schema, made once: pydantic keeps a model's schema but would
        make a plain dataclass's again for every model that holds it (Settings, ChatSettings,
        Message, Chat...: +12 ms to the app's start). Its own config makes it the same in
        every model."""
        schema = cls.__dict__.get("_pydantic_schema")
        if schema is None:
            schema = handler(source)
            if schema.get("type") == "dataclass":  # not a reference into one model's schema
                cls._pydantic_schema = schema
        return schema

    def model_copy(self, *, update: dict[str, Any] | None = None, deep: bool = False) -> Self:
        copied = copy.deepcopy(self) if deep else copy.copy(self)
        for name, value in (update or {}).items():
            setattr(copied, name, value)
        return copied

    def model_dump(self, *, mode: str = "python") -> dict[str, Any]:
        """The fields as a dict (every field here is already JSON data: ``mode`` is moot)."""
        return asdict(self)  # type: ignore[call-overload]


@dataclass(slots=True)
class Source(_Value):
    """One numbered source of an answer; ``index`` is the number its ``[n]`` markers use."""

    index: int
    url: str
    title: str = ""
    date: str | None = None
    snippet: str = ""


@dataclass(slots=True)
class Image(_Value):
    image_url: str
    origin_url: str | None = None
    title: str | None = None
    width: int | None = None
    height: int | None = None


@dataclass(slots=True)
class Usage(_Value):
    """Token counts and cost as the provider last reported them (cumulative, never summed)."""

    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    total_tokens: int | None = None
    cost_usd: float | None = None


@dataclass(slots=True)
class SearchSettings(_Value):
    """Web-search filters sent with a question (only the ones the provider understands)."""

    recency: Recency | None = None
    domains: list[str] = field(default_factory=list)
    """Allowed domains; a leading ``-`` excludes a domain instead."""
    mode: SearchMode | None = None
    context_size: ContextSize | None = None
    after_date: str | None = None
    """``MM/DD/YYYY``; exclusive with ``recency``."""
    before_date: str | None = None
    return_images: bool = False
    return_related_questions: bool = False
    disable_search: bool = False
    """Answer without searching the web (the other filters then do not apply)."""


MAX_TOKENS = 1_000_000
"""More answer than any model writes: a larger ``max_tokens`` is a typo, not a wish."""
MAX_STOPS = 4
"""Stop sequences OpenAI-compatible APIs take at most (OpenAI, Groq, Mistral: 4)."""


@dataclass(slots=True)
class SamplingOptions(_Value):
    """Generation options; ``None`` means the provider's default."""

    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int | None = None
    stop: list[str] = field(default_factory=list)
    presence_penalty: float | None = None
    frequency_penalty: float | None = None
    reasoning_effort: Literal["minimal", "low", "medium", "high"] | None = None


@dataclass(slots=True)
class ChatDefaults:
    """What a new chat is asked with (config.toml's and the command line's), until the chat
    itself is made: plain, so that the app's first frame needs no chat models."""

    system_prompt: str | None = None
    search: SearchSettings = field(default_factory=SearchSettings)
    sampling: SamplingOptions = field(default_factory=SamplingOptions)
