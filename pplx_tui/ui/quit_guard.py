"""Quitting asks first while a chat could not be saved (ctrl+q, the palette's Quit).

The workspace's saver registers itself as :attr:`AsksBeforeQuitting.unsaved_chats`. While it
holds a chat the disk refused, quitting opens :class:`QuitUnsavedScreen`: save again now (and
quit if that worked), quit anyway (the chat is then written as a rescue copy, see
:meth:`~pplx_tui.ui.screens.chat_saver.ChatSaver.last_try`), or Escape to keep working. A
signal (SIGTERM, SIGHUP) does not ask: it ends the app, rescue copies included.
"""

from __future__ import annotations

from typing import Protocol

from textual.app import App

__all__ = ["AsksBeforeQuitting", "UnsavedChats"]

QUIT_LOCK_WAIT = 1.5
"""Save and quit waits this long at most, in all, on chats' locks held by another process."""


class UnsavedChats(Protocol):
    def unsaved_names(self) -> list[str]:
        """Each chat not saved yet, as “title” (id)."""
        ...

    def retry_now(self, lock_wait: float | None = None) -> None:
        """Try every unsaved chat again, waiting ``lock_wait`` seconds at most on locks."""
        ...


class AsksBeforeQuitting(App[None]):
    """The app's part that asks before a quit would leave a chat unsaved."""

    unsaved_chats: UnsavedChats | None = None

    async def action_quit(self) -> None:
        chats = self.unsaved_chats
        if chats is None or not (names := chats.unsaved_names()):
            self.exit()
            return
        from pplx_tui.ui.dialogs.quit_unsaved import QuitUnsavedScreen

        def answered(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self.exit()
            elif quit_anyway is False:
                chats.retry_now(QUIT_LOCK_WAIT)
                if still := chats.unsaved_names():
                    self.notify(
                        f"Still not saved: {', '.join(still)}. Quit anyway keeps a rescue copy.",
                        severity="error",
                        timeout=8,
                    )
                else:
                    self.exit()

        self.push_screen(QuitUnsavedScreen(names), answered)
