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
    from pplx_tui.ui.screens.ready_notice import ReadyNotice

__all__ = ["tell_ended", "tell_unseen_end"]


def tell_ended(
    screen: AnsweringHost,
    answer: AnswerStream,
    message: Message,
    status: MessageStatus | None,
    ready: ReadyNotice,
) -> str | None:
    """Say how ``answer``, kept as ``message`` (``status``: the user stopped it), ended; the
    mark its chat gets in the chat list, or ``None`` (on screen, or nothing to tell). An answer
    ready is said in ``ready`` (with others ready meanwhile); a warning shares the app's toast
    of warnings (:mod:`~pplx_tui.ui.warning_fold`): runs picked up at start end together."""
    mark: str | None = None
    title = clean_line(answer.chat.title) or "a chat"
    if message.running:
        # Polling failed; the run goes on at the provider's: nothing is ready.
        if answer.chat.id != screen.chat.id:
            mark = "run not checked"
        screen.app.warnings.warn(
            f"The background run in “{title}” could not be checked: {answer.error} "
            f"{key_named(screen.app, 'research.retry')} in that chat checks it again."
        )
    elif answer.chat.id != screen.chat.id and status is None:
        mark = tell_unseen_end(screen, title, message, ready)
    return mark


def tell_unseen_end(screen: AnsweringHost, title: str, message: Message, ready: ReadyNotice) -> str:
    """Say how ``message``, the answer in the chat ``title`` (not on screen), ended, here or
    in another process; the chat's mark in the chat list."""
    if message.run is not None and message.run.status == LOST:
        screen.app.warnings.warn(f"The background run in “{title}” was lost: {message.error}")
        return "run lost"  # (as `pplx runs` says)
    if message.status == MessageStatus.ERROR or broke_off(message):
        how = "failed" if message.status == MessageStatus.ERROR else "broke off"
        screen.app.warnings.warn(f"The answer in “{title}” {how}: {message.error}")
        return f"answer {how}"
    if message.status == MessageStatus.INTERRUPTED:
        # Stopped, not by this app's user: its run was cancelled in another window.
        screen.app.warnings.warn(
            f"The answer in “{title}” was stopped elsewhere (its background run was "
            "cancelled); what it found is kept."
        )
        return "answer stopped"
    ready.add(title)
    return NEW_ANSWER
