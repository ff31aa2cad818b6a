"""What asking an earlier answer's question again says about the turns after that answer.

The new answer starts a line of its own (an alternative, README "Alternatives, branches and
side-by-side comparisons"); the questions that followed the earlier answer stay with it, out of
view until ``a`` / ``A`` show it again. Shown without a word they looked lost (QA), so the
dialogs that ask again say so first (``r``'s, ``m``'s) and the toast after says where they are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pplx_tui.models import Chat, Message

__all__ = ["asked_again", "later_questions", "stay_behind"]

_ASKED_AGAIN = "Asked again; the earlier answer is kept ({keys} switch between them)."
_ASKED_AGAIN_BEHIND = "Asked again; {later} with answer {place} ({keys} switch)."
_STAY_BEHIND = "{later} with the earlier answer ({keys} switch)."


def later_questions(count: int) -> str:
    """ "the 3 later questions stay" (or "the later question stays")."""
    return "the later question stays" if count == 1 else f"the {count:,} later questions stay"


def stay_behind(chat: Chat, answer: Message | None, keys: str) -> str | None:
    """The line for a dialog that would ask ``answer``'s question again: "The 3 later
    questions stay with the earlier answer (a / A switch)."; ``None`` when none follow it."""
    if answer is None or not (later := chat.questions_after(answer.id)):
        return None
    note = _STAY_BEHIND.format(later=later_questions(later), keys=keys)
    return note[0].upper() + note[1:]


def asked_again(chat: Chat, answer: Message | None, keys: str) -> str:
    """The toast once ``answer``'s question is asked again (said before the new answer is
    one of its alternatives): where the later questions are, if any."""
    if answer is None or not (later := chat.questions_after(answer.id)):
        return _ASKED_AGAIN.format(keys=keys)
    answers = chat.alternatives(answer.id)
    place = f"{answers.index(answer) + 1}/{len(answers) + 1}"  # with the new one
    return _ASKED_AGAIN_BEHIND.format(later=later_questions(later), place=place, keys=keys)
