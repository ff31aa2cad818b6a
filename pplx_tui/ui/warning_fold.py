"""Warnings said while others are still on screen share one toast.

At start several can come at once (keymap mistakes, theme files, config.toml, a corrupt chat
found by the chat list a moment later): as a toast each they covered half an 80x24 screen for
ten seconds, the oldest pushed off the top and the newest cut off at the bottom (QA). Folded,
they are one toast, "N warnings", each in its own words, as many as fit in a third of the
screen's height (the ctrl+k dialog's buttons stay clear at 120x40); the rest are counted ("and
2 more — see pplx.log") and written to the log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from time import monotonic
from typing import Protocol

from textual.content import Content
from textual.dom import DOMNode
from textual.geometry import Size
from textual.notifications import SeverityLevel

from pplx_tui.sanitize import clean_text

__all__ = ["WarningFold", "fold", "warn"]

logger = logging.getLogger("pplx_tui.ui")

TIMEOUT = 10.0
"""Seconds the toast stays, from the last warning folded into it."""

_TOAST_WIDTH = 60
"""Textual's toast: 60 columns wide, at most half the screen, a column of padding each side."""


class _Host(Protocol):
    size: Size

    def notify_replacing(
        self,
        key: str,
        message: str,
        *,
        timeout: float = ...,
        severity: SeverityLevel = ...,
        title: str = ...,
    ) -> None: ...

    def call_next(self, callback: Callable[[], object]) -> None: ...


class WarningFold:
    """The app's warnings, folded into one toast while it is on screen."""

    def __init__(self, app: _Host) -> None:
        self._app = app
        self._said: list[tuple[str, SeverityLevel]] = []
        self._logged: set[str] = set()
        self._until = 0.0
        self._due = False

    def warn(self, text: str, severity: SeverityLevel = "warning", *, logged: bool = False) -> None:
        """Say ``text``: in the toast on screen, if one is (warnings said together are shown
        once, when the app next has a moment). ``logged``: its source wrote it to the log
        already (if left out of the toast, it is not written again)."""
        text = clean_text(text)
        if monotonic() >= self._until:  # the last toast is gone: a new one
            self._said, self._logged = [], set()
        if all(said != text for said, _ in self._said):
            self._said.append((text, severity))
        if logged:
            self._logged.add(text)
        self._until = monotonic() + TIMEOUT
        if not self._due:
            self._due = True
            self._app.call_next(self._show)

    def _show(self) -> None:
        self._due = False
        title, message, left_out = fold(self._said, self._app.size)
        for text in left_out:
            if text not in self._logged:
                self._logged.add(text)
                logger.warning("%s", text)
        severity = "error" if any(kind == "error" for _, kind in self._said) else "warning"
        self._app.notify_replacing(
            "warnings", message, timeout=TIMEOUT, severity=severity, title=title
        )


def fold(said: Sequence[tuple[str, SeverityLevel]], screen: Size) -> tuple[str, str, list[str]]:
    """``(title, message, left out)`` of the toast for the warnings ``said`` on a ``screen`` of
    that size: one is its own words; several are "N warnings", errors first, each whole, as
    many as fit in a third of the screen's height (one at least), the rest counted."""
    texts = [text for text, kind in said if kind == "error"]
    texts += [text for text, kind in said if kind != "error"]
    if len(texts) == 1:
        return "", texts[0], []
    width = max(10, min(_TOAST_WIDTH, (screen.width - 2) // 2) - 2)
    rows = screen.height // 3 - 3  # the title, the padding above and below
    lines: list[str] = []
    used = 0
    for index, text in enumerate(texts):
        line = f"• {text}"
        needed = len(Content(line).wrap(width))
        counted = index < len(texts) - 1  # the line "and N more" if this one is the last
        if lines and used + needed + counted > rows:
            break
        lines.append(line)
        used += needed
    left_out = texts[len(lines) :]
    if left_out:
        lines.append(f"and {len(left_out):,} more — see pplx.log")
    return f"{len(texts):,} warnings", "\n".join(lines), left_out


def warn(node: DOMNode, text: str, *, logged: bool = False) -> None:
    """Say the warning ``text`` in the app's folded toast (:meth:`WarningFold.warn`); under
    another app, a plain notification."""
    folded = getattr(node.app, "warnings", None)
    if isinstance(folded, WarningFold):
        folded.warn(text, logged=logged)
    else:
        node.notify(text, severity="warning", markup=False)
