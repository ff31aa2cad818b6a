"""What pplx-tui draws for Markdown's footnotes and task lists, in the app and in ``pplx ask``
on a terminal: a footnote's label as superscript digits (``[^1]`` → ``¹``), a task's box
(``- [ ] to do`` → ``☐ to do``, ``- [x] done`` → ``☑ done``). Core module: no Textual.
"""

from __future__ import annotations

__all__ = [
    "FOOTNOTE_PATTERN",
    "FOOTNOTE_REF_PATTERN",
    "TASK_BOXES",
    "TASK_DONE",
    "TASK_OPEN",
    "superscript",
    "task_box",
]

FOOTNOTE_REF_PATTERN = r"\[\^([^\]\s]+)\]"
"""A footnote's reference (``[^1]``, ``[^note]``); group 1 is its label."""
FOOTNOTE_PATTERN = FOOTNOTE_REF_PATTERN + r":[ \t]?"
"""What opens a footnote at a line's start (``[^1]: text``); group 1 is its label."""

TASK_OPEN = "☐ "
TASK_DONE = "☑ "
TASK_BOXES = {"[ ] ": TASK_OPEN, "[x] ": TASK_DONE, "[X] ": TASK_DONE}
"""A list item whose text starts with one of these is a task: its bullet becomes the box."""

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def superscript(label: str) -> str:
    """A footnote label as superscript digits where it is a number (``12`` → ``¹²``)."""
    return label.translate(_SUPERSCRIPT) if label.isdigit() else f"[{label}]"


def task_box(text: str) -> str | None:
    """The box of a list item whose text is ``text`` when it is a task, else ``None``."""
    return TASK_BOXES.get(text[:4])
