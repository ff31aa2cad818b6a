"""Which of the conversation's keys can act now: the key bar offers only those (QA-17: an
empty conversation listed eight answer keys; the related questions listed ``o`` / ``c``, which
only said "Move to a citation first")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pplx_tui.ui.widgets.answer_keys import ANSWER_BINDINGS, ASK_AGAIN_BINDING
from pplx_tui.ui.widgets.reading import READING_BINDINGS

if TYPE_CHECKING:
    from textual.widget import Widget

__all__ = ["can_act"]

_ON_AN_ANSWER = frozenset(
    binding.action.split("(")[0]
    for binding in (*READING_BINDINGS, ASK_AGAIN_BINDING, *ANSWER_BINDINGS)
)
"""Actions (names without arguments) that act on the selected answer only."""
_ON_THE_CURSOR = frozenset({"open_target", "copy_target"})
"""Actions that act on the citation or link the reading cursor is on."""


def can_act(
    action: str, selected: object, cursor: object, finding: bool, focused: Widget | None
) -> bool:
    """Whether ``action`` acts: no answer key while no answer is ``selected`` (n / p still
    step through finds while ``finding``); in the related questions (Enter asks one) no
    ``o`` / ``c`` while the reading ``cursor`` marks nothing."""
    if action in _ON_AN_ANSWER and selected is None:
        return action == "marker" and finding
    if action in _ON_THE_CURSOR and cursor is None:
        return focused is None or not focused.has_class("answer-extras--related")
    return True
