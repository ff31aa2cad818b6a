"""Footnotes and task lists in ``pplx ask`` on a terminal, drawn as the app draws them.

Rich's Markdown shows ``reference[^1]``, ``[^1]: text`` and ``• [ ] to do`` as written; the
app shows ``reference¹``, ``¹ text`` and ``☐ to do`` (:mod:`pplx_tui.markdown_marks`). A
footnote is written into the Markdown Rich reads (:func:`footnotes`); a task's box takes its
bullet's place in :class:`TaskMarkdown`'s list items.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

from rich.markdown import ListItem, Markdown, MarkdownElement, Paragraph
from rich.segment import Segment
from rich.style import Style

from pplx_tui.markdown_marks import (
    FOOTNOTE_PATTERN,
    FOOTNOTE_REF_PATTERN,
    TASK_DONE,
    superscript,
    task_box,
)
from pplx_tui.markdown_plain import plain

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.markdown import MarkdownContext

__all__ = ["TaskMarkdown", "footnotes"]

_DEFINITION = re.compile(
    r"^( {0,3})" + FOOTNOTE_PATTERN + r"(.*(?:\n[ \t]{2,}\S.*)*)\n?", re.MULTILINE
)
"""A footnote at a line's start, with the lines indented under it (the app's footnote)."""
_REFERENCE = re.compile(FOOTNOTE_REF_PATTERN)


def footnotes(text: str, *, line_start: bool) -> str:
    """``text`` (Markdown outside code) with each footnote as the app shows it: a reference
    as its label in superscript (``¹``), a footnote (``[^1]: text``, ``line_start``: whether
    ``text`` begins a line) as that label, then its text on one line, a block of its own as
    in the app (not joined to the paragraph above or below it)."""

    def definition(match: re.Match[str]) -> str:
        if match.start() == 0 and not line_start:  # (after a code span: no footnote)
            return match.group()
        above = text[: match.start()][:-1].rpartition("\n")[2]  # the line above, if any
        below = text[match.end() :].partition("\n")[0]
        body = " ".join(part.strip() for part in match.group(3).splitlines())
        line = f"{match.group(1)}{plain(superscript(match.group(2)))} {body}"
        blank_above = "\n" if above.strip() else ""
        blank_below = "\n" if below.strip() else ""
        return f"{blank_above}{line}\n{blank_below}"

    def reference(match: re.Match[str]) -> str:
        return plain(superscript(match.group(1)))

    return _REFERENCE.sub(reference, _DEFINITION.sub(definition, text))


class _TaskItem(ListItem):
    """A list item whose text starts ``[ ] `` or ``[x] ``: its box in its bullet's (or
    number's) place, as in the app."""

    box: str | None = None
    _looked = False

    def on_child_close(self, context: MarkdownContext, child: MarkdownElement) -> bool:
        if not self._looked:  # (its first block)
            self._looked = True
            if isinstance(child, Paragraph) and (box := task_box(child.text.plain)):
                self.box = box
                child.text = child.text[len("[ ] ") :]
        return super().on_child_close(context, child)

    def render_bullet(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.box is None:
            yield from super().render_bullet(console, options)
        else:
            yield from self._boxed(console, options, 3)

    def render_number(
        self, console: Console, options: ConsoleOptions, number: int, last_number: int
    ) -> RenderResult:
        if self.box is None:
            yield from super().render_number(console, options, number, last_number)
        else:
            yield from self._boxed(console, options, len(str(last_number)) + 2)

    def _boxed(self, console: Console, options: ConsoleOptions, width: int) -> RenderResult:
        lines = console.render_lines(
            self.elements, options.update(width=options.max_width - width), style=self.style
        )
        done = self.box == TASK_DONE
        box = Segment(f"{self.box}".rjust(width), Style.parse("green bold" if done else "dim bold"))
        padding = Segment(" " * width)
        for number, line in enumerate(lines):
            yield box if number == 0 else padding
            yield from line
            yield Segment("\n")


class TaskMarkdown(Markdown):
    """Rich's Markdown with the app's task boxes (``☐``, ``☑``) in bulleted lists."""

    elements: ClassVar[dict[str, type[MarkdownElement]]] = {
        **Markdown.elements,
        "list_item_open": _TaskItem,
    }
