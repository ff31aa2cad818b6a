"""What the workspace's helpers ask of it (the research screen), as narrow typed interfaces:
:class:`AnswerHost` for the alternatives and comparisons, :class:`AnsweringHost` for
:class:`~pplx_tui.ui.screens.answering.Answering` (every chat's working answer), and what
comparisons and answers ask of each other (:class:`ChatsAnswering`, :class:`AnswerWatcher`)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel
    from textual.timer import Timer

    from pplx_tui.models import Chat, Message, MessageStatus, SearchSettings
    from pplx_tui.session import Target
    from pplx_tui.ui.app import PplxApp
    from pplx_tui.ui.screens.answer_stream import AnswerStream
    from pplx_tui.ui.screens.chat_saver import ChatSaver
    from pplx_tui.ui.screens.live_comparison import LiveComparison
    from pplx_tui.ui.screens.spending import Spending
    from pplx_tui.ui.widgets.chat_list import ChatList
    from pplx_tui.ui.widgets.conversation import Conversation
    from pplx_tui.ui.widgets.message_view import AnswerView
    from pplx_tui.ui.widgets.panes import Panes
    from pplx_tui.ui.widgets.prompt import PromptInput
    from pplx_tui.ui.widgets.status_header import StatusHeader

__all__ = ["AnswerHost", "AnswerWatcher", "AnsweringHost", "ChatsAnswering", "HeldSends"]


class ChatsAnswering(Protocol):
    """What comparisons tell the workspace's answers
    (:class:`~pplx_tui.ui.screens.answering.Answering`), which say what works in which chat."""

    def changed(self) -> None:
        """What works in which chat changed: the chat list, the header and the keys say so."""

    def still_researching(self, question: str) -> bool:
        """Whether the open chat waits on a background run (``question`` is not sent, and a
        warning says why)."""
        ...

    def refuses_for_research(self) -> bool:
        """Whether the open chat waits on a background run that another request in it would
        stop (a warning says what to do instead)."""
        ...

    def ended_elsewhere(self, chat: Chat, message: Message) -> None:
        """``chat``'s answer ``message`` ended while the chat was not on screen: it is marked."""


class AnswerHost(Protocol):
    """The part of the workspace that alternatives use (the research screen)."""

    chat: Chat
    app: PplxApp
    conversation: Conversation
    prompt: PromptInput
    header: StatusHeader
    spending: Spending
    saver: ChatSaver
    answering: ChatsAnswering

    @property
    def target(self) -> Target:
        """Where the next question goes."""
        ...

    @property
    def pending(self) -> AnswerStream | None:
        """The open chat's answer working now, if any."""
        ...

    def set_interval(self, interval: float, callback: Callable[[], object]) -> Timer:
        """Call ``callback`` every ``interval`` seconds."""
        ...

    def notify(self, message: str, *, severity: SeverityLevel = ..., timeout: float = ...) -> None:
        """Tell the user something."""

    def refresh_bindings(self) -> None:
        """The keys that apply changed."""

    def save_chat(self) -> None:
        """Save the open chat."""

    async def stop_answer(self) -> bool:
        """Stop every answer streaming now, keeping what arrived; False when a background run
        goes on (its provider would not cancel it)."""

    async def make_way(self) -> bool:
        """Stop the open chat's answers for another request in it (:meth:`stop_answer`); False,
        nothing stopped, while it researches in the background (a warning says so)."""
        ...

    async def add_question(self, question: str) -> Message:
        """Add ``question`` at the end of the shown line and show it."""
        ...

    async def start_answer(
        self,
        question: Message | None = None,
        target: Target | None = None,
        search: SearchSettings | None = None,
    ) -> AnswerStream:
        """Answer ``question`` in a new view at the bottom."""
        ...

    def stream_answer(
        self,
        view: AnswerView,
        target: Target,
        path: list[Message],
        search: SearchSettings | None = None,
        comparison: str | None = None,
    ) -> AnswerStream:
        """Stream the answer to ``path[-1]`` into ``view``."""
        ...

    async def finish_answer(
        self, answer: AnswerStream, status: MessageStatus | None = None
    ) -> None:
        """End ``answer``: keep it in its chat and show it as saved."""


class AnswerWatcher(Protocol):
    """What else follows the answers (the alternatives: compared answers side by side)."""

    @property
    def live(self) -> Mapping[str, LiveComparison]:
        """The chats comparing now (the open one or others) → their comparison."""
        ...

    def take_up(self, live: LiveComparison) -> None:
        """Work on ``live``, a comparison whose background runs are followed again."""

    async def forget(self, chat_id: str) -> None:
        """Chat ``chat_id`` is being deleted: its comparison, if any, ends untold."""

    def sources_changed(self, answer: AnswerStream) -> None:
        """``answer``'s sources changed."""

    def ended(self, answer: AnswerStream) -> None:
        """``answer`` ended (it was kept in its chat)."""


class HeldSends(Protocol):
    """The part of :class:`~pplx_tui.ui.screens.send_hold.SendHold` answers ending use."""

    def answer_ended(self) -> None:
        """An answer ended (the line about a question held back may speak of it)."""


class AnsweringHost(Protocol):
    """The part of the workspace that answers working in several chats use."""

    chat: Chat
    app: PplxApp
    conversation: Conversation
    chat_list: ChatList
    header: StatusHeader
    prompt: PromptInput
    panes: Panes
    saver: ChatSaver
    spending: Spending
    alternatives: AnswerWatcher
    send_hold: HeldSends

    def notify(
        self,
        message: str,
        *,
        severity: SeverityLevel = ...,
        timeout: float = ...,
        markup: bool = ...,
    ) -> None:
        """Tell the user something."""

    def set_interval(self, interval: float, callback: Callable[[], object]) -> Timer:
        """Call ``callback`` every ``interval`` seconds."""
        ...

    def run_worker(self, work: Coroutine[Any, Any, None], **options: Any) -> object:
        """Run ``work`` as a worker of the screen."""
        ...

    def refresh_bindings(self) -> None:
        """The keys that apply changed."""

    async def show_chat(self, chat: Chat) -> None:
        """Show ``chat`` in the conversation."""
