"""The workspace's widgets, one family per module, each with its own ``DEFAULT_CSS``."""

from pplx_tui.ui.widgets.chat_list import ChatEntry, ChatList
from pplx_tui.ui.widgets.conversation import Conversation
from pplx_tui.ui.widgets.message_view import AnswerView, QuestionView
from pplx_tui.ui.widgets.prompt import PromptInput
from pplx_tui.ui.widgets.sources_panel import SourceItem, SourcesPanel
from pplx_tui.ui.widgets.status_header import StatusHeader

__all__ = [
    "AnswerView",
    "ChatEntry",
    "ChatList",
    "Conversation",
    "PromptInput",
    "QuestionView",
    "SourceItem",
    "SourcesPanel",
    "StatusHeader",
]
