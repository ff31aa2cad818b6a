"""A chat file read whole for the index: its row in the list and the chat itself, for its
texts. This parses the chat (pydantic), so :mod:`.indexer` imports it only when a chat must be
read whole (a save, a search's texts, a head that does not read as a chat): a first listing
whose heads all read (:mod:`.quick_head`) never loads pydantic."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pplx_tui.models import Chat
from pplx_tui.store.chat_json import parse_chat
from pplx_tui.store.errors import CorruptChatError, NewerSchemaError
from pplx_tui.store.files import LIGHT_ABOVE, ChatFiles, Stamp
from pplx_tui.store.index_rows import row_for, unreadable_row
from pplx_tui.store.light import read_light
from pplx_tui.store.set_aside import set_aside_if_corrupt


@dataclass(frozen=True, slots=True)
class Parsed:
    row: tuple
    """The chat's row in the ``chats`` table."""
    stamp: Stamp
    """The stamp of the bytes read."""
    chat: Chat | None
    """``None`` for a file of a newer schema: listed, read-only, not searchable."""


def read_whole(files: ChatFiles, chat_id: str, notify: Callable[[str], None]) -> Parsed | None:
    """The chat (of a file over LIGHT_ABOVE, its light copy: store.light), or the unreadable
    row of a newer file; ``None`` when it is gone or corrupt (set aside, with a notice)."""
    try:
        with files.open(chat_id) as (handle, stamp):
            if stamp[1] > LIGHT_ABOVE:
                chat = read_light(handle, chat_id)
            else:
                chat = parse_chat(handle.read(), chat_id)
    except FileNotFoundError:
        return None
    except NewerSchemaError as error:
        notify(str(error))
        now = files.stamp(chat_id)
        return Parsed(unreadable_row(chat_id, now), now, None) if now else None
    except CorruptChatError:
        set_aside_if_corrupt(files, chat_id, notify)
        return None
    return Parsed(row_for(chat_id, chat, stamp), stamp, chat)
