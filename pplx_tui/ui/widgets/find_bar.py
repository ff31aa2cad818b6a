"""Finding text in the open chat: ``ctrl+f`` in the conversation opens :class:`FindBar`.

Enter finds the first message (question or answer, an answer's reasoning too: unfolded to show
it) holding the text, from the newest, and the text's first place in it; then ``n`` / ``p``
(the citation keys, whatever ``[keymap]`` makes them; ``N`` too) in the conversation step to
the next / previous place, in that message and then in the next / previous one, while the bar
is open (they move the citation cursor again once it is closed with Escape, in the bar or the
conversation, or once another chat is opened: the text was found in the chat left). Each hit
is marked like a search hit (``Conversation.reveal``) and scrolled to, its text marked too and
its line brought into view (in a long answer, the middle of the screen); the bar's border says
which message of how many it is, which place of how many in it, and when a step wrapped around
the chat's ends, as editors do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from textual import on
from textual.binding import Binding
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Input

from pplx_tui.ui.keys_in_force import ALTERNATIVE_KEYS, key_named, keys_named
from pplx_tui.ui.widgets.keys_in_turn import TextInput
from pplx_tui.ui.widgets.nested_place import region_in
from pplx_tui.ui.widgets.reading import marker_keys

if TYPE_CHECKING:
    from textual.app import App

    from pplx_tui.models import Message
    from pplx_tui.ui.widgets.markdown_text import MarkdownText
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
        """Which of the messages holding the text is shown (see :meth:`step`)."""
        self._shown: Message | None = None
        self._match = 0
        """Which place of the text in the message shown is marked, of :attr:`_matches`."""
        self._matches = 0
        self._marked: MarkdownText | None = None
        self._said: tuple[str, ...] = ()
        """What the border says of the find, longest first (see :meth:`_say`)."""

    @property
    def finding(self) -> bool:
        return bool(self.text)

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    @property
    def marked(self) -> MarkdownText | None:
        """The text whose place found is marked (``None``: none is)."""
        return self._marked

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
        self._unmark()
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
        """Reveal the next (``step`` 1) or previous (-1) place of the text: in the message shown,
        else the first (last) in the next (previous) message holding it; 0: the first place in
        the newest one. ``False``: no message holds it."""
        conversation = self.conversation
        if conversation is None or not self.text:
            return False
        # Counted in the chat's text, with no page mounted (13 ms for 5,000 messages).
        wanted = self.text.casefold()
        hits = [m for m in conversation.every_message() if _holds(m, wanted)]
        if not hits:
            self._unmark()
            self._say("no match")
            return False
        shown = hits[self._position] if self._position < len(hits) else None
        if step == 0:
            moved, match = len(hits) - 1, 0
        elif 0 <= self._match + step < self._matches and shown is self._shown:
            moved, match = self._position, self._match + step  # in the message shown
        else:
            moved, match = self._position + step, (0 if step > 0 else -1)
        self._position = moved % len(hits)
        self._shown = hits[self._position]
        self._match = self._matches = 0  # (counted once its view is shown: see _mark)
        await conversation.reveal(self._shown, lambda view: self._mark(view, match))
        self._say(*_said(self._position, len(hits), moved, self._match, self._matches, self.app))
        return True

    def _mark(self, view: Widget, match: int) -> MarkdownText | None:
        """Mark place ``match`` (-1: the last) of the text drawn in turn ``view``, and count
        its places; the text marked (``None``: the text is not drawn there, only in a link's
        address, say). An answer's reasoning holding it is unfolded, its places first (QA: the
        reasoning was never found, even unfolded)."""
        from pplx_tui.ui.widgets.markdown_text import MarkdownText
        from pplx_tui.ui.widgets.message_view import AnswerView

        self._unmark()
        wanted = self.text.casefold()
        reasoning = view.reasoning_holding(wanted) if isinstance(view, AnswerView) else None
        places = [
            (text, index)
            for text in [*([reasoning] if reasoning else []), *view.query_children(MarkdownText)]
            for index in range(len(text.occurrences(wanted)))
        ]
        self._matches = len(places)
        if not places:
            return None
        self._match = match % len(places)
        self._marked, index = places[self._match]
        self._marked.mark_found(wanted, index)
        if self.conversation is not None:
            # The reading cursor's snippet, drawn between the text's lines, would move the
            # place found below the line scrolled to.
            self.conversation.place_cursor(None)
        return self._marked

    def _unmark(self) -> None:
        if self._marked is not None:
            self._marked.mark_found()
            self._marked = None

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


def _holds(message: Message, wanted: str) -> bool:
    """Whether ``message`` holds ``wanted`` (casefolded): its text, or an answer's reasoning."""
    return wanted in message.content.casefold() or wanted in message.reasoning.casefold()


def _said(
    position: int, hits: int, moved: int, match: int, matches: int, app: App[object]
) -> tuple[str, ...]:
    """What the border can say of the hit shown, longest first: which found message it is, of
    how many, which place of the text in it (where it stands more than once: "1 of 1" read
    as one place where the word stood twice in one answer, QA-36), whether the step ``moved``
    past an end of the chat and wrapped around, and the keys."""
    wrapped = " · wrapped to the first" if moved >= hits else ""
    wrapped = " · wrapped to the last" if moved < 0 else wrapped
    place = f"{position + 1:,} of {hits:,}"
    here = f" · match {match + 1:,} of {matches:,}" if matches > 1 else ""
    keys = f"{marker_keys(app)} step, {key_named(app, 'find.close')} ends"
    return (
        f"message {place}{here}{wrapped} · {keys}",
        f"message {place}{here}{wrapped}",
        f"{place}{here}{wrapped}",
        f"{place}{wrapped}",
    )


Mark = Callable[[Widget], "MarkdownText | None"]
"""Marks a find's place in a turn shown, and gives the text marked (``None``: no place)."""


async def reveal(conversation: Conversation, message: Message, mark: Mark | None = None) -> bool:
    """Scroll ``message``'s view to the top of ``conversation`` (mounting its page, or the
    one before those shown, as needed) and mark it ``-found`` until another is (a search hit,
    a find); an answer is selected too. ``mark`` (a find's) marks a place in the view: that
    place is brought into view (:func:`_scroll_offset`). ``False`` if the message is not shown
    there (another branch)."""
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
    marked = mark(view) if mark is not None else None  # (none in a hidden column's comparison)
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
        top = _scroll_offset(conversation, view, marked)
        if conversation.scroll_y != top:
            conversation.scroll_to(y=top, animate=False, immediate=True)
        if checks:
            conversation.call_after_refresh(scroll, checks - 1, conversation.scroll_y)

    conversation.call_after_refresh(scroll, 3)
    return True


def _scroll_offset(conversation: Conversation, view: Widget, marked: MarkdownText | None) -> int:
    """Where ``conversation`` scrolls to show ``view``: from its top, as far as the place
    ``marked`` in it shows so; else, the view left where that place shows already, or that place
    in the middle of the screen (QA: "para 2500" of a long answer was found, and the screen
    showed its first paragraphs)."""
    top = region_in(conversation, view).y
    lines = marked.found_lines() if marked is not None else None
    if marked is not None and lines is not None:
        first, end = lines
        place = region_in(conversation, marked, Region(0, first, marked.size.width, end - first))
        height = conversation.scrollable_content_region.height
        now = round(conversation.scroll_y)
        if place.bottom > top + height:
            shown_now = now <= place.y and place.bottom <= now + height
            top = now if shown_now else place.y - (height - place.height) // 2
    return max(0, min(top, conversation.max_scroll_y))


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
