"""An answer's text with a reading cursor: :class:`AnswerText`.

A :class:`~pplx_tui.ui.widgets.markdown_text.MarkdownText` that knows where its links are
(citation markers, web links), can mark one of them (the reading cursor the conversation moves
with n/p) and can show a few lines under the paragraph that holds the cursor: the cited
source's snippet, or a link's address. The text itself is untouched: the cursor and the
snippet are drawn over and between its lines.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.content import Content
from textual.geometry import Size
from textual.strip import Strip
from textual.style import Style

from pplx_tui.ui.citations import source_number
from pplx_tui.ui.widgets.markdown_common import style
from pplx_tui.ui.widgets.markdown_document import draw_line
from pplx_tui.ui.widgets.markdown_text import MarkdownText

__all__ = ["AnswerText", "LinkSpot"]


@dataclass(frozen=True, slots=True)
class LinkSpot:
    """Where a link is drawn: line ``line``, cells ``start`` to ``end``, and its target."""

    line: int
    start: int
    end: int
    href: str
    wrapped: tuple[tuple[int, int, int], ...] = ()
    """The rest of a link wrapped over the lines below: each line's (line, start, end)."""

    def pieces(self) -> tuple[tuple[int, int, int], ...]:
        """Where each line of the link is drawn: (line, start, end), from its first line."""
        return ((self.line, self.start, self.end), *self.wrapped)


class AnswerText(MarkdownText):
    """Answer Markdown with a reading cursor on one link and an optional snippet below it."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._cursor: LinkSpot | None = None
        self._cursor_index = -1
        """Which of :meth:`spots` the cursor is on: the same link once a resize moved it."""
        self._cursor_width = 0
        """The width the cursor's line is of."""
        self._snippet = ""
        self._snippet_lines: tuple[int, list[Content]] = (-1, [])
        self._clicked: LinkSpot | None = None

    @property
    def cursor(self) -> LinkSpot | None:
        return self._cursor

    def _width(self) -> int:
        """The width the text is laid out at (before its first layout: the one expected)."""
        return self.size.width or self._width_hint or 80

    def spots(self) -> list[LinkSpot]:
        """Every link of the text in reading order, as laid out at the current width: one
        wrapped over lines is one stop of the cursor, its lines after the first ``wrapped``."""
        lines = self.document.lines(self._width())
        pieces: list[LinkSpot] = []
        for y, line in enumerate(lines):
            for span in line.spans:
                if isinstance(span.style, Style) and "@click" in span.style.meta:
                    href = _href(span.style.meta["@click"])
                    if href is not None:
                        pieces.append(LinkSpot(y, span.start, span.end, href))
        pieces.sort(key=lambda spot: (spot.line, spot.start))
        found: list[LinkSpot] = []
        plain = [line.plain for line in lines]
        for piece in pieces:
            if found and _goes_on(found[-1], piece, plain):
                last = found[-1]
                more = (*last.wrapped, (piece.line, piece.start, piece.end))
                found[-1] = LinkSpot(last.line, last.start, last.end, last.href, more)
            else:
                found.append(piece)
        return found

    def on_click(self, event: events.Click) -> None:
        """Note the link the click is on: its ``@click`` action, run next, says only where the
        link leads (a marker such as [2] can stand in the text more than once)."""
        offset = event.get_content_offset(self)
        self._clicked = None if offset is None else self._spot_at(offset.x, offset.y)

    def clicked(self, href: str) -> LinkSpot | None:
        """The link to ``href`` the last click was on (``None``: it was on none such)."""
        spot = self._clicked
        return spot if spot is not None and spot.href == href else None

    def _spot_at(self, x: int, y: int) -> LinkSpot | None:
        """The link drawn at cell ``x`` of line ``y`` (the snippet's lines counted)."""
        width = self.size.width
        snippet = self._snippet_for(width) if self._cursor is not None else []
        if snippet:
            insert = self._insert_at(self.document.lines(width))
            if insert <= y < insert + len(snippet):
                return None
            if y >= insert + len(snippet):
                y -= len(snippet)
        return next(
            (
                spot
                for spot in self.spots()
                if any(line == y and start <= x < end for line, start, end in spot.pieces())
            ),
            None,
        )

    def set_cursor(self, spot: LinkSpot | None, snippet: str = "") -> None:
        """Mark ``spot`` (``None``: no cursor here) and show ``snippet`` under its paragraph."""
        had_snippet = bool(self._snippet)
        self._cursor = spot
        spots = self.spots() if spot is not None else []
        self._cursor_index = spots.index(spot) if spot in spots else -1
        self._cursor_width = self._width()
        self._snippet = snippet if spot is not None else ""
        self._snippet_lines = (-1, [])
        self.refresh(layout=had_snippet or bool(self._snippet))

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        """A new width wraps the text again: the cursor goes on the same link, on its new line
        (before the frame is drawn, which would mark what its old place holds now)."""
        updated = super()._size_updated(size, virtual_size, container_size, layout)
        if self._cursor is not None and self._width() != self._cursor_width:
            spots = self.spots()
            if 0 <= self._cursor_index < len(spots):
                self._cursor = spots[self._cursor_index]
            self._cursor_width = self._width()
        return updated

    def cursor_lines(self) -> tuple[int, int]:
        """The lines (first, past the last) that show the cursor and its snippet."""
        if self._cursor is None:
            return (0, 0)
        width = self._width()
        snippet = self._snippet_for(width)
        if not snippet:
            return (self._cursor.line, self._cursor.pieces()[-1][0] + 1)
        return (self._cursor.line, self._insert_at(self.document.lines(width)) + len(snippet))

    def snippet_rows(self) -> tuple[int, int]:
        """The row the snippet starts on, and its rows (0: none shown): the rows below it are
        the text's lines that many rows down."""
        if self._cursor is None:
            return (0, 0)
        width = self._width()
        return (self._insert_at(self.document.lines(width)), len(self._snippet_for(width)))

    # -- drawing -----------------------------------------------------------------------------

    def _insert_at(self, lines: list[Content]) -> int:
        """The line the snippet goes before: the end of the cursor's paragraph."""
        if self._cursor is None:
            return len(lines)
        for y in range(self._cursor.line + 1, len(lines)):
            if not lines[y].plain.strip():
                return y
        return len(lines)

    def _snippet_for(self, width: int) -> list[Content]:
        if not self._snippet:
            return []
        if self._snippet_lines[0] != width:
            bar = Content.styled("┃ ", style("citation"))
            body = Content(self._snippet).wrap(max(width - 4, 10))
            lines = [Content.assemble("  ", bar, line).stylize(style("footnote")) for line in body]
            self._snippet_lines = (width, lines)
        return self._snippet_lines[1]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return super().get_content_height(container, viewport, width) + len(
            self._snippet_for(width)
        )

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if self._cursor is None:
            return super().render_line(y)
        lines = self.document.lines(width)
        snippet = self._snippet_for(width)
        insert = self._insert_at(lines)
        if snippet and insert <= y < insert + len(snippet):
            line = snippet[y - insert]
            strip = draw_line(line, y, self.visual_style, self._resolve)
            # Padded on the text's ground (a segment without a background is the terminal's
            # own; without a style, NO_COLOR's filter stops on it).
            return strip.extend_cell_length(width, self.visual_style.rich_style)
        if snippet and y >= insert + len(snippet):
            y -= len(snippet)
        on_line = [(start, end) for line, start, end in self._cursor.pieces() if line == y]
        if not on_line or y >= len(lines):
            return super().render_line(y)
        line = self.with_found(lines[y], y)
        for start, end in on_line:  # (a link wrapped: each of its lines, QA)
            line = line.stylize(style("citation-cursor"), start, end)
        return draw_line(line, y, self.visual_style, self._resolve, self._link_style)

    def notify_style_update(self) -> None:
        self._snippet_lines = (-1, [])
        super().notify_style_update()


def _goes_on(spot: LinkSpot, piece: LinkSpot, lines: list[str]) -> bool:
    """Whether ``piece`` is the rest of link ``spot`` wrapped onto the next line: the same web
    link (a marker is never wrapped: ``[2] [2]`` are two), ending one line and starting the
    next (after a list's indent or a quote's bar)."""
    line, _, end = spot.pieces()[-1]
    return (
        piece.href == spot.href
        and source_number(piece.href) is None
        and piece.line == line + 1
        and not any(c.isalnum() for c in lines[line][end:])
        and not any(c.isalnum() for c in lines[piece.line][: piece.start])
    )


def _href(click: str) -> str | None:
    """The target of a ``link('…')`` click action."""
    if click.startswith("link(") and click.endswith(")"):
        import ast

        try:
            value = ast.literal_eval(click[5:-1])
        except (ValueError, SyntaxError):
            return None
        return value if isinstance(value, str) else None
    return None
