"""What becomes of a comparison's answers: the column later questions follow, the tries set
aside, and what the toasts say when answers fail or columns are asked again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pplx_tui.sanitize import clean_line
from pplx_tui.ui.widgets.stay_behind import later_questions
from pplx_tui.values import MessageStatus

if TYPE_CHECKING:
    from pplx_tui.models import Chat, Message
    from pplx_tui.session import Target

__all__ = ["UNFINISHED", "asked_again_text", "failed_text", "follow_an_answer", "set_aside"]

UNFINISHED = (MessageStatus.ERROR, MessageStatus.INTERRUPTED)
"""An answer that failed, broke off or was stopped."""


def failed_text(failed: int, compared: int) -> str:
    """The toast when ``failed`` of ``compared`` answers failed (never "the others are kept"
    when there are none)."""
    if failed < compared:
        return f"{failed} of the {compared} compared answers failed; the others are kept."
    return (
        "Both compared answers failed."
        if compared == 2
        else f"All {compared} compared answers failed."
    )


def asked_again_text(asked: list[tuple[Message, Target, bool]], keys: str, later: int) -> str:
    """The toast when the columns of ``asked`` (each answer replaced, the target asked in its
    place, and whether the answer is set aside) are asked again: where, what became of the
    answers replaced (``keys``: those that show the alternatives, ``a / A``), and of the
    ``later`` questions that followed them."""
    names = " and ".join(
        clean_line(target.model.id)
        + (
            ""
            if target.model.id == message.model
            else f" (in place of {clean_line(message.model or '')})"
        )
        for message, target, _ in asked
    )
    one = len(asked) == 1
    unfinished = sum(1 for _, _, aside in asked if aside)
    if not unfinished:
        failed = one and asked[0][0].status in UNFINISHED
        kept = (
            f"the {'failed try' if failed else 'earlier answer'} stays an alternative ({keys})"
            if one
            else f"the earlier answers stay alternatives ({keys})"
        )
    elif unfinished == len(asked):
        kept = (
            "the failed try is set aside (kept in the chat's exports)"
            if one
            else "the failed tries are set aside (kept in the chat's exports)"
        )
    else:
        tries = "try is" if unfinished == 1 else "tries are"
        others = (
            "other stays an alternative"
            if len(asked) - unfinished == 1
            else "others stay alternatives"
        )
        kept = f"the failed {tries} set aside, the {others} ({keys})"
    if later:
        kept += f"; {later_questions(later)} with {'it' if one else 'them'}"
    return f"Asking {names} again in {'its column' if one else 'their columns'}; {kept}."


def follow_an_answer(answers: list[Message | None], current: int) -> int:
    """The column later questions follow among a comparison's ``answers``: ``current``, or
    when its answer ended without finishing (it failed, broke off or was stopped), the first
    that finished: later questions carried no answer (or half of one) beside an answer in
    full."""
    message = answers[current]
    if message is None or message.status == MessageStatus.COMPLETE:
        return current
    finished = [
        n for n, m in enumerate(answers) if m is not None and m.status == MessageStatus.COMPLETE
    ]
    return finished[0] if finished else current


def set_aside(chat: Chat, message: Message) -> bool:
    """Whether ``message``, asked again in its column, is set aside (``Message.retired``): it
    failed, broke off or was stopped, and no question follows it."""
    return message.status in UNFINISHED and not message.running and not chat.children(message.id)
