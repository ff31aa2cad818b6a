"""``ChatStore``: the one object the CLI and the TUI use to keep chats."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import chain
from pathlib import Path
from typing import BinaryIO

from pplx_tui.models import SCHEMA_VERSION, Chat, ChatSettings, Message, utc_now
from pplx_tui.store.chat_json import dump_pieces, parse_chat
from pplx_tui.store.errors import (
    ChatDeletedError,
    ChatNotFoundError,
    CorruptChatError,
    InvalidChatIdError,
    NewerSchemaError,
    StoreError,
)
from pplx_tui.store.export_reading import forget_run_addresses, parse_export, read_export
from pplx_tui.store.files import LIGHT_ABOVE, Stamp
from pplx_tui.store.finder import ChatFinder
from pplx_tui.store.ids import check_chat_id, is_chat_id, is_own_id, new_chat_id
from pplx_tui.store.light import read_light
from pplx_tui.store.merge import Base, base_of, merge_into, same_messages
from pplx_tui.store.set_aside import set_aside_if_corrupt, set_aside_locked
from pplx_tui.store.text import clean_title, derive_title


@dataclass(frozen=True, slots=True)
class Imported:
    """What :meth:`ChatStore.import_file` did with an export."""

    chat: Chat
    """The chat the export is now: the one added, or the saved one that holds it already."""
    already_saved: bool = False
    """Nothing was written: a saved chat holds the export's messages."""
    beside: str | None = None
    """The saved chat with the export's id but other messages (the export got a new id)."""


class ChatStore(ChatFinder):
    """Every chat, one JSON file each, under ``root`` (default: the XDG chats folder): listed
    and searched (:class:`ChatFinder`), read, merged and written.

    Nothing is created on disk until the first save. Methods that take an id accept a unique
    prefix of one too.
    """

    # -- one chat -------------------------------------------------------------------------

    def new_chat(self, settings: ChatSettings | None = None) -> Chat:
        """A chat with a fresh id; it is written by the first :meth:`save`."""
        chat = Chat(id=new_chat_id())
        if settings is not None:
            chat.settings = settings.model_copy(deep=True)
        return chat

    def load(self, chat_id: str) -> Chat:
        """Read one chat.

        Raises :class:`ChatNotFoundError`, :class:`CorruptChatError` (the file has been set
        aside) or :class:`NewerSchemaError` (a newer file this version cannot read).
        """
        chat_id = self.resolve(chat_id)
        try:
            chat, stamp = self._read_stamped(chat_id)
        except CorruptChatError:
            if corrupt := set_aside_if_corrupt(self._files, chat_id, self._notice):
                raise corrupt from None
            return self.load(chat_id)  # replaced by a good file meanwhile
        if self.is_read_only(chat):
            self._notice(str(NewerSchemaError(chat_id, chat.schema_version, readable=True)))
        chat._merge_base = Base.of(chat, stamp)
        return chat

    def save(self, chat: Chat, *, touch: bool = True, lock_wait: float | None = None) -> Chat:
        """Write ``chat`` atomically, merged with whatever another writer saved meanwhile.

        ``chat`` is updated in place to what was written (the rule is in ``store.merge``; the
        merge base travels with the ``chat`` object) and returned. ``touch`` sets
        ``updated_at`` to now. A chat from a newer pplx-tui is never overwritten:
        :class:`NewerSchemaError`. A chat whose file was deleted since this object read or
        wrote it is not written again: :class:`ChatDeletedError`. ``lock_wait``: at most this
        many seconds of waiting on another process holding the chat's lock (by default
        ``files.LOCK_TIMEOUT``), then :class:`StoreBusyError`.
        """
        chat_id = check_chat_id(chat.id)
        if self.is_read_only(chat):
            raise NewerSchemaError(chat_id, chat.schema_version, readable=True)
        self._files.ensure_root()
        base = base_of(chat)
        with self._files.lock(chat_id, timeout=lock_wait):
            self._files.remove_temporaries(chat_id)  # left by a writer killed mid-save
            if self.deleted_elsewhere(chat):
                raise ChatDeletedError(chat_id)
            if aside := self.set_aside_since(chat):
                base = None  # a restore is no deletion: fold in the copy saved there, if any
            disk = self._read_for_merge(chat_id, base)
            if aside:
                self._notice(
                    f"chat {chat_id}'s file could not be read and was set aside ({aside}); "
                    + (
                        "the copy held here was merged with the one saved in its place"
                        if disk
                        else "the copy held here was saved in its place"
                    )
                )
            if touch:
                chat.updated_at = utc_now()
            merge_into(chat, disk, base)
            if not chat.title:
                chat.title = derive_title(chat)
            stamp = self._files.write(chat_id, dump_pieces(chat))
        chat._merge_base = Base.of(chat, stamp)
        return chat

    def deleted_elsewhere(self, chat: Chat) -> bool:
        """Whether ``chat``'s file was deleted since this object read or wrote it (its next
        :meth:`save` raises :class:`ChatDeletedError`): one ``stat``. A chat never saved
        (no file yet) is not, nor one whose file was set aside (:meth:`set_aside_since`)."""
        base = base_of(chat)
        if base is None or base.stamp is None:
            return False
        chat_id = check_chat_id(chat.id)
        return not self._files.exists(chat_id) and not self._files.set_aside_since(
            chat_id, base.stamp
        )

    def set_aside_since(self, chat: Chat) -> Path | None:
        """Where ``chat``'s file went if it was set aside as unreadable (a broken hand edit)
        since this object read or wrote it. Nobody deleted the chat: its next :meth:`save`
        writes ``chat`` there (and says so), merged with no base with whatever copy another
        writer saved there meanwhile (what that copy lacks was never deleted)."""
        base = base_of(chat)
        if base is None or base.stamp is None:
            return None
        return self._files.set_aside_since(check_chat_id(chat.id), base.stamp)

    def title_elsewhere(self, chat: Chat) -> str | None:
        """The title another writer gave ``chat``'s file (``pplx chats rename``, another
        window) since this object was read or written; ``None`` if there is none to take: the
        file's is unchanged, or ``chat``'s own changed too (a save keeps ours then). Cheap when
        the file is as this object last saw it (one ``stat``); it only reads ``chat``."""
        base = base_of(chat)
        if base is None or base.stamp is None or chat.title != base.title:
            return None
        chat_id = check_chat_id(chat.id)
        if self._files.stamp(chat_id) == base.stamp:
            return None
        disk = self.chat_holding(chat_id, b'"title"')  # (a big file: its light copy)
        if disk is None or self.is_read_only(disk) or disk.title == base.title:
            return None
        return disk.title

    def take_title(self, chat: Chat, title: str) -> bool:
        """Give ``chat`` the ``title`` its file has now (:meth:`title_elsewhere`), unless its
        own changed meanwhile; ``True`` if it did. Its merge base takes the title too and
        nothing else: what else another writer saved is still merged by the next save or
        :meth:`refresh`, and a later rename elsewhere still wins over this one."""
        base = base_of(chat)
        if base is None or chat.title != base.title or title == base.title:
            return False
        chat.title = title
        chat._merge_base = replace(base, title=title)
        return True

    def refresh(self, chat: Chat) -> bool:
        """Take into ``chat`` what other writers saved since this object was last read or
        written (the same merge as :meth:`save`, nothing written); ``True`` if its messages
        changed. Cheap when the file is as this object last saw it (one ``stat``)."""
        base = base_of(chat)
        if base is None or base.stamp is None or self.is_read_only(chat):
            return False
        chat_id = check_chat_id(chat.id)
        if self._files.stamp(chat_id) == base.stamp:
            return False
        try:
            disk, stamp = self._read_stamped(chat_id)
        except (ChatNotFoundError, CorruptChatError):
            return False  # deleted, or bad: the next save writes the chat (and sets it aside)
        if self.is_read_only(disk):
            return False  # the next save says so
        before = list(chat.messages)
        merge_into(chat, disk, None if self.set_aside_since(chat) else base)
        chat._merge_base = Base.of(disk, stamp)  # what is on disk now; ours is newer
        return not same_messages(before, chat.messages)

    def append_message(self, chat: Chat, message: Message) -> Chat:
        """Add ``message`` to ``chat`` and save it."""
        chat.messages.append(message)
        return self.save(chat)

    def rename(self, chat_id: str, title: str) -> Chat:
        """Set a chat's title; an empty one goes back to the title made from the first question.

        Returns a freshly read copy: an object of the same chat held elsewhere (the app's open
        chat) keeps its own merge base, so its next save still knows what it has not seen.
        """
        chat = self.load(chat_id)
        chat.title = clean_title(title)
        return self.save(chat, touch=False)

    def delete(self, chat_id: str) -> None:
        chat_id = self.resolve(chat_id)
        with self._files.lock(chat_id, remove=True):
            try:
                os.unlink(self._files.path(chat_id))
            except FileNotFoundError:
                raise ChatNotFoundError(chat_id) from None

    def file_size(self, chat_id: str) -> int | None:
        """The size in bytes of chat ``chat_id``'s file (``None``: there is none)."""
        stamp = self._files.stamp(check_chat_id(chat_id))
        return stamp[1] if stamp is not None else None

    def resolve(self, reference: str) -> str:
        """The id of the one chat whose id is ``reference`` or starts with it."""
        typed = reference.strip()
        reference = check_chat_id(typed.lower(), typed)
        if self._files.exists(reference):
            return reference
        matches = [chat_id for chat_id in self._files.scan() if chat_id.startswith(reference)]
        if len(matches) > 1:
            raise InvalidChatIdError(
                f"{typed} is the start of {len(matches)} chat ids; give more of it"
            )
        if not matches:
            raise ChatNotFoundError(typed)  # as the user typed it (ids match in any case)
        return matches[0]

    @staticmethod
    def is_read_only(chat: Chat) -> bool:
        """True for a chat written by a newer pplx-tui: it may be shown, never saved."""
        return chat.schema_version > SCHEMA_VERSION

    # -- many chats -----------------------------------------------------------------------

    def import_file(self, path: Path) -> Imported:
        """Add the chat in a JSON export, unless a saved chat holds its messages already.

        That is the chat with the export's id, or a copy an earlier import saved under a new
        id: importing one export twice keeps one chat. An export whose id is not one pplx-tui
        makes (``../x``, ``zzzz``), or is taken by a chat with other messages (continued
        elsewhere), is added under a new id.
        Raises :class:`ImportRejectedError` for anything that is not a chat export.
        """
        return self._add_export(read_export(Path(path)))

    def import_data(self, data: bytes, name: str) -> Imported:
        """As :meth:`import_file`, for an export read already (piped in); ``name`` says where
        from in errors ("stdin")."""
        return self._add_export(parse_export(data, name))

    def _add_export(self, chat: Chat) -> Imported:
        forget_run_addresses(chat)
        if is_own_id(chat.id) and not self._files.exists(chat.id):
            return Imported(self.save(chat, touch=False))
        if (saved := self._saved_copy(chat)) is not None:
            return Imported(saved, already_saved=True)
        beside = chat.id if is_chat_id(chat.id) and self._files.exists(chat.id) else None
        chat.id = new_chat_id()
        return Imported(self.save(chat, touch=False), beside=beside)

    def chats_holding(
        self, needle: bytes, *, modified_since: float | None = None
    ) -> Iterator[Chat]:
        """Chats whose file holds ``needle`` (a JSON key such as ``b'"cost_usd"'``), any order.

        A cheap byte test runs before any parsing, and ``modified_since`` (a Unix time) skips
        files not written since then: background runs and usage totals read only the chats
        that can matter. Unreadable or corrupt files are skipped here (listing reports them).
        A file over ``LIGHT_ABOVE`` is searched a piece at a time and yielded as its light
        copy (``store.light``: long texts cut), so these are for reading, never for saving.
        """
        for chat_id, stamp in self._files.scan().items():
            if modified_since is not None and stamp[0] < modified_since * 1e9:
                continue
            if (chat := self.chat_holding(chat_id, needle)) is not None:
                yield chat

    def chat_holding(self, chat_id: str, needle: bytes) -> Chat | None:
        """Chat ``chat_id`` as :meth:`chats_holding` reads it, if its file holds ``needle``;
        ``None`` if not, or if it cannot be read (a corrupt file is left where it is)."""
        try:
            with self._files.open(chat_id) as (handle, stamp):
                if not _holds(handle, needle):
                    return None
                handle.seek(0)
                if stamp[1] > LIGHT_ABOVE:
                    return read_light(handle, chat_id)
                return parse_chat(handle.read(), chat_id)
        except (OSError, StoreError):
            return None

    # -- internals ------------------------------------------------------------------------

    def _read(self, chat_id: str) -> Chat:
        return self._read_stamped(chat_id)[0]

    def _read_stamped(self, chat_id: str) -> tuple[Chat, Stamp]:
        try:
            data, stamp = self._files.read(chat_id)
        except FileNotFoundError:
            raise ChatNotFoundError(chat_id) from None
        return parse_chat(data, chat_id), stamp

    def _saved_copy(self, chat: Chat) -> Chat | None:
        """The saved chat with exactly ``chat``'s messages: the one with its id, else one whose
        file holds its first message's id (the others are skipped by a byte test, unparsed)."""
        candidates: Iterable[str] = [chat.id] if is_chat_id(chat.id) else []
        if chat.messages:
            needle = json.dumps(chat.messages[0].id).encode()
            candidates = chain(candidates, (found.id for found in self.chats_holding(needle)))
        for chat_id in candidates:
            try:
                saved = self._read(chat_id)  # a corrupt file is left for listing to set aside
            except StoreError:
                continue
            if forget_run_addresses(saved).messages == chat.messages:
                return saved
        return None

    def _read_for_merge(self, chat_id: str, base: Base | None) -> Chat | None:
        """The version on disk (the chat's lock is held); a corrupt one is set aside.

        ``None`` when there is nothing to merge: no file, or the very file ``base`` describes.
        """
        if base is not None and base.stamp is not None and self._files.stamp(chat_id) == base.stamp:
            return None
        try:
            disk = self._read(chat_id)
        except ChatNotFoundError:
            return None
        except CorruptChatError as error:
            set_aside_locked(self._files, error, self._notice)
            return None
        if self.is_read_only(disk):
            raise NewerSchemaError(chat_id, disk.schema_version, readable=True)
        return disk


def _holds(handle: BinaryIO, needle: bytes) -> bool:
    """Whether the file holds ``needle``, read a megabyte at a time."""
    tail = b""
    while piece := handle.read(2**20):
        if needle in tail + piece[: len(needle)] or needle in piece:
            return True
        tail = piece[-len(needle) :]
    return False
