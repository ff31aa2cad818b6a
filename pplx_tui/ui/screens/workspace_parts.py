"""The workspace's parts that need the answering machinery or the store, each made on first use.

The first frame of a new chat needs none of them: their modules (the client's events, the
stream, background runs, comparisons; the chat models behind the store) load after it, in
:class:`~pplx_tui.ui.screens.warm_up.WarmUp`'s threads, or when first used if that is sooner.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pplx_tui.ui.screens.alternatives import Alternatives
    from pplx_tui.ui.screens.answering import Answering
    from pplx_tui.ui.screens.chat_actions import ChatActions
    from pplx_tui.ui.screens.chat_saver import ChatSaver
    from pplx_tui.ui.screens.earlier_runs import EarlierRuns

__all__ = ["WorkspaceParts"]


class WorkspaceParts:
    """Mixed into the workspace screen, the host each part is made for (``self: Any``: each
    part states what it needs of its host in its own protocol)."""

    @cached_property
    def answering(self: Any) -> Answering:
        """Every chat's working answer (several chats can be answering at once)."""
        from pplx_tui.ui.screens.answering import Answering

        return Answering(self)

    @cached_property
    def runs(self: Any) -> EarlierRuns:
        """Background runs started earlier (resumed at start-up; ctrl+r checks one again)."""
        from pplx_tui.ui.screens.earlier_runs import EarlierRuns

        return EarlierRuns(self.answering, self)

    @cached_property
    def alternatives(self: Any) -> Alternatives:
        """Other answers to a question: asked again, compared side by side, an edit."""
        from pplx_tui.ui.screens.alternatives import Alternatives

        return Alternatives(self)

    @cached_property
    def saver(self: Any) -> ChatSaver:
        """Saves chats, retrying what the disk refused (made with the store)."""
        from pplx_tui.ui.screens.chat_saver import ChatSaver

        saver = ChatSaver(
            self.app.store,
            lambda text, severity: self.notify(text, severity=severity, timeout=8),
            lambda delay, callback: self.set_timer(delay, callback),
            lambda chat: self.chats.changed_elsewhere(chat),
        )
        self.app.unsaved_chats = saver  # (quitting asks first while it holds an unsaved chat)
        return saver

    @cached_property
    def chats(self: Any) -> ChatActions:
        """Opens, renames and deletes chats (made with the store)."""
        from pplx_tui.ui.screens.chat_actions import ChatActions

        app = self.app
        return ChatActions(self, self.answering, app.store, self.saver, app.push_screen)
