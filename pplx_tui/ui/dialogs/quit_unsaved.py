"""Quitting while a chat could not be saved: save and quit, quit anyway, or keep working."""

from __future__ import annotations

from collections.abc import Sequence

from pplx_tui.ui.dialogs.confirm import ConfirmScreen

__all__ = ["QuitUnsavedScreen"]


class QuitUnsavedScreen(ConfirmScreen):
    """Dismisses with ``True`` to quit anyway (its button only: no letter quits), ``False``
    to save again now and quit if that worked (n, or Enter on the focused button), ``None``
    to keep working (Escape)."""

    def __init__(self, chats: Sequence[str]) -> None:
        these = "This chat" if len(chats) == 1 else "These chats"
        message = (
            f"{these} could not be saved: {', '.join(chats)}. Quitting anyway writes a rescue "
            "copy outside the chats folder and says where, for `pplx chats import`."
        )
        super().__init__(
            message,
            title="Unsaved chats",
            yes_label="Quit anyway",
            no_label="Save and quit",
            destructive=True,
        )

    def action_cancel(self) -> None:
        self.dismiss(None)  # type: ignore[arg-type]  (keep working, nothing tried)
