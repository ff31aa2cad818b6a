"""The scrolling conversation: questions and answers, newest at the bottom.

The container is ``anchor()``-ed so a streaming answer keeps its last line in view until the
user scrolls up. A long chat opens at once: only the last messages that fill about
:data:`SCREENS` screens (at most :data:`PAGE`) are mounted, and earlier ones a page at a time
when the view reaches the top.

One answer is *selected* (the newest by default, or the one clicked or moved to with
shift+up/down); the sources panel shows its sources, and the reading keys work on it: n/p move
a cursor over its citation markers and links (scrolling to each; the sources panel follows),
space shows the cited source's snippet under the paragraph, Enter/o opens, c copies the URL,
digits jump to a source (two digits for 10 and up), y copies the answer with its sources and
Y its code blocks, one after the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message as TextualMessage
from textual.widget import Widget
from textual.widgets import Static

from pplx_tui.models import Chat, Message
from pplx_tui.sanitize import clean_line
from pplx_tui.ui.widgets.answer_keys import (
    ANSWER_ACTIONS,
    ANSWER_BINDINGS,
    none_note,
)
from pplx_tui.ui.widgets.reading import READING_BINDINGS, ReadingKeys

if TYPE_CHECKING:
    from pplx_tui.ui.widgets.find_bar import FindBar
    from pplx_tui.ui.widgets.message_view import AnswerView
    from pplx_tui.ui.widgets.question_view import QuestionView

__all__ = ["PAGE", "SCREENS", "Conversation", "last_page"]

PAGE = 20
"""At most this many messages are mounted at once (a chat opening, the view reaching the top)."""
SCREENS = 2
"""A page holds messages until they would fill about this many screens."""


def last_page(messages: Sequence[Message], width: int, height: int) -> int:
    """How many of the last ``messages`` fill ``SCREENS`` screens of ``width`` x ``height``.

    Heights are estimated from the text (wrapped lines plus a label), never measured: the
    point is to mount no more widgets than the first frame needs.
    """
    budget = SCREENS * max(height, 10)
    width = max(width - 6, 20)
    lines = count = 0
    for message in reversed(messages):
        if count >= PAGE or (count >= 2 and lines >= budget):
            break
        text = message.content
        lines += 3 + text.count("\n") + len(text) // width
        count += 1
    return count


class Conversation(ReadingKeys, VerticalScroll):
    """Questions and answers of the open chat."""

    DEFAULT_CSS = """
    Conversation {
        height: 1fr;
        padding: 0 1;
        scrollbar-size-vertical: 1;
        scrollbar-gutter: stable;
        &:focus {
            background-tint: $foreground 3%;
        }
        & > .conversation--earlier {
            width: 1fr;
            color: $text-muted;
            text-align: center;
        }
        & > .conversation--empty {
            width: 1fr;
            height: auto;
            color: $text-muted;
            margin: 2 2;
        }
        & > .-found {
            background: $warning-muted;
        }
    }
    """

    BINDINGS = [
        Binding(
            "shift+up",
            "select_answer(-1)",
            "Prev answer",
            id="conversation.previous_answer",
            tooltip="Select the previous answer (the sources panel follows)",
            show=False,
        ),
        Binding(
            "shift+down",
            "select_answer(1)",
            "Next answer",
            id="conversation.next_answer",
            tooltip="Select the next answer (the sources panel follows)",
            show=False,
        ),
        *READING_BINDINGS,
        Binding(
            "ctrl+f",
            "find_in_chat",
            "Find",
            id="conversation.find",
            tooltip="Find text in this chat (Enter, then n / N step; elsewhere ctrl+f searches "
            "every chat)",
            show=False,
        ),
        Binding(
            "N",
            "marker(-1)",
            "Prev found",
            id="conversation.previous_found",
            tooltip="While finding (ctrl+f): the previous message holding the text",
            show=False,
        ),
        Binding(
            "r",
            "retry",
            "Ask again",
            id="conversation.retry",
            tooltip="Ask this answer's question again, same model, once you say yes (a new "
            "request; the earlier answer stays an alternative)",
            show=False,
        ),
        *ANSWER_BINDINGS,
    ]

    class ConversationMessage(TextualMessage):
        """Base of the messages the conversation sends."""

        def __init__(self, conversation: Conversation) -> None:
            super().__init__()
            self.conversation = conversation

        @property
        def control(self) -> Conversation:
            return self.conversation

    class AnswerSelected(ConversationMessage):
        """The selected answer changed (its sources should be shown)."""

        def __init__(self, conversation: Conversation, view: AnswerView | None) -> None:
            super().__init__(conversation)
            self.view = view

    class AnswerActionRequested(ConversationMessage):
        """A key asked for ``action`` (one of ``ANSWER_ACTIONS``) on the selected answer."""

        def __init__(self, conversation: Conversation, view: AnswerView, action: str) -> None:
            super().__init__(conversation)
            self.view = view
            self.action = action

    class AskAgainRequested(ConversationMessage):
        """``r`` on ``view``: its question should be asked again once the user says yes to
        ``text`` (the workspace asks; a widget opens no dialog)."""

        def __init__(self, conversation: Conversation, view: AnswerView, text: str) -> None:
            super().__init__(conversation)
            self.view = view
            self.text = text

    class SourceRequested(ConversationMessage):
        """Source ``number`` of the selected answer should be highlighted (a marker or digit)."""

        def __init__(self, conversation: Conversation, number: int) -> None:
            super().__init__(conversation)
            self.number = number

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._earlier: list[Message] = []
        self.finder: FindBar | None = None
        """The find bar, once ctrl+f opened it: while it finds, n / N step through its hits."""
        self._loading_earlier = False
        self.selected: AnswerView | None = None
        self._chat: Chat | None = None
        self._places: dict[str, tuple[int, int]] = {}

    def compose(self):
        yield Static("", classes="conversation--earlier")
        yield Static(
            "Ask a question below. Answers stream in with numbered sources on the right.",
            classes="conversation--empty",
        )

    def on_mount(self) -> None:
        self.anchor()

    # -- content -----------------------------------------------------------------------------

    async def show_messages(self, messages: Sequence[Message], chat: Chat | None = None) -> None:
        """Replace the conversation with ``messages`` (the last page mounted now).

        With the ``chat`` they belong to, answers say which of their question's alternatives
        they are ("2/3") and answers compared side by side stand in columns.
        """
        self.select(None)  # says so: the sources panel must not keep the last chat's sources
        await self.remove_children(".-turn")
        self._chat = chat
        self._places = chat.places() if chat is not None else {}
        count = last_page(messages, self.size.width or 80, self.size.height or 24)
        self._earlier = list(messages[: len(messages) - count])
        shown = messages[len(messages) - count :]
        self.query_one(".conversation--empty").display = not messages
        views = [self._view_for(m) for m in shown]
        last = next((a for v in reversed(views) if (a := _answer_of(v)) is not None), None)
        if last is not None:
            # Selected before it mounts: styled once (a class added afterwards restyles the
            # whole answer again, a third of the time to open a chat).
            last.add_class("-selected")
        await self.mount_all(views)
        self._update_earlier()
        self.select(last)
        self.anchor()

    async def add_question(self, message: Message) -> QuestionView:
        self.query_one(".conversation--empty").display = False
        from pplx_tui.ui.widgets.question_view import QuestionView

        view = QuestionView(message)
        await self.mount(view)
        self.anchor()
        return view

    async def add_answer(self, provider: str, model: str) -> AnswerView:
        """Mount an empty answer to stream into, and select it."""
        from pplx_tui.ui.widgets.message_view import AnswerView

        view = AnswerView(provider=provider, model=model)
        # Selected before it mounts: styled once (a class added afterwards restyles the whole
        # new answer again, a noticeable part of the time from Enter to the request).
        view.add_class("-selected")
        await self.mount(view)
        view.begin()
        self.select(view)
        self.anchor()
        return view

    async def replace_from(
        self, view: Widget, messages: Sequence[Message], chat: Chat
    ) -> list[Widget]:
        """Show ``messages`` in place of ``view`` (a turn, or an answer in a comparison) and
        every turn after it; selects the first answer shown. Returns the new turns."""
        turn: Widget = view
        while turn.parent is not None and turn.parent is not self:  # a comparison's column
            turn = turn.parent  # type: ignore[assignment]
        turns = list(self.query_children(".-turn"))
        start = turns.index(turn) if turn in turns else len(turns)
        self._chat = chat
        self._places = chat.places()
        self.selected = None
        focused = self.screen.focused
        gone = turns[start:]
        refocus = focused is not None and any(t is focused or t in focused.ancestors for t in gone)
        await self.remove_children(gone)
        from pplx_tui.ui.widgets.message_view import AnswerView

        views = [self._view_for(m) for m in messages]
        await self.mount_all(views)
        answers = [
            answer
            for v in views
            for answer in ([v] if isinstance(v, AnswerView) else v.query("AnswerView.-current"))
        ]
        self.select(answers[0] if answers else None)
        if refocus:  # not the list under some earlier answer, where Textual would move it
            self.focus()
        return views

    def _view_for(self, message: Message) -> Widget:
        # Imported here: the Markdown machinery is not needed for an empty chat's first frame.
        from pplx_tui.ui.widgets.message_view import AnswerView
        from pplx_tui.ui.widgets.question_view import QuestionView

        place = self._places.get(message.id)
        if message.role == "user":
            return QuestionView(message, place)
        chat = self._chat
        if chat is not None and message.comparison is not None:
            group = chat.compared_with(message.id)
            if len(group) > 1:
                from pplx_tui.ui.widgets.comparison import Comparison

                columns = [AnswerView(m, place=self._places.get(m.id)) for m in group]
                return Comparison(columns, group.index(message))
        return AnswerView(message, place=place)

    def _load_earlier_soon(self) -> None:
        if self._earlier and not self._loading_earlier:
            self._loading_earlier = True
            self.call_next(self.load_earlier)

    async def load_earlier(self) -> None:
        """Mount the previous page of messages above the ones shown."""
        self._loading_earlier = False
        if not self._earlier:
            return
        count = last_page(self._earlier, self.size.width, self.size.height)
        page, self._earlier = self._earlier[-count:], self._earlier[:-count]
        first = self.query(".-turn").first()
        old_height, old_y = self.virtual_size.height, self.scroll_y
        await self.mount_all([self._view_for(m) for m in page], before=first)
        self._update_earlier()
        self.call_after_refresh(self._keep_position, old_height, old_y)

    def action_find_in_chat(self) -> None:
        """Open the find bar (``ctrl+f`` here; elsewhere ``ctrl+f`` searches every chat)."""
        from pplx_tui.ui.widgets.find_bar import FindBar

        if bars := self.screen.query(FindBar):
            self.finder = bars.first()
            self.finder.open(self)

    async def reveal(self, message: Message) -> bool:
        """Scroll ``message``'s view to the top and mark it found (see :func:`.find_bar.reveal`)."""
        from pplx_tui.ui.widgets.find_bar import reveal

        return await reveal(self, message)

    def earlier_holds(self, message: Message) -> bool:
        """Whether ``message`` is on an earlier page, not mounted yet (:meth:`load_earlier`)."""
        return any(m is message for m in self._earlier)

    def all_messages(self) -> list[Message]:
        """The messages of the chat as shown, oldest first (earlier pages not mounted yet too)."""
        turns = [getattr(v, "message", None) for v in self.query(".-turn")]
        return [*self._earlier, *(m for m in turns if m is not None)]

    def last_message(self) -> Message | None:
        """The message the conversation ends with (a comparison's: its current column's);
        ``None`` when empty or while that answer streams. Looks at one widget, so the key bar
        can ask on every refresh whatever the chat's length."""
        last = self.children[-1] if self.children else None
        if last is None or not last.has_class("-turn"):
            return None
        views = getattr(last, "views", None)  # a comparison's columns
        if views:
            last = views[min(getattr(last, "current", 0), len(views) - 1)]
        return getattr(last, "message", None)

    def action_marker(self, step: int) -> None:
        """n / N step through the found messages while finding, else the citation cursor."""
        if self.finder is not None and self.finder.finding:
            self.call_next(self.finder.step, step)
        else:
            super().action_marker(step)

    def binding_description(self, action: str) -> str | None:
        """While finding, the key bar says that n / p step through the finds (see ``KeyBar``)."""
        if self.finder is None or not self.finder.finding:
            return None
        return {"marker(1)": "Next found", "marker(-1)": "Prev found"}.get(action)

    def _keep_position(self, old_height: int, old_y: float, tries: int = 3) -> None:
        """Keep what was shown in place: the page mounted above moved it down by its height.

        Not before that page is laid out (the height read then is the old one), and not when
        something else (a search hit, QA Q11) has scrolled since the page was mounted.
        """
        grown = self.virtual_size.height - old_height
        if grown <= 0 and tries:
            self.call_after_refresh(self._keep_position, old_height, old_y, tries - 1)
        elif self.scroll_y == old_y:
            self.scroll_to(y=old_y + grown, animate=False, immediate=True)

    def _update_earlier(self) -> None:
        # `display`, not a class on the conversation: a class change restyles every message.
        count = len(self._earlier)
        earlier = self.query_one(".conversation--earlier", Static)
        earlier.update(f"▲ {count} earlier messages: scroll up or press Home" if count else "")
        earlier.display = bool(count)

    @property
    def following(self) -> bool:
        """Whether the view keeps its bottom in view as answers grow (anchored, and the user
        has not scrolled away); a streaming text then keeps no blank room below it."""
        return self.is_anchored and not self._anchor_released

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if new_value <= 0 and self._earlier and not self.is_anchored:
            self._load_earlier_soon()

    # -- selection ---------------------------------------------------------------------------

    def select(self, view: AnswerView | None) -> None:
        if view is self.selected:
            return
        if self.selected is not None:
            self.selected.remove_class("-selected")
        self.place_cursor(None)
        self.selected = view
        self.reset_reading()
        if view is not None:
            view.add_class("-selected")
        self.post_message(self.AnswerSelected(self, view))

    def on_answer_view_clicked(self, event: AnswerView.Clicked) -> None:
        event.stop()
        self.select(event.view)

    def on_answer_view_citation_clicked(self, event: AnswerView.CitationClicked) -> None:
        event.stop()
        self.select(event.view)
        self.post_message(self.SourceRequested(self, event.number))

    def action_select_answer(self, step: int) -> None:
        # Every column of a wide comparison, but not those a narrow one hides.
        answers = [view for view in self.query("AnswerView") if view.display]
        if not answers:
            return
        if self.selected in answers:
            index = max(0, min(len(answers) - 1, answers.index(self.selected) + step))
        else:
            index = len(answers) - 1
        self.select(answers[index])  # type: ignore[arg-type]
        self.release_anchor()
        self.scroll_to_widget(answers[index], top=True, animate=False)

    def request_source(self, number: int) -> None:
        self.post_message(self.SourceRequested(self, number))

    def action_retry(self) -> None:
        """Ask the selected answer's question again, once the user says yes on the button.

        A new request may cost money, and ``r`` is a letter: typed on the answer by mistake
        ("are you sure" meant for the question box) it must not send (QA Q5). The yes takes no
        letter, and "No" has the focus.
        """
        view = self.selected
        if view is None or view.message is None:
            return
        question = self._question_of(view.message)
        model = " · ".join(part for part in (view.model, view.provider) if part)
        question = clean_line(question)
        if len(question) > 80:
            question = question[:79].rstrip() + "…"
        asked = f"“{question}”" if question else "this answer's question"
        text = (
            f"Ask {asked} again with {model or 'the same model'}? A new request, which may "
            "cost money. The earlier answer is kept (a/A switch)."
        )
        self.post_message(self.AskAgainRequested(self, view, text))

    def _question_of(self, answer: Message) -> str:
        chat = self._chat
        try:
            question = chat.message(chat.parent_key(answer)) if chat is not None else None
        except KeyError:
            return ""
        return question.content if question is not None and question.role == "user" else ""

    def action_answer(self, action: str) -> None:
        """Ask the screen for ``action`` on the selected answer (see ``answer_keys``)."""
        if action not in ANSWER_ACTIONS:
            return
        if self.selected is None:
            self.notify("Select an answer first (shift+↑/↓).", timeout=3)
            return
        self.post_message(self.AnswerActionRequested(self, self.selected, action))

    def action_focus_related(self) -> None:
        """Go to the selected answer's related questions (or say why there are none)."""
        extras = self.selected.extras if self.selected is not None else None
        if extras is None or not extras.focus_related():
            provider = self.selected.provider if self.selected is not None else None
            self.notify(none_note("related questions", provider), timeout=6)

    def action_focus_images(self) -> None:
        """Go to the selected answer's images (or say why there are none)."""
        extras = self.selected.extras if self.selected is not None else None
        if extras is None or not extras.focus_images():
            provider = self.selected.provider if self.selected is not None else None
            self.notify(none_note("images", provider), timeout=6)

    def action_scroll_home(self) -> None:
        self._load_earlier_soon()
        super().action_scroll_home()


def _answer_of(turn: Widget) -> AnswerView | None:
    """The answer a turn shows (a comparison's current column), if it is an answer."""
    from pplx_tui.ui.widgets.message_view import AnswerView

    columns = getattr(turn, "views", None)  # a comparison
    if columns:
        turn = columns[min(getattr(turn, "current", 0), len(columns) - 1)]
    return turn if isinstance(turn, AnswerView) else None
