"""`pplx ask` on a terminal: Markdown drawn by Rich with hyperlinked markers and sources."""

from __future__ import annotations

import io
import re

import pytest

from pplx_tui.cli.ask_output import PlainPrinter
from pplx_tui.cli.ask_render import RichPrinter, make_printer
from pplx_tui.models import Message, Source
from tests.support.cli import answer_frames, pplx
from tests.support.loopback import LoopbackServer, Reply
from tests.test_cli_ask_reasoning import STYLES

SOURCES = [Source(index=1, url="https://nasa.example/moons", title="Mars moons")]
ANSWER = "## Moons\n\nMars has **two** moons [1].\n\n- Phobos\n- Deimos\n\nArea: $\\pi r^2$.\n"


class Terminal(io.StringIO):
    """Standard output on a terminal (what ``pplx ask`` sees when nothing is piped)."""

    def isatty(self) -> bool:
        return True


def draw(parts: list[str]) -> str:
    """What ``pplx ask`` prints on a 60-column true-colour terminal for an answer streamed in
    ``parts``."""
    out = Terminal()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COLUMNS", "60")
        patch.setenv("TERM", "xterm-256color")
        patch.setenv("COLORTERM", "truecolor")
        for variable in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
            patch.delenv(variable, raising=False)
        printer = make_printer(out, lambda: SOURCES)
    assert isinstance(printer, RichPrinter)
    for part in parts:
        printer.write(part)
    printer.finish(Message(role="assistant", content="".join(parts), sources=SOURCES))
    return out.getvalue()


def test_a_terminal_gets_rendered_markdown_with_hyperlinks() -> None:
    shown = draw([ANSWER])
    assert "## Moons" not in shown and "Moons" in shown
    assert "**two**" not in shown
    assert "\x1b]8;" in shown and "https://nasa.example/moons" in shown  # OSC 8 links
    assert "πr²" in shown.replace(" ", "")
    assert "Sources" in shown and "Mars moons" in shown


def test_blocks_are_drawn_once_as_they_complete() -> None:
    pieces = [ANSWER[i : i + 7] for i in range(0, len(ANSWER), 7)]
    streamed = text_lines(draw(pieces))
    assert streamed.count("• Phobos") == 1
    assert streamed == text_lines(draw([ANSWER]))


def text_lines(shown: str) -> list[str]:
    """The lines shown, without styles, link ids or blank lines."""
    shown = re.sub(r"\x1b\[[0-9;]*m|id=\d+", "", shown)
    return [line.strip() for line in shown.splitlines() if line.strip()]


def test_a_pipe_gets_the_raw_markdown() -> None:
    out = io.StringIO()
    printer = make_printer(out)
    assert type(printer) is PlainPrinter
    printer.write(ANSWER)
    assert out.getvalue() == ANSWER


def test_a_web_marker_naming_no_source_is_drawn_as_its_number() -> None:
    """QA Q13: ``[web:99]`` (no source 99) was drawn as written while the others became
    ``[1]``; the app and the Markdown export show ``[99]``."""
    shown = "\n".join(text_lines(draw(["Phobos [web:1] and Deimos [web:99].\n"])))
    shown = re.sub(r"\x1b\]8;[^\x1b]*\x1b\\\\", "", shown)  # the links' own sequences
    assert "Deimos [99]." in shown and "web:" not in shown, shown


def test_the_sources_heading_reads_as_in_a_pipe_and_in_readme() -> None:
    """QA: `Sources` on a terminal, `Sources:` in a pipe and in README."""
    assert "Sources:" in text_lines(draw([ANSWER]))


CODE_ANSWER = (
    "Run:\n\n~~~bash\necho $HOME and $PATH; arr[1]=x\n~~~\n\n    indented $a$ b[2]\n\nDone [1].\n"
)


@pytest.mark.parametrize("pieces", [len(CODE_ANSWER), 5], ids=["one-delta", "five-characters"])
def test_code_in_every_kind_of_block_is_shown_as_written(
    loopback: LoopbackServer, pieces: int
) -> None:
    """QA: a ``~~~`` fence's ``arr[1]`` became a link to source 1 and an indented block's
    ``$a$`` went through math (``indented a b\\[2\\]``); backtick fences were kept."""
    parts = [CODE_ANSWER[i : i + pieces] for i in range(0, len(CODE_ANSWER), pieces)]
    loopback.queue(Reply(chunks=answer_frames(parts)))

    result = pplx("ask", "q", server=loopback, tty=("stdout",), COLUMNS="80")

    code = [line for line in result.stdout.splitlines() if "$" in line]
    assert len(code) == 2, result.stdout
    assert "\x1b]8;" not in "".join(code), "a marker in code is no link"
    shown = [STYLES.sub("", line).strip() for line in code]
    assert shown == ["echo $HOME and $PATH; arr[1]=x", "indented $a$ b[2]"]
    assert "\x1b]8;" in result.stdout, "the marker outside code is a link"


def test_an_html_block_is_shown_as_text(loopback: LoopbackServer) -> None:
    """QA: a ``<details>`` block vanished on a terminal (the app shows it as written)."""
    html = "<details>\n<summary>More</summary>\n\nHidden part.\n\n</details>\n\nAfter.\n"
    loopback.queue(Reply(chunks=answer_frames([html])))

    result = pplx("ask", "q", server=loopback, tty=("stdout",), COLUMNS="80")

    shown = text_lines(STYLES.sub("", result.stdout))
    assert shown[:4] == [
        "<details> <summary>More</summary>",
        "Hidden part.",
        "</details>",
        "After.",
    ]


OSC8_LINK = re.compile(r"\x1b\]8;[^;\x1b]*;([^\x1b]*)\x1b\\(.*?)\x1b\]8;;\x1b\\")
"""An OSC 8 hyperlink: its target and what it spans (styles included)."""


def test_a_marker_in_a_links_text_stays_in_the_link(loopback: LoopbackServer) -> None:
    """QA: ``[Example [1]](https://example.com/x)`` was printed as written with only ``[1]``
    linked (to source 1): the marker was made a link inside the link. As in the app, the
    text is the link's, marker and all; a marker outside a link still links its source."""
    answer = "Links: [Example [1]](https://example.com/x), [[2]](https://example.com/y) [1].\n"
    loopback.queue(Reply(chunks=answer_frames([answer])))

    result = pplx("ask", "q", server=loopback, tty=("stdout",), COLUMNS="80")

    body = result.stdout.split("Sources")[0]
    assert STYLES.sub("", body).split() == ["Links:", "Example", "[1],", "[2]", "[1]."]
    links = [(target, STYLES.sub("", text)) for target, text in OSC8_LINK.findall(body)]
    assert links == [
        ("https://example.com/x", "Example [1]"),
        ("https://example.com/y", "[2]"),
        ("https://science.nasa.gov/mars/moons/", "[1]"),
    ]


EXTRAS = (
    "A reference[^1] and a note[^n].\n\n[^1]: The footnote text [1].\n"
    "[^n]: Named, on\n  two lines.\n\n- [ ] Task not done\n- [x] Task done\n- Plain\n\n"
    "Glued[^2].\n[^2]: Under its paragraph, `[^2]` in code.\n"
)


def no_links(lines: list[str]) -> list[str]:
    """``lines`` without the links' own sequences (OSC 8)."""
    return [re.sub(r"\x1b\]8;[^\x1b]*\x1b\\", "", line) for line in lines]


@pytest.mark.parametrize("pieces", [len(EXTRAS), 3], ids=["one-delta", "three-characters"])
def test_footnotes_and_task_boxes_are_drawn_as_in_the_app(pieces: int) -> None:
    """QA: footnotes came out raw (``reference[^1]``, ``[^1]: The footnote text [2].``) and a
    task as ``• [ ] Task not done``, where the app shows ``reference¹``, ``¹ The footnote
    text [2].`` and ``☐ Task not done``."""
    parts = [EXTRAS[i : i + pieces] for i in range(0, len(EXTRAS), pieces)]

    shown = no_links(text_lines(draw(parts)))

    assert shown[:9] == [
        "A reference¹ and a note[n].",
        "¹ The footnote text [1].",
        "[n] Named, on two lines.",
        "☐ Task not done",
        "☑ Task done",
        "• Plain",
        "Glued².",
        "² Under its paragraph, [^2] in code.",
        "Sources:",
    ], shown


def test_a_pipe_gets_footnotes_and_tasks_as_written(loopback: LoopbackServer) -> None:
    """README: a pipe or a file gets the answer's Markdown as it came."""
    loopback.queue(Reply(chunks=answer_frames([EXTRAS])))

    result = pplx("ask", "q", server=loopback)

    assert result.stdout.startswith(EXTRAS), result.stdout


def test_a_footnote_s_mark_after_a_code_span_is_a_reference() -> None:
    """Only at a line's start does ``[^1]:`` open a footnote (not after `` `code` ``)."""
    shown = no_links(text_lines(draw(["Run `x`[^1]: then stop.\n"])))
    assert shown[0] == "Run x¹: then stop.", shown
