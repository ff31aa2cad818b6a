"""Finding text in the open chat: ``ctrl+f`` in the conversation opens :class:`FindBar`.

Enter finds the first message (question or answer) holding the text, from the newest; then
``n`` / ``p`` (the citation keys, whatever ``[keymap]`` makes them; ``N`` too) in the
conversation step to the next / previous one while the bar is open
(they move the citation cursor again once it is closed with Escape, in the bar or the
conversation, or once another chat is opened: the text was found in the chat left). Each hit
is scrolled to and marked like a search hit (``Conversation.reveal``); the bar's border says
which of how many it is, and when a step wrapped around the chat's ends, as editors do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from textual import on
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Input

from pplx_tui.ui.keys_in_force import ALTERNATIVE_KEYS, key_named, keys_named
from pplx_tui.ui.widgets.keys_in_turn import TextInput
from pplx_tui.ui.widgets.nested_place import region_in
from pplx_tui.ui.widgets.reading import marker_keys

if TYPE_CHECKING:
    from pplx_tui.models import Message
    from pplx_tui.ui.widgets.message_view import AnswerView

Conversation = Any
"""The conversation (``widgets.conversation``, which imports this module: not imported here)."""

__all__ = ["FindBar", "reveal"]


class FindBar(TextInput):
    """The text to find in the chat; hidden until ``ctrl+f`` in the conversation."""

    DEFAULT_CSS = """
    FindBar {
        display: none;
        /* the count: the border's own colour (blurred: near the background) hid it */
        border-subtitle-color: $text-muted;
        &.-open {
            display: block;
        }
    }
    """

    BINDINGS = [
        Binding("escape", "close", "Close", id="find.close", tooltip="Stop finding in the chat"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder="Find in this chat…  (Enter finds, Esc closes)", id=id)
        self.conversation: Conversation | None = None
        self.text = ""
        """What is being found (``""``: nothing, n / p move the citation cursor)."""
        self._position = 0
        self._said: tuple[str, ...] = ()
        """What the border says of the find, longest first (see :meth:`_say`)."""

    @property
    def finding(self) -> bool:
        return bool(self.text)

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def open(self, conversation: Conversation) -> None:
        self.conversation = conversation
        keys = marker_keys(self.app)  # the keys the key bar shows stepping (QA: "n / N")
        close = key_named(self.app, "find.close")
        self.placeholder = f"Find in this chat…  (Enter finds, then {keys}, {close} closes)"
        self.add_class("-open")
        self.focus()

    def action_close(self) -> None:
        self.close()
        if self.conversation is not None:
            self.conversation.focus()

    def close(self) -> None:
        """Hide the bar and stop finding (focus stays where it is)."""
        self.remove_class("-open")
        self.text = ""
        self._say()
        if self.conversation is not None:
            self.conversation.refresh_bindings()  # n / p move the citation cursor again

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        if event.value.strip() != self.text:
            self._say()  # the count was of the text found, no longer the box's

    @on(Input.Submitted)
    async def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.conversation is not None and event.value.strip():
            self.text = event.value.strip()
            self.conversation.refresh_bindings()  # the key bar: n / p step through the finds
            if await self.step(0):
                self.conversation.focus()  # for n / p; on no match the box stays, to mend

    async def step(self, step: int) -> bool:
        """Reveal the next (``step`` 1) or previous (-1) message holding the text; 0: the
        newest one. ``False``: none holds it."""
        conversation = self.conversation
        if conversation is None or not self.text:
            return False
        # Counted in the chat's text, with no page mounted (13 ms for 5,000 messages).
        wanted = self.text.casefold()
        hits = [m for m in conversation.every_message() if wanted in m.content.casefold()]
        if not hits:
            self._say("no match")
            return False
        moved = len(hits) - 1 if step == 0 else self._position + step
        self._position = moved % len(hits)
        await conversation.reveal(hits[self._position])
        keys = f"{marker_keys(self.app)} step, {key_named(self.app, 'find.close')} ends"
        place = _place(self._position, len(hits), moved)
        self._say(f"message {place} · {keys}", f"message {place}", place)
        return True

    def _say(self, *said: str) -> None:
        """Put on the border the first of ``said`` that fits (none: nothing)."""
        self._said = said
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """The longest of :attr:`_said` the border has room for, whole: cut by Textual, the
        count's wrap read "wrapped to t…" at 60 columns (the keys are in the key bar too)."""
        room = self.outer_size.width - 6  # the corners, and a space each side of the text
        fits = [said for said in self._said if cell_len(said) <= room]
        self.border_subtitle = fits[0] if fits else (self._said[-1] if self._said else "")


def _place(position: int, hits: int, moved: int) -> str:
    """Which found message is shown, of how many, and whether the step ``moved`` past an end
    of the chat and wrapped around. Messages, not occurrences, are stepped through: "1 of 1"
    read as one occurrence where the word stood twice in one answer (QA-36)."""
    wrapped = " · wrapped to the first" if moved >= hits else ""
    wrapped = " · wrapped to the last" if moved < 0 else wrapped
    return f"{position + 1:,} of {hits:,}{wrapped}"


async def reveal(conversation: Conversation, message: Message) -> bool:
    """Scroll ``message``'s view to the top of ``conversation`` (mounting its page, or the
    one before those shown, as needed) and mark it ``-found`` until another is (a search hit,
    a find); an answer is selected too. ``False`` if it is not shown there (another branch)."""
    from pplx_tui.ui.widgets.comparison import Comparison
    from pplx_tui.ui.widgets.message_view import AnswerView

    def view_of() -> Widget | None:
        turns = conversation.query(".-turn")
        return next((v for v in turns if getattr(v, "message", None) is message), None)

    if view_of() is None and conversation.far_from_window(message):
        if conversation.last_message() is not None:
            await conversation.show_window_at(message)  # its page, not all down to it (Q15)
        else:  # an answer streams at the end, which stays: all down to the hit is mounted
            conversation.notify("Finding the message…", timeout=3)
    while (view := view_of()) is None and conversation.earlier_holds(message):
        await conversation.load_earlier()
    if view is None:
        return False
    if not view.display:
        # A compared column a narrow comparison hides: the comparison is scrolled to, and the
        # column named; which answer later questions follow is the user's to change (QA: it
        # was switched, and saved, by a find).
        view = _hidden_column(conversation, view)
    for found in conversation.query(".-found"):
        found.remove_class("-found")
    view.add_class("-found")
    if isinstance(view, AnswerView):
        conversation.select(view)
    elif isinstance(view, Comparison):  # (its column holding the hit is hidden)
        conversation.select(view.views[view.current])
    elif (answer := _answer_under(conversation, view)) is not None:
        conversation.select(answer)  # a question's: the sources beside it are its answer's
    conversation.anchor(False)

    def scroll(checks: int, scrolled: float | None = None) -> None:
        # Again after the next frames while the layout settles (earlier answers reaching their
        # height move the view down), unless the user has scrolled since (QA Q11).
        if scrolled is not None and conversation.scroll_y != scrolled:
            return
        if conversation.max_scroll_y <= 0:
            # It all fits: it sits at the bottom, as a short chat does (and as `a` leaves it).
            # A redraw (show_chat) anchored the view, and a layout of its turns half mounted
            # set the offset for their short height (scroll_y -30 for a view that fits): with
            # the anchor dropped no layout put it right, and the hit was drawn below the view
            # (QA-26). Anchored again, the next layout gives the offset for all of them.
            conversation.anchor()
            conversation.refresh(layout=True)
            if checks:  # the layout moves scroll_y: not the user (who cannot scroll here)
                conversation.call_after_refresh(scroll, checks - 1)
            return
        conversation.anchor(False)
        top = min(region_in(conversation, view).y, conversation.max_scroll_y)
        if conversation.scroll_y != top:
            conversation.scroll_to(y=top, animate=False, immediate=True)
        if checks:
            conversation.call_after_refresh(scroll, checks - 1, conversation.scroll_y)

    conversation.call_after_refresh(scroll, 3)
    return True


def _hidden_column(conversation: Conversation, column: Widget) -> Widget:
    """The comparison holding ``column``, which its width hides, after saying where the hit is;
    ``column`` itself if it is in none."""
    from pplx_tui.ui.widgets.comparison import Comparison

    comparison = next((a for a in column.ancestors if isinstance(a, Comparison)), None)
    if comparison is None:
        return column
    name = comparison.names(short=True)[comparison.views.index(column)]  # type: ignore[arg-type]
    keys = keys_named(conversation.app, *ALTERNATIVE_KEYS)
    conversation.notify(
        f"Found in {name}'s answer, not shown at this width ({keys} switch the answer shown).",
        timeout=4,
    )
    return comparison


def _answer_under(conversation: Conversation, question: Widget) -> AnswerView | None:
    """The answer shown under ``question`` (of a comparison, the column the chat goes on
    with), if any."""
    from pplx_tui.ui.widgets.comparison import Comparison
    from pplx_tui.ui.widgets.message_view import AnswerView

    turns = list(conversation.query(".-turn"))
    below = turns[turns.index(question) + 1 :] if question in turns else []
    turn = below[0] if below else None
    if isinstance(turn, Comparison):
        return turn.views[turn.current]
    return turn if isinstance(turn, AnswerView) else None
