"""The key that unfolds the selected answer's reasoning (a reasoning model's thinking, folded
above its answer), apart from the answer's widgets: the conversation, in the first frame,
binds it, and the fold's title names it."""

from __future__ import annotations

from textual.binding import Binding

__all__ = ["REASONING_BINDING"]

REASONING_BINDING = Binding(
    # A key of its own (the conversation's, on the selected answer): space, Enter and Right
    # there are the reading keys', and the fold's title took the focus only by Tab (QA).
    "t",
    "toggle_reasoning",
    "Reasoning",
    id="conversation.reasoning",
    tooltip="Unfold or fold the selected answer's reasoning (a reasoning model's thinking)",
)
