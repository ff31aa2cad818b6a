"""Warnings said while others are still on screen share one toast.

At start several can come at once (keymap mistakes, theme files, config.toml, a corrupt chat
found by the chat list a moment later): as a toast each they covered half an 80x24 screen for
ten seconds, the oldest pushed off the top and the newest cut off at the bottom (QA). Folded,
they are one toast, "N warnings", each in its own words, as many as fit in a third of the
screen's height (the ctrl+k dialog's buttons stay clear at 120x40); the rest are counted ("and
2 more warnings — see pplx.log") and written to the log. A list (config.toml's mistakes, 22
rows of 80x24: QA) is cut to what fits beside the warnings after it, the rest of it counted
("and 1 more mistake — see pplx.log"), down to its first line and that count; a warning's
paths are shortened before it is left out (QA: at 80x24 the mistakes' list took the rows and
the warning after it, that config.toml is readable by others, was only counted). A mistake
(an error: config.toml's) is shortened further, to its first rows and "…" or its list's
first line, so the warnings after it are shown (QA: at 80x24 one unknown key with the known
ones listed took the rows of the chosen theme's warning). A mistake too long for a row goes on
indented under its words. Paths name the home folder ``~`` (the log has them whole), and one
longer than a row is broken after a ``/``, not inside a name.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Sequence
from time import monotonic
from typing import Protocol

from rich.cells import cell_len, chop_cells
from textual.content import Content
from textual.dom import DOMNode
from textual.geometry import Size
from textual.notifications import SeverityLevel

from pplx_tui.sanitize import clean_text
from pplx_tui.ui.toast_size import text_width

__all__ = ["WarningFold", "fold", "warn"]

logger = logging.getLogger("pplx_tui.ui")

TIMEOUT = 10.0
"""Seconds the toast stays, from the last warning folded into it."""


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
    ``screen`` of that size: one is its own words; several are "N warnings", errors first, as
    many as fit in a third of the screen's height (one at least), each at its shortest, the rest
    counted. Then each takes the room left for more of its words, a list last (config.toml's
    mistakes: cut to what fits beside the warnings after it). Wrapped rows keep their indent."""
    errors = [text for text, kind in said if kind == "error"]
    texts = errors + [text for text, kind in said if kind != "error"]
    width = text_width(screen)
    if len(texts) == 1:
        rows = screen.height // 3 - 2  # the padding above and below
        shown = _fitted(_forms(texts[0], "", width, cut=True), width, rows)
        return "", _hang(shown, width), [] if shown == _tilde(texts[0]) else texts
    rows = screen.height // 3 - 3  # the title, the padding above and below
    forms = [_forms(text, "• ", width, cut=text in errors) for text in texts]
    least = [_rows(options[-1], width) for options in forms]

    def used(count: int) -> int:  # the rows of the first ``count`` at their shortest, counted
        return sum(least[:count]) + _rows(_left_out(len(texts) - count), width)

    count = 1
    while count < len(texts) and used(count + 1) <= rows:
        count += 1
    room = rows - used(count)
    chosen = [options[-1] for options in forms[:count]]
    for index in sorted(range(count), key=lambda i: bool(_LISTED.fullmatch(texts[i]))):
        drawn = _rows(chosen[index], width)
        chosen[index] = _fitted(forms[index], width, room + drawn)
        room -= _rows(chosen[index], width) - drawn
    cut = [text for text, line in zip(texts, chosen, strict=False) if line != f"• {_tilde(text)}"]
    message = "\n".join(filter(None, [*chosen, _left_out(len(texts) - count)]))
    return f"{len(texts):,} warnings", _hang(message, width), cut + texts[count:]


def _left_out(more: int) -> str:
    """The toast's last line, counting the warnings left out of it ("" for none)."""
    return f"and {_counted(more, 'warning')} — see pplx.log" if more else ""


_LISTED = re.compile(r"[^\n]*:(?:\n  [^\n]+)+")
"""A warning listing what it is about on indented lines (config.toml's mistakes)."""
_MORE = re.compile(r"  and ([\d,]+) more mistakes? — see pplx\.log$")
_HANGING = "    "
"""The indent of the wrapped rows of a list's item."""


def _counted(more: int, noun: str) -> str:
    return f"{more:,} more {noun}{'' if more == 1 else 's'}"


def _rows(text: str, width: int) -> int:
    return len(Content(_hang(text, width)).wrap(width)) if text else 0


def _fitted(forms: list[str], width: int, rows: int) -> str:
    """The first of ``forms`` (the longest first) in ``rows`` of ``width``, else the last."""
    return next((form for form in forms if _rows(form, width) <= rows), forms[-1])


def _forms(text: str, bullet: str, width: int, *, cut: bool = False) -> list[str]:
    """``text`` after ``bullet``, whole (the home folder as ``~``: :func:`_tilde`), then
    shorter, the shortest last: its path shortened (:func:`_shorter`); an indented list
    (config.toml's mistakes) cut to fewer items, with the line "and N more mistakes — see
    pplx.log", down to its first line. ``cut``: a line may go on to be cut to its first rows
    and "…" (a mistake, in the log whole)."""
    text = _tilde(text)
    whole = bullet + text
    if not _LISTED.fullmatch(text):
        lines = [bullet + line for line in _shorter(text)]
        brief = _LONG_ASIDE.sub("", lines[-1])
        if not cut:
            return lines
        return list(dict.fromkeys([*lines, brief, *_clipped(brief, width)]))
    first, *items = text.split("\n")
    hidden = 0
    if counted := _MORE.fullmatch(items[-1]):
        hidden = int(counted[1].replace(",", ""))
        items.pop()
    briefs = [_LONG_ASIDE.sub("", item) for item in items]
    firsts = _shorter(first)
    fewer = [
        _listing(bullet + line, briefs[:shown], hidden + len(items) - shown)
        for line in firsts
        for shown in range(len(items) - 1, 0, -1)
    ]
    # With no mistake listed, the first line counts them: "and 2 more" would follow none.
    counts = (bullet + firsts[-1].removesuffix(":")).rstrip()
    briefly = "\n".join([bullet + first, *briefs])
    if hidden:  # the mistakes its source left out are still counted (the count was dropped)
        briefly = _listing(bullet + first, briefs, hidden)
    return list(dict.fromkeys([whole, briefly, *fewer, f"{counts} — see pplx.log", counts]))


_PATH = re.compile(r"^[~/]\S*/([^/\s]+)(?= )")
_LONG_ASIDE = re.compile(r" \([^()]*, [^()]*\)")
"""An aside listing things ("(known: default_provider, default_model, …)"): left out first."""
_ASIDE = re.compile(r" \([^()]*\):$")


def _tilde(text: str) -> str:
    """``text`` with the home folder as ``~`` in its paths, as a user reads them in a shell
    (QA: at 80x24 ``/home/alice/.config/pplx-tui/config.toml`` took two rows each time the
    chmod warning named it, broken inside a name; a command to run with it still works). The
    log has the paths whole."""
    home = os.path.expanduser("~").rstrip("/")
    return re.sub(rf"(?<!\S){re.escape(home)}/", "~/", text) if len(home) > 1 else text


def _shorter(line: str) -> list[str]:
    """A warning's ``line``, then shorter (QA: at 80x24 the path of config.toml took the rows
    of its mistakes): the file's name for a path it starts with, then without its aside
    ("(using the default settings)"), then without the advice after it ("Add your own as …":
    QA, the chosen theme's warning was counted beside config.toml's mistakes at 80x24). The
    log has the line whole."""
    path = _PATH.match(line)
    named = path[1] + line[path.end() :] if path else line
    bare = _ASIDE.sub(":", named)
    said, _, advice = bare.rpartition(". ")
    briefly = f"{said}." if said and advice[:1].isupper() else bare
    return list(dict.fromkeys([line, named, bare, briefly]))


def _listing(first: str, items: list[str], more: int) -> str:
    return "\n".join([first, *items, f"  and {_counted(more, 'mistake')} — see pplx.log"])


def _clipped(line: str, width: int) -> list[str]:
    """``line`` cut to its first rows and "…", each shorter by a row, down to its first."""
    rows = _wrapped(line, width, "")
    cut = []
    for count in range(len(rows) - 1, 0, -1):
        last = rows[count - 1]
        if cell_len(last) >= width:
            last = chop_cells(last, width - 1)[0]
        cut.append("\n".join([*rows[: count - 1], last.rstrip() + "…"]))
    return cut


def _hang(text: str, width: int) -> str:
    """``text`` with the items of its list ("  line 3: …") wrapped to ``width``, their wrapped
    rows indented under their words (Textual's wrap starts them at the edge, where they read as
    lines of their own: QA); a line with a word longer than a row (a path) wrapped too, the
    word broken after a ``/`` (Textual's wrap broke it anywhere: "confi" / "g.toml"). Its
    other lines are left to Textual's wrap."""
    rows: list[str] = []
    for line in text.split("\n"):
        if line.startswith("  "):
            rows += _wrapped(line, width, _HANGING)
        elif any(cell_len(word) > width for word in line.split(" ")):
            rows += _wrapped(line, width, "")
        else:
            rows.append(line)
    return "\n".join(rows)


def _wrapped(line: str, width: int, indent: str) -> list[str]:
    """``line`` in rows of ``width`` cells at most, broken at spaces (a word longer than a row
    is cut after its last ``/`` that fits, else where the row ends), the rows after the first
    starting with ``indent``."""
    rows: list[str] = []
    row = line[: len(line) - len(line.lstrip(" "))]
    for word in line.lstrip(" ").split(" "):
        if row.strip() and cell_len(f"{row} {word}") > width:
            rows.append(row)
            row = indent + word
        else:
            row = f"{row} {word}" if row.strip() else row + word
        while cell_len(row) > width:  # a word longer than a row
            head = chop_cells(row, width)[0]
            if (slash := head.rfind("/", len(indent) + 1)) > 0:  # between folders
                head = head[: slash + 1]
            rows.append(head)
            row = indent + row[len(head) :]
    return [*rows, row]


def warn(node: DOMNode, text: str, *, logged: bool = False) -> None:
    """Say the warning ``text`` in the app's folded toast (:meth:`WarningFold.warn`); under
    another app, a plain notification."""
    folded = getattr(node.app, "warnings", None)
    if isinstance(folded, WarningFold):
        folded.warn(text, logged=logged)
    else:
        node.notify(text, severity="warning", markup=False)
