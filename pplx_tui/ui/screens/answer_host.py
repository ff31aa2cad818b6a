"""What the alternatives and comparisons ask of the workspace (the research screen)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from pplx_tui.models import Chat, Message, MessageStatus, SearchSettings
    from pplx_tui.session import Target
    from pplx_tui.ui.app import PplxApp
    from pplx_tui.ui.screens.answer_stream import AnswerStream
    from pplx_tui.ui.widgets.conversation import Conversation
    from pplx_tui.ui.widgets.message_view import AnswerView
    from pplx_tui.ui.widgets.prompt import PromptInput
    from pplx_tui.ui.widgets.status_header import StatusHeader

__all__ = ["AnswerHost"]


class AnswerHost(Protocol):
    """The part of the workspace that alternatives use (the research screen)."""

    chat: Chat
    app: PplxApp
    conversation: Conversation
    prompt: PromptInput
    header: StatusHeader

    @property
    def target(self) -> Target:
        """Where the next question goes."""
        ...

    def notify(self, message: str, *, severity: SeverityLevel = ..., timeout: float = ...) -> None:
        """Tell the user something."""

    def refresh_bindings(self) -> None:
        """The keys that apply changed."""

    def save_chat(self) -> None:
        """Save the open chat."""

    async def stop_answer(self) -> None:
        """Stop every answer streaming now, keeping what arrived."""

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
