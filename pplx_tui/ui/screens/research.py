"""The research workspace: chats on the left, the conversation in the middle, sources right.

Asking runs one async worker (group ``stream``, exclusive) that reads the client's stream and
posts them in bursts (:class:`ResearchScreen.EventsArrived`); the handlers fold events into an
:class:`~pplx_tui.client.answer.AnswerBuilder` and update the answer's widgets, so what is saved
is exactly what was shown. Escape (or a new question) stops the stream: the partial answer is
kept, marked interrupted and saved. A failed request shows its one-sentence reason inline with a
retry button. The chat is saved after the question and again after the answer.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message as TextualMessage
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Static

from pplx_tui.client.answer import AnswerBuilder
from pplx_tui.client.errors import ClientError
from pplx_tui.client.events import (
    ReasoningDelta,
    SearchProgress,
    SourcesUpdate,
    StreamEvent,
    TextDelta,
    UsageUpdate,
)
from pplx_tui.client.request import ChatRequest
from pplx_tui.models import Chat, Message, MessageStatus
from pplx_tui.sanitize import clean_line
from pplx_tui.session import Target, build_request
from pplx_tui.store import SearchHit, StoreError
from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.widgets.chat_list import ChatEntry, ChatList
from pplx_tui.ui.widgets.conversation import Conversation
from pplx_tui.ui.widgets.key_bar import KeyBar
from pplx_tui.ui.widgets.prompt import PromptInput
from pplx_tui.ui.widgets.sources_panel import SourcesPanel
from pplx_tui.ui.widgets.status_header import StatusHeader

if TYPE_CHECKING:
    from pplx_tui.ui.widgets.message_view import AnswerView

__all__ = ["ResearchScreen"]

logger = logging.getLogger("pplx_tui.ui")

CHATS_MIN_WIDTH = 110
"""Below this many columns the chat list starts hidden (ctrl+b shows it)."""
SOURCES_MIN_WIDTH = 90
"""Below this many columns the sources panel starts hidden (ctrl+s shows it)."""


@dataclass(eq=False)
class PendingAnswer:
    """An answer being streamed: its view, what arrived so far, and where it was asked."""

    view: AnswerView
    target: Target
    builder: AnswerBuilder = field(default_factory=AnswerBuilder)
    error: str | None = None
    finished: bool = False
    inbox: list[StreamEvent] = field(default_factory=list)
    """Events the worker received that the handler has not applied yet."""
    notified: bool = False
    """Whether an :class:`ResearchScreen.EventsArrived` for the inbox is on its way."""


class ResearchScreen(Screen[None]):
    """Ask, read the answer stream in, check its sources; keep every chat."""

    BINDINGS = [
        Binding(
            "escape",
            "stop",
            "Stop",
            id="research.stop",
            tooltip="Stop the answer (the partial answer is kept and saved)",
        ),
        Binding(
            "escape",
            "focus_prompt",
            "Prompt",
            id="research.focus_prompt",
            show=False,
            tooltip="Go back to the question box",
        ),
        Binding("ctrl+n", "new_chat", "New", id="research.new_chat", tooltip="Start a new chat"),
        Binding(
            "ctrl+b",
            "toggle_chats",
            "Chats",
            id="research.toggle_chats",
            tooltip="Show or hide the chat list",
        ),
        Binding(
            "ctrl+s",
            "toggle_sources",
            "Sources",
            id="research.toggle_sources",
            tooltip="Show or hide the sources panel",
        ),
        Binding(
            "ctrl+f",
            "search_chats",
            "Search",
            id="research.search_chats",
            show=False,
            tooltip="Search the saved chats",
        ),
        Binding(
            "ctrl+r",
            "retry",
            "Retry",
            id="research.retry",
            show=False,
            tooltip="Ask the last question again",
        ),
    ]

    app = getters.app(PplxApp)

    show_chats: reactive[bool | None] = reactive(None, init=False)
    """Whether the chat list is shown; ``None`` decides by the terminal's width."""
    show_sources: reactive[bool | None] = reactive(None, init=False)
    """Whether the sources panel is shown; ``None`` decides by the terminal's width."""

    class EventsArrived(TextualMessage):
        """Stream events wait in ``answer.inbox`` (posted once per burst by the worker)."""

        def __init__(self, answer: PendingAnswer) -> None:
            super().__init__()
            self.answer = answer

    class AnswerEnded(TextualMessage):
        """The stream worker finished: the stream ended or failed (``answer.error``)."""

        def __init__(self, answer: PendingAnswer) -> None:
            super().__init__()
            self.answer = answer

    class ChatsListed(TextualMessage):
        """The chat list (or search results) read from the store."""

        def __init__(self, entries: list[ChatEntry], searching: bool, generation: int) -> None:
            super().__init__()
            self.entries = entries
            self.searching = searching
            self.generation = generation
            """Results of an older listing than the latest are dropped."""

    def __init__(self, target: Target, chat: Chat) -> None:
        super().__init__()
        self.target = target
        self.chat = chat
        self.pending: PendingAnswer | None = None
        self._chat_query = ""
        self._chat_list_generation = 0

    def compose(self) -> ComposeResult:
        header = StatusHeader(id="header")
        header.provider = self.target.provider.name
        header.model = self.target.model.id
        yield header
        with Horizontal(id="workspace"):
            yield ChatList(id="chats")
            with Vertical(id="main"):
                notices = " ".join(clean_line(n) for n in self.target.notices)
                yield Static(notices, id="notice", classes="-hidden" if not notices else "")
                yield Conversation(id="conversation")
                yield PromptInput(id="prompt", cursor_blink=self.app.cursor_blink)
            yield SourcesPanel(id="sources")
        yield KeyBar()

    header = getters.query_one("#header", StatusHeader)
    conversation = getters.query_one("#conversation", Conversation)
    prompt = getters.query_one("#prompt", PromptInput)
    sources = getters.query_one("#sources", SourcesPanel)
    chat_list = getters.query_one("#chats", ChatList)

    async def on_mount(self) -> None:
        self.prompt.focus()
        self._apply_layout()
        await self.show_chat(self.chat)
        self.refresh_chat_list()
        self.call_after_refresh(self._prepare)

    def _prepare(self) -> None:
        """After the first frame, load what the first answer needs while the user types."""
        self.app.prepare_client(self.target)
        self._import_message_views()

    @work(group="prepare", thread=True)
    def _import_message_views(self) -> None:
        import pplx_tui.ui.widgets.message_view  # noqa: F401  (Markdown, markdown-it)

    # -- layout ------------------------------------------------------------------------------

    def on_resize(self) -> None:
        self._apply_layout()

    def watch_show_chats(self) -> None:
        self._apply_layout()

    def watch_show_sources(self) -> None:
        self._apply_layout()

    def _apply_layout(self) -> None:
        width = self.size.width
        chats = self.show_chats if self.show_chats is not None else width >= CHATS_MIN_WIDTH
        sources = self.show_sources if self.show_sources is not None else width >= SOURCES_MIN_WIDTH
        self.chat_list.display = chats
        self.sources.display = sources

    def action_toggle_chats(self) -> None:
        self.show_chats = not self.chat_list.display
        if self.show_chats:
            self.chat_list.options.focus()
        elif self.chat_list.has_focus_within:
            self.prompt.focus()

    def action_toggle_sources(self) -> None:
        self.show_sources = not self.sources.display
        if not self.show_sources and self.sources.has_focus_within:
            self.prompt.focus()

    def action_search_chats(self) -> None:
        self.show_chats = True
        self.chat_list.action_search()

    def action_focus_prompt(self) -> None:
        self.prompt.focus()

    # -- the open chat -----------------------------------------------------------------------

    async def show_chat(self, chat: Chat) -> None:
        """Show ``chat`` (saved or new) in the conversation."""
        self.chat = chat
        self.header.chat_title = chat.title
        self.header.cost = chat.total_cost_usd
        self.chat_list.mark_current(chat.id if chat.messages else None)
        await self.conversation.show_messages(chat.messages)

    def use_target(self, target: Target) -> None:
        """Send the next questions to ``target``; the chat remembers the choice."""
        self.target = target
        self.header.provider = target.provider.name
        self.header.model = target.model.id
        self.chat.settings.provider = target.provider.name
        self.chat.settings.model = target.model.id
        self.set_notice(" ".join(target.notices))

    def set_notice(self, text: str) -> None:
        notice = self.query_one("#notice", Static)
        notice.update(clean_line(text))
        notice.set_class(not text, "-hidden")

    def _save(self) -> None:
        if self.chat.messages:
            try:
                self.app.store.save(self.chat)
            except (StoreError, OSError) as error:
                logger.warning("chat not saved: %s", error)
                self.notify(f"The chat was not saved: {error}", severity="error")
            self.header.chat_title = self.chat.title
        for notice in self.app.store.take_notices():
            self.notify(clean_line(notice), severity="warning")

    # -- asking ------------------------------------------------------------------------------

    @on(PromptInput.Submitted)
    async def _question_submitted(self, event: PromptInput.Submitted) -> None:
        event.stop()
        await self.ask(event.text)

    async def ask(self, question: str) -> None:
        """Send ``question`` (stopping an answer that is still streaming)."""
        await self.stop_answer()
        message = Message(role="user", content=question, search=self.chat.settings.search)
        self.chat.messages.append(message)
        self._save()
        self.chat_list.mark_current(self.chat.id)
        await self.conversation.add_question(message)
        await self._start_answer()
        self.refresh_chat_list()

    async def _start_answer(self) -> None:
        history, question = self.chat.messages[:-1], self.chat.messages[-1]
        settings = self.chat.settings
        request = build_request(
            history,
            question.content,
            self.target.model.id,
            system_prompt=settings.system_prompt,
            search=settings.search,
            sampling=settings.sampling,
        )
        view = await self.conversation.add_answer(self.target.provider.name, self.target.model.id)
        self.pending = PendingAnswer(view, self.target)
        self.header.busy = "answering…"
        self.refresh_bindings()
        self._stream(self.pending, request)

    @work(exclusive=True, group="stream")
    async def _stream(self, answer: PendingAnswer, request: ChatRequest) -> None:
        client = self.app.client_for(answer.target)
        try:
            async for event in client.stream(request):
                # One message per burst of events, however many a network read brought.
                answer.inbox.append(event)
                if not answer.notified:
                    answer.notified = True
                    self.post_message(self.EventsArrived(answer))
        except asyncio.CancelledError:
            # Stopped (Escape, a new question, leaving): stop_answer() keeps the partial
            # answer. Ending normally keeps `workers.wait_for_complete()` simple for callers.
            return
        except ClientError as error:
            answer.error = str(error)
        except Exception as error:
            # A bug must cost one answer, not the session: log it and say so inline.
            logger.exception("the answer stream failed")
            answer.error = f"Something went wrong ({type(error).__name__}); see the log."
        self.post_message(self.AnswerEnded(answer))

    @on(EventsArrived)
    async def _events_arrived(self, message: EventsArrived) -> None:
        answer = message.answer
        events, answer.inbox, answer.notified = answer.inbox, [], False
        if answer.finished:
            return
        view = answer.view
        text: list[str] = []
        for event in events:
            answer.builder.add(event)
            if isinstance(event, TextDelta):
                text.append(event.text)
            elif isinstance(event, ReasoningDelta):
                await view.add_reasoning(event.text)
            elif isinstance(event, SourcesUpdate):
                if event.sources != view.sources:
                    view.set_sources(event.sources)
                    if self.conversation.selected is view:
                        await self.sources.show(view.sources, view.cited)
            elif isinstance(event, SearchProgress):
                view.show_search(event)
            elif isinstance(event, UsageUpdate):
                self.header.cost = self.chat.total_cost_usd + (event.usage.cost_usd or 0)
        if text:
            await view.add_text("".join(text))

    @on(AnswerEnded)
    async def _answer_ended(self, message: AnswerEnded) -> None:
        await self._finish(message.answer)

    async def _finish(self, answer: PendingAnswer, status: MessageStatus | None = None) -> None:
        if answer.finished:
            return
        answer.finished = True
        message = answer.builder.to_message(
            answer.target.provider.name,
            answer.target.model.id,
            self.chat.settings.search,
            status=status,
            error=answer.error,
        )
        self.chat.messages.append(message)
        if self.pending is answer:
            self.pending = None
            self.header.busy = ""
            self.refresh_bindings()
        self._save()
        self.header.cost = self.chat.total_cost_usd
        await answer.view.finish(message)
        if self.conversation.selected is answer.view:
            await self._show_sources(answer.view)
        self.refresh_chat_list()

    async def stop_answer(self) -> None:
        """Stop the streaming answer, keeping what arrived (saved as interrupted)."""
        if self.pending is None:
            return
        answer = self.pending
        self.workers.cancel_group(self, "stream")
        await self._finish(answer, MessageStatus.INTERRUPTED)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stop":
            return self.pending is not None
        return True

    async def action_stop(self) -> None:
        await self.stop_answer()
        self.prompt.focus()

    async def action_retry(self) -> None:
        """Ask the last question again (after a failed or stopped answer)."""
        await self.stop_answer()
        messages = self.chat.messages
        if not messages:
            return
        last = messages[-1]
        if last.role == "assistant":
            if last.status == MessageStatus.COMPLETE:
                self.notify("The last answer is complete; ask a new question.", timeout=3)
                return
            messages.pop()
            views = self.conversation.query("AnswerView")
            if views:
                await views.last().remove()
        await self._start_answer()

    async def on_answer_view_retry_requested(self, event: AnswerView.RetryRequested) -> None:
        event.stop()
        answers = self.conversation.query("AnswerView")
        if answers and answers.last() is event.view:
            await self.action_retry()
        else:
            self.notify("Only the last answer can be retried.", timeout=3)

    # -- sources -----------------------------------------------------------------------------

    @on(Conversation.AnswerSelected)
    async def _answer_selected(self, event: Conversation.AnswerSelected) -> None:
        event.stop()
        await self._show_sources(event.view)

    async def _show_sources(self, view: AnswerView | None) -> None:
        if view is None:
            await self.sources.show((), note="No sources yet.")
            return
        note = "This answer has no sources." if view.message else "Waiting for sources…"
        await self.sources.show(view.sources, view.cited, note=note)

    def on_answer_view_citations_changed(self, event: AnswerView.CitationsChanged) -> None:
        event.stop()
        if self.conversation.selected is event.view:
            self.sources.mark_cited(event.view.cited)

    @on(Conversation.SourceRequested)
    def _source_requested(self, event: Conversation.SourceRequested) -> None:
        event.stop()
        source = self.sources.highlight(event.number)
        if source is None:
            self.notify(f"There is no source [{event.number}].", timeout=2)
        elif not self.sources.display:
            title = clean_line(source.title) or clean_line(source.url)
            self.notify(f"[{source.index}] {title}", timeout=4, markup=False)

    # -- chats -------------------------------------------------------------------------------

    def refresh_chat_list(self) -> None:
        self._chat_list_generation += 1
        self._list_chats(self._chat_query, self._chat_list_generation)

    @work(group="chats", thread=True)
    def _list_chats(self, query: str, generation: int) -> None:
        store = self.app.store
        try:
            if query:
                hits: list[SearchHit] = store.search(query)
                entries = [ChatEntry(h.chat_id, h.title, h.updated_at, h.snippet) for h in hits]
            else:
                entries = [ChatEntry(s.id, s.title, s.updated_at) for s in store.list_chats()]
        except (StoreError, OSError) as error:
            logger.warning("chat list not read: %s", error)
            entries = []
        self.post_message(self.ChatsListed(entries, bool(query), generation))

    @on(ChatsListed)
    def _chats_listed(self, message: ChatsListed) -> None:
        if message.generation == self._chat_list_generation:
            self.chat_list.show(message.entries, searching=message.searching)

    @on(ChatList.SearchChanged)
    def _chat_search_changed(self, event: ChatList.SearchChanged) -> None:
        event.stop()
        self._chat_query = event.query
        self.refresh_chat_list()

    @on(ChatList.ChatChosen)
    async def _chat_chosen(self, event: ChatList.ChatChosen) -> None:
        event.stop()
        if type(event) is ChatList.ChatChosen:
            await self.open_chat(event.chat_id)

    async def open_chat(self, chat_id: str) -> None:
        """Open a saved chat; its model becomes the target when it can be used."""
        await self.stop_answer()
        try:
            chat = await asyncio.to_thread(self.app.store.load, chat_id)
        except StoreError as error:
            self.notify(clean_line(str(error)), severity="error")
            return
        await self.show_chat(chat)
        target = self.app.target_for_chat(chat, self.target)
        if target is not self.target:
            self.use_target(target)
        self.prompt.focus()

    async def action_new_chat(self) -> None:
        await self.stop_answer()
        await self.show_chat(self.app.new_chat(self.target))
        self.prompt.focus()

    @on(ChatList.RenameRequested)
    def _rename_requested(self, event: ChatList.RenameRequested) -> None:
        event.stop()
        self.app.rename_chat(event.chat_id, self.chat_list.title_of(event.chat_id))

    @on(ChatList.DeleteRequested)
    def _delete_requested(self, event: ChatList.DeleteRequested) -> None:
        event.stop()
        self.app.delete_chat(event.chat_id, self.chat_list.title_of(event.chat_id))

    def action_rename_current(self) -> None:
        if self.chat.messages:
            self.app.rename_chat(self.chat.id, self.chat.title)
        else:
            self.notify("Ask a question first: an empty chat is not saved.", timeout=3)

    def action_delete_current(self) -> None:
        if self.chat.messages:
            self.app.delete_chat(self.chat.id, self.chat.title)
        else:
            self.notify("This chat is empty and not saved.", timeout=3)

    async def chat_renamed(self, chat: Chat) -> None:
        """The store renamed ``chat``; show the new title where the chat is shown."""
        if chat.id == self.chat.id:
            self.chat.title = chat.title
            self.header.chat_title = chat.title
        self.refresh_chat_list()

    async def chat_deleted(self, chat_id: str) -> None:
        if chat_id == self.chat.id:
            await self.action_new_chat()
        self.refresh_chat_list()
