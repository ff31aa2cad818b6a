"""Warnings said while others are still on screen share one toast.

At start several can come at once (keymap mistakes, theme files, config.toml, a corrupt chat
found by the chat list a moment later): as a toast each they covered half an 80x24 screen for
ten seconds, the oldest pushed off the top and the newest cut off at the bottom (QA). Folded,
they are one toast, "N warnings", each in its own words, as many as fit in a third of the
screen's height (the ctrl+k dialog's buttons stay clear at 120x40); the rest are counted ("and
2 more — see pplx.log") and written to the log. A list (config.toml's mistakes, 22 rows of
80x24: QA) is cut to what fits beside the warnings after it, the rest of it counted.
"""

from __future__ import annotations

import logging
import re
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
"""Textual's toast: 60 columns wide, at most half the screen, a column of padding each side
and its coloured edge on the left."""


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
        title, message, unshown = fold(self._said, self._app.size)
        for text in unshown:
            # A list already pointing at the log (config.toml's) was written there whole.
            if text not in self._logged and not _MORE.search(text):
                self._logged.add(text)
                logger.warning("%s", text)
        severity = "error" if any(kind == "error" for _, kind in self._said) else "warning"
        self._app.notify_replacing(
            "warnings", message, timeout=TIMEOUT, severity=severity, title=title
        )


def fold(said: Sequence[tuple[str, SeverityLevel]], screen: Size) -> tuple[str, str, list[str]]:
    """``(title, message, left out or cut)`` of the toast for the warnings ``said`` on a
    ``screen`` of that size: one is its own words; several are "N warnings", errors first, each
    whole, as many as fit in a third of the screen's height (one at least), the rest counted.
    A list (config.toml's mistakes) is cut to what fits beside the warnings after it."""
    texts = [text for text, kind in said if kind == "error"]
    texts += [text for text, kind in said if kind != "error"]
    width = max(10, min(_TOAST_WIDTH, (screen.width - 2) // 2) - 3)
    if len(texts) == 1:
        shown = _cut(texts[0], "", width, screen.height // 3 - 2)  # the padding above and below
        return "", shown, [] if shown == texts[0] else texts
    rows = screen.height // 3 - 3  # the title, the padding above and below
    lines: list[str] = []
    cut: list[str] = []
    used = 0
    for index, text in enumerate(texts):
        counted = index < len(texts) - 1  # the line "and N more" if this one is the last
        later = sum(_rows(f"• {other}", width) for other in texts[index + 1 :])
        room = rows - used - later
        # Too little room beside the later ones: the list takes the rest but a row to count them.
        line = _cut(text, "• ", width, room if room >= _LIST_LEAST else rows - used - counted)
        if line != f"• {text}":
            cut.append(text)
        needed = _rows(line, width)
        if lines and used + needed + counted > rows:
            break
        lines.append(line)
        used += needed
    left_out = texts[len(lines) :]
    if left_out:
        lines.append(f"and {len(left_out):,} more — see pplx.log")
    return f"{len(texts):,} warnings", "\n".join(lines), cut + left_out


_LISTED = re.compile(r"[^\n]*:(?:\n  [^\n]+)+")
"""A warning listing what it is about on indented lines (config.toml's mistakes)."""
_MORE = re.compile(r"  and ([\d,]+) more — see pplx\.log$")
_LIST_LEAST = 3
"""Rows a list keeps however many warnings come after it (those not fitting are counted)."""


def _rows(text: str, width: int) -> int:
    return len(Content(text).wrap(width))


def _cut(text: str, bullet: str, width: int, rows: int) -> str:
    """``text`` after ``bullet``, its indented list cut to the items that fit in ``rows`` of
    ``width`` with the line "and N more — see pplx.log" (its first line and that line always;
    the first line shortened if that lets an item show)."""
    whole = bullet + text
    if not _LISTED.fullmatch(text) or _rows(whole, width) <= rows:
        return whole
    first, *items = text.split("\n")
    hidden = 0
    if counted := _MORE.fullmatch(items[-1]):
        hidden = int(counted[1].replace(",", ""))
        items.pop()
    for line in _shorter(first, width - len(bullet)):
        for shown in range(len(items) - 1, 0, -1):
            listing = _listing(bullet + line, items[:shown], hidden + len(items) - shown)
            if _rows(listing, width) <= rows:
                return listing
    return _listing(bullet + line, [], hidden + len(items))


_PATH = re.compile(r"^/\S*/([^/\s]+)(?= )")
_ASIDE = re.compile(r" \([^()]*\):$")


def _shorter(first: str, width: int) -> list[str]:
    """A list's ``first`` line, then shorter (QA: at 80x24 the path of config.toml took the
    rows of its mistakes): the file's name for a path longer than a row, then without its aside
    ("(using the default settings)"). The log has the line whole."""
    path = _PATH.match(first)
    named = path[1] + first[path.end() :] if path and len(path[0]) > width else first
    return list(dict.fromkeys([first, named, _ASIDE.sub(":", named)]))


def _listing(first: str, items: list[str], more: int) -> str:
    return "\n".join([first, *items, f"  and {more:,} more — see pplx.log"])


def warn(node: DOMNode, text: str, *, logged: bool = False) -> None:
    """Say the warning ``text`` in the app's folded toast (:meth:`WarningFold.warn`); under
    another app, a plain notification."""
    folded = getattr(node.app, "warnings", None)
    if isinstance(folded, WarningFold):
        folded.warn(text, logged=logged)
    else:
        node.notify(text, severity="warning", markup=False)
