"""A question sent while the chat's answer is still streaming waits for a second Enter.

Sending stops the answer being written (what arrived is kept, marked interrupted), and that
answer is paid for: QA found it thrown away by an Enter meant for nothing more than a next
question. The first Enter sends nothing: the question stays in the box and one line says the
answer is still being written, what a second Enter does and the key that only stops it. An
Enter again within :data:`HOLD_SECONDS`, in the same chat, sends (and stops the answer).
Background runs are held back by :meth:`Answering.still_researching` instead.
"""

from __future__ import annotations

from time import monotonic
from typing import TYPE_CHECKING

from pplx_tui.ui.guarded_app import notify_replacing, unnotify_replacing
from pplx_tui.ui.keys_in_force import key_named

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from pplx_tui.ui.screens.answer_host import AnswerHost
    from pplx_tui.ui.screens.answer_stream import AnswerStream

__all__ = ["HOLD_SECONDS", "SendHold"]

HOLD_SECONDS = 5.0

_HELD_NOTICE = "send-held"
"""The key of the line that says a question was held back (see ``notify_replacing``)."""


class SendHold:
    """Holds back the first question sent while ``screen``'s open chat is answering."""

    def __init__(self, screen: AnswerHost, compared: Callable[[], Sequence[AnswerStream]]) -> None:
        self.screen = screen
        self._compared = compared
        """The compared answers streaming now."""
        self._held: tuple[str, float] | None = None
        """The chat whose question was held back last, and when."""

    def holds(self, question: str) -> bool:
        """Whether ``question`` waits (it goes back into the question box, and a line says
        why); False when nothing streams in the open chat, or on the second Enter."""
        screen = self.screen
        chat_id = screen.chat.id
        if not self._streaming():
            return False
        now = monotonic()
        held, self._held = self._held, (chat_id, now)
        if held is not None and held[0] == chat_id and now - held[1] <= HOLD_SECONDS:
            self._held = None
            return False
        app = screen.app
        submit, stop = key_named(app, "prompt.submit"), key_named(app, "research.stop")
        screen.prompt.load_text(question)
        notify_replacing(
            screen.conversation,
            _HELD_NOTICE,
            f"The answer is still being written: {submit} again sends this and stops it "
            f"({stop} only stops it).",
            severity="warning",
            timeout=HOLD_SECONDS,
        )
        return True

    def answer_ended(self) -> None:
        """An answer ended: once none of the open chat's streams, the line saying a second
        Enter stops it goes (QA: it stood beside "Stopped here" after Escape), and the next
        Enter sends at once."""
        if not self._streaming():
            self._held = None
            unnotify_replacing(self.screen.conversation, _HELD_NOTICE)

    def _streaming(self) -> bool:
        """Whether an answer (or a compared column) of the open chat is still streaming."""
        # Imported here: the answering machinery loads after the first frame, and any answer
        # streaming now means it has loaded.
        from pplx_tui.ui.screens.run_follower import RunFollower

        screen = self.screen
        answers = [screen.pending, *self._compared()]
        return any(
            answer is not None
            and answer.chat is screen.chat
            and not answer.finished
            and not isinstance(answer, RunFollower)
            for answer in answers
        )
