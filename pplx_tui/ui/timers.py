"""One-shot timers that fire late rather than never.

Textual's ``set_timer`` (8.2) makes a timer that skips the ticks it is late for: a one-shot
timer whose task first looks at the clock after its delay has passed (the process descheduled
on a loaded machine) is late for its only tick and never calls back. The app's resize waits on
such a timer (1/120 s): once one was missed, no resize reached the screen again (seen in the
test suite under load). So do the answer writer's next step (1 ms: its text stalled until the
stream ended), the progress line's next draw and the saver's retry.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.timer import Timer

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

    _Pump = MessagePump
else:
    _Pump = object  # a plain mixin at run time: Textual's class set-up stays the pump's

__all__ = ["LateTimersFire"]


class LateTimersFire(_Pump):
    """Mixed into a message pump (before it): its one-shot timers fire however late."""

    def set_timer(
        self,
        delay: float,
        callback: Callable[[], Any] | None = None,
        *,
        name: str | None = None,
        pause: bool = False,
    ) -> Timer:
        """:meth:`~textual.message_pump.MessagePump.set_timer`, with no tick skipped."""
        timer = Timer(
            self,
            delay,
            name=name,
            callback=None if callback is None else partial(self.call_next, callback),
            repeat=0,
            skip=False,
            pause=pause,
        )
        timer._start()
        self._timers.add(timer)
        return timer
