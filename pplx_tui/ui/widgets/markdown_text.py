"""One widget for a whole Markdown text: :class:`MarkdownText` (answers, questions).

Why not Textual's ``Markdown``: it mounts a widget per block, so a streamed answer cost a mount,
CSS matching and a screen re-layout of ever more widgets per append, and a long chat had
thousands of widgets to lay out. :class:`MarkdownText` is one widget drawing the lines of a
:class:`~pplx_tui.ui.widgets.markdown_document.MarkdownDocument` (laid out per block by
:mod:`.markdown_blocks`, remembered per width). Text can be appended: only the last top-level
block is parsed again, only lines on screen are drawn, and the screen is laid out again only
when the text outgrows its room — most appends repaint a line or two of one widget.

Links keep Textual's ``@click`` meta: a click posts :class:`MarkdownText.LinkClicked`, which
the owner handles (citation markers select a source; only http(s) links are opened). Text
selection works as in a ``Static`` (each cell carries its offset).
"""

from __future__ import annotations

from time import monotonic
from typing import TYPE_CHECKING

from rich.style import Style as RichStyle
from textual.color import Color
from textual.css.styles import RenderStyles
from textual.dom import DOMNode
from textual.geometry import Region, Size
from textual.message import Message
from textual.selection import Selection
from textual.strip import Strip
from textual.style import Style
from textual.widget import Widget

from pplx_tui.ui.widgets.found_text import Occurrence, occurrences
from pplx_tui.ui.widgets.laid_out import LaidOut, note_streaming
from pplx_tui.ui.widgets.markdown_common import COMPONENT_CLASSES, MARKDOWN_CSS, style
from pplx_tui.ui.widgets.markdown_document import MarkdownDocument, draw_line, first_change

if TYPE_CHECKING:
    from textual.content import Content  # annotations only: markdown_it loads with the parser

    from pplx_tui.ui.citations import Parser

__all__ = ["SLACK_MAX", "SLACK_MIN", "MarkdownDocument", "MarkdownText"]

SLACK_MIN = 3
"""Blank lines kept below streaming text (at a slow pace)."""
SLACK_MAX = 16
"""The most blank lines kept below streaming text (when it grows fast); at most a third of
the screen's height."""
SLACK_WINDOW = 1.0
"""Seconds: outgrowing the room again within this doubles the room, later halves it."""


class MarkdownText(LaidOut, Widget):
    """Markdown drawn by one widget; text can be appended cheaply while it streams."""

    DEFAULT_CSS = f"""
    MarkdownText {{
        width: 1fr;
        height: auto;
        {MARKDOWN_CSS}
    }}
    """
    """The look of the text is the renderer's (:mod:`.markdown_common`)."""

    COMPONENT_CLASSES = set(COMPONENT_CLASSES)

    class LinkClicked(Message):
        """A link in the text was clicked (nothing is opened: the owner decides)."""

        def __init__(self, text: MarkdownText, href: str) -> None:
            super().__init__()
            self.text = text
            self.href = href

        @property
        def control(self) -> MarkdownText:
            return self.text

    def __init__(
        self,
        markdown: str = "",
        *,
        parser: Parser,
        first: bool = True,
        classes: str | None = None,
    ) -> None:
        """``parser``: how the text is parsed (see :mod:`pplx_tui.ui.citations`)."""
        super().__init__(classes=classes)
        self.document = MarkdownDocument(parser, markdown, first=first)
        self._streaming = False
        self._slack = SLACK_MIN
        self._reserved = (0, 0)
        """(width, height) laid out for the streaming text: its lines plus blank slack."""
        self._last_layout = 0.0
        self._width_hint = 0
        self._shown: tuple[int, list[Content]] | None = None
        """(width, lines) as last shown, while text added since waits for :meth:`show`: the
        layout keeps their height (else each layout while text is taken in would find the
        height changed and lay the screen out again in the next frame)."""
        self._styles: dict[str, Style] = {}
        self._link_style: RichStyle | None = None
        self._found = ("", 0)
        """What a find marks here: its text (``""``: nothing) and which of its occurrences."""
        self._found_at: tuple[list[Content], Occurrence] | None = None
        """The marked occurrence, with the lines it was found in (found again once they change)."""

    @property
    def source(self) -> str:
        """The Markdown shown."""
        return self.document.source

    @property
    def streaming(self) -> bool:
        """Whether text is still being appended (see :meth:`set_streaming`)."""
        return self._streaming

    def set_streaming(self, streaming: bool) -> None:
        """While text streams in, the widget keeps a few blank lines of room below it.

        Each layout of a growing answer moves everything in the conversation up, so the whole
        view is repainted: with room to grow into, that happens once per few lines, not per
        line. The room adapts to the pace (:data:`SLACK_MIN` to :data:`SLACK_MAX` lines); it
        goes once the text is complete. There is no room while a scrolling ancestor follows its
        bottom (``following``): there the room would show as blank rows under the text, and the
        last line would jump up each time the room is renewed (everyday bug 10).
        """
        if streaming != self._streaming:
            self._streaming = streaming
            note_streaming(self, streaming)
            self._reserved = (0, 0)
            if not streaming:  # the lines on screen stay in Textual's own cache
                self.document.forget_strips()
            self.refresh(layout=True)

    def render(self) -> MarkdownDocument:
        return self.document

    def render_line(self, y: int) -> Strip:
        """Line ``y`` (Textual's line API): only lines on screen are ever drawn, each once
        until it changes (see :meth:`MarkdownDocument.strip`)."""
        width = self.size.width
        style = self.visual_style
        lines = self.document.lines(width)
        if y >= len(lines):  # the room below streaming text
            return Strip.blank(width, style.rich_style)
        if self._link_style is None:
            self._link_style = self.link_style
        selection = self.text_selection
        if selection is None and not any(piece.line == y for piece in self._marked(lines)):
            return self.document.strip(y, width, style, self._resolve, self._link_style)
        line = self.with_found(lines[y], y)
        if selection is not None and (span := selection.get_span(y)) is not None:
            start, end = span
            selected = Style.from_styles(self.screen.get_component_styles("screen--selection"))
            line = line.stylize(selected, start, len(line) if end == -1 else end)
        return draw_line(line, y, style, self._resolve, self._link_style)

    # -- a find's mark ------------------------------------------------------------------------

    def occurrences(self, wanted: str) -> list[Occurrence]:
        """Where ``wanted`` (casefolded) stands in the text as laid out now (see
        :mod:`.found_text`)."""
        lines = self.document.lines(self.size.width or self._width_hint or 80)
        return occurrences([line.plain for line in lines], wanted)

    def mark_found(self, wanted: str = "", index: int = 0) -> None:
        """Mark occurrence ``index`` of ``wanted`` (casefolded; ``""``: no mark), a find's."""
        if (wanted, index) != self._found:
            self._found, self._found_at = (wanted, index), None
            self.refresh()

    def found_lines(self) -> tuple[int, int] | None:
        """The lines (first, past the last) of the occurrence marked, if any."""
        marked = self._marked(self.document.lines(self.size.width or self._width_hint or 80))
        return (marked[0].line, marked[-1].line + 1) if marked else None

    def with_found(self, line: Content, y: int) -> Content:
        """Line ``y`` with the part of the marked occurrence on it styled."""
        for piece in self._marked(self.document.lines(self.size.width)):
            if piece.line == y:
                line = line.stylize(style("found"), piece.start, piece.end)
        return line

    def _marked(self, lines: list[Content]) -> Occurrence:
        """The marked occurrence in ``lines`` (the text as laid out at some width)."""
        wanted, index = self._found
        if not wanted:
            return ()
        if self._found_at is None or self._found_at[0] is not lines:
            found = occurrences([line.plain for line in lines], wanted)
            self._found_at = (lines, found[index] if index < len(found) else ())
        return self._found_at[1]

    def _resolve(self, style: str | Style) -> Style:
        """A style of the text: ``.markdown-text--…`` names a component class."""
        if isinstance(style, Style):
            return style
        if (resolved := self._styles.get(style)) is None:
            if style.startswith("."):
                resolved = self.get_visual_style(style[1:], partial=True)
                styles = self.get_component_styles(style[1:])
                if styles.has_rule("background") and styles.background.a == 1:
                    # Textual's partial style blends an opaque background away (1 - a = 0).
                    resolved += Style(background=styles.background)
                if styles.has_rule("auto_color") and styles.auto_color:
                    # ``auto`` (``$text-muted`` is ``auto 60%``): Textual's partial style makes it
                    # white, measured on no ground (pplx-light's footnotes and snippets white on
                    # paper white); kept ``auto``, it is black or white on the line's ground.
                    auto = Color(0, 0, 0, styles.color.a, auto=True)
                    resolved += Style(foreground=auto)
                if styles.text_style.reverse:  # (dropped by Textual's partial style: a find's)
                    resolved += Style(reverse=True)
            else:
                resolved = Style.parse(style)
            self._styles[style] = resolved
        return resolved

    def _get_component_classes(self) -> frozenset[str]:  # type: ignore[override]
        """None, for the stylesheet: it asks this each time it styles the widget (its mount,
        every focus change above it) and would style all the component classes then, ~27
        nodes for each text, most never drawn (two thirds of a long chat's mount and restyle
        time). They are styled when first drawn (:meth:`get_component_styles`); those already
        drawn are styled again here, and the text redrawn if one changed, as Textual does."""
        if drawn := dict(self._component_styles):
            self._component_styles.clear()
            for name in drawn:
                self._component_styles[name] = self._style_component(name)
            if any(self._component_styles[name] != styles for name, styles in drawn.items()):
                self.notify_style_update()
                self.refresh()
        return frozenset()

    def get_component_styles(self, *names: str) -> RenderStyles:
        for name in names:
            if name not in self._component_styles and name in COMPONENT_CLASSES:
                self._component_styles[name] = self._style_component(name)
        return super().get_component_styles(*names)

    def _style_component(self, name: str) -> RenderStyles:
        """The styles of component class ``name`` here (a virtual node, as Textual makes)."""
        node = DOMNode(classes=name)
        node._attach(self)
        self.app.stylesheet.apply(node)
        return node.styles

    def notify_style_update(self) -> None:
        self.document.forget_strips()
        self._styles.clear()
        self._link_style = None
        super().notify_style_update()

    def prepare(self, width: int) -> None:
        """Lay the text out for ``width`` now (before the widget is laid out), and keep
        laying out what is appended for it: the next frame then finds the lines ready."""
        self._width_hint = width
        self.document.lines(width)

    def append(self, markdown: str) -> None:
        """Add ``markdown`` at the end and repaint it (:meth:`add`, then :meth:`show`)."""
        self.add(markdown)
        self.show()

    def add(self, markdown: str) -> None:
        """Parse and lay out ``markdown`` at the end without repainting: :meth:`show` does
        (a streaming answer takes text in a slice at a time and shows it a few times a
        second, because each repaint that lays the screen out costs a frame)."""
        if not markdown:
            return
        width = self.size.width
        if self._shown is None:
            self._shown = (width, self.document.lines(width) if width else [])
        self.document.append(markdown)
        if width or self._width_hint:  # the last block is laid out when shown
            self.document.prepare(width or self._width_hint)

    def show(self) -> None:
        """Repaint what :meth:`add` added. The screen is laid out again only when the text
        outgrows its room; otherwise only the lines that changed are repainted (typically the
        last one or two)."""
        shown, self._shown = self._shown, None
        if shown is None:
            return
        before = shown[1]
        width = self.size.width
        if not width:
            self.refresh(layout=True)
            return
        after = self.document.lines(width)
        if self._content_height(width, len(after)) != self.size.height:
            self.refresh(layout=True)
        elif (first := first_change(before, after)) < len(after):
            self.refresh(Region(0, first, width, len(after) - first))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if self._shown is not None and self._shown[0] == width:
            return self._content_height(width, len(self._shown[1]))
        return self._content_height(width, self.document.get_height(self.styles, width))

    def _content_height(self, width: int, lines: int) -> int:
        """The height for ``lines`` lines: with room to grow while streaming."""
        if not self._streaming or not width or self._bottom_followed():
            self._reserved = (0, 0)
            return lines
        reserved_width, reserved = self._reserved
        if width == reserved_width and reserved - SLACK_MAX <= lines <= reserved:
            return reserved
        now = monotonic()
        fast = now - self._last_layout < SLACK_WINDOW
        most = max(min(SLACK_MAX, self.app.size.height // 3), SLACK_MIN)
        self._slack = min(self._slack * 2, most) if fast else max(self._slack // 2, SLACK_MIN)
        self._last_layout = now
        self._reserved = (width, lines + self._slack)
        return lines + self._slack

    def _bottom_followed(self) -> bool:
        """Whether an ancestor keeps its bottom in view as the text grows (``following``)."""
        return any(getattr(ancestor, "following", False) for ancestor in self.ancestors)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        lines = self.document.lines(self.size.width)
        return selection.extract("\n".join(line.plain for line in lines)), "\n"

    async def action_link(self, href: str) -> None:
        """Run by a click on a link (its ``@click`` meta)."""
        self.post_message(self.LinkClicked(self, href))
