"""``pplx ask`` on a terminal: the answer drawn as Markdown by Rich, block by block.

A pipe or a file gets the raw Markdown (:class:`~pplx_tui.cli.ask_output.PlainPrinter`); a
terminal gets headings, lists, tables and highlighted code. Text is drawn as each top-level
block is complete (a later delta cannot change it), the last one at the end, so the answer
still appears while it streams and nothing is drawn twice. Citation markers ``[n]`` and
source titles are terminal hyperlinks (OSC 8) to the source; only http(s) links are links.
LaTeX math is shown as Unicode text (:mod:`pplx_tui.math_text`). With ``--reasoning`` the
model's reasoning comes first, dimmed under a "Reasoning" heading, as it arrives.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TextIO

from pplx_tui.citations import MARKER_PATTERN, is_marker_match
from pplx_tui.cli.ask_output import PlainPrinter
from pplx_tui.markdown_depth import limit_nesting, shallow
from pplx_tui.math_text import DISPLAY_BRACKETS

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from rich.console import Console

    from pplx_tui.cli.ask_output import Answer, FinishedAnswer
    from pplx_tui.cli.ask_reasoning import ReasoningStream
    from pplx_tui.models import Source

__all__ = ["RichPrinter", "make_printer", "prepare_markdown", "print_answer"]

_DISPLAY_MATH = re.compile(
    r"\$\$(.+?)\$\$|^[ \t]{0,3}" + DISPLAY_BRACKETS, re.DOTALL | re.MULTILINE
)  # (``\\[…\\]`` on lines of its own: else an escaped marker, as in the app)
_INLINE_MATH = re.compile(r"\\\((.+?)\\\)|\$(?=[^\s$])([^$\n]+?)(?<=\S)\$(?!\d)")
_MARKER = re.compile(MARKER_PATTERN + r"(?!\()")
_ANSI = re.compile(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b]*\x1b\\\\")


def make_printer(
    out: TextIO, sources: Callable[[], Sequence[Source]] = tuple, *, reasoning: bool = False
) -> PlainPrinter:
    """A :class:`RichPrinter` on a terminal, else the raw Markdown printer."""
    printer = PlainPrinter(out, reasoning=reasoning)
    return RichPrinter(out, sources=sources, reasoning=reasoning) if printer.is_tty else printer


def print_answer(
    out: TextIO, answer: FinishedAnswer, *, reasoning: bool = False, cut: str = ""
) -> None:
    """A whole answer (a saved one: ``pplx runs wait``) as ``pplx ask`` prints one as it
    comes; with ``reasoning``, its reasoning first; ``cut``: the note under an answer that did
    not end in full (:meth:`PlainPrinter.finish`)."""
    printer = make_printer(out, lambda: answer.sources, reasoning=reasoning)
    if answer.reasoning:
        printer.think(answer.reasoning)
    printer.write(answer.content)
    printer.finish(answer, cut)


class RichPrinter(PlainPrinter):
    """Draws finished Markdown blocks with Rich as the answer streams, then the sources."""

    def __init__(
        self,
        out: TextIO,
        sources: Callable[[], Sequence[Source]] = tuple,
        *,
        reasoning: bool = False,
    ) -> None:
        """``sources``: the answer's sources so far (markers link to them when drawn)."""
        super().__init__(out, reasoning=reasoning)
        self._shown_thought: ReasoningStream | None = None
        """The reasoning being shown, until the answer begins."""
        self._console: Console | None = None
        self._pending = ""
        self._sources = sources
        self._parser: MarkdownIt | None = None
        self._drawn = False

    @property
    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(file=self.out, highlight=False, soft_wrap=False)
        return self._console

    def prepare(self) -> None:
        """Load Rich and the Markdown parsers once the question is sent, while the server
        works on it: the request leaves sooner and the first block draws at once."""
        import pplx_tui.cli.ask_marks  # noqa: F401 - imported for _draw (Rich), ahead of time

        self._block_parser()
        _ = self.console

    def think(self, text: str) -> None:
        """A piece of reasoning, drawn dimmed as it comes (when asked for); reasoning after
        some of the answer (a later think block) below what came of it, a blank line apart."""
        if self.reasoning:
            if self._shown_thought is None:
                from pplx_tui.cli.ask_reasoning import ReasoningStream

                if self._pending.strip():
                    self._draw(self._pending)
                    self._pending = ""
                if self._drawn:
                    self.out.write("\n")
                text = text.lstrip()  # (the blank line that parts it from earlier reasoning)
                self._shown_thought = ReasoningStream(self.console)
            self._shown_thought.feed(text)
            self.ends_with_newline = False

    def _end_thought(self) -> None:
        """The reasoning shown is over: its last line ended, then one blank line (which the
        next block draws itself once a block was drawn)."""
        if self._shown_thought is not None:
            self._shown_thought.close()
            self._shown_thought = None
            if not self._drawn:
                self.out.write("\n")
            self.ends_with_newline = True

    def write(self, text: str) -> None:
        from pplx_tui.sanitize import clean_text

        self._end_thought()
        self._pending += clean_text(self.redactor.feed(text))
        cut = self._final_part()
        if cut:
            self._draw(self._pending[:cut])
            self._pending = self._pending[cut:]

    def finish(self, answer: Answer, cut: str = "") -> None:
        """Draws the rest and the sources; ``cut`` is left to the line on stderr, on the same
        terminal (Rich closes an open code block itself)."""
        from rich.text import Text

        from pplx_tui.citations import unknown_note, unknown_numbers
        from pplx_tui.redact import redact_known
        from pplx_tui.sanitize import clean_line, clean_text, clean_url, safe_url

        self._end_thought()
        self._sources = lambda: answer.sources
        self._pending += clean_text(self.redactor.flush())
        if self._pending.strip():
            self._draw(self._pending)
        self._pending = ""
        unknown = unknown_numbers(answer.content, answer.sources)
        above = self._drawn  # (reasoning alone ends in its own blank line)
        if answer.sources or unknown:
            if above:
                self.console.print()
            above = True
            self.console.print(Text("Sources:", style="bold"))
            for source in answer.sources:
                shown_url = clean_url(redact_known(source.url))
                url = safe_url(shown_url)
                title = clean_line(redact_known(source.title))
                after = f" — {shown_url}" if title and shown_url and shown_url != title else ""
                line = Text.assemble(
                    (f"[{source.index}] ", "bold cyan"),
                    (title or shown_url, f"link {url}" if url else ""),
                    (after, "dim"),
                )
                self.console.print(line)
            if unknown:
                self.console.print(Text(f"({unknown_note(unknown)} of this answer)", "dim"))
        from pplx_tui.cli.ask_output import extras

        more = extras(answer)
        for line in more if above else more[1:]:  # (no blank line above nothing)
            self.console.print(Text(redact_known(line)))
        self.ends_with_newline = True

    def _final_part(self) -> int:
        """How much of the pending text is whole blocks that no later text can change."""
        if "\n\n" not in self._pending:
            return 0
        tokens = [t for t in self._block_parser().parse(self._pending) if t.level == 0 and t.map]
        starts = [t.map[0] for t in tokens if t.nesting >= 0 and t.map]  # type: ignore[index]
        if len(starts) < 2:
            return 0
        last = starts[-1]
        offset = 0
        for _ in range(last):
            offset = self._pending.index("\n", offset) + 1
        return offset

    def _block_parser(self) -> MarkdownIt:
        if self._parser is None:
            from markdown_it import MarkdownIt

            # Block boundaries only: GFM's tables, without its linkify (inline, and the
            # slowest part of a "gfm-like" parser to build).
            self._parser = limit_nesting(MarkdownIt("commonmark").enable("table"))
        return self._parser

    def _draw(self, markdown: str) -> None:
        from pplx_tui.cli.ask_marks import TaskMarkdown
        from pplx_tui.redact import redact_known
        from pplx_tui.sanitize import safe_url

        links = {s.index: url for s in self._sources() if (url := safe_url(s.url))}
        with self.console.capture() as capture:
            self.console.print(TaskMarkdown(prepare_markdown(markdown, links), hyperlinks=True))
        lines = capture.get().splitlines()
        while lines and not _ANSI.sub("", lines[-1]).strip():  # Rich's blanks around a block
            lines.pop()
        while lines and not _ANSI.sub("", lines[0]).strip():
            lines.pop(0)
        if self._drawn:
            self.out.write("\n")  # one blank line between two blocks
        self._drawn = True
        # Redacted again for the links' targets (a source URL holding a key).
        self.out.write(redact_known("".join(line + "\n" for line in lines)))
        self.out.flush()
        self.ends_with_newline = True


def _kept_indent(line: str) -> str:
    """A line of a matrix or aligned equations, its indent kept (as no-break spaces: Markdown
    drops a line's leading spaces; written as entities, as it strips a paragraph's)."""
    text = line.lstrip(" ")
    return "&nbsp;" * (len(line) - len(text)) + text


def prepare_markdown(markdown: str, sources: dict[int, str]) -> str:
    """Markdown for Rich: math as Unicode, markers as links to their sources, only web links,
    HTML as text (Rich drops it: shown as written, as in the app); code as written."""
    from pplx_tui.cli.ask_marks import footnotes
    from pplx_tui.markdown_code import split_code
    from pplx_tui.markdown_html import inert_html
    from pplx_tui.math_text import latex_to_text
    from pplx_tui.sanitize import defuse_links, outside_web_links

    def display(match: re.Match[str]) -> str:
        number = f"  ({match.group(3)})" if match.group(3) else ""
        text = latex_to_text(match.group(1) or match.group(2), display=True) + number
        return "\n\n" + "  \n".join(_kept_indent(line) for line in text.split("\n")) + "\n\n"

    def inline(match: re.Match[str]) -> str:
        return latex_to_text(match.group(1) or match.group(2))

    def marker(match: re.Match[str]) -> str:
        if not is_marker_match(match, sources):
            return match.group(0)  # [2024], a year (a marker of four digits names a source); \[5]
        url = sources.get(int(match.group(1)))
        # ``[web:99]`` naming no source reads ``[99]`` too, as in the app and the export.
        return f"[\\[{match.group(1)}\\]]({url})" if url else f"\\[{match.group(1)}\\]"

    def markers(part: str) -> str:
        return _MARKER.sub(marker, part)

    def text(part: str, line_start: bool) -> str:
        part = _INLINE_MATH.sub(inline, _DISPLAY_MATH.sub(display, part))
        part = outside_web_links(part, markers)  # (a marker in a link's text is the link's)
        return footnotes(part, line_start=line_start)

    markdown = inert_html(shallow(markdown))  # (Rich's parser drops what is nested too deep)
    pieces: list[str] = []
    for piece, code in split_code(markdown):  # code is left as written
        line_start = not pieces or pieces[-1].endswith("\n")
        pieces.append(piece if code else text(piece, line_start))
    return defuse_links("".join(pieces))
