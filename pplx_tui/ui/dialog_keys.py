"""Keys typed right after one that opens a dialog go to that dialog, in order, once each.

A terminal hands the app every key of a burst before the first is handled. A key that opens a
dialog is handled in the focused widget's own queue, and the dialog is composed, mounted and
focused a few turns of the event loop later: ``m`` and Enter typed fast on an answer gave the
Enter to the answer (the picker then waited for another), "reasoning" typed after ``m`` lost its
"i" to the answer's ``i`` (a priority key, run as the app reads it), and ctrl+o and
"reasoning" typed in the question box filtered on "easoning" (the "r" reached the picker before
it had its focus).

So the app keeps the keys read after such a key (:class:`KeysWaitForDialogs`) until the widget
that got it has run it (:class:`OpensDialogs`) and the dialog it opened has its focus
(:class:`TakesKeysOnceFocused`); then they go on, in the order typed.
"""

from __future__ import annotations

import asyncio
from typing import Any

from textual import events
from textual.app import App

__all__ = [
    "KEEP_AT_MOST",
    "KeysWaitForDialogs",
    "OpensDialogs",
    "TakesKeysOnceFocused",
    "keys_go_on",
]

KEEP_AT_MOST = 1.0
"""Seconds the keys typed after one that opens a dialog wait for it, at the most (a dialog
opens in a few milliseconds)."""


class TakesKeysOnceFocused:
    """Mixed into a dialog's screen: :meth:`ready_for_keys` waits until it has been mounted and
    has given the focus to the widget its ``on_mount`` chose (or has closed)."""

    _ready: asyncio.Event | None = None

    def _ready_event(self) -> asyncio.Event:
        if self._ready is None:
            self._ready = asyncio.Event()
        return self._ready

    async def ready_for_keys(self) -> None:
        """Wait until a key posted to the app reaches the widget the dialog focuses first."""
        await self._ready_event().wait()

    def _on_mount(self: Any) -> None:
        # The subclass's on_mount has run (a subclass's handler runs before this class's) and
        # asked the app for its focus (``Widget.focus`` is a callback on the app's queue): the
        # app sets it before it runs this one.
        ready = self._ready_event()
        if not self.app.call_later(ready.set):
            ready.set()

    def _on_unmount(self) -> None:
        self._ready_event().set()  # closed: nothing waits for it any longer


class OpensDialogs:
    """A widget some of whose keys open a dialog: it runs them as they arrive, then tells the
    app (:func:`keys_go_on`) once the dialog can take the keys typed after them."""

    def opens_dialog(self, event: events.Key) -> bool:
        """Whether ``event``, handed to this widget, opens a dialog."""
        raise NotImplementedError


async def keys_go_on(app: App[Any]) -> None:
    """A widget has run a key that opens a dialog (or found that it opened none): once the
    dialog on top has its focus, the keys the app kept since go on."""
    if isinstance(dialog := app.screen, TakesKeysOnceFocused):
        await dialog.ready_for_keys()
    if isinstance(app, KeysWaitForDialogs):
        app.let_keys_go()


class KeysWaitForDialogs(App[None]):
    """The app's part that keeps the keys read after one that opens a dialog."""

    _kept: list[events.Key] | None = None

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:  # (as read, not bubbled)
            if self._kept is not None:
                self._kept.append(event)
                return
            if self._opens_dialog(event):
                self._keep()
        await super().on_event(event)

    def _keep(self) -> None:
        """Keep the keys read from now until the widget has run this one (:func:`keys_go_on`),
        or :data:`KEEP_AT_MOST` seconds: a widget removed before it got the key (its chat
        reopened meanwhile) never says so, and the keyboard must not go dead."""
        kept: list[events.Key] = []
        self._kept = kept
        self.set_timer(KEEP_AT_MOST, lambda: self.call_later(self._let_go, kept))

    def _opens_dialog(self, event: events.Key) -> bool:
        """Whether the focused widget, or the one it is in that handles its keys first (the
        conversation, the sources panel), opens a dialog on ``event``."""
        focused = self.focused
        for node in focused.ancestors_with_self if focused is not None else ():
            if isinstance(node, OpensDialogs):
                return node.opens_dialog(event)
        return False

    def let_keys_go(self) -> None:
        """The keys kept go on, in order, ahead of any read since (once the app gets to them)."""
        if self._kept is not None:
            self.call_later(self._let_go, self._kept)

    async def _let_go(self, kept: list[events.Key]) -> None:
        if self._kept is not kept:  # (let go already)
            return
        self._kept = None
        for event in kept:
            await self.on_event(event)  # another dialog's key keeps those after it again
