"""What the user is told when one of the workspace's answers ends (:meth:`~pplx_tui.ui.screens.
answering.Answering.ended`): a background run that could not be checked, or an answer in a
chat not on screen that failed, broke off, was stopped elsewhere or is ready. A notification
says so, and :func:`tell_ended` returns the chat list's mark for the chat (its unseen end).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pplx_tui.runs import LOST
from pplx_tui.sanitize import clean_line
from pplx_tui.ui.keys_in_force import key_named
from pplx_tui.ui.widgets.answer_lines import broke_off
from pplx_tui.ui.widgets.chat_rows import NEW_ANSWER
from pplx_tui.values import MessageStatus

if TYPE_CHECKING:
    from pplx_tui.models import Message
    from pplx_tui.ui.screens.answer_host import AnsweringHost
    from pplx_tui.ui.screens.answer_stream import AnswerStream

__all__ = ["tell_ended"]


def tell_ended(
    screen: AnsweringHost, answer: AnswerStream, message: Message, status: MessageStatus | None
) -> str | None:
    """Say how ``answer``, kept as ``message`` (``status``: the user stopped it), ended; the
    mark its chat gets in the chat list, or ``None`` (on screen, or nothing to tell)."""
    mark: str | None = None
    title = clean_line(answer.chat.title) or "a chat"
    if message.running:
        # Polling failed; the run goes on at the provider's: nothing is ready.
        if answer.chat.id != screen.chat.id:
            mark = "run not checked"
        screen.notify(
            f"The background run in “{title}” could not be checked: {answer.error} "
            f"{key_named(screen.app, 'research.retry')} in that chat checks it again.",
            severity="warning",
            timeout=10,
            markup=False,
        )
    elif answer.chat.id != screen.chat.id and status is None:
        if message.run is not None and message.run.status == LOST:
            mark = "run lost"  # (as `pplx runs` says)
            screen.notify(
                f"The background run in “{title}” was lost: {message.error}",
                severity="warning",
                timeout=8,
                markup=False,
            )
        elif message.status == MessageStatus.ERROR or broke_off(message):
            how = "failed" if message.status == MessageStatus.ERROR else "broke off"
            mark = f"answer {how}"
            screen.notify(
                f"The answer in “{title}” {how}: {message.error}",
                severity="warning",
                timeout=8,
                markup=False,
            )
        elif message.status == MessageStatus.INTERRUPTED:
            # Stopped, not by this app's user: its run was cancelled in another window.
            mark = "answer stopped"
            screen.notify(
                f"The answer in “{title}” was stopped elsewhere (its background run was "
                "cancelled); what it found is kept.",
                severity="warning",
                timeout=8,
                markup=False,
            )
        else:
            mark = NEW_ANSWER
            screen.notify(f"The answer in “{title}” is ready.", timeout=5, markup=False)
    return mark
