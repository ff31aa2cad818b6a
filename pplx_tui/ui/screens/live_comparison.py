"""A comparison still working in one chat, whether that chat is on screen or not.

Its columns' answers (:class:`~pplx_tui.ui.screens.answer_stream.AnswerStream`, a background
run's :class:`~pplx_tui.ui.screens.run_follower.RunFollower`) go on when the user opens another
chat, as an answer alone does: they are kept in their chat as they end, and the
:class:`~pplx_tui.ui.widgets.comparison.Comparison` that showed them is drawn again, with each
column as it is, when the chat is shown again
(:meth:`~pplx_tui.ui.screens.comparisons.Comparisons.attach`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pplx_tui.models import Chat, Message
    from pplx_tui.ui.screens.answer_stream import AnswerStream
    from pplx_tui.ui.widgets.comparison import Comparison

__all__ = ["LiveComparison"]


@dataclass(eq=False)
class LiveComparison:
    """The comparison of ``chat``'s question ``question`` (its id) while its ``streams`` work."""

    chat: Chat
    question: str
    streams: list[AnswerStream]
    """The columns asked (every column, or those asked again in their place)."""
    columns: int
    """How many columns the comparison has."""
    busy: str
    """What the header says while it works in the open chat ("comparing 2 answers…")."""
    widget: Comparison | None = None
    """Its columns on screen; ``None`` while its chat is not shown."""
    current: int = 0
    """The column later questions follow, while :attr:`widget` is ``None``."""
    replaced: list[Message] = field(default_factory=list)
    """The answers of columns asked again, no longer in the comparison."""
    set_aside: frozenset[str] = frozenset()
    """The ids of those of :attr:`replaced` that are set aside (``Message.retired``)."""

    @property
    def comparison_id(self) -> str | None:
        return self.streams[0].comparison if self.streams else None

    @property
    def started(self) -> float:
        """When its first question was sent (the chat list's "⟳ answering" time)."""
        return min(stream.started for stream in self.streams)

    @property
    def finished(self) -> bool:
        return all(stream.finished for stream in self.streams)

    def followed(self) -> int:
        """The column later questions follow."""
        return self.widget.current if self.widget is not None else self.current

    def working_in(self, column: int) -> AnswerStream | None:
        """The answer still working in ``column``, if any."""
        return next(
            (s for s in self.streams if s.column == column and not s.finished),
            None,
        )

    def answers(self) -> list[Message | None]:
        """Each column's answer in the chat (``None`` for one not kept yet), in column order."""
        kept = {
            message.column: message
            for message in self.chat.messages
            if message.comparison is not None and message.comparison == self.comparison_id
        }
        return [kept.get(column) for column in range(self.columns)]

    def detach(self) -> None:
        """Its chat leaves the screen: its answers go on without views."""
        if self.widget is not None:
            self.current = self.widget.current
            self.widget = None
        for stream in self.streams:
            stream.view = None
