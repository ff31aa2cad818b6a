"""Cycling (``a`` / ``A``, and the version keys): show the next or previous alternative of an
answer, or version of a question (an edit), with the turns that followed it.

The choice is saved (``Chat.choose``): it is what later questions carry as context. Used by
:class:`~pplx_tui.ui.screens.alternatives.Alternatives`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pplx_tui.ui.guarded_app import notify_replacing, unnotify_replacing
from pplx_tui.ui.keys_in_force import ALTERNATIVE_KEYS, key_named, keys_named
from pplx_tui.ui.widgets.stay_behind import later_questions

if TYPE_CHECKING:
    from textual.widget import Widget

    from pplx_tui.models import Message
    from pplx_tui.ui.screens.answer_host import AnswerHost
    from pplx_tui.ui.widgets.conversation import Conversation
    from pplx_tui.ui.widgets.message_view import AnswerView

__all__ = ["cycle", "cycle_versions"]


async def cycle(screen: AnswerHost, view: AnswerView, step: int, *, comparing: bool) -> None:
    """Show the alternative after (``step`` 1) or before (-1) the one later questions follow
    among those of the answer ``view`` (in a comparison, the column selected may be another),
    or ``view``'s own (0: a comparison's column clicked on its switcher line)."""
    chat = screen.chat
    if view.message is None:
        screen.notify("Wait for this answer to end (Esc stops it).", timeout=3)
        return
    if comparing:
        screen.notify("Wait for the comparison to end (Esc stops it).", timeout=3)
        return
    siblings = chat.alternatives(view.message.id)
    if len(siblings) < 2:
        other, again = (
            key_named(screen.app, f"conversation.{n}") for n in ("other_model", "retry")
        )
        screen.notify(
            f"This answer has no alternatives yet: {other} asks another model, {again} asks again.",
            timeout=4,
        )
        return
    shown_ids = chat.chosen_ids()
    left = next((m for m in siblings if m.id in shown_ids), view.message)
    # From the answer followed, not the column selected: a comparison's columns are all shown,
    # and from another one the first press could land on the one followed (QA).
    start = view.message if step == 0 else left
    chosen = siblings[(siblings.index(start) + step) % len(siblings)]
    hidden = chat.questions_after(left.id)
    chat.choose(chosen.id)
    conversation = screen.conversation
    views = await conversation.replace_from(view, [chosen, *chat.path_from(chosen.id)], chat)
    if views:  # show the start of the answer now shown, where its label says "2/3"
        _scroll_to_start(conversation, views[0])
    screen.save_chat()
    places = [f"{siblings.index(m) + 1}/{len(siblings)}" for m in (left, chosen)]
    keys = keys_named(screen.app, *ALTERNATIVE_KEYS)
    said = _switched(hidden, chat.questions_after(chosen.id), *places, keys)
    if chosen is not left and said:
        notify_replacing(screen.conversation, "alternative-switched", said)
    else:  # a note of the last switch would speak of an answer no longer shown
        unnotify_replacing(screen.conversation, "alternative-switched")


def _switched(hidden: int, shown: int, left: str, now: str, keys: str) -> str | None:
    """What switching from answer ``left`` to answer ``now`` did to the questions after them
    (``hidden``: those that followed ``left``, ``shown``: those that follow ``now``); ``None``
    when neither had any (QA: turns went and came back without a word)."""
    if not hidden and not shown:
        return None
    if not shown:
        return f"Answer {now} has no later questions; {later_questions(hidden)} with answer {left}."
    questions = "later question" if shown == 1 else f"{shown:,} later questions"
    said = f"Answer {now} and its {questions} are shown"
    if hidden:
        return f"{said}; {later_questions(hidden)} with answer {left}."
    return f"{said} ({keys} switch)."


async def cycle_versions(screen: AnswerHost, question: Message, step: int) -> None:
    """Show the next (``step`` 1) or previous (-1) version of ``question`` (an edit), with
    the answers and turns that followed that version."""
    chat = screen.chat
    versions = chat.alternatives(question.id)
    if len(versions) < 2:
        edit = key_named(screen.app, "conversation.edit_question")
        screen.notify(f"This question has one version: {edit} edits it.", timeout=3)
        return
    if not await screen.make_way():
        return
    chosen = versions[(versions.index(question) + step) % len(versions)]
    chat.choose(chosen.id)
    conversation = screen.conversation
    shown = [v for v in conversation.query("QuestionView") if v.message is question]
    if not shown:  # scrolled out of the mounted page: show the line from the start
        await conversation.show_messages(chat.active_path(), chat)
    else:
        views = await conversation.replace_from(
            shown[0], [chosen, *chat.path_from(chosen.id)], chat
        )
        _scroll_to_start(conversation, views[0])
    screen.save_chat()


def _scroll_to_start(conversation: Conversation, turn: Widget) -> None:
    """Scroll so that ``turn`` (just mounted) starts at the top, once it has been laid out;
    the conversation stops following the bottom until the next question anchors it again."""
    conversation.anchor(False)

    def scroll() -> None:
        if conversation.max_scroll_y <= 0:
            conversation.anchor()  # it all fits: sit at the bottom, as a short chat does
            # Textual puts an anchored view's bottom in place only when it lays it out, and
            # anchor() scrolls nothing in a view that fits: without a layout the view kept the
            # offset of the shorter turns shown before (scroll_y -27 for -19), drawing the
            # last turns below its bottom edge.
            conversation.refresh(layout=True)
            return
        top = min(turn.virtual_region.y, conversation.max_scroll_y)
        conversation.scroll_to(y=top, animate=False, immediate=True)

    # Two refreshes: the new turns' heights are known only after their first layout.
    conversation.call_after_refresh(conversation.call_after_refresh, scroll)
