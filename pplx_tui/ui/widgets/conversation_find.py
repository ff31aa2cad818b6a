"""Finding text in the open chat: the conversation's side of the find bar.

:class:`FindKeys` (mixed into :class:`~pplx_tui.ui.widgets.conversation.Conversation`) opens
the :class:`~pplx_tui.ui.widgets.find_bar.FindBar` (``ctrl+f``), lets ``n`` / ``p`` (and
``N``) step through its hits while it finds (the citation cursor's keys otherwise, which the
key bar says), ends the find on Escape while the bar is open, and reveals a message (a find's
hit or a chat search's, marked found).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

if TYPE_CHECKING:
    from pplx_tui.models import Message
    from pplx_tui.ui.widgets.find_bar import FindBar, Mark
    from pplx_tui.ui.widgets.reading import ReadingKeys

__all__ = ["FIND_BINDINGS", "FIND_IN_TURN", "FindKeys"]

FIND_BINDINGS = [
    Binding(
        "ctrl+f",
        "find_in_chat",
        "Find",
        id="conversation.find",
        tooltip="Find text in this chat (Enter, then {conversation.next_marker} / "
        "{conversation.previous_marker} step; elsewhere {research.search_chats} searches every "
        "chat)",  # (the keys in force: keys_in_force.help_named)
        show=False,
    ),
    Binding(
        "escape",
        "close_find",
        "End find",
        id="find.close",
        tooltip="Stop finding in the chat (from the conversation, while the find bar is open)",
        show=False,
    ),
    Binding(
        "N",
        "marker(-1)",
        "Prev found",
        id="conversation.previous_found",
        tooltip="While finding ({conversation.find}): the previous match of the text "
        "(as {conversation.previous_marker} does then)",
        show=False,
    ),
]

FIND_IN_TURN = frozenset({"conversation.find"})
"""ctrl+f runs as it reaches the conversation, and the keys read with it wait for the bar's
focus (:class:`~pplx_tui.ui.widgets.panel_keys.DialogKeysInTurn`): "moons" typed with it
reached the conversation, where ``m`` opened the model picker and ``o`` a source (QA)."""

if TYPE_CHECKING:
    _Host = ReadingKeys
else:
    _Host = object  # a plain mixin at run time: Textual's class set-up stays the widget's


class FindKeys(_Host):
    """Find in the chat, for the conversation (before :class:`ReadingKeys` in its bases)."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.finder: FindBar | None = None
        """The find bar, once ctrl+f opened it: while it finds, n / p step through its hits."""

    async def action_find_in_chat(self) -> None:
        """Open the find bar (``ctrl+f`` here; elsewhere ``ctrl+f`` searches every chat),
        mounted above the conversation the first time (one widget less in the first frame)."""
        from pplx_tui.ui.widgets.find_bar import FindBar

        if self.finder is None:
            self.finder = FindBar(id="find")
            await self.parent.mount(self.finder, before=self)  # type: ignore[attr-defined]
        self.finder.open(self)  # type: ignore[arg-type]  (mixed into the conversation)

    def action_close_find(self) -> None:
        """Escape here ends the find, as in the find box: Enter there moved here for n / p,
        and Escape went on to the question box, the bar and its find left open (QA)."""
        if self.finder is not None:
            self.finder.close()

    @property
    def find_open(self) -> bool:
        return self.finder is not None and self.finder.is_open

    async def reveal(self, message: Message, mark: Mark | None = None) -> bool:
        """Scroll ``message``'s view to the top (or to the place ``mark`` marks in it) and mark
        it found (see :func:`.find_bar.reveal`)."""
        from pplx_tui.ui.widgets.find_bar import reveal

        return await reveal(self, message, mark)  # type: ignore[arg-type]

    def action_marker(self, step: int) -> None:
        """n / p (and N) step through the places found while finding, else the citation
        cursor."""
        if self.finder is not None and self.finder.finding:
            self.call_next(self.finder.step, step)
        else:
            super().action_marker(step)

    def binding_description(self, action: str) -> str | None:
        """While finding, the key bar says that n / p step through the finds (see ``KeyBar``)."""
        if self.finder is None or not self.finder.finding:
            return None
        return {"marker(1)": "Next found", "marker(-1)": "Prev found"}.get(action)
