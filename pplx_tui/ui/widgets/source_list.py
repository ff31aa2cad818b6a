"""A virtual list of sources: only the rows on screen are drawn, whatever the number.

Each source is a block of rows (what they read and how many: :mod:`source_rows`). Block
offsets are kept as prefix sums, so finding the source at a row is a bisect and opening or
scrolling an answer with 10,000 sources costs the same as one with 10 (only visible blocks are
ever laid out, and they are cached).

The highlighted source's rows are drawn in the highlight's colours from edge to edge, its muted
lines faded from its text colour as far as they stay readable: in every theme, not only where
the theme's ``$text-muted`` happens to suit its highlight (QA: white on yellow, 1.07:1, in
pplx-high-contrast; 1.85:1 in pplx-dark).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection, Sequence

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.color import Color
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from pplx_tui.citations import UNCITED
from pplx_tui.sanitize import safe_url
from pplx_tui.ui.contrast import muted_on, readable, terminal_colours
from pplx_tui.ui.widgets.source_rows import (
    MARGIN,
    block_rows,
    meta_of,
    row_strip,
    snippet_of,
    title_of,
    wrapped,
)
from pplx_tui.values import Source

__all__ = ["SourceList"]

_NO_STYLE = Style.null()


def _blank(width: int, ground: Style) -> Strip:
    return Strip.blank(width, ground)


class SourceList(ScrollView, can_focus=True):
    """Sources, one block each; a highlighted one (``highlighted``), opened with Enter."""

    COMPONENT_CLASSES = {
        "source-list--cited",
        "source-list--uncited",
        "source-list--marker",
        "source-list--muted",
        "source-list--highlight",
    }

    DEFAULT_CSS = """
    SourceList {
        height: 1fr;
        overflow-x: hidden;  /* rows are drawn to its width: never a sideways scrollbar */
        background: transparent;
        & > .source-list--cited { color: $source-cited; text-style: bold; }
        & > .source-list--uncited { color: $source-uncited; }
        & > .source-list--marker { color: $citation-marker; }
        & > .source-list--muted { color: $text-muted; }
        & > .source-list--highlight {
            color: $block-cursor-blurred-foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .source-list--highlight {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
    }
    """

    BINDINGS = [
        Binding("up,k", "move(-1)", "Previous source", show=False),
        Binding("down,j", "move(1)", "Next source", show=False),
        Binding("home", "first", "First source", show=False),
        Binding("end", "last", "Last source", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
    ]

    highlighted: reactive[int | None] = reactive(None, always_update=True)
    """Position (not ``[n]``) of the highlighted source."""

    class Selected(Message):
        """A source was chosen (a click on the highlighted source: see :meth:`on_click`)."""

        def __init__(self, position: int) -> None:
            super().__init__()
            self.position = position

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.sources: tuple[Source, ...] = ()
        self.cited: frozenset[int] = frozenset()
        self.settled = True
        """Whether the answer has ended: only then is an uncited source marked "not cited"
        (while it streams, the next sentence may cite it)."""
        self._starts: list[int] = [0]
        """Row where each block starts, and one past the last row."""

        self._blocks: dict[int, list[Strip]] = {}
        self._lit: tuple[tuple[int, int, bool], list[Strip]] | None = None
        """The highlighted block, drawn in the highlight's colours: its key (position, width,
        focus) and rows."""
        self._width = 0
        self._chosen = False
        """Whether the user put the highlight where it is (a key, a click, a marker or digit
        in the conversation), not :meth:`set_sources`."""

    # -- data --------------------------------------------------------------------------------

    def set_sources(
        self, sources: Sequence[Source], cited: Collection[int], *, settled: bool = True
    ) -> None:
        """Show ``sources`` (O(n) integers, no drawing); the first one is highlighted."""
        self.sources = tuple(sources)
        self.cited = frozenset(cited)
        self.settled = settled
        self._layout()
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.highlighted = 0 if self.sources else None
        self._chosen = False
        self.refresh()

    def set_cited(self, cited: Collection[int], *, settled: bool | None = None) -> None:
        self.cited = frozenset(cited)
        self.settled = self.settled if settled is None else settled
        self._layout()  # an uncited source has one more row, its mark
        self.refresh()

    def is_cited(self, number: int) -> bool:
        return number in self.cited

    def _marked(self, source: Source) -> bool:
        """Whether ``source`` shows the "not cited" mark (known once the answer has ended)."""
        return self.settled and source.index not in self.cited

    @property
    def highlighted_source(self) -> Source | None:
        position = self.highlighted
        return self.sources[position] if position is not None and self.sources else None

    # -- drawing -----------------------------------------------------------------------------

    def _layout(self) -> None:
        """Block offsets for the current width (a title longer than a row takes two)."""
        self._width = self._width or self._width_in_parent()
        if not self._width:  # not on screen yet: on_resize lays it out (4 rows each till then)
            self._starts = list(range(0, 4 * len(self.sources) + 1, 4))
            self._forget_blocks()
            self.virtual_size = Size(0, self._starts[-1])
            return
        room = max(self._width - MARGIN - 1, 1)
        starts = [0]
        total = 0
        for source in self.sources:
            total += block_rows(source, room, self._marked(source))[3]
            starts.append(total)
        self._starts = starts
        self._forget_blocks()
        self.virtual_size = Size(self._width, total)

    def _width_in_parent(self) -> int:
        """The width the list will have in its parent, before its first resize (it is hidden
        until an answer has sources): they are laid out for it in the frame that first draws
        them, not in 4-row blocks and again a frame later (a scrollbar, if they need one,
        comes with the resize)."""
        parent = self.parent
        if not isinstance(parent, Widget) or not parent.size.width:
            return 0
        return max(parent.size.width - self.styles.gutter.width, 0)

    def on_resize(self, event: events.Resize) -> None:
        width = self.scrollable_content_region.width
        if width != self._width:
            self._width = width
            self._layout()
        if self.highlighted is not None and self.sources:
            self.scroll_to_position(self.highlighted)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._forget_blocks()

    def _forget_blocks(self) -> None:
        self._blocks.clear()
        self._lit = None

    def render_line(self, y: int) -> Strip:
        row = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if width != self._width and width > 0:
            # Shown by ctrl+s, the list had its resize before its scrollbar came: laid out two
            # columns wider than drawn, a long title ate the blank row after it (QA).
            self._width = width
            self._layout()
            self.refresh()
        position = bisect_right(self._starts, row) - 1
        if not 0 <= position < len(self.sources):
            return _blank(width, self._ground())
        if position == self.highlighted:
            block = self._lit_block(position, width)
        else:
            block = self._block(position, width)
        offset = row - self._starts[position]
        strip = block[offset] if offset < len(block) else _blank(width, self._ground())
        return strip.crop(self.scroll_offset.x, self.scroll_offset.x + width)

    def _block(self, position: int, width: int) -> list[Strip]:
        block = self._blocks.get(position)
        if block is None:
            if len(self._blocks) > 512:
                self._blocks.clear()
            block = self._blocks[position] = self._draw(position, width)
        return block

    def _lit_block(self, position: int, width: int) -> list[Strip]:
        """The highlighted block: drawn again when the highlight moves or the focus comes or
        goes (the highlight's colours differ), else kept."""
        key = (position, width, self.has_focus)
        if self._lit is None or self._lit[0] != key:
            self._lit = (key, self._draw(position, width, lit=True))
        return self._lit[1]

    def _draw(self, position: int, width: int, *, lit: bool = False) -> list[Strip]:
        """Source ``position``'s rows; ``lit``: as the highlighted source, every row on the
        highlight's background, its text in the highlight's colour (its marker and title too:
        the theme's marker colour may be the highlight's own) and its muted lines faded from
        that colour, readable on the highlight whatever the theme makes of ``$text-muted``."""
        source = self.sources[position]
        style = self.get_component_rich_style
        cited, marked = source.index in self.cited, self._marked(source)
        room = max(width - MARGIN - 1, 1)
        title_rows, meta_rows, snippet_rows, _ = block_rows(source, room, marked)
        meta, snippet = meta_of(source, room), snippet_of(source)
        if lit:
            text, muted, ground = self._highlight_styles()
            base = marker = text
            if cited:
                base += Style(bold=True)  # as the cited ones are (source-list--cited)
        else:
            if cited or marked:
                base = style("source-list--cited" if cited else "source-list--uncited")
            else:
                base = Style()  # not cited yet: neither stands out nor fades
            marker, muted = style("source-list--marker"), style("source-list--muted")
            ground = self._ground()
        url = safe_url(source.url)
        heading = Text(end="")
        heading.append(f"[{source.index}] ", marker)
        heading.append(title_of(source), base + Style(link=url) if url else base)
        console = self.app.console
        lines = wrapped(heading, room, title_rows, console)
        if meta_rows:
            lines += wrapped(Text(meta, muted), room, meta_rows, console)
        if marked:
            lines.append(Text(UNCITED, (muted if lit else base) + Style(italic=True)))
        if snippet_rows:
            lines += wrapped(Text(snippet, muted), room, snippet_rows, console)
        rows = [row_strip(line, width, room, ground, console) for line in lines]
        rows.append(_blank(width, self._ground()))
        return rows

    def _ground(self) -> Style:
        """The list's own background, for the cells no text covers (as a style, never
        ``None``: Textual's filter for ``NO_COLOR`` stopped the app on a segment without one).
        Left without a colour, they showed the terminal's background, not the panel's."""
        background = self.get_visual_style().background
        return Style(bgcolor=background.rich_color) if background else _NO_STYLE

    def _highlight_styles(self) -> tuple[Style, Style, Style]:
        """The highlighted source's text, muted text and ground (its background, and the text
        colour of what has none): Rich styles of the highlight's colours, made readable on
        its background (in greys too, without colour)."""
        lit = self.get_visual_style("source-list--highlight")
        background = lit.background or Color(0, 0, 0)
        mono = self.app.no_color
        colour = readable(
            lit.foreground or background.get_contrast_text(),
            background,
            system=terminal_colours(self.app.console),
            mono=mono,
        )
        ground = Style(color=colour.rich_color, bgcolor=background.rich_color)
        text = ground + Style(bold=True) if lit.bold else ground
        muted = ground + Style(color=muted_on(colour, background, mono).rich_color)
        return text, muted, ground

    # -- moving ------------------------------------------------------------------------------

    def watch_highlighted(self, position: int | None) -> None:
        self._chosen = True
        if position is not None and self.sources:
            self.scroll_to_position(position)
        self.refresh()

    def validate_highlighted(self, position: int | None) -> int | None:
        if position is None or not self.sources:
            return None
        return max(0, min(position, len(self.sources) - 1))

    def scroll_to_position(self, position: int) -> None:
        """Scroll source ``position`` into view, its first row at the top if it was out of view.

        Never to its last rows: while the list is hidden or not laid out yet its height is 0
        (or stale), and a first source "too tall" for it scrolled the list past it (QA: the
        panel opened at [2]). :meth:`on_resize` brings the source into view at the real height.
        """
        top, bottom = self._starts[position], self._starts[position + 1]
        height = self.scrollable_content_region.height
        if top < self.scroll_offset.y or bottom > self.scroll_offset.y + height:
            self.scroll_to(y=top, animate=False, immediate=True)

    def action_move(self, step: int) -> None:
        if self.sources:
            self.highlighted = (self.highlighted or 0) + step

    def action_first(self) -> None:
        if self.sources:
            self.highlighted = 0

    def action_last(self) -> None:
        if self.sources:
            self.highlighted = len(self.sources) - 1

    def action_page(self, direction: int) -> None:
        if not self.sources:
            return
        current = self._starts[self.highlighted or 0]
        row = current + direction * max(self.scrollable_content_region.height, 1)
        row = max(0, min(row, self._starts[-1] - 1))
        self.highlighted = bisect_right(self._starts, row) - 1

    def on_click(self, event: events.Click) -> None:
        """A click highlights a source, a click on the source the user highlighted opens it (a
        single click opened the browser at once: a click to look, or to focus the panel, opened
        a page); the first source, highlighted when the answer comes, takes two clicks."""
        row = event.y + self.scroll_offset.y
        position = bisect_right(self._starts, row) - 1
        if not 0 <= position < len(self.sources):
            return
        if position == self.highlighted and self._chosen:
            self.post_message(self.Selected(position))
        else:
            self.highlighted = position
