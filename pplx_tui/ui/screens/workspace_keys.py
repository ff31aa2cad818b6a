"""The workspace's keys.

Each binding has an id (remap its key under ``[keymap]`` in config.toml: the key bar and the
command palette then name the new key) and a tooltip (the palette's help text).
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

__all__ = ["OPEN_DIALOGS", "WORKSPACE_BINDINGS", "WORKSPACE_MORE"]

WORKSPACE_BINDINGS: list[BindingType] = [
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
        id="research.focus_prompt",  # in the key bar only while a question is edited
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
        tooltip="Search the saved chats (Escape in the search box or the chat list ends the "
        "search, as a new chat does)",
    ),
    Binding(
        "question_mark,f1",
        "keys",
        "Keys",
        id="research.keys",
        show=False,
        tooltip="All the app's keys, by where they work",
    ),
    Binding(
        "ctrl+r",
        "retry",
        "Retry",
        id="research.retry",
        tooltip="Ask the last question again, the earlier answer kept as an alternative "
        "(after a comparison: each column that failed or stopped, in its place); on the key "
        "bar when the last answer failed or stopped",
    ),
    Binding(
        "ctrl+t",
        "compare",
        "Compare",
        id="research.compare",
        show=False,
        tooltip="Ask the question in the box (or the selected answer's) of 2 or 3 models",
    ),
    Binding(
        "ctrl+g",
        "search_settings",
        "Search settings",
        id="research.search_settings",
        show=False,  # in the palette ("Search settings") and the README
        tooltip="Recency, dates, domains, mode, context size, no web search, related "
        "questions, images",
    ),
]

OPEN_DIALOGS = frozenset(
    {"research.search_settings", "research.compare", "research.keys", "app.pick_model"}
)
"""Ids of the workspace's and the app's keys that open a dialog (not a priority key: ctrl+k
runs as it arrives anyway). The question box, the conversation and the sources panel run them
as they arrive, so that the keys typed after one go to its dialog."""

WORKSPACE_MORE = ("research.compare", "research.search_settings", "research.search_chats")
"""The workspace's keys the key bar adds when it has room (after the focused widget's)."""
