"""The saved data: chats, their messages, and each answer's sources, usage and settings.

These pydantic models are the JSON schema of a chat file (``schema_version`` at the top).
Unknown fields are ignored on read so that a file from a slightly newer minor release still
opens; a file with a higher ``schema_version`` is treated as read-only by the store.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1

Recency = Literal["hour", "day", "week", "month", "year"]
SearchMode = Literal["web", "academic", "sec"]
ContextSize = Literal["low", "medium", "high"]
Role = Literal["user", "assistant"]


def utc_now() -> datetime:
    return datetime.now(UTC)


def new_message_id() -> str:
    """A random id that names a message across saves, so concurrent writers can be merged."""
    return secrets.token_hex(8)


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", validate_assignment=False)


class Source(_Model):
    """One numbered source of an answer; ``index`` is the number its ``[n]`` markers use."""

    index: int
    url: str
    title: str = ""
    date: str | None = None
    snippet: str = ""


class Image(_Model):
    image_url: str
    origin_url: str | None = None
    title: str | None = None
    width: int | None = None
    height: int | None = None


class Usage(_Model):
    """Token counts and cost as the provider last reported them (cumulative, never summed)."""

    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    total_tokens: int | None = None
    cost_usd: float | None = None


class SearchSettings(_Model):
    """Web-search filters sent with a question (only the ones the provider understands)."""

    recency: Recency | None = None
    domains: list[str] = Field(default_factory=list)
    """Allowed domains; a leading ``-`` excludes a domain instead."""
    mode: SearchMode | None = None
    context_size: ContextSize | None = None
    after_date: str | None = None
    """``MM/DD/YYYY``; exclusive with ``recency``."""
    before_date: str | None = None
    return_images: bool = False
    return_related_questions: bool = False

    def is_default(self) -> bool:
        return self == SearchSettings()


class SamplingOptions(_Model):
    """Generation options; ``None`` means the provider's default."""

    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int | None = None
    stop: list[str] = Field(default_factory=list)
    presence_penalty: float | None = None
    frequency_penalty: float | None = None
    reasoning_effort: Literal["minimal", "low", "medium", "high"] | None = None


class MessageStatus(StrEnum):
    COMPLETE = "complete"
    INTERRUPTED = "interrupted"
    ERROR = "error"


class Message(_Model):
    id: str = Field(default_factory=new_message_id)
    """Stable identity; the store merges two writers' versions of a chat by it."""
    role: Role
    content: str = ""
    reasoning: str = ""
    sources: list[Source] = Field(default_factory=list)
    related_questions: list[str] = Field(default_factory=list)
    images: list[Image] = Field(default_factory=list)
    provider: str | None = None
    """Provider that produced an assistant message (``None`` on user messages)."""
    model: str | None = None
    """Model id that produced an assistant message."""
    search: SearchSettings | None = None
    """The search settings the question was asked with."""
    usage: Usage | None = None
    status: MessageStatus = MessageStatus.COMPLETE
    error: str | None = None
    """The one-line, user-facing error when ``status`` is ``error``."""
    created_at: datetime = Field(default_factory=utc_now)
    finished_at: datetime | None = None


class ChatSettings(_Model):
    """Per-chat settings: what the next question is sent with."""

    provider: str | None = None
    model: str | None = None
    system_prompt: str | None = None
    search: SearchSettings = Field(default_factory=SearchSettings)
    sampling: SamplingOptions = Field(default_factory=SamplingOptions)


class Chat(_Model):
    schema_version: int = SCHEMA_VERSION
    id: str
    title: str = ""
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)
    messages: list[Message] = Field(default_factory=list)
    settings: ChatSettings = Field(default_factory=ChatSettings)

    @property
    def total_cost_usd(self) -> float:
        return sum(
            m.usage.cost_usd for m in self.messages if m.usage and m.usage.cost_usd is not None
        )
