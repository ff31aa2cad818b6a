"""The listing and search index: small, rebuildable, checked against the folder on every use.

``.index/index.json`` holds one entry per chat: the stamp ``(mtime_ns, size, inode)`` of the
file it was built from, title, times, models, message count. ``.index/<id>.txt`` holds the
chat's searchable text, case-folded, behind a header line naming the same stamp and the body
length. Each use scans the folder (``os.scandir``, no file opened) and re-reads only files
whose stamp changed, so chats added, edited or removed behind the store's back are noticed.
The index is a cache: losing it costs one rebuild. Hence ``index.json`` is written atomically
(``write_atomic``), while the text files are only renamed into place without ``fsync`` (a torn
one fails its header check and is rebuilt from the chat).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pplx_tui.atomic import write_atomic
from pplx_tui.models import SCHEMA_VERSION, Chat
from pplx_tui.store.errors import CorruptChatError, NewerSchemaError
from pplx_tui.store.files import FILE_MODE, FOLDER_MODE, ChatFiles, Stamp, parse_chat
from pplx_tui.store.text import derive_title, search_body

INDEX_VERSION = 1
Entry = dict[str, Any]
_KEYS = frozenset(
    ("stamp", "title", "created", "updated", "messages", "models", "read_only", "searchable")
)


@dataclass(frozen=True, slots=True)
class ChatSummary:
    """One line of the chat list, read from the index without opening the chat."""

    id: str
    title: str
    created_at: datetime
    updated_at: datetime
    message_count: int
    models: tuple[str, ...]
    read_only: bool = False
    """Written by a newer pplx-tui: shown, never overwritten."""

    @classmethod
    def from_entry(cls, chat_id: str, entry: Entry) -> ChatSummary:
        return cls(
            id=chat_id,
            title=entry["title"],
            created_at=datetime.fromtimestamp(entry["created"], UTC),
            updated_at=datetime.fromtimestamp(entry["updated"], UTC),
            message_count=entry["messages"],
            models=tuple(entry["models"]),
            read_only=entry["read_only"],
        )


def entry_for(chat: Chat, stamp: Stamp) -> Entry:
    models = dict.fromkeys(m.model for m in chat.messages if m.role == "assistant" and m.model)
    return {
        "stamp": list(stamp),
        "title": chat.title or derive_title(chat),
        "created": chat.created_at.timestamp(),
        "updated": chat.updated_at.timestamp(),
        "messages": len(chat.messages),
        "models": list(models),
        "read_only": chat.schema_version > SCHEMA_VERSION,
        "searchable": True,
    }


def unreadable_entry(stamp: Stamp) -> Entry:
    """A newer-format chat our model cannot read: listed, read-only, not searchable."""
    now = datetime.now(UTC).timestamp()
    return {
        "stamp": list(stamp),
        "title": "(saved by a newer pplx-tui)",
        "created": now,
        "updated": now,
        "messages": 0,
        "models": [],
        "read_only": True,
        "searchable": False,
    }


class ChatIndex:
    """Keeps ``.index/`` in step with the chat files; one instance per store."""

    def __init__(
        self,
        files: ChatFiles,
        on_corrupt: Callable[[str], None],
        notify: Callable[[str], None],
    ) -> None:
        self._files = files
        self._on_corrupt = on_corrupt
        self._notify = notify
        self._path = files.index_dir / "index.json"
        self._cache: tuple[Stamp, dict[str, Entry]] | None = None
        self._told_read_only = False

    def entries(self) -> dict[str, Entry]:
        """Fresh entries for every chat file now in the folder."""
        on_disk = self._files.scan()
        entries = self._read()
        if not _stale(entries, on_disk):
            return entries
        with contextlib.ExitStack() as stack:
            try:
                stack.enter_context(self._files.index_lock())
            except OSError as error:  # a read-only folder still lists, from memory
                self._cannot_update(error)
                return self._refresh(entries, on_disk, save=False)
            entries = self._read()  # another process may have just refreshed it
            on_disk = self._files.scan()
            if _stale(entries, on_disk):
                entries = self._refresh(entries, on_disk, save=True)
        return entries

    def body(self, chat_id: str, entry: Entry, load: Callable[[str], Chat]) -> bytes:
        """The chat's folded search text (rebuilt from the chat if the cached one is off)."""
        try:
            data = (self._files.index_dir / f"{chat_id}.txt").read_bytes()
        except FileNotFoundError:
            data = b""
        head, _, body = data.partition(b"\n")
        if head == _header(entry["stamp"], len(body)):
            return body
        chat = load(chat_id)
        body = search_body(chat)
        with contextlib.suppress(OSError):
            self._write_body(chat_id, entry["stamp"], body)
        return body

    def _refresh(
        self, entries: dict[str, Entry], on_disk: dict[str, Stamp], *, save: bool
    ) -> dict[str, Entry]:
        entries = dict(entries)
        for chat_id in set(entries) - set(on_disk):
            del entries[chat_id]
            with contextlib.suppress(OSError):
                os.unlink(self._files.index_dir / f"{chat_id}.txt")
        for chat_id, stamp in on_disk.items():
            if chat_id not in entries or entries[chat_id]["stamp"] != list(stamp):
                entry = self._build(chat_id)
                if entry is None:
                    entries.pop(chat_id, None)
                else:
                    entries[chat_id] = entry
        if save:
            try:
                self._write(entries)
            except OSError as error:
                self._cannot_update(error)
        return entries

    def _cannot_update(self, error: OSError) -> None:
        if not self._told_read_only:
            self._told_read_only = True
            self._notify(f"the chat index cannot be updated ({error.strerror})")

    def _build(self, chat_id: str) -> Entry | None:
        try:
            data, stamp = self._files.read(chat_id)
        except FileNotFoundError:
            return None
        try:
            chat = parse_chat(data, chat_id)
        except NewerSchemaError as error:
            self._notify(str(error))
            return unreadable_entry(stamp)
        except CorruptChatError:
            self._on_corrupt(chat_id)
            return None
        with contextlib.suppress(OSError):  # searching rebuilds it if it is missing
            self._write_body(chat_id, stamp, search_body(chat))
        return entry_for(chat, stamp)

    def _write_body(self, chat_id: str, stamp: list[int] | Stamp, body: bytes) -> None:
        self._files.index_dir.mkdir(mode=FOLDER_MODE, exist_ok=True)
        _replace(self._files.index_dir / f"{chat_id}.txt", _header(stamp, len(body)) + b"\n" + body)

    def _read(self) -> dict[str, Entry]:
        try:
            status = os.stat(self._path)
        except FileNotFoundError:
            return {}
        stamp = (status.st_mtime_ns, status.st_size, status.st_ino)
        if self._cache and self._cache[0] == stamp:
            return self._cache[1]
        try:
            raw = json.loads(self._path.read_bytes())
            if raw["version"] != INDEX_VERSION or raw["schema"] != SCHEMA_VERSION:
                return {}
            entries: dict[str, Entry] = raw["chats"]
            if not all(entry.keys() >= _KEYS for entry in entries.values()):
                return {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return {}  # unreadable or foreign: rebuilt
        self._cache = (stamp, entries)
        return entries

    def _write(self, entries: dict[str, Entry]) -> None:
        document = {"version": INDEX_VERSION, "schema": SCHEMA_VERSION, "chats": entries}
        self._files.index_dir.mkdir(mode=FOLDER_MODE, exist_ok=True)
        write_atomic(self._path, json.dumps(document, separators=(",", ":")).encode(), FILE_MODE)
        status = os.stat(self._path)
        self._cache = ((status.st_mtime_ns, status.st_size, status.st_ino), entries)


def summaries_of(entries: dict[str, Entry]) -> list[ChatSummary]:
    """All chats, most recently updated first."""
    order = sorted(entries, key=lambda i: (entries[i]["updated"], i), reverse=True)
    return [ChatSummary.from_entry(chat_id, entries[chat_id]) for chat_id in order]


def _stale(entries: dict[str, Entry], on_disk: dict[str, Stamp]) -> bool:
    if len(entries) != len(on_disk):
        return True
    return any(
        (entry := entries.get(chat_id)) is None or entry["stamp"] != list(stamp)
        for chat_id, stamp in on_disk.items()
    )


def _header(stamp: list[int] | Stamp, length: int) -> bytes:
    return " ".join(str(part) for part in (*stamp, length)).encode()


def _replace(path: Path, data: bytes) -> None:
    """Rename a complete file into place (atomic, not durable: it is a cache)."""
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
