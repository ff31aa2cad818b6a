"""The research workspace: chats on the left, the conversation in the middle, sources right.

The screen owns the keys (:mod:`~pplx_tui.ui.screens.workspace_keys`) and the open chat; its
:class:`~pplx_tui.ui.widgets.panes.Panes` show or hide the side panels and keep the sources panel
on the selected answer. Each answer streams in its own
:class:`~pplx_tui.ui.screens.answer_stream.AnswerStream` (a worker on this screen, which hands
what it posts to :class:`~pplx_tui.ui.screens.answering.Answering`: that starts, follows and
keeps every answer, several chats answering at once); opening/renaming/deleting chats is
:class:`~pplx_tui.ui.screens.chat_actions.ChatActions`' job; the chat list reads the store
itself. The target of the next question is the app's (:attr:`PplxApp.target`): the screen
follows its changes. The chat is saved after the question and again after the answer. The
start-up work after the first frame is :class:`~pplx_tui.ui.screens.warm_up.WarmUp`'s.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual import getters, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.worker import Worker

from pplx_tui.session import Target
from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.first_paint import PaintAfterBatch
from pplx_tui.ui.resize_guard import LayoutOnNewSize
from pplx_tui.ui.screens.answer_message import AnswerMessage
from pplx_tui.ui.screens.search_controls import SearchControls, show_search
from pplx_tui.ui.screens.send_hold import SendHold
from pplx_tui.ui.screens.spending import Spending
from pplx_tui.ui.screens.warm_up import WarmUp
from pplx_tui.ui.screens.workspace_again import WorkspaceAgain
from pplx_tui.ui.screens.workspace_chats import WorkspaceChats
from pplx_tui.ui.screens.workspace_keys import OPEN_DIALOGS, WORKSPACE_BINDINGS, WORKSPACE_MORE
from pplx_tui.ui.screens.workspace_layout import WorkspaceLayout
from pplx_tui.ui.screens.workspace_parts import WorkspaceParts
from pplx_tui.ui.scroll_paint import PaintScrollWithLayout
from pplx_tui.ui.selection_copy import SaysSelectionCopied
from pplx_tui.ui.timers import LateTimersFire
from pplx_tui.ui.widgets.chat_list import ChatList
from pplx_tui.ui.widgets.conversation import Conversation
from pplx_tui.ui.widgets.key_bar import KeyBar
from pplx_tui.ui.widgets.notice_bar import NoticeBar
from pplx_tui.ui.widgets.panes import Panes
from pplx_tui.ui.widgets.prompt import PromptInput
from pplx_tui.ui.widgets.sources_panel import SourcesPanel
from pplx_tui.ui.widgets.status_header import StatusHeader
from pplx_tui.ui.workers import log_failed_worker
from pplx_tui.values import MessageStatus, SearchSettings

if TYPE_CHECKING:
    from pplx_tui.models import Chat, Message
    from pplx_tui.ui.screens.answer_stream import AnswerStream
    from pplx_tui.ui.widgets.answer_extras import RelatedQuestions
    from pplx_tui.ui.widgets.message_view import AnswerView

__all__ = ["ResearchScreen"]

SEND_FIRST = 0.05
"""Seconds a question waits for its request to be on the wire before it is saved and shown."""


class ResearchScreen(
    LateTimersFire,
    WorkspaceChats,
    WorkspaceAgain,
    WorkspaceParts,
    WorkspaceLayout,
    LayoutOnNewSize,
    PaintAfterBatch,
    PaintScrollWithLayout,
    SaysSelectionCopied,
    Screen[None],
):
    """Ask, read the answer stream in, check its sources; keep every chat. Its parts that
    answer, compare and keep chats are made on first use (:class:`WorkspaceParts`)."""

    BINDINGS = WORKSPACE_BINDINGS
    KEY_BAR_MORE = WORKSPACE_MORE
    AUTO_FOCUS = "#prompt"
    """Keys typed at launch reach the question box (the first focusable was the chat search
    box, or nothing at 80x24, until ``on_mount`` focused the box)."""

    app = getters.app(PplxApp)

    def __init__(self, chat: Chat | None = None) -> None:
        """``chat``: the saved chat to open; ``None``, a new one (see :attr:`chat`)."""
        super().__init__()
        self._chat = chat
        self.spending = Spending(self)
        self.send_hold = SendHold(self, lambda: self.alternatives.comparisons.comparing)
        """The chat's cost and today's spend in the header, and the daily budget's question."""
        self.search_controls = SearchControls(self)
        self.warm_up = WarmUp(self)
        """The start-up work after the first frame (the first answer's imports, runs, spend)."""

    @property
    def chat(self) -> Chat:
        """The open chat. A new chat the app starts on is made (and shown: it is empty) once
        the chat models are loaded after the first frame (:class:`WarmUp`), or on first use if
        that comes sooner: the first frame needs no chat and no store."""
        return self._chat if self._chat is not None else self.make_chat()

    def make_chat(self) -> Chat:
        """The open chat, made now if it is the new chat the app started on (see :attr:`chat`)."""
        if self._chat is None:
            self._chat = self.app.new_chat()
            self.conversation.show_empty(self._chat)
        return self._chat

    @property
    def pending(self) -> AnswerStream | None:
        """The open chat's answer working now, if any."""
        return None if self._chat is None else self.answering.of(self._chat.id)

    @property
    def target(self) -> Target:
        """Where the next question goes (the app's)."""
        return self.app.target

    def compose(self) -> ComposeResult:
        header = StatusHeader(id="header")
        header.provider = self.target.provider.name
        header.model = self.target.model.id
        yield header
        with Panes(id="workspace"):
            yield ChatList(id="chats")  # (its store once the first frame is on screen)
            with Vertical(id="main"):
                if self.target.notices:  # (else mounted with the first: one widget less)
                    yield NoticeBar(self.target.notices, id="notice")
                yield Conversation(id="conversation", in_turn=OPEN_DIALOGS)
                in_turn = frozenset(
                    {"research.new_chat", "research.toggle_chats", "research.search_chats"}
                    | {"app.add_key"}
                )
                yield PromptInput(id="prompt", in_turn=in_turn | OPEN_DIALOGS, dialogs=OPEN_DIALOGS)
            yield SourcesPanel(id="sources", in_turn=OPEN_DIALOGS)
        yield KeyBar()

    header = getters.query_one("#header", StatusHeader)
    conversation = getters.query_one("#conversation", Conversation)
    prompt = getters.query_one("#prompt", PromptInput)
    sources = getters.query_one("#sources", SourcesPanel)
    chat_list = getters.query_one("#chats", ChatList)
    panes = getters.query_one(Panes)

    async def on_mount(self) -> None:
        self.app.target_changed_signal.subscribe(self, self._target_changed, immediate=True)
        self.app.key_saved_signal.subscribe(self, self._key_saved)
        self.prompt.focus()
        self.conversation.model_searches(not self.target.finds_no_sources)
        if self._chat is None:  # a new chat, made after the first frame; as it will show:
            show_search(self.header, self.app.defaults.search, self.app.target)
        else:
            await self.show_chat(self._chat)
        self.warm_up.after_first_frame()

    async def on_unmount(self) -> None:
        # The app is closing: answers still streaming are kept as interrupted (background
        # runs go on), and they and every chat the disk refused get one last try, never
        # waiting long on a lock (what still fails is rescued elsewhere, and `pplx` says
        # where). Parts never made (nothing asked, nothing saved) are not made now: loading
        # the answering code delayed a quit right after the start by ~0.14 s.
        made = self.__dict__  # (where each cached part is kept)
        kept: list[Chat] = []
        if "answering" in made or "alternatives" in made:
            alternatives = made.get("alternatives")
            compared = alternatives.comparisons.every_answer() if alternatives else []
            kept = await self.answering.close(compared)
        if kept or "saver" in made:
            self.app.unsaved.extend(self.saver.last_try(kept))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        log_failed_worker(event)
        self.warm_up.worker_changed(event)

    # -- keys ----------------------------------------------------------------------------------

    def action_keys(self) -> None:
        """The cheat sheet of the app's own keys (everyday: "? opens a cheat sheet")."""
        from pplx_tui.ui.dialogs.keys import KeysScreen
        from pplx_tui.ui.key_sheet import key_sections

        self.app.push_screen(KeysScreen(key_sections(self)))

    def action_focus_prompt(self) -> None:
        self.alternatives.cancel_edit()
        self.prompt.focus()

    # -- the open chat -----------------------------------------------------------------------

    async def show_chat(self, chat: Chat) -> None:
        """Show ``chat`` (saved or new) in the conversation, with its working answer or
        comparison; those working in other chats go on (an edit is dropped)."""
        if self._chat is not None and chat.id != self._chat.id:
            self.alternatives.cancel_edit()  # the question being edited is in the chat left
        comparisons = self.alternatives.comparisons
        comparisons.detach()
        self.answering.detach()
        self._chat = chat
        self.header.chat_title = chat.title
        self.spending.show_chat_cost(chat)
        self.search_controls.show_summary()
        self.chat_list.mark_current(chat.id if chat.messages else None)
        shown = [m for m in chat.active_path() if not self.answering.hides(m)]
        await self.conversation.show_messages(comparisons.line_to_show(chat, shown), chat)
        await comparisons.attach(chat)
        await self.answering.attach(chat)
        self.refresh_bindings()  # ctrl+r is offered when the chat's last answer failed

    def still_answering(self) -> bool:
        """Whether an answer or a comparison works in the open chat now."""
        return self.pending is not None or self.alternatives.comparing

    def shown_end(self) -> str | None:
        """The id of the message the conversation ends with (while an answer streams: its
        question's)."""
        if (answer := self.pending) is not None and answer.question_id:
            return answer.question_id
        last = self.conversation.last_message()
        return last.id if last is not None else None

    def _target_changed(self, target: Target) -> None:
        """The next questions go to ``target``; the chat remembers the choice."""
        self.header.provider = target.provider.name
        self.header.model = target.model.id
        self.chat.settings.provider = target.provider.name
        self.chat.settings.model = target.model.id
        self.search_controls.show_summary()  # what the new target would not take
        self.conversation.model_searches(not target.finds_no_sources)
        self.show_notices(target.notices)

    def _key_saved(self, provider: str) -> None:
        """A refused answer may be asked again now (ctrl+r and its button offer it); one the
        retired Sonar endpoint refused offers a Perplexity model once Perplexity has a key."""
        from pplx_tui.ui.widgets.message_view import AnswerView  # (loaded after the first frame)

        self.refresh_bindings()
        for view in self.query(AnswerView).results():
            if view.message is not None and view.message.error:
                view.show_action()

    def save_chat(self) -> None:
        """Save the open chat (once it has a message); see :class:`ChatSaver` for failures."""
        if self.chat.messages:
            self.saver.save(self.chat)
            self.header.chat_title = self.chat.title

    # -- asking ------------------------------------------------------------------------------

    @on(PromptInput.Submitted)
    async def _question_submitted(self, event: PromptInput.Submitted) -> None:
        event.stop()
        if self.send_hold.holds(event.text):
            return
        if self.alternatives.editing is not None:
            send = partial(self.alternatives.send_edit, event.text)
            if self.spending.allows_request(send, partial(self.prompt.load_text, event.text)):
                await send()
        else:
            await self.ask(event.text)

    async def ask(self, question: str, *, over_budget_ok: bool = False) -> None:
        """Send ``question`` (stopping this chat's streamed answer if it is still working: from
        the question box, only on a second Enter (:class:`SendHold`);
        answers in other chats go on; a background run is never stopped this way). Past the
        daily budget, a dialog asks first (``y`` sends)."""
        if self.answering.still_researching(question):
            return
        if not over_budget_ok and not self.spending.allows(
            question, partial(self.ask, over_budget_ok=True)
        ):
            return
        # The request leaves before the chat is saved and anything is mounted (saving and
        # mounting the question and the answer took ~0.1 s of the time from Enter to the
        # request, issue 12); what arrives meanwhile waits in the answer until its view is
        # attached.
        message = await self._take_question(question)
        answer = self.answering.begin(message)
        await answer.sent(SEND_FIRST)
        await self.conversation.add_question(message)
        await self.answering.show(answer)
        # Saved and marked in the chat list after the frame that shows the question and the
        # first words (on a quick server they come meanwhile), not before it.
        self.call_after_refresh(self._question_asked, self.chat)

    async def add_question(self, question: str) -> Message:
        """Stop any answer, then add ``question`` to the end of the shown line and show it
        (first taking in what another pplx saved to the chat: the question follows that)."""
        message = await self._take_question(question)
        await self._show_question(message)
        return message

    async def _take_question(self, question: str) -> Message:
        await self.stop_answer()
        await self.chats.take_in_others()
        from pplx_tui.models import ROOT, Message  # the chat models: after the first frame

        chat = self.chat
        place = chat.next_place("user")
        if place != (self.shown_end() or ROOT):
            # It goes beside a question another pplx asked and still waits on (an alternative
            # there), not after it: the line is shown down to where it goes.
            await self.conversation.show_messages(chat.path_to(place), chat)
        return chat.add(Message(role="user", content=question, search=chat.settings.search), place)

    def _question_asked(self, chat: Chat) -> None:
        if chat is self.chat:
            self.save_chat()
            self.chat_list.mark_current(chat.id)
        else:
            self.saver.save(chat)
        self.chat_list.reload()

    async def _show_question(self, message: Message) -> None:
        """Save the chat with its new question and show the question."""
        self.save_chat()
        self.chat_list.mark_current(self.chat.id)
        await self.conversation.add_question(message)

    async def start_answer(
        self,
        question: Message | None = None,
        target: Target | None = None,
        search: SearchSettings | None = None,
    ) -> AnswerStream:
        """Answer ``question`` in a new view at the bottom (:meth:`Answering.start`)."""
        return await self.answering.start(question, target, search)

    def stream_answer(
        self,
        view: AnswerView,
        target: Target,
        path: list[Message],
        search: SearchSettings | None = None,
        comparison: str | None = None,
    ) -> AnswerStream:
        """Answer ``path[-1]`` into ``view`` (:meth:`Answering.stream`): a background run for
        the Agent API's ``background_models``, as when it is asked alone."""
        kind = self.answering.kind_for(target)
        return self.answering.stream(view, target, path, search, comparison, kind)

    async def stop_answer(self) -> bool:
        """Stop the open chat's answer(s), keeping what arrived (saved as interrupted); False
        when a background run goes on (its provider would not cancel it; a warning says so)."""
        stopped = await self.answering.stop(self.chat.id)
        return await self.alternatives.stop() and stopped

    async def make_way(self) -> bool:
        """Stop the open chat's answer(s) for another request in it (asked again, edited,
        compared, another version shown); False, nothing stopped, while it researches in the
        background: only Escape stops a run (:meth:`Answering.refuses_for_research`)."""
        return not self.answering.refuses_for_research() and await self.stop_answer()

    async def on_related_questions_question_chosen(
        self, event: RelatedQuestions.QuestionChosen
    ) -> None:
        event.stop()
        self.prompt.focus()
        await self.alternatives.follow_column_of(event.related)
        await self.ask(event.question)

    @on(AnswerMessage)
    async def _answer_message(self, message: AnswerMessage[AnswerStream]) -> None:
        """What an answer's worker posted here (events, a silent server, the end)."""
        await self.answering.handle(message)

    async def finish_answer(
        self, answer: AnswerStream, status: MessageStatus | None = None
    ) -> None:
        """End ``answer``: keep it in its chat and show it as saved (:meth:`Answering.finish`)."""
        await self.answering.finish(answer, status)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stop":  # (nothing to stop before the chat is made)
            return self._chat is not None and (
                self.pending is not None or bool(self.alternatives.comparing)
            )
        return True

    def binding_description(self, action: str) -> str | None:
        """Escape (when no answer is to stop) is in the key bar only while a question is
        edited: it cancels the edit (QA: nothing said how)."""
        if action == "focus_prompt":
            editing = self._chat is not None and self.alternatives.editing is not None
            return "Cancel edit" if editing else ""
        return super().binding_description(action)

    async def action_stop(self) -> None:
        """Stop the open chat's answer. A background run's in a worker: its stop waits for the
        provider to confirm the cancel (up to ``run_follower.CANCEL_SECONDS``), and the keys
        typed meanwhile waited with it (ctrl+q, typing, ctrl+b did nothing, then all landed).
        The focus stays where it is: stopped from the conversation, the answer's keys (``r``,
        ``s``, ``m``) act on it (QA: the focus went to the question box, and ``r`` was typed)."""
        from pplx_tui.ui.screens.run_follower import RunFollower  # (loaded with the answers)

        if isinstance(self.pending, RunFollower):
            self.run_worker(self.stop_answer(), group="stop")
        else:
            await self.stop_answer()
        if self.focused is None:
            self.prompt.focus()
