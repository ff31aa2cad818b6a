"""Which of the conversation's keys can act now: the key bar offers only those (QA-17: an
empty conversation listed eight answer keys; the related questions listed ``o`` / ``c``, which
only said "Move to a citation first"), and those it adds on a wide terminal only where they
do something (:func:`offered_on`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pplx_tui.ui.widgets.answer_keys import ANSWER_BINDINGS, ASK_AGAIN_BINDING
from pplx_tui.ui.widgets.reading import READING_BINDINGS

if TYPE_CHECKING:
    from textual.widget import Widget

    from pplx_tui.models import Chat
    from pplx_tui.ui.widgets.message_view import AnswerView

__all__ = ["can_act", "offered_on"]

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


def _has_versions(view: AnswerView, chat: Chat | None) -> bool:
    """Whether the question ``view`` answers has been edited (has other versions)."""
    message = view.message
    if chat is None or message is None:
        return False
    try:
        return len(chat.alternatives(chat.parent_key(message))) > 1
    except KeyError:  # (not in the chat: an answer being written)
        return False


_ASKING_AGAIN = frozenset(
    {
        "retry",
        "answer('other_model')",
        "answer('other_search')",
        "answer('edit_question')",
        "answer('compare')",
    }
)
"""Actions that ask the answer's question again: they only say "Wait for this answer to end"
on one still streaming."""


def offered_on(action: str, view: AnswerView | None, chat: Chat | None) -> bool:
    """Whether the key bar offers ``action`` on the selected answer ``view`` of ``chat``: the
    keys that ask its question again once it has ended (QA: ``r Ask again`` showed on a
    streaming answer, where it did nothing); of the keys it adds when it has room, versions of
    an edited question only, related questions and images where the answer has some."""
    from pplx_tui.ui.widgets.answer_extras import web_images

    message = view.message if view is not None else None
    if action in _ASKING_AGAIN:
        return message is not None
    if action in ("answer('next_version')", "answer('previous_version')"):
        return view is not None and _has_versions(view, chat)
    if action == "focus_related":
        return message is not None and bool(message.related_questions)
    if action == "focus_images":
        return message is not None and bool(web_images(message.images))
    return True
