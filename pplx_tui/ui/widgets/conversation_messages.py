"""What the :class:`~pplx_tui.ui.widgets.conversation.Conversation` tells the panes and the
workspace: the selected answer changed, a source of it is asked for, or a key on it asks for
something only the workspace does (a dialog, asking again).

Their handlers keep the names they had as the conversation's own classes
(``on_conversation_answer_selected``, …): each message is in the ``conversation`` namespace.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from textual.widget import Widget

    from pplx_tui.ui.widgets.message_view import AnswerView

__all__ = [
    "AnswerActionRequested",
    "AnswerSelected",
    "AskAgainRequested",
    "ConversationMessage",
    "SourceRequested",
]


class ConversationMessage(Message, namespace="conversation"):
    """Base of the messages the conversation sends."""

    def __init__(self, conversation: Widget) -> None:
        super().__init__()
        self.conversation = conversation

    @property
    def control(self) -> Widget:
        return self.conversation


class AnswerSelected(ConversationMessage, namespace="conversation"):
    """The selected answer changed (its sources should be shown)."""

    def __init__(self, conversation: Widget, view: AnswerView | None) -> None:
        super().__init__(conversation)
        self.view = view


class AnswerActionRequested(ConversationMessage, namespace="conversation"):
    """A key asked for ``action`` (one of ``ANSWER_ACTIONS``) on the selected answer."""

    def __init__(self, conversation: Widget, view: AnswerView, action: str) -> None:
        super().__init__(conversation)
        self.view = view
        self.action = action


class AskAgainRequested(ConversationMessage, namespace="conversation"):
    """``r`` on ``view``: its question should be asked again once the user says yes to
    ``text`` (the workspace asks; a widget opens no dialog)."""

    def __init__(self, conversation: Widget, view: AnswerView, text: str) -> None:
        super().__init__(conversation)
        self.view = view
        self.text = text


class SourceRequested(ConversationMessage, namespace="conversation"):
    """Source ``number`` of the selected answer should be highlighted (a marker or digit)."""

    def __init__(self, conversation: Widget, number: int) -> None:
        super().__init__(conversation)
        self.number = number
