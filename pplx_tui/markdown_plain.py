"""Plain text and sources written into Markdown, to show as written: the one escaping of the
Markdown pplx-tui writes (the Markdown export, the answer ``y`` copies with its sources).

Text that is not the answer's own Markdown (a page's title, the user's question, a model's
reasoning) is escaped, so a viewer (GitHub, pandoc, markdown-it) shows it as written: a page
titled ``std::vector<int>`` keeps its ``<int>``, ``<!--`` hides nothing, ``__init__`` does not
turn bold, ``</details>`` in reasoning does not close the fold it is in. Every character
that makes Markdown or HTML is escaped with a backslash (:func:`plain`); a text of several
lines also has what would open a block at a line's start escaped (a heading, a list, a table,
a setext underline) and keeps its line breaks (:func:`plain_lines`). Core module: no Textual.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from pplx_tui.citations import UNCITED, cited_numbers, unknown_note, unknown_numbers
from pplx_tui.sanitize import clean_line, clean_text, clean_url, domain_of, safe_url
from pplx_tui.source_dates import shown_date
from pplx_tui.values import Source

__all__ = [
    "angle_link",
    "cut_note",
    "plain",
    "plain_line",
    "plain_lines",
    "source_item",
    "sources_list",
]

_MARKUP = re.compile(r"[\\`*\[\]<>&~]|(?<![^\W_])_|_(?![^\W_])")
"""Characters that make Markdown or HTML of plain text (each is escaped with a backslash). An
``_`` between two letters or digits makes no emphasis (CommonMark, pandoc): ``idle_timeout``
stays as written, not ``idle\\_timeout`` (read as is in a pipe)."""
_BLOCK_START = re.compile(r"^(?:([#+\-=:])|(\d{1,9})([.)]))")
"""What opens a block at a line's start and :data:`_MARKUP` leaves: a heading, a list item, a
setext underline or thematic break, a definition (pandoc)."""


def plain(text: str) -> str:
    """``text`` with its Markdown and HTML escaped: no tag, comment, link or emphasis."""
    return _MARKUP.sub(lambda found: "\\" + found.group(), text)


def plain_line(text: str) -> str:
    """One line of untrusted text (a title, a model name) for Markdown, shown as written."""
    return plain(clean_line(text))


def cut_note(error: str | None, *, arrived: bool) -> str:
    """The line under an answer that did not end in full: it ``error`` broke off, or was
    stopped (nothing of it ``arrived``, or part). The export writes it, and ``pplx ask`` to a
    pipe or a file."""
    if error:  # the server's doing
        return f"*(The answer broke off here: {plain_line(error)})*"
    if not arrived:
        return "*(The answer was stopped before any of it arrived.)*"
    return "*(The answer was interrupted here.)*"


def plain_lines(text: str) -> str:
    """Untrusted text of any number of lines (a question, reasoning), shown as written: each
    line ends in a hard line break (``\\``), a blank line still parts paragraphs. Indentation
    is dropped (four spaces would make code of a line)."""
    lines: list[str] = []
    for raw in clean_text(text).splitlines():
        # (``|`` anywhere: a line of them and dashes under another makes a table)
        line = _BLOCK_START.sub(_escaped_start, plain(raw.strip()).replace("|", "\\|"))
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    broken = [line + "\\" if line and after else line for line, after in pairwise(lines)]
    return "\n".join(broken + lines[-1:])


def _escaped_start(found: re.Match[str]) -> str:
    if found.group(1):
        return "\\" + found.group(1)
    return f"{found.group(2)}\\{found.group(3)}"


def angle_link(url: str) -> str:
    """``<url>``: a link showing its address (an http(s) URL: :func:`safe_url`)."""
    return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"


def source_item(source: Source, *, uncited: bool = False) -> str:
    """``- [n] Title (date) — <url>``, and `` · ○ not cited`` when ``uncited``; a URL that is
    not http(s) is shown as code, not linked; no URL, nothing after the title. Without a title
    the site stands in for it, as in the sources panel (``example.com (2024-02-08) — <…>``);
    a link with no site (``mailto:``) then comes first, before the date, said once."""
    title = plain_line(source.title) or plain_line(domain_of(source.url))
    link = ""
    if url := safe_url(source.url):
        link = angle_link(url)
    elif url := clean_url(source.url):
        link = "`" + url.replace("`", "'") + "`"
    if not title:
        title, link = link, ""
    if when := shown_date(source.date):  # as the reference exports read it; else nothing
        title = f"{title} ({when})" if title else f"({when})"
    shown = f"{title} — {link}" if title and link else title or link
    item = f"- [{source.index}] {shown}".rstrip()
    return f"{item} · {UNCITED}" if uncited else item


def sources_list(markdown: str, sources: Sequence[Source], *, settled: bool) -> list[str]:
    """The numbered **Sources** list under an answer (``markdown``), blank line last; [] if
    there is nothing to list. Once the answer has ended (``settled``), those it does not cite
    are marked so, as the sources panel marks them (while it is still being written or
    researching, the next sentence may cite them); a marker that names no source is said to."""
    unknown = unknown_numbers(markdown, sources)
    if not (sources or unknown):
        return []
    cited = cited_numbers(markdown, {source.index for source in sources})
    lines = ["**Sources**", ""]
    for source in sorted(sources, key=lambda s: s.index):
        lines.append(source_item(source, uncited=settled and source.index not in cited))
    if unknown:
        lines.append(f"- *{unknown_note(unknown)} of this answer*")
    return [*lines, ""]
