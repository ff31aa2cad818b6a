"""Three-way merge of a chat we are saving with the version another writer left on disk.

The *base* is what the store last read or wrote for this very ``Chat`` object (kept on the
object, so loading or renaming the same chat elsewhere never moves another object's base).
Messages are matched by ``Message.id``:

- a message in ours or on disk but not in the base is new: kept (whoever added it);
- a message in the base but missing from one side was deleted there: dropped;
- a message on both sides: ours, unless ours is unchanged since the base and the disk's
  changed (another writer finished or edited it; e.g. a background run filled in).
  An answer still waiting on its background run never undoes one another writer finished
  (``pplx runs wait`` filled it in while the app, holding the chat, noted the run's progress).

Order: the messages already on disk keep their order. Our new messages go in as runs, each
right after the message that precedes it in ours, after any messages the other writer added
at that same place (they were saved first). So an exchange (a question and its answer) stays
together and in order whatever the messages' ``created_at`` say, and nothing already in order
moves. When the disk is exactly the base (no other writer), the result is ours as it is.
Messages are kept whole, with fields this version does not know about.

Title, settings and each fork's entry in ``Chat.chosen``: ours, unless ours still equals the
base and the disk's changed (a rename elsewhere is kept); ``chosen`` entries naming a message
that is gone are dropped. Without a base (an object this store never read or wrote, or one
whose file was set aside as unreadable since: a copy another writer saved in its place is a
restore, not a deletion) nothing is deleted and our ``chosen`` entries win.
"""

from __future__ import annotations

from dataclasses import dataclass

from pplx_tui.models import ROOT, Chat, Message

Stamp = tuple[int, int, int]


def fingerprint(message: Message) -> int:
    """Equal for equal messages within this process (unknown fields included)."""
    return hash(message.model_dump_json())


@dataclass(frozen=True, slots=True)
class Base:
    order: tuple[str, ...]
    fingerprints: dict[str, int]
    title: str
    settings: str
    chosen: dict[str, str]
    stamp: Stamp | None = None
    """The file's stamp when this base was read or written: an unchanged stamp means the
    disk still holds exactly the base."""

    @classmethod
    def of(cls, chat: Chat, stamp: Stamp | None = None) -> Base:
        return cls(
            tuple(m.id for m in chat.messages),
            {m.id: fingerprint(m) for m in chat.messages},
            chat.title,
            chat.settings.model_dump_json(),
            dict(chat.chosen),
            stamp,
        )


def base_of(chat: Chat) -> Base | None:
    base = chat._merge_base
    return base if isinstance(base, Base) else None


def same_messages(before: list[Message], after: list[Message]) -> bool:
    """Whether a merge left the messages as they were (the very same objects, in order)."""
    return len(before) == len(after) and all(a is b for a, b in zip(before, after, strict=True))


def merge_into(ours: Chat, disk: Chat | None, base: Base | None) -> None:
    """Fold ``disk`` into ``ours`` in place (see the module docstring for the rule)."""
    if disk is None:
        return
    ours.messages = _messages(ours.messages, disk.messages, base)
    ours.chosen = _chosen(ours, disk, base)
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


def _messages(ours: list[Message], disk: list[Message], base: Base | None) -> list[Message]:
    known = base.fingerprints if base else {}
    if base is not None and _unchanged(disk, base):
        return ours
    mine = {m.id: m for m in ours}
    # The disk's order, without what we deleted, with our version of what both hold.
    merged: list[tuple[Message, bool]] = []  # (message, added by the other writer)
    for theirs in disk:
        our_version = mine.get(theirs.id)
        if our_version is not None:
            merged.append((_pick(our_version, theirs, known.get(theirs.id)), False))
        elif theirs.id not in known:
            merged.append((theirs, True))
    on_disk = {m.id for m in disk}
    # Our new messages, in runs keyed by the message (on disk) they follow in ours.
    runs: dict[str | None, list[Message]] = {}
    anchor: str | None = None
    for message in ours:
        if message.id in on_disk:
            anchor = message.id
        elif message.id not in known:
            runs.setdefault(anchor, []).append(message)
    result: list[Message] = []
    pending = runs.get(None)
    for message, arrived in merged:
        if pending and not arrived:
            result += pending
            pending = None
        result.append(message)
        if message.id in runs:
            if pending:
                result += pending
            pending = runs[message.id]
    if pending:
        result += pending
    return result


def _chosen(ours: Chat, disk: Chat, base: Base | None) -> dict[str, str]:
    if base is None:
        chosen = {**disk.chosen, **ours.chosen}
    else:
        chosen = dict(ours.chosen)
        for fork in set(disk.chosen) | set(base.chosen):
            was = base.chosen.get(fork)
            if ours.chosen.get(fork) == was and disk.chosen.get(fork) != was:
                if fork in disk.chosen:
                    chosen[fork] = disk.chosen[fork]
                else:
                    chosen.pop(fork, None)
    ids = {m.id for m in ours.messages}
    return {k: v for k, v in chosen.items() if v in ids and (k == ROOT or k in ids)}


def _unchanged(disk: list[Message], base: Base) -> bool:
    if tuple(m.id for m in disk) != base.order:
        return False
    return all(fingerprint(m) == base.fingerprints[m.id] for m in disk)


def _pick(ours: Message, theirs: Message, base: int | None) -> Message:
    if ours.running and theirs.run is not None and not theirs.running:
        return theirs
    if base is None or fingerprint(ours) != base:
        return ours
    return theirs if fingerprint(theirs) != base else ours
