"""Start-up without the cyclic garbage collector's full passes.

Importing Textual, pydantic and the app allocates hundreds of thousands of long-lived objects,
and every full collection during that walks all of them again (about 80 ms of a ``pplx``
start-up, profiled). :func:`hold` pauses the collector while a command starts; :func:`release`
moves everything alive by then into the permanent generation (:func:`gc.freeze`: later
collections, e.g. while an answer streams, skip it) and starts collecting again. Nothing is
freed less: the objects made while starting live as long as the process anyway.
"""

from __future__ import annotations

import gc

__all__ = ["hold", "release", "resume"]

_held = False


def hold() -> None:
    """Pause the collector until :func:`release` (no-op if it is already paused)."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def release() -> None:
    """Freeze what start-up made and collect again (only if :func:`hold` paused it)."""
    global _held
    if _held:
        _held = False
        gc.freeze()
        gc.enable()


def resume() -> None:
    """Collect again, freezing nothing (a command ends: in a test process, what it left
    behind must stay collectable)."""
    global _held
    if _held:
        _held = False
        gc.enable()
