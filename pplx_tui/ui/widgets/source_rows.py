"""How the source list draws a source: a block of rows, and how many rows it takes.

Each source is a block of rows: ``[n] title`` (up to three rows, cut with ``…``), ``domain ·
date`` (up to three; a domain longer than a row is cut with ``…``; a source without a title
has its domain as the title, so this row keeps the date alone, or goes), ``○ not cited`` when the
answer never cites the source (a mark, not only a colour; said only once the answer has ended),
up to two rows of snippet (plain text: a fetched page's heading marks go), then a blank row.
:func:`block_rows` counts them without drawing (cheap enough for 10,000 sources);
:func:`wrapped` and :func:`row_strip` draw them, :data:`MARGIN` cells in.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from pplx_tui.plain_text import without_heading_marks
from pplx_tui.sanitize import clean_line, clean_url, domain_of, safe_url

if TYPE_CHECKING:
    from rich.console import Console

    from pplx_tui.values import Source

__all__ = [
    "MARGIN",
    "block_rows",
    "domain_of",
    "meta_of",
    "row_strip",
    "rows_needed",
    "snippet_of",
    "title_of",
    "wrapped",
]

SNIPPET_CHARS = 180
SNIPPET_ROWS = 2
TITLE_ROWS = 3
META_ROWS = 3
MARGIN = 1
"""Blank cells left of each row (drawn by the list, not padding: a highlight covers them)."""
DOMAIN_MIN = 12
"""Cells a cut domain keeps beside its date, at the least (else the date goes below it)."""


def title_of(source: Source) -> str:
    return clean_line(source.title) or domain_of(source.url) or clean_url(source.url)


def _titled(source: Source) -> bool:
    """Whether ``source`` has a title of its own (else :func:`title_of` is its domain). Plain
    printable ASCII is not cleaned (10,000 sources are counted at each layout)."""
    title = source.title
    if not title or title.isspace():
        return False
    return (title.isascii() and title.isprintable()) or bool(clean_line(title))


def meta_of(source: Source, room: int) -> str:
    """``domain · date`` for rows of ``room`` cells: a domain longer than a row is cut with "…"
    to share its row with the date (it wrapped mid-word; the full URL is the one Enter opens
    and c copies), or, where that would leave it under :data:`DOMAIN_MIN` cells, to the whole
    row, the date on the next (QA at 60x20: ``datat… · 2024-02-11``)."""
    domain = domain_of(source.url) if _titled(source) else ""  # (else the title: not twice)
    date = clean_line(source.date or "")
    if cell_len(domain) > room:
        beside = room - (cell_len(date) + 3 if date else 0)
        cut = Text(domain)
        cut.truncate(beside if beside >= DOMAIN_MIN else max(room, 2), overflow="ellipsis")
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
        used = min(width, room)  # (a longer word is cut to a row: cut_long_words)
        if rows >= cap:
            return cap
    return min(rows, cap)


def snippet_of(source: Source) -> str:
    snippet = clean_line(without_heading_marks(source.snippet))
    if len(snippet) > SNIPPET_CHARS:
        snippet = snippet[: SNIPPET_CHARS - 1].rstrip() + "…"
    return snippet


def block_rows(source: Source, room: int, marked: bool) -> tuple[int, int, int, int]:
    """Rows of the heading, meta line (none for a source without a title or a date) and
    snippet, and of the whole block (the uncited mark, if ``marked``, and the blank row after
    it included).

    Short ASCII fields are one row without cleaning them (most sources: 10,000 are laid
    out in a few milliseconds); only longer ones are cleaned and wrapped to count.
    """
    title_raw = source.title or source.url
    if title_raw.isascii() and len(title_raw) + len(str(source.index)) + 3 <= room:
        title = 1
    else:
        title = max(rows_needed(f"[{source.index}] {title_of(source)}", room, TITLE_ROWS), 1)
    date, url = source.date or "", source.url
    host = url.partition("://")[2].partition("/")[0]  # what the row shows, or longer
    titled = _titled(source)
    if titled and url.isascii() and date.isascii() and len(host) + len(date) + 3 <= room and host:
        about = 1
    else:
        about = rows_needed(meta_of(source, room), room, META_ROWS)
        about = max(about, 1) if titled else about
    raw = source.snippet
    if not raw or raw.isspace():
        extract = 0
    elif raw.isascii() and len(raw) > 2 * room + 8:
        extract = SNIPPET_ROWS  # cannot fit two rows, even with some spaces collapsed
    else:
        extract = rows_needed(snippet_of(source), room, SNIPPET_ROWS)
    return title, about, extract, title + about + marked + extract + 1


def cut_long_words(text: Text, room: int) -> Text:
    """``text`` with each word wider than ``room`` cells cut to a row, ending in ``…`` (QA at 60
    columns: a title's domain folded mid-word, "datatracker.ietf.or" then "g" on a row alone)."""
    plain = text.plain
    if cell_len(plain) <= room:
        return text
    long_words = [m.span() for m in re.finditer(r"\S+", plain) if cell_len(m.group()) > room]
    if not long_words:
        return text
    cut, end = Text(end=text.end), 0
    for start, stop in long_words:
        word = text[start:stop]
        word.truncate(room, overflow="ellipsis")
        cut.append_text(text[end:start])
        cut.append_text(word)
        end = stop
    cut.append_text(text[end:])
    return cut


def wrapped(text: Text, room: int, rows: int, console: Console) -> list[Text]:
    """``text`` word-wrapped on exactly ``rows`` rows of ``room`` cells (a word wider than a row
    cut to one); ``…`` where it was cut."""
    lines = list(cut_long_words(text, room).wrap(console, room))
    kept = lines[:rows]
    if len(lines) > rows:
        kept[-1] = kept[-1].copy()
        kept[-1].append("…")  # (in the line's own style)
    return kept + [Text("")] * (rows - len(kept))


def row_strip(text: Text, width: int, room: int, ground: Style, console: Console) -> Strip:
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
        for piece, style, control in text.render(console)
    ]
    return Strip(segments).adjust_cell_length(width, ground)
