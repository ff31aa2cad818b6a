"""msgspec's reading of a chat file's head: what :class:`~pplx_tui.store.index_rows.Head`
reads, about twice as fast (the first listing of 2,000 chats reads them all). Imported only by
that listing: the app's start-up and ``pplx ask`` never load msgspec."""

from __future__ import annotations

from datetime import datetime

import msgspec

from pplx_tui.models import SCHEMA_VERSION, Role

Declined = msgspec.MsgspecError


class QuickMessage(msgspec.Struct):
    role: Role
    model: str | None = None


class QuickHead(msgspec.Struct):
    schema_version: int = SCHEMA_VERSION
    title: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    messages: list[QuickMessage] = []


DECODER = msgspec.json.Decoder(QuickHead)
