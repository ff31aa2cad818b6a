"""The workspace's widgets, one family per module, each with its own ``DEFAULT_CSS``.

Names are imported on first use: the Markdown machinery behind the message views is not
needed for the first frame of an empty chat.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pplx_tui.ui.widgets.chat_list import ChatEntry, ChatList
    from pplx_tui.ui.widgets.conversation import Conversation
    from pplx_tui.ui.widgets.key_bar import KeyBar
    from pplx_tui.ui.widgets.message_view import AnswerView, QuestionView
    from pplx_tui.ui.widgets.prompt import PromptInput
    from pplx_tui.ui.widgets.sources_panel import SourceList, SourcesPanel
    from pplx_tui.ui.widgets.status_header import StatusHeader

_MODULES = {
    "AnswerView": "message_view",
    "ChatEntry": "chat_list",
    "ChatList": "chat_list",
    "Conversation": "conversation",
    "KeyBar": "key_bar",
    "PromptInput": "prompt",
    "QuestionView": "message_view",
    "SourceList": "sources_panel",
    "SourcesPanel": "sources_panel",
    "StatusHeader": "status_header",
}
__all__ = [
    "AnswerView",
    "ChatEntry",
    "ChatList",
    "Conversation",
    "KeyBar",
    "PromptInput",
    "QuestionView",
    "SourceList",
    "SourcesPanel",
    "StatusHeader",
]


def __getattr__(name: str) -> Any:
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_MODULES[name]}"), name)
