"""Nothing is sent into the open chat once it is deleted elsewhere.

A chat deleted by another process (``pplx chats delete``, another window) stays deleted: the
app never writes it again. A question, an answer asked again, a comparison or an edit sent
there would be answered (and, on a paid provider, paid for) and then thrown away, never in
``pplx usage`` nor the daily budget. So before any new request the store is asked (one
``stat``, not the chat list's look at the folder every 2 s): if the chat's file is gone,
nothing is sent, one line says why and what to do, and the question goes back into the box.

Why not ask it in a new chat carrying the deleted one's messages? That would bring back what
someone just deleted, under a new id, with answers (and their costs, their background runs)
then held twice over; the user chooses instead: ctrl+n, then Enter, asks it in a new chat.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from pplx_tui.ui.keys_in_force import key_named

if TYPE_CHECKING:
    from pplx_tui.models import Chat
    from pplx_tui.ui.app import PplxApp

__all__ = ["refuses_deleted_chat"]

DELETED = (
    "This chat was deleted elsewhere (pplx chats delete or another window), so nothing was sent."
)


class DeletedChatHost(Protocol):
    """The part of the workspace the check needs."""

    app: PplxApp

    @property
    def chat(self) -> Chat:
        """The open chat."""
        ...


def refuses_deleted_chat(host: DeletedChatHost, back: Callable[[], None] | None) -> bool:
    """``True`` (said once, and ``back`` called to put the question back into the box) when
    the open chat was deleted elsewhere: no request may go into it."""
    from pplx_tui.store import StoreError

    try:
        deleted = host.app.store.deleted_elsewhere(host.chat)
    except StoreError:  # a link in its place: the save says so
        return False
    if not deleted:
        return False
    new_chat = key_named(host.app, "research.new_chat")
    if back is not None:
        back()
        then = (
            f"Your question is still in the box: {new_chat} starts a new chat, Enter asks it there."
        )
    else:
        then = f"{new_chat} starts a new chat."
    host.app.notify(f"{DELETED} {then}", severity="warning", timeout=10)
    return True
