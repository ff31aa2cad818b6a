"""A chat file's head: what a listing needs of it (title, times, each message's role and
model), for the first listing of many chats, which reads every file. About five times quicker
to read than a :class:`~pplx_tui.models.Chat`: sources and settings are skipped, not
validated. msgspec reads it where it can (:mod:`.quick_head`), pydantic otherwise.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from pplx_tui.values import SCHEMA_VERSION, Role, utc_now

if TYPE_CHECKING:
    from pplx_tui.store.quick_head import QuickHead


class HeadMessage(BaseModel):
    model_config = ConfigDict(extra="ignore", defer_build=True)
    role: Role
    model: str | None = None
    content: str = ""


class Head(BaseModel):
    """What a listing needs of a chat file, read by pydantic (as a :class:`Chat` is)."""

    model_config = ConfigDict(extra="ignore", defer_build=True)
    schema_version: int = SCHEMA_VERSION
    title: str = ""
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)
    messages: list[HeadMessage] = Field(default_factory=list)


def read_head(data: bytes) -> Head | QuickHead:
    """The :class:`Head` of a chat file's bytes, read by msgspec (:mod:`.quick_head`) where it
    can; anything it declines (or a chat whose title must be made from its first question) is
    read by :class:`Head` itself, which raises :class:`~pydantic.ValidationError`."""
    from pplx_tui.store.quick_head import quick_head

    head = quick_head(data)
    if head is None or not head.title:
        return Head.model_validate_json(data)
    head.created_at = head.created_at or utc_now()
    head.updated_at = head.updated_at or utc_now()
    return head
