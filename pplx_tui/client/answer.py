"""Fold a stream's events into the pieces of one assistant :class:`Message`.

The CLI and the TUI both feed every event to an :class:`AnswerBuilder` and build the message
to save with :meth:`AnswerBuilder.to_message` (also after an error: the partial answer is kept).
A builder is made as its question is sent: the message's ``created_at`` is that moment, its
``finished_at`` when the message is made (the answer ended).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pplx_tui.client.events import (
    Done,
    ImagesUpdate,
    ReasoningDelta,
    RelatedQuestions,
    SearchNotSent,
    SearchProgress,
    SourcesUpdate,
    StreamEvent,
    TextDelta,
    UsageUpdate,
)
from pplx_tui.values import Image, MessageStatus, SearchSettings, Source, Usage, utc_now

if TYPE_CHECKING:
    from datetime import datetime

    from pplx_tui.models import Message


class AnswerBuilder:
    """Accumulates text and reasoning; keeps the latest sources, images, questions, usage."""

    __slots__ = (
        "_content",
        "_reasoning",
        "done",
        "finish_reason",
        "images",
        "progress",
        "related_questions",
        "search_not_sent",
        "sources",
        "started_at",
        "usage",
    )

    def __init__(self) -> None:
        self.started_at: datetime = utc_now()
        """When the answer began (the builder is made as the question is sent)."""
        self._content: list[str] = []
        self._reasoning: list[str] = []
        self.sources: tuple[Source, ...] = ()
        self.images: tuple[Image, ...] = ()
        self.related_questions: tuple[str, ...] = ()
        self.usage: Usage | None = None
        self.finish_reason: str | None = None
        self.done = False
        self.progress: SearchProgress | None = None
        """The last search progress (thought, queries, result count), for a status line."""
        self.search_not_sent: dict[str, str] = {}

    def add(self, event: StreamEvent) -> None:
        """Fold one event in."""
        if isinstance(event, TextDelta):
            self._content.append(event.text)
        elif isinstance(event, ReasoningDelta):
            self._reasoning.append(event.text)
        elif isinstance(event, SourcesUpdate):
            self.sources = event.sources
        elif isinstance(event, UsageUpdate):
            self.usage = event.usage
        elif isinstance(event, ImagesUpdate):
            self.images = event.images
        elif isinstance(event, RelatedQuestions):
            self.related_questions = event.questions
        elif isinstance(event, SearchProgress):
            self.progress = event
        elif isinstance(event, SearchNotSent):
            self.search_not_sent = dict(event.options)
        elif isinstance(event, Done):
            self.done = True
            self.finish_reason = event.finish_reason

    @property
    def content(self) -> str:
        if len(self._content) > 1:
            self._content[:] = ["".join(self._content)]
        return self._content[0] if self._content else ""

    @property
    def answered(self) -> bool:
        """Whether answer text came: more than whitespace (reasoning is no answer)."""
        return bool(self.content.strip())

    @property
    def reasoning(self) -> str:
        if len(self._reasoning) > 1:
            self._reasoning[:] = ["".join(self._reasoning)]
        return self._reasoning[0] if self._reasoning else ""

    def to_message(
        self,
        provider: str,
        model: str,
        search: SearchSettings | None = None,
        status: MessageStatus | None = None,
        error: str | None = None,
    ) -> Message:
        """The assistant message; ``status`` defaults to complete if :class:`Done` arrived,
        to error if ``error`` is given, else interrupted.

        The pydantic model is imported here, on first use: ``pplx ask`` prints an answer from
        the builder itself and makes a message only to save it or print ``--json``."""
        from pplx_tui.models import Message

        if status is None:
            if error:
                status = MessageStatus.ERROR
            elif self.done:
                status = MessageStatus.COMPLETE
            else:
                status = MessageStatus.INTERRUPTED
        return Message(
            role="assistant",
            content=self.content,
            reasoning=self.reasoning,
            sources=list(self.sources),
            related_questions=list(self.related_questions),
            images=list(self.images),
            provider=provider,
            model=model,
            search=search,
            search_not_sent=dict(self.search_not_sent),
            usage=self.usage,
            status=status,
            error=error,
            created_at=self.started_at,
            finished_at=utc_now(),
        )
