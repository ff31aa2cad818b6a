"""A virtual list of sources: only the rows on screen are drawn, whatever the number.

Each source is a block of rows: ``[n] title`` (up to three rows, cut with ``…``), ``domain ·
date`` (up to three; a domain longer than a row is cut with ``…``), ``○ not cited`` when the
answer never cites the source (a mark, not only a colour; said only once the answer has ended:
``settled``), up to two rows of snippet (plain text: a fetched page's heading marks go), then a
blank row. Block offsets are kept as prefix sums, so finding the source at a row is a bisect and
opening or scrolling an answer with 10,000 sources costs the same as one with 10 (only visible
blocks are ever laid out, and they are cached).
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
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from pplx_tui.plain_text import without_heading_marks
from pplx_tui.sanitize import clean_line, safe_url
from pplx_tui.values import Source

__all__ = ["SourceList", "domain_of"]

SNIPPET_CHARS = 180
SNIPPET_ROWS = 2
TITLE_ROWS = 3
META_ROWS = 3
UNCITED = "○ not cited"
_NO_STYLE = Style.null()
"""The style of the list's blank cells: a style, never ``None`` (Textual's filter for
``NO_COLOR`` stopped the app on a segment without one)."""


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


def _blank(width: int) -> Strip:
    return Strip.blank(width, _NO_STYLE)


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
        & > .source-list--highlight { background: $block-cursor-blurred-background; }
        &:focus > .source-list--highlight { background: $block-cursor-background; }
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
            self._blocks.clear()
            self.virtual_size = Size(0, self._starts[-1])
            return
        room = max(self._width - 1, 1)
        starts = [0]
        total = 0
        for source in self.sources:
            total += self._rows(source, room, self._marked(source))[3]
            starts.append(total)
        self._starts = starts
        self._blocks.clear()
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
        self._blocks.clear()

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
            return _blank(width)
        block = self._block(position, width)
        offset = row - self._starts[position]
        strip = block[offset] if offset < len(block) else _blank(width)
        if position == self.highlighted and offset < len(block) - 1:
            strip = strip.apply_style(self.get_component_rich_style("source-list--highlight"))
        return strip.crop(self.scroll_offset.x, self.scroll_offset.x + width)

    def _block(self, position: int, width: int) -> list[Strip]:
        block = self._blocks.get(position)
        if block is None:
            if len(self._blocks) > 512:
                self._blocks.clear()
            block = self._blocks[position] = self._draw(position, width)
        return block

    def _draw(self, position: int, width: int) -> list[Strip]:
        source = self.sources[position]
        style = self.get_component_rich_style
        cited, marked = source.index in self.cited, self._marked(source)
        room = max(width - 1, 1)
        title_rows, meta_rows, snippet_rows, _ = self._rows(source, room, marked)
        meta, snippet = _meta(source, room), _snippet(source)
        if cited or marked:
            base = style("source-list--cited" if cited else "source-list--uncited")
        else:
            base = Style()  # not cited yet: neither stands out nor fades
        muted = style("source-list--muted")
        url = safe_url(source.url)
        heading = Text(end="")
        heading.append(f"[{source.index}] ", style("source-list--marker"))
        heading.append(_title(source), base + Style(link=url) if url else base)
        rows = [self._row(line, width) for line in self._wrap(heading, width, title_rows)]
        lines = self._wrap(Text(meta, muted), width, meta_rows)
        if marked:
            lines.append(Text(UNCITED, base + Style(italic=True)))
        if snippet_rows:
            lines += self._wrap(Text(snippet, muted), width, snippet_rows)
        rows += [self._row(line, width) for line in lines]
        rows.append(_blank(width))
        return rows

    def _wrap(self, text: Text, width: int, rows: int) -> list[Text]:
        """``text`` on exactly ``rows`` rows; ``…`` where it was cut."""
        lines = list(text.wrap(self.app.console, max(width - 1, 1)))
        kept = lines[:rows]
        if len(lines) > rows:
            kept[-1] = Text.assemble(kept[-1], "…")
        return kept + [Text("")] * (rows - len(kept))

    def _row(self, text: Text, width: int) -> Strip:
        text.no_wrap, text.overflow, text.end = True, "ellipsis", ""
        text.truncate(max(width - 1, 1), overflow="ellipsis")
        segments = [  # each with a style: Rich leaves plain text without one
            Segment(piece, style or _NO_STYLE, control)
            for piece, style, control in text.render(self.app.console)
        ]
        return Strip(segments).adjust_cell_length(width, _NO_STYLE)

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
