"""A chat file's head read by pydantic: what a listing needs of a chat (title, times, each
message's role and model), for the files msgspec declines (:func:`.quick_head.read_head`).
About five times quicker to read than a :class:`~pplx_tui.models.Chat`: sources and settings
are skipped, not validated.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from pplx_tui.schema import SCHEMA_VERSION
from pplx_tui.values import Role, utc_now


class HeadMessage(BaseModel):
    model_config = ConfigDict(extra="ignore", defer_build=True)
    role: Role
    model: str | None = None
    content: str = ""


class Head(BaseModel):
    """What a listing needs of a chat file, read by pydantic (as a :class:`Chat` is)."""

    model_config = ConfigDict(extra="ignore", defer_build=True)
    id: str
    """Required, as a whole read requires it: a JSON file without one is no chat (set aside,
    not listed as an untitled chat of no messages)."""
    schema_version: int = SCHEMA_VERSION
    title: str = ""
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)
    messages: list[HeadMessage] = Field(default_factory=list)
