"""The workspace's panels (the conversation, the sources panel) run the keys that open a dialog
as they arrive.

Run once bubbled up to the app, ``m`` on an answer opened the model picker after the Enter
typed with it had reached the answer (the picker then waited for another Enter); ctrl+g,
ctrl+o, ctrl+t and ``?`` likewise, from the conversation or the sources. Run here, the app
keeps the keys typed after them until the dialog has its focus
(:mod:`~pplx_tui.ui.dialog_keys`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events

from pplx_tui.ui.dialog_keys import OpensDialogs, keys_go_on
from pplx_tui.ui.widgets.keys_in_turn import (
    binds,
    hand_on,
    move_focus_now,
    moves_focus,
    run_binding_now,
    settled,
)

if TYPE_CHECKING:
    from textual.widget import Widget

    _Host = Widget
else:
    _Host = object  # a plain mixin at run time: Textual's class set-up stays the widget's

__all__ = ["DialogKeysInTurn"]


class DialogKeysInTurn(OpensDialogs, _Host):
    """A panel whose keys that open a dialog (ids in ``in_turn``: the panel's own, the
    screen's and the app's) run as they arrive. An own binding may ask the screen (a message
    posted to it): the dialog opens once the screen has handled it."""

    in_turn: frozenset[str] = frozenset()

    def opens_dialog(self, event: events.Key) -> bool:
        ids = self.in_turn
        nodes = (self, self.screen, self.app)
        return moves_focus(self, event) or any(binds(self, node, event.key, ids) for node in nodes)

    async def _on_key(self, event: events.Key) -> None:
        opens = self.opens_dialog(event)
        try:
            if await hand_on(self, event) or await move_focus_now(self, event):
                return
            if opens and await self._open_now(event.key):  # (the focus is in this panel)
                event.prevent_default()
                event.stop()
        finally:
            if opens:
                await keys_go_on(self.app)

    async def _open_now(self, key: str) -> bool:
        ids = self.in_turn
        if await run_binding_now(self, self, key, ids):
            await settled(self.screen)
            return True
        return await run_binding_now(self, self.screen, key, ids) or await run_binding_now(
            self, self.app, key, ids
        )
