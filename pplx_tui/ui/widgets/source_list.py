"""A virtual list of sources: only the rows on screen are drawn, whatever the number.

Each source is a block of rows: ``[n] title`` (up to three rows, cut with ``…``), ``domain ·
date`` (up to three; a domain longer than a row is cut with ``…``), ``○ not cited`` when the
answer never cites the source (a mark, not only a colour; said only once the answer has ended:
``settled``), up to two rows of snippet (plain text: a fetched page's heading marks go), then a
blank row. Block offsets are kept as prefix sums, so finding the source at a row is a bisect
and opening or scrolling an answer with 10,000 sources costs the same as one with 10 (only
visible blocks are ever laid out, and they are cached).

The highlighted source's rows are drawn in the highlight's colours from edge to edge, its muted
lines faded from its text colour as far as they stay readable: in every theme, not only where
the theme's ``$text-muted`` happens to suit its highlight (QA: white on yellow, 1.07:1, in
pplx-high-contrast; 1.85:1 in pplx-dark).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection, Sequence
from urllib.parse import urlsplit

from rich.cells import cell_len
from rich.segment import Segment
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

from pplx_tui.plain_text import without_heading_marks
from pplx_tui.sanitize import clean_line, safe_url
from pplx_tui.ui.contrast import muted_on, readable
from pplx_tui.values import Source

__all__ = ["SourceList", "domain_of"]

SNIPPET_CHARS = 180
SNIPPET_ROWS = 2
TITLE_ROWS = 3
META_ROWS = 3
UNCITED = "○ not cited"
MARGIN = 1
"""Blank cells left of each row (drawn by the list, not padding: a highlight covers them)."""
_NO_STYLE = Style.null()


def domain_of(url: str) -> str:
    """``example.com`` for ``https://www.example.com/page`` (``""`` if there is no host)."""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    return clean_line(host.removeprefix("www."))


def _title(source: Source) -> str:
    return clean_line(source.title) or domain_of(source.url) or clean_line(source.url)


def _meta(source: Source, room: int) -> str:
    """``domain · date`` for rows of ``room`` cells: a domain longer than a row is cut with "…"
    to share its row with the date (it wrapped mid-word; the full URL is the one Enter opens
    and c copies)."""
    domain, date = domain_of(source.url), clean_line(source.date or "")
    if cell_len(domain) > room:
        cut = Text(domain)
        cut.truncate(max(room - (cell_len(date) + 3 if date else 0), 2), overflow="ellipsis")
        domain = cut.plain
    meta = " · ".join(p for p in (domain, date) if p)
    if not safe_url(source.url):
        meta = f"{meta} · not a web link" if meta else "not a web link"
    return meta


def rows_needed(text: str, room: int, cap: int) -> int:
    """Rows ``text`` takes word-wrapped at ``room`` cells (greedy, as Rich wraps), at most
    ``cap``; cheap enough to run over 10,000 sources."""
    if cell_len(text) <= room:
        return 1 if text else 0
    rows, used = 1, 0
    for word in text.split(" "):
        width = cell_len(word)
        if used and used + 1 + width <= room:
            used += 1 + width
            continue
        if used:
            rows += 1
        rows += (width - 1) // room if width > room else 0
        used = width % room if width > room else width
        if rows >= cap:
            return cap
    return min(rows, cap)


def _snippet(source: Source) -> str:
    snippet = clean_line(without_heading_marks(source.snippet))
    if len(snippet) > SNIPPET_CHARS:
        snippet = snippet[: SNIPPET_CHARS - 1].rstrip() + "…"
    return snippet


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
        """A source was chosen (Enter or a click)."""

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

    @staticmethod
    def _rows(source: Source, room: int, marked: bool) -> tuple[int, int, int, int]:
        """Rows of the heading, meta line and snippet, and of the whole block (the uncited
        mark, if ``marked``, and the blank row after it included).

        Short ASCII fields are one row without cleaning them (most sources: 10,000 are laid
        out in a few milliseconds); only longer ones are cleaned and wrapped to count.
        """
        title_raw = source.title or source.url
        if title_raw.isascii() and len(title_raw) + len(str(source.index)) + 3 <= room:
            title = 1
        else:
            title = max(rows_needed(f"[{source.index}] {_title(source)}", room, TITLE_ROWS), 1)
        date, url = source.date or "", source.url
        host = url.partition("://")[2].partition("/")[0]  # what the row shows, or longer
        if url.isascii() and date.isascii() and len(host) + len(date) + 3 <= room and host:
            about = 1
        else:
            about = max(rows_needed(_meta(source, room), room, META_ROWS), 1)
        raw = source.snippet
        if not raw or raw.isspace():
            extract = 0
        elif raw.isascii() and len(raw) > 2 * room + 8:
            extract = SNIPPET_ROWS  # cannot fit two rows, even with some spaces collapsed
        else:
            extract = rows_needed(_snippet(source), room, SNIPPET_ROWS)
        return title, about, extract, title + about + marked + extract + 1

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
            total += self._rows(source, room, self._marked(source))[3]
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
        title_rows, meta_rows, snippet_rows, _ = self._rows(source, room, marked)
        meta, snippet = _meta(source, room), _snippet(source)
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
        heading.append(_title(source), base + Style(link=url) if url else base)
        lines = self._wrap(heading, room, title_rows)
        lines += self._wrap(Text(meta, muted), room, meta_rows)
        if marked:
            lines.append(Text(UNCITED, (muted if lit else base) + Style(italic=True)))
        if snippet_rows:
            lines += self._wrap(Text(snippet, muted), room, snippet_rows)
        rows = [self._row(line, width, room, ground) for line in lines]
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
        its background."""
        lit = self.get_visual_style("source-list--highlight")
        background = lit.background or Color(0, 0, 0)
        colour = readable(lit.foreground or background.get_contrast_text(), background)
        ground = Style(color=colour.rich_color, bgcolor=background.rich_color)
        text = ground + Style(bold=True) if lit.bold else ground
        muted = ground + Style(color=muted_on(colour, background).rich_color)
        return text, muted, ground

    def _wrap(self, text: Text, room: int, rows: int) -> list[Text]:
        """``text`` on exactly ``rows`` rows of ``room`` cells; ``…`` where it was cut."""
        lines = list(text.wrap(self.app.console, room))
        kept = lines[:rows]
        if len(lines) > rows:
            kept[-1] = kept[-1].copy()
            kept[-1].append("…")  # (in the line's own style)
        return kept + [Text("")] * (rows - len(kept))

    def _row(self, text: Text, width: int, room: int, ground: Style) -> Strip:
        """One row: :data:`MARGIN` cells, ``text`` cut to ``room`` cells, padded to ``width``,
        all on ``ground`` (the highlight's background, else the list's)."""
        text.no_wrap, text.overflow, text.end = True, "ellipsis", ""
        text.truncate(room, overflow="ellipsis")
        # Rich leaves the text's own style out of what it renders of a text without spans: a
        # site/date line or a snippet line not cut with "…" was drawn unmuted, in the list's
        # text colour (on the highlight as well).
        base = ground + text.style if isinstance(text.style, Style) else ground
        segments = [Segment(" " * MARGIN, ground)]
        segments += [  # each with a style, never None
            Segment(piece, base + style if style else base, control)
            for piece, style, control in text.render(self.app.console)
        ]
        return Strip(segments).adjust_cell_length(width, ground)

    # -- moving ------------------------------------------------------------------------------

    def watch_highlighted(self, position: int | None) -> None:
        if position is not None and self.sources:
            self.scroll_to_position(position)
        self.refresh()

    def validate_highlighted(self, position: int | None) -> int | None:
        if position is None or not self.sources:
            return None
        return max(0, min(position, len(self.sources) - 1))

    def scroll_to_position(self, position: int) -> None:
        top, bottom = self._starts[position], self._starts[position + 1]
        height = self.scrollable_content_region.height
        if top < self.scroll_offset.y:
            self.scroll_to(y=top, animate=False, immediate=True)
        elif bottom > self.scroll_offset.y + height:
            self.scroll_to(y=max(top, bottom - height), animate=False, immediate=True)

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
        row = event.y + self.scroll_offset.y
        position = bisect_right(self._starts, row) - 1
        if 0 <= position < len(self.sources):
            self.highlighted = position
            self.post_message(self.Selected(position))
