"""A rescue copy: a chat that could not be saved in the chats folder, written elsewhere.

When the app ends with a chat the chats folder still refuses (read-only, disk full, its lock
held by another process), the chat's file is written where nothing depends on that folder:
the state folder's ``rescued/``, else ``pplx-rescued-<uid>/`` in the system's temporary folder.
Folders are 0700, the file 0600 and written atomically; it is the chat file as saved (no key,
as in every chat file), so ``pplx chats import FILE`` adds it back.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from pplx_tui import paths
from pplx_tui.atomic import make_owner_only_folders, write_atomic
from pplx_tui.models import Chat
from pplx_tui.store.chat_json import dump_chat
from pplx_tui.store.ids import check_chat_id

__all__ = ["RESCUE_FOLDER", "rescue"]

RESCUE_FOLDER = "rescued"


def rescue(chat: Chat) -> Path:
    """Write ``chat``'s file outside the chats folder and return where; ``OSError`` if no
    folder would take it."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    name = f"{check_chat_id(chat.id)}.{stamp}.json"
    data = dump_chat(chat)
    failure: OSError | None = None
    for folder in _folders():
        try:
            make_owner_only_folders(folder)
            _check_own(folder)
            write_atomic(folder / name, data)
        except OSError as error:
            failure = error
            continue
        return folder / name
    assert failure is not None
    raise failure


def _folders() -> Iterator[Path]:
    yield paths.state_dir() / RESCUE_FOLDER
    yield Path(tempfile.gettempdir()) / f"pplx-rescued-{os.getuid()}"


def _check_own(folder: Path) -> None:
    """Refuse a folder that is a link, or not the user's own and owner-only (the temporary
    folder is shared: another user could have made it first)."""
    status = os.lstat(folder)
    if not stat.S_ISDIR(status.st_mode) or status.st_uid != os.getuid() or status.st_mode & 0o077:
        raise PermissionError(13, "not an owner-only folder of this user", str(folder))
