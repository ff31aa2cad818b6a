"""Setting a bad chat file aside: a file that does not parse or validate is moved to
``.corrupt/`` with a notice, but only if it is still bad under the chat's lock (another writer
may have replaced it meanwhile)."""

from __future__ import annotations

from collections.abc import Callable

from pplx_tui.store.chat_json import parse_chat
from pplx_tui.store.errors import CorruptChatError, LinkRefusedError, StoreError
from pplx_tui.store.files import ChatFiles


def set_aside_if_corrupt(
    files: ChatFiles, chat_id: str, notice: Callable[[str], None]
) -> CorruptChatError | None:
    """Move the chat's file to ``.corrupt/`` if, under its lock, it is still bad; what was
    wrong with it (``None``: nothing now)."""
    try:
        with files.lock(chat_id):
            return set_aside_locked(files, problem(files, chat_id), notice)
    except (OSError, LinkRefusedError) as error:  # cannot lock or move (a read-only folder, a
        # linked .corrupt/ or .locks/): report it, and why it stays where it is
        if found := problem(files, chat_id):
            why = error.strerror if isinstance(error, OSError) else str(error)
            notice(f"{found}; it could not be moved to {files.corrupt_dir} ({why or error})")
        return found


def problem(files: ChatFiles, chat_id: str) -> CorruptChatError | None:
    """What is wrong with the chat's file as it is now (``None``: nothing, or no file)."""
    try:
        data, _ = files.read(chat_id)
        parse_chat(data, chat_id)
    except CorruptChatError as error:
        return error
    except (StoreError, FileNotFoundError):
        pass
    return None


def set_aside_locked(
    files: ChatFiles, found: CorruptChatError | None, notice: Callable[[str], None]
) -> CorruptChatError | None:
    """Move the file ``found`` is about aside (the chat's lock held) and say so."""
    if found is None:
        return None
    moved = files.set_aside(found.chat_id)
    corrupt = CorruptChatError(found.chat_id, found.reason, moved)
    notice(str(corrupt))
    return corrupt
