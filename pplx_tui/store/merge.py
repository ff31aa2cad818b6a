"""Three-way merge of a chat we are saving with the version another writer left on disk.

The *base* is what this store instance last loaded or saved for the chat. Messages are
matched by ``Message.id``:

- a message in ours or on disk but not in the base is new: kept (whoever added it);
- a message in the base but missing from one side was deleted there: dropped;
- a message on both sides: ours wins (we hold the newer edit, e.g. a finished stream).

When the disk side brought new messages, the result is ordered by ``created_at`` (stable).
Title and settings: ours, unless ours still equals the base and the disk's changed (a rename
elsewhere is kept). Without a base (a chat this instance never loaded) nothing is deleted.
"""

from __future__ import annotations

from dataclasses import dataclass

from pplx_tui.models import Chat


@dataclass(frozen=True, slots=True)
class Base:
    message_ids: frozenset[str]
    title: str
    settings: str

    @classmethod
    def of(cls, chat: Chat) -> Base:
        return cls(
            frozenset(m.id for m in chat.messages),
            chat.title,
            chat.settings.model_dump_json(),
        )


def merge_into(ours: Chat, disk: Chat | None, base: Base | None) -> None:
    """Fold ``disk`` into ``ours`` in place (see the module docstring for the rule)."""
    if disk is None:
        return
    known = base.message_ids if base else frozenset()
    disk_ids = {m.id for m in disk.messages}
    our_ids = {m.id for m in ours.messages}
    kept = [m for m in ours.messages if m.id in disk_ids or m.id not in known]
    arrived = [m for m in disk.messages if m.id not in our_ids and m.id not in known]
    if arrived:
        kept = sorted(kept + arrived, key=lambda m: m.created_at.timestamp())
    ours.messages = kept
    if base is not None:
        if ours.title == base.title and disk.title != base.title:
            ours.title = disk.title
        if ours.settings.model_dump_json() == base.settings:
            ours.settings = disk.settings
    elif not ours.title:
        ours.title = disk.title
    # .timestamp(): a hand-edited file may mix naive and aware times.
    ours.created_at = min(ours.created_at, disk.created_at, key=lambda t: t.timestamp())
    ours.updated_at = max(ours.updated_at, disk.updated_at, key=lambda t: t.timestamp())
