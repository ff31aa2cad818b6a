"""The chat list's search box: :class:`SearchBox` (mixed into
:class:`~pplx_tui.ui.widgets.chat_list.ChatList`) reads the list again as the user types, opens
the best hit on Enter, goes to the hits on Down (or Enter in an empty box: :class:`SearchInput`),
and ends the search on Escape."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.binding import Binding
from textual.widgets import Input

from pplx_tui.ui.widgets.keys_in_turn import TextInput, hand_on, move_focus_now

if TYPE_CHECKING:
    from textual.message import Message
    from textual.widget import Widget
    from textual.widgets import OptionList

__all__ = ["SearchBox", "SearchInput"]

if TYPE_CHECKING:
    _Host = Widget
else:
    _Host = object  # a plain mixin at run time: Textual's class set-up stays the widget's


class SearchBox(_Host):
    """The search box of a list of chats (``options``, read again by ``reload``)."""

    SearchEnded: ClassVar[Callable[..., Message]]
    """The list's message that Escape ended the search."""

    _open_best_hit: bool
    """Enter was pressed on the list while it was read for new words: open the best."""

    @property
    def options(self) -> OptionList:
        raise NotImplementedError

    def reload(self) -> None:
        """Read the chats (or the search results for the search box's text) again."""
        raise NotImplementedError

    def _open_chosen(self) -> None:
        """Open the chat under the cursor (the best hit of the words, once read)."""
        raise NotImplementedError

    def best_hit(self) -> str | None:
        """The id of the chat under the list's cursor (``None``: no hit)."""
        raise NotImplementedError

    @property
    def query_text(self) -> str:
        return self.query_one(Input).value.strip()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._open_best_hit = False
        self.reload()
        self.screen.refresh_bindings()  # the key bar: "⏎ Open" with words in the box

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter opens the best hit (once read, if the words are newer than the hits); in an
        empty box it goes to the list of every chat (:class:`SearchInput`)."""
        event.stop()
        if self.query_text:
            self._open_chosen()

    def on_key(self, event: events.Key) -> None:
        """Escape in the search box or the list of hits ends the search (Down goes to the
        hits: :class:`SearchInput`): the list must not stay filtered, other chats hidden, with
        no one searching. Ending it is all Escape does there: the screen's Escape would also
        stop the open chat's answer (QA: a paid background run cancelled by clearing a
        search)."""
        box = self.query_one(Input)
        if event.key != "escape" or not self.has_focus_within:
            return
        if box.value or box.has_focus:
            event.stop()
            self.end_search()
            self.post_message(self.SearchEnded(self))

    def end_search(self) -> None:
        """Clear the search box: every chat is listed again."""
        if (box := self.query_one(Input)).value:
            box.value = ""

    def action_search(self) -> None:
        # At once: the words typed with ctrl+f go to the search box (PromptInput).
        self.screen.set_focus(self.query_one(Input))


class SearchInput(TextInput):
    """The search box itself: Down goes to the hits, at the first (the best); Enter in an empty
    box goes to the list of every chat.

    The focus moves as the key is read, in the box's own turn: the keys read with it (Down
    Down Enter from a fast typist or tmux) have reached the box too, and are handed on to the
    hits (:func:`hand_on`), each moving the cursor one hit. Moved by the list later (or by
    ``focus()``, after a refresh), they found the box still focused and were lost: Down Down
    Enter opened the best hit, not the second (QA).

    With words in the box and a hit, the key bar says Enter opens it (``⏎ Open``; QA: it
    offered only ``f2 Rename “…”``).
    """

    BINDINGS = [Binding("enter", "submit", "Open", show=True)]

    def binding_description(self, action: str) -> str | None:
        if action != "submit":
            return None
        box = next(node for node in self.ancestors if isinstance(node, SearchBox))
        return "Open" if self.value.strip() and box.best_hit() is not None else ""

    async def _on_key(self, event: events.Key) -> None:
        # Textual calls each class's handler in turn, this one first (then TextInput's).
        if await hand_on(self, event) or await move_focus_now(self, event):
            return
        if event.key == "down" or (event.key == "enter" and not self.value.strip()):
            event.prevent_default()
            event.stop()
            box = next(node for node in self.ancestors if isinstance(node, SearchBox))
            self.screen.set_focus(box.options)
