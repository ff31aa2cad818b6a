"""Answers ready in chats not on screen, said in one notification while it is on screen.

At start the background runs that ended while the app was closed are picked up together: each
said "The answer in “…” is ready." in a toast of its own, and four of them covered the question
box of an 80x24 screen (QA). Those said while the last one is still shown share it: "4 answers
are ready", naming a few (the chat list marks every one). The line that says the runs are
followed again ("Following 4 background runs started earlier…") shares it too: as a toast of its
own it stacked above the other over the question box.
"""

from __future__ import annotations

from time import monotonic
from typing import TYPE_CHECKING

from pplx_tui.sanitize import clean_line

if TYPE_CHECKING:
    from pplx_tui.ui.guarded_app import GuardedApp

__all__ = ["ReadyNotice", "ready_message"]

TIMEOUT = 6.0
"""Seconds the notification stays, from the last line said in it."""
NAMED = 3
"""Chats a notification of several names; the rest are counted."""
TITLE_CELLS = 30
"""Characters of a title named (a toast at 80 columns is 36 wide)."""


class ReadyNotice:
    """The notification of answers ready elsewhere, for ``app``."""

    def __init__(self, app: GuardedApp) -> None:
        self._app = app
        self._titles: list[str] = []
        self._following = ""
        self._until = 0.0

    def add(self, title: str) -> None:
        """Say that the answer in the chat ``title`` is ready (with those still said)."""
        self._fresh()
        self._titles.append(title)
        self._show()

    def following(self, text: str) -> None:
        """Say ``text``, that runs started earlier are followed again, first in the notice."""
        self._fresh()
        self._following = text
        self._show()

    def _fresh(self) -> None:
        if monotonic() >= self._until:  # the last notification is gone: a new one
            self._titles, self._following = [], ""

    def _show(self) -> None:
        self._until = monotonic() + TIMEOUT
        heading, message = ready_message(self._titles) if self._titles else ("", "")
        message = "\n".join(line for line in (self._following, message) if line)
        self._app.notify_replacing("answers-ready", message, timeout=TIMEOUT, title=heading)


def ready_message(titles: list[str]) -> tuple[str, str]:
    """``(title, message)`` saying the answers in the chats ``titles`` are ready."""
    if len(titles) == 1:
        return "", f"The answer in “{clean_line(titles[0])}” is ready."
    named = [f"• “{_cut(title)}”" for title in titles[:NAMED]]
    if len(titles) > NAMED:
        named.append(f"and {len(titles) - NAMED} more (marked in the chat list)")
    return f"{len(titles):,} answers are ready", "\n".join(named)


def _cut(title: str) -> str:
    title = clean_line(title)
    return title if len(title) <= TITLE_CELLS else title[: TITLE_CELLS - 1] + "…"
