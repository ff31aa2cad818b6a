"""A chat file's head, what a listing needs of a chat, read by msgspec: what
:class:`~pplx_tui.store.heads.Head` (pydantic) reads, about twice as fast, and without
importing pydantic (the first listing of 2,000 chats reads them all). Imported only by that
listing: the app's start-up and ``pplx ask`` never load msgspec."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import msgspec

from pplx_tui.schema import SCHEMA_VERSION
from pplx_tui.values import Role, utc_now

if TYPE_CHECKING:
    from pplx_tui.store.heads import Head

Declined = msgspec.MsgspecError


class QuickMessage(msgspec.Struct):
    role: Role
    model: str | None = None


class _Head(msgspec.Struct):
    id: str  # (required, as by a whole read: a JSON file without one is no chat, set aside)
    schema_version: int = SCHEMA_VERSION
    title: str = ""
    created_at: str | None = None
    updated_at: str | None = None
    messages: list[QuickMessage] = []


@dataclass(slots=True)
class QuickHead:
    schema_version: int
    title: str
    created_at: datetime | None
    updated_at: datetime | None
    """``None`` where the file has no such time."""
    messages: list[QuickMessage]


_DECODER = msgspec.json.Decoder(_Head)
_PLAIN_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d:\d\d)?")
"""A time as pplx-tui writes it, which ``datetime.fromisoformat`` reads as pydantic does (not
so past six digits of a second: msgspec rounds them, pydantic cuts them)."""


def quick_head(data: bytes) -> QuickHead | None:
    """The head of the chat file ``data``; ``None`` where msgspec declines it, or a time is
    not written as pplx-tui writes one (:class:`~pplx_tui.store.heads.Head` reads it)."""
    try:
        head = _DECODER.decode(data)
    except Declined:
        return None
    times = (head.created_at, head.updated_at)
    if not all(time is None or _PLAIN_TIME.fullmatch(time) for time in times):
        return None
    created, updated = (None if time is None else datetime.fromisoformat(time) for time in times)
    return QuickHead(head.schema_version, head.title, created, updated, head.messages)


def read_head(data: bytes) -> QuickHead | Head:
    """The head of a chat file's bytes, read by msgspec where it can; anything it declines (or
    a chat whose title must be made from its first question) is read by pydantic's
    :class:`~pplx_tui.store.heads.Head`, which raises :class:`~pydantic.ValidationError` (a
    ``ValueError``)."""
    head = quick_head(data)
    if head is None or not head.title:
        from pplx_tui.store.heads import Head  # pydantic: only for such files

        return Head.model_validate_json(data)
    head.created_at = head.created_at or utc_now()
    head.updated_at = head.updated_at or utc_now()
    return head
