"""Full garbage collections wait while an answer is drawn: :func:`hold` and :func:`release`.

A full pass of Python's cyclic collector walks every object made since start-up (among them
the laid-out lines of each answer shown) with the event loop stopped: no frame, no echo of a
typed key. Drawing an answer makes objects fast, so the collector's own rule (a full pass each
time the objects kept have grown by a quarter) ran 4-7 passes of 60-160 ms during one
2,000-5,000-delta answer (profiled, issue 12: a quarter of its CPU, and the longest stalls).
While any answer draws, full passes wait; the young generations are still collected, and with
them most garbage. Once the last answer is drawn and no key has been pressed for
:data:`IDLE` seconds, one full pass runs and the collector's own thresholds come back. (Textual
does the like for smooth scrolling: ``App.PAUSE_GC_ON_SCROLL`` stops the collector altogether.)
"""

from __future__ import annotations

import gc
from time import monotonic
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer

__all__ = ["IDLE", "hold", "holding", "release", "reset"]

IDLE = 1.0
"""Seconds without a key press (and without an answer drawing) before the full pass runs."""
SETTLE = 0.3
"""Seconds at the least between the end of the drawing and the full pass (its last frames)."""
NEVER = 1 << 30
"""A generation-2 threshold the collector never reaches on its own."""

_holders = 0
_saved: tuple[int, ...] | None = None
"""The collector's thresholds while full passes wait."""
_timer: Timer | None = None


def holding() -> bool:
    """Whether full passes are waiting (an answer draws, or the full pass is still due)."""
    return _saved is not None


def hold() -> None:
    """An answer starts drawing: no full pass until every holder has released."""
    global _holders, _saved, _timer
    _holders += 1
    if _timer is not None:
        _timer.stop()
        _timer = None
    if _saved is None:
        _saved = gc.get_threshold()
        gc.set_threshold(_saved[0], _saved[1], NEVER)


def release(app: App[object]) -> None:
    """An answer is drawn (or gone): after the last one, the full pass runs once idle."""
    global _holders
    _holders = max(_holders - 1, 0)
    if _holders or _saved is None:
        return
    if app.is_running and not getattr(app, "_closing", False):
        _wait(app, SETTLE)
    else:  # the app is closing (its timers will not run): the collector's own rule is back
        _restore()


def reset() -> None:
    """Forget every holder and give the collector its thresholds back (a new app, a test)."""
    global _holders, _timer
    _holders = 0
    if _timer is not None:
        _timer.stop()
        _timer = None
    _restore()


def _wait(app: App[object], seconds: float) -> None:
    global _timer
    if _timer is not None:
        _timer.stop()
    _timer = app.set_timer(seconds, lambda: _collect_when_idle(app))


def _collect_when_idle(app: App[object]) -> None:
    global _timer
    _timer = None
    if _holders or _saved is None:
        return
    quiet = monotonic() - getattr(app, "last_key", 0.0)
    if quiet < IDLE and app.is_running:
        _wait(app, IDLE - quiet)
        return
    _restore()
    gc.collect()


def _restore() -> None:
    global _saved
    if _saved is not None:
        gc.set_threshold(*_saved)
        _saved = None
