"""The chat list's unread marks, kept across starts: a chat whose answer ended while another
chat was open ("new answer", "answer failed", "run lost", …) stays marked until it is opened,
also after the app was closed (a researcher who quit still finds which research is unread).

They live in ``unread.json`` in the state folder (beside the log), owner-only, written
atomically, as ``{chat id: mark}``. Each change reads the file again and changes only its own
chat, so two windows do not undo each other's marks. A file that cannot be read (missing,
damaged, hand-edited) is no marks; one that cannot be written is logged, never in the way.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

from pplx_tui import paths
from pplx_tui.atomic import write_atomic
from pplx_tui.sanitize import clean_line
from pplx_tui.store.ids import is_chat_id

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["read_marks", "set_mark"]

logger = logging.getLogger("pplx_tui.ui")

MARK_LENGTH = 40
"""Characters a mark keeps (a hand-edited file's text is shown in a row of the list)."""


def _file() -> Path:
    return paths.state_dir() / "unread.json"


def read_marks() -> dict[str, str]:
    """The marks saved: chat id → mark (none when there is no file, or it is not readable)."""
    try:
        data = json.loads(_file().read_bytes())
    except (OSError, ValueError, RecursionError):  # (RecursionError: nested too deeply)
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        chat_id: clean_line(mark)[:MARK_LENGTH]
        for chat_id, mark in data.items()
        if isinstance(chat_id, str) and is_chat_id(chat_id) and isinstance(mark, str) and mark
    }


def set_mark(chat_id: str, mark: str | None) -> None:
    """Save ``mark`` for ``chat_id`` (``None``: the chat was read, its mark goes)."""
    marks = read_marks()
    if marks.get(chat_id) == mark:
        return
    if mark is None:
        del marks[chat_id]
    else:
        marks[chat_id] = mark
    try:
        write_atomic(_file(), json.dumps(marks, indent=1).encode(), make_folders=True)
    except OSError as error:
        logger.warning("unread marks not kept for the next start: %s", error)
