"""The scrolling conversation: questions and answers, newest at the bottom.

The container is ``anchor()``-ed so a streaming answer keeps its last line in view until the
user scrolls up. A long chat opens at once: only its last page is mounted, and earlier ones a
page at a time when the view reaches the top (:mod:`.conversation_pages`); ctrl+f finds in the
chat (:mod:`.conversation_find`); the paging keys are :mod:`.conversation_scroll`'s; what the
user reads stays in view when the width changes (:mod:`.conversation_place`).

One answer is *selected* (the newest by default, or the one clicked or moved to with
shift+up/down); the sources panel shows its sources, and the reading keys work on it: n/p move
a cursor over its citation markers and links (scrolling to each; the sources panel follows),
space shows the cited source's snippet under the paragraph, Enter/o opens, c copies the URL,
digits jump to a source (more digits for 10 and up), y copies the answer with its sources and
Y its code blocks, one after the other (:mod:`.reading`); r, a/A, m, ctrl+e and the other
keys on the selected answer are :mod:`.answer_keys`'. What it tells the panes and the workspace
(the selected answer, a source asked for, what only the workspace does) is
:mod:`.conversation_messages`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from pplx_tui.ui.widgets.answer_keys import (
    ANSWER_BINDINGS,
    ANSWER_DIALOGS,
    ASK_AGAIN_BINDING,
    AnswerKeys,
    alternatives_description,
    reasoning_description,
)
from pplx_tui.ui.widgets.conversation_find import FIND_BINDINGS, FIND_IN_TURN, FindKeys
from pplx_tui.ui.widgets.conversation_later import LaterPages
from pplx_tui.ui.widgets.conversation_messages import (
    AnswerActionRequested,
    AnswerSelected,
    AskAgainRequested,
    SourceRequested,
)
from pplx_tui.ui.widgets.conversation_pages import last_page
from pplx_tui.ui.widgets.conversation_place import KeepsPlace
from pplx_tui.ui.widgets.conversation_scroll import ScrollKeys
from pplx_tui.ui.widgets.conversation_turns import answer_of, message_of, turn_for
from pplx_tui.ui.widgets.empty_hint import EmptyHint
from pplx_tui.ui.widgets.key_scope import can_act, offered_on
from pplx_tui.ui.widgets.laid_out import StreamLaidOut
from pplx_tui.ui.widgets.panel_keys import DialogKeysInTurn
from pplx_tui.ui.widgets.reading import READING_BINDINGS, ReadingKeys

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from pplx_tui.models import Chat, Message
    from pplx_tui.ui.widgets.answer_extras import BackToAnswer
    from pplx_tui.ui.widgets.comparison import Comparison
    from pplx_tui.ui.widgets.message_view import AnswerView
    from pplx_tui.ui.widgets.question_view import QuestionView
    from pplx_tui.ui.widgets.reading import Stop

__all__ = ["Conversation"]


class Conversation(
    ScrollKeys,
    DialogKeysInTurn,
    StreamLaidOut,
    KeepsPlace,
    LaterPages,
    FindKeys,
    ReadingKeys,
    AnswerKeys,
    VerticalScroll,
):
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
        & > .conversation--earlier, & > .conversation--later {
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
        & .-found {  /* (a compared answer too, a column of its comparison) */
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
        *FIND_BINDINGS,
        ASK_AGAIN_BINDING,
        *ANSWER_BINDINGS,
    ]
    KEY_BAR_MORE = (
        "conversation.retry",
        "conversation.other_search",
        "conversation.compare",
        "conversation.previous_alternative",
        "conversation.next_version",
        "conversation.previous_version",
        "conversation.related",
        "conversation.images",
        "conversation.previous_answer",
        "conversation.next_answer",
    )
    """Keys the key bar adds when it has room (:mod:`.key_bar`), most wanted first: asking
    again, then the other alternatives and versions (shown only where there are some), the
    related questions and images (likewise), moving to another answer."""

    def __init__(self, *, in_turn: frozenset[str] = frozenset(), id: str | None = None) -> None:
        """``in_turn``: ids of the screen's and the app's keys that open a dialog (run as they
        arrive, as this one's do: see :class:`DialogKeysInTurn`)."""
        super().__init__(id=id)
        self.in_turn = in_turn | ANSWER_DIALOGS | FIND_IN_TURN
        self.selected: AnswerView | None = None
        self._chat: Chat | None = None
        self._places: dict[str, tuple[int, int]] = {}

    def compose(self) -> ComposeResult:
        earlier = Static("", classes="conversation--earlier")
        earlier.display = False  # (shown while earlier pages are held: ``_update_earlier``)
        yield earlier
        yield EmptyHint()

    def sources_shown(self, shown: bool) -> None:
        """Say where the sources are: the panel is hidden on a narrow terminal (QA-14)."""
        self.query_one(EmptyHint).show(sources_shown=shown)

    def model_searches(self, searches: bool) -> None:
        """Say whether the model in use finds sources (an empty chat promised them)."""
        self.query_one(EmptyHint).show(searches=searches)

    def on_mount(self) -> None:
        self.anchor()
        refreshed = self.screen.screen_layout_refresh_signal
        refreshed.subscribe(self, self.toasts_clear_of_cursor, immediate=True)

    def watch_has_focus(self, has_focus: bool) -> None:
        """Restyle the conversation alone when it gains or loses the focus: Textual restyles
        the focused widget and everything in it, every widget of every message shown (a long
        chat's page: hundreds), and no rule for what is in it depends on this focus."""
        self.app.stylesheet.update_nodes([self], animate=True)

    # -- content -----------------------------------------------------------------------------

    def show_empty(self, chat: Chat) -> None:
        """Take ``chat``, new and empty, as the one shown while nothing is shown yet (what
        :meth:`show_messages` does for it, with nothing to mount or remove)."""
        self._chat = chat
        self._places = chat.places()

    async def show_messages(self, messages: Sequence[Message], chat: Chat | None = None) -> None:
        """Replace the conversation with ``messages`` (the last page mounted now).

        With the ``chat`` they belong to, answers say which of their question's alternatives
        they are ("2/3") and answers compared side by side stand in columns.
        """
        self.select(None)  # says so: the sources panel must not keep the last chat's sources
        if self.finder is not None and (
            chat is None or self._chat is None or chat.id != self._chat.id
        ):
            self.finder.close()  # the text was found in the chat left (QA-29)
        self._forget_pages()  # before the turns go (see there)
        await self.remove_children(".-turn")
        await self.drop_later()
        self._chat = chat
        self._places = chat.places() if chat is not None else {}
        count = last_page(messages, self.size.width or 80, self.size.height or 24)
        self._earlier = list(messages[: len(messages) - count])
        shown = messages[len(messages) - count :]
        self.query_one(".conversation--empty").display = not messages
        views = [self._view_for(m) for m in shown]
        last = next((a for v in reversed(views) if (a := answer_of(v)) is not None), None)
        if last is not None:
            # Selected before it mounts: styled once (a class added afterwards restyles the
            # whole answer again, a third of the time to open a chat).
            last.add_class("-selected")
        await self.mount_all(views)
        self._update_earlier()
        self.select(last)
        self.anchor()

    def _select_last_of(self, views: Sequence[Widget]) -> None:
        self.select(next((a for v in reversed(views) if (a := answer_of(v)) is not None), None))

    async def add_question(self, message: Message) -> QuestionView:
        await self.show_end()  # a hit's window far up: the question goes after the last one
        self.query_one(".conversation--empty").display = False
        from pplx_tui.ui.widgets.question_view import QuestionView

        view = QuestionView(message)
        await self.mount(view)
        self.anchor()
        return view

    async def add_answer(self, provider: str, model: str) -> AnswerView:
        """Mount an empty answer to stream into, and select it."""
        from pplx_tui.ui.widgets.message_view import AnswerView

        await self.show_end()
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
        await self.drop_later()  # (after the window: replaced too)
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

    async def drop_after(self, view: Widget) -> None:
        """Take off the turns after the one holding ``view`` (a column of a comparison asked
        again in its place: the questions that followed it stay with the earlier answer)."""
        turns = list(self.query_children(".-turn"))
        turn = next((t for t in turns if t is view or t in view.ancestors), None)
        if turn is None:
            return
        await self.drop_later()
        await self.remove_children(turns[turns.index(turn) + 1 :])

    def _view_for(self, message: Message) -> Widget:
        return turn_for(message, self._chat, self._places)

    def all_messages(self) -> list[Message]:
        """The messages of the chat as shown, one a turn (a comparison's: its current column's),
        oldest first, those held on earlier and later pages too."""
        turns = [message_of(v) for v in self.query_children(".-turn")]
        return [*self._earlier, *(m for m in turns if m is not None), *self._later]

    def every_message(self) -> list[Message]:
        """:meth:`all_messages` with each comparison's columns in its place (what ctrl+f finds)."""
        chat = self._chat
        return [
            column
            for message in self.all_messages()
            for column in (
                chat.compared_with(message.id) if chat and message.comparison else [message]
            )
        ]

    def last_message(self) -> Message | None:
        """The message the conversation ends with (a comparison's: its current column's);
        ``None`` when empty or while that answer streams. Looks at one widget, so the key bar
        can ask on every refresh whatever the chat's length."""
        if self._later:  # the window is a hit's, far up
            return self._later[-1]
        last = self.children[-1] if self.children else None
        if last is None or not last.has_class("-turn"):
            return None
        return message_of(last)

    @property
    def following(self) -> bool:
        """Whether the view keeps its bottom in view as answers grow (anchored, and the user
        has not scrolled away); a streaming text then keeps no blank room below it."""
        return self.is_anchored and not self._anchor_released

    # -- selection ---------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close_find":  # else Escape goes to the question box (or stops)
            return self.find_open
        finding = self.finder is not None and self.finder.finding
        return can_act(action, self.selected, self._cursor, finding, self.screen.focused)

    def binding_description(self, action: str) -> str | None:
        """The reasoning key shows only on an answer that has some ("Hide reasoning" once
        unfolded), space says "Hide snippet" while a snippet shows, the alternatives keys on one
        that has some; n / p say they step through the
        finds while finding; Open and Copy URL show once the reading cursor marks something
        (before, they only say "Move to a citation first"); of the keys added on a wide
        terminal, shift+up / down show with an answer to go to, the others where they act
        (:func:`~.key_scope.offered_on`)."""
        if action in ("open_target", "copy_target") and self._cursor is None:
            return ""
        if action == "toggle_reasoning":
            return reasoning_description(self.selected)
        if action == "toggle_snippet" and self._snippet and self._cursor is not None:
            return "Hide snippet"
        if action in ("answer('next_alternative')", "answer('previous_alternative')"):
            return alternatives_description(self.selected)
        if action in ("select_answer(-1)", "select_answer(1)"):
            return None if self._answer_beyond(-1 if action == "select_answer(-1)" else 1) else ""
        if not offered_on(action, self.selected, self._chat):
            return ""
        return super().binding_description(action)

    def _answer_beyond(self, step: int) -> bool:
        """Whether there is an answer before (``step`` -1) or after (1) the selected one."""
        if self._earlier if step < 0 else self._later:
            return True
        answers = [view for view in self.query("AnswerView") if view.display]
        return bool(answers) and self.selected is not answers[0 if step < 0 else -1]

    def place_cursor(self, stop: Stop | None) -> None:
        had_cursor = self._cursor is not None
        super().place_cursor(stop)
        if had_cursor != (stop is not None):
            self.refresh_bindings()  # o / c act again (or no longer) in the related questions
        self.call_after_refresh(self.note_place)  # (moved on screen: no layout notes it)
        self.call_after_refresh(self.toasts_clear_of_cursor)  # (likewise)

    def reading_focus(self) -> tuple[Widget, int, int] | None:
        """The reading cursor's lines (with its snippet), else the find's match's: kept in view
        when the size changes (see :class:`KeepsPlace`)."""
        if self._cursor is not None:
            segment = self._cursor.segment
            return (segment, *segment.cursor_lines())
        marked = self.finder.marked if self.finder is not None else None
        lines = marked.found_lines() if marked is not None else None
        return None if marked is None or lines is None else (marked, *lines)

    def select(self, view: AnswerView | None) -> None:
        if view is self.selected:
            return
        if self.selected is not None:
            self.selected.remove_class("-selected")
        self.place_cursor(None)
        # The answer keys act (or no longer); which the key bar offers depends on the answer
        # (t with reasoning, a with alternatives, q with versions, f with related questions…).
        self.refresh_bindings()
        self.selected = view
        self.reset_reading()
        if view is not None:
            view.add_class("-selected")
        self.post_message(AnswerSelected(self, view))

    def on_back_to_answer(self, event: BackToAnswer) -> None:
        """Escape in an answer's related questions or images: back here, on that answer."""
        from pplx_tui.ui.widgets.message_view import AnswerView

        event.stop()
        if isinstance(event.answer, AnswerView):
            self.select(event.answer)
        self.focus()

    def on_answer_view_clicked(self, event: AnswerView.Clicked) -> None:
        event.stop()
        self.select(event.view)

    def on_comparison_switch_clicked(self, event: Comparison.SwitchClicked) -> None:
        event.stop()
        if event.chosen is None:
            self.select(event.view)
            self.request_answer_action(event.view, "next_alternative")
        elif event.chosen is not event.view:  # a number clicked: that answer
            self.select(event.chosen)
            self.request_answer_action(event.chosen, "show_alternative")

    def on_answer_view_citation_clicked(self, event: AnswerView.CitationClicked) -> None:
        event.stop()
        self.select(event.view)
        self.marker_clicked(event.number, event.segment, event.spot)  # (the panel follows)

    def action_select_answer(self, step: int) -> None:
        # Every column of a wide comparison, but not those a narrow one hides.
        answers = [view for view in self.query("AnswerView") if view.display]
        if self.select_beyond_pages(step, answers):  # the answer is held on a page not mounted
            return
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
        self.post_message(SourceRequested(self, number))

    # Posted to the screen, not bubbled up through this widget's own queue: the keys typed
    # after the one asking wait until the screen has opened its dialog (DialogKeysInTurn).

    def request_ask_again(self, view: AnswerView, text: str) -> None:
        self.screen.post_message(AskAgainRequested(self, view, text))

    def request_answer_action(self, view: AnswerView, action: str) -> None:
        self.screen.post_message(AnswerActionRequested(self, view, action))
