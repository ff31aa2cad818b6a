"""The chat ``pplx ask --chat`` continues, and saving what ``pplx ask`` asked and got (also
for ``--background`` runs)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from pplx_tui.cli.common import FileFailure, UsageError, file_failure_line

if TYPE_CHECKING:
    from datetime import datetime

    from pplx_tui.models import Chat, Message
    from pplx_tui.session import Target
    from pplx_tui.store import ChatStore
    from pplx_tui.values import SamplingOptions, SearchSettings

__all__ = ["ChatNotSaved", "load_chat", "print_notices", "save_exchange"]


class ChatNotSaved(Exception):
    """The exchange could not be saved; ``str(error)`` says why and what became of the chat."""


def print_notices(store: ChatStore) -> None:
    """The store's notices (a chat it could not read, …) as warnings on stderr."""
    for notice in store.take_notices():
        print(f"pplx: warning: {notice}", file=sys.stderr)


def save_exchange(
    chat: Chat | None,
    question: str,
    asked_at: datetime,
    answer: Message,
    target: Target,
    search: SearchSettings,
    sampling: SamplingOptions,
    system: str | None,
    *,
    typed: str | None = None,
) -> str:
    """Store the question and the answer in one atomic write: the chat's id (said on
    stderr); :class:`ChatNotSaved` if it could not be saved.

    ``typed``: the question as typed on the command line, which names a new chat; ``question``
    may begin with text piped in beside it (a document's first line is no title for it).
    """
    from pplx_tui.models import Message
    from pplx_tui.store import ChatDeletedError, ChatStore, StoreError
    from pplx_tui.store.errors import failed_in
    from pplx_tui.store.text import title_from

    store = ChatStore()
    existed = chat is not None
    try:
        if chat is None:
            chat = store.new_chat()
            if typed not in (None, "-"):
                chat.title = title_from(typed)  # "" (a blank one): made from the question
        chat.settings.provider = target.provider.name
        chat.settings.model = target.model.id
        chat.settings.search = search
        chat.settings.sampling = sampling
        chat.settings.system_prompt = system
        # Both messages in one save: a failed write leaves the chat as it was, not half-done.
        asked = Message(role="user", content=question, search=search, created_at=asked_at)
        chat.add(asked)
        chat.add(answer)
        store.save(chat)
    except (StoreError, OSError) as error:
        reason = failed_in(error, store.root) if isinstance(error, OSError) else f"({error})"
        unchanged = existed and not isinstance(error, ChatDeletedError)
        kept = "the saved chat is unchanged" if unchanged else "nothing was written"
        message = f"the chat could not be saved {reason}; {kept}"
        from pplx_tui.logs import get_logger

        # Foreseen (deleted elsewhere, a full disk, a file where the folder goes): one line, as
        # on stderr; the log keeps tracebacks for unexpected errors.
        get_logger("ask").warning("chat %s: %s", chat.id if chat else "?", message)
        raise ChatNotSaved(message) from None
    finally:
        print_notices(store)
    print(f"pplx: saved chat {chat.id}", file=sys.stderr)
    return chat.id


def load_chat(chat_id: str, *, saving: bool) -> Chat:
    """The chat to continue. One it could not save (saved by a newer pplx-tui) is refused
    before the question costs anything, unless the answer is not to be kept; so is one whose
    last answer still waits on its background run."""
    from pplx_tui.store import ChatStore, StoreError

    store = ChatStore()
    try:
        chat = store.load(chat_id)
        if saving and store.is_read_only(chat):
            store.take_notices()  # the same thing said as a warning: the error says it all
            raise UsageError(
                f"chat {chat.id} was saved by a newer pplx-tui and is read-only here; upgrade "
                "pplx-tui, or add --no-save to ask without keeping the answer"
            )
        path = chat.active_path()
        if path and path[-1].running:  # as in the app: the question would follow no answer
            raise UsageError(
                f"chat {chat.id} is still researching in the background: wait for it "
                f"(pplx runs wait {chat.id}), or ask in a new chat"
            )
    except StoreError as error:
        raise UsageError(str(error)) from None
    except OSError as error:  # (another user's file, chmod 000): as `pplx chats show` says it
        raise FileFailure(file_failure_line(error)) from None
    finally:
        print_notices(store)
    return chat
