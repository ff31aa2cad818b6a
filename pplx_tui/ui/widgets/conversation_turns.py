"""The turns of a conversation: which widget shows a message, and what a turn shows.

A turn is a question, an answer, or a comparison of answers side by side (whose *current*
column stands for it wherever one message or answer per turn is wanted).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.widget import Widget

    from pplx_tui.models import Chat, Message
    from pplx_tui.ui.widgets.message_view import AnswerView

__all__ = ["answer_of", "message_of", "turn_for"]


def turn_for(message: Message, chat: Chat | None, places: Mapping[str, tuple[int, int]]) -> Widget:
    """The widget that shows ``message`` of ``chat``; ``places`` numbers alternatives ("2/3")."""
    # Imported here: the Markdown machinery is not needed for an empty chat's first frame.
    from pplx_tui.ui.widgets.message_view import AnswerView
    from pplx_tui.ui.widgets.question_view import QuestionView

    place = places.get(message.id)
    if message.role == "user":
        return QuestionView(message, place)
    if chat is not None and message.comparison is not None:
        group = chat.compared_with(message.id)
        if len(group) > 1:
            from pplx_tui.ui.widgets.comparison import Comparison

            columns = [AnswerView(m, place=places.get(m.id)) for m in group]
            return Comparison(columns, group.index(message))
    return AnswerView(message, place=place)


def _current(turn: Widget) -> Widget:
    columns = getattr(turn, "views", None)  # a comparison
    if columns:
        return columns[min(getattr(turn, "current", 0), len(columns) - 1)]
    return turn


def message_of(turn: Widget) -> Message | None:
    """The message a turn shows (a comparison's current column's)."""
    return getattr(_current(turn), "message", None)


def answer_of(turn: Widget) -> AnswerView | None:
    """The answer a turn shows (a comparison's current column), if it is an answer."""
    from pplx_tui.ui.widgets.message_view import AnswerView

    shown = _current(turn)
    return shown if isinstance(shown, AnswerView) else None
