"""Markdown nested deeper than markdown-it's limit loses nothing (QA: a list 60 levels deep and
29 nested quotes made the app and ``pplx ask`` stop drawing at the list's ninth level)."""

from __future__ import annotations

import re
import time

import pytest

from pplx_tui.markdown_depth import shallow
from pplx_tui.markdown_html import inert_html
from pplx_tui.ui.citations import parser
from tests.test_cli_ask_render import draw, text_lines
from tests.test_markdown_render import lines

NESTED = "\n".join(
    [
        "Nested:",
        "",
        *("  " * i + f"- level {i} item" for i in range(60)),
        "",
        "> " * 29 + "deep quote",
        "",
        "end [1]",
    ]
)


def test_the_app_draws_every_level_the_deepest_at_one_indentation() -> None:
    shown = lines(NESTED, 76)
    columns = {}
    for i in range(60):
        [line] = [line for line in shown if line.endswith(f" level {i} item")]
        columns[i] = len(line) - len(line.lstrip())
    assert columns[1] > columns[0] and columns[8] > columns[7]
    assert {columns[i] for i in range(8, 60)} == {columns[8]}
    assert any(line.strip().endswith("deep quote") for line in shown)
    assert [line for line in shown if line][-1] == "end [1]"


def test_a_marker_after_deep_nesting_is_still_a_link_to_its_source() -> None:
    hrefs = [
        child.attrs["href"]
        for token in parser().parse(NESTED)
        for child in token.children or ()
        if child.type == "link_open"
    ]
    assert hrefs == ["#source-1"]


@pytest.mark.parametrize("parts", [1, 9], ids=["whole", "streamed"])
def test_pplx_ask_on_a_terminal_draws_every_level(parts: int) -> None:
    size = len(NESTED) // parts + 1
    shown = draw([NESTED[i : i + size] for i in range(0, len(NESTED), size)])
    text = "\n".join(text_lines(re.sub(r"\x1b\]8;[^\x1b]*\x1b\\", "", shown)))
    for i in range(60):
        assert f"level {i} item" in text
    assert "deep quote" in text
    assert "end [1]" in text and "https://nasa.example/moons" in shown


def test_html_after_deep_nesting_is_made_inert_in_the_export() -> None:
    exported = inert_html(NESTED + "\n\n<details>\n\nhidden\n")
    assert "\\<details>" in exported
    assert "level 59 item" in exported and "end [1]" in exported


@pytest.mark.parametrize(
    "deep",
    ["- " * 10_000 + "bottom", "> " * 10_000 + "bottom", "- > " * 5_000 + "bottom"],
    ids=["list", "quotes", "both"],
)
def test_ten_thousand_levels_are_drawn_at_once(deep: str) -> None:
    started = time.perf_counter()
    shown = lines(deep + "\n\nafter [1]\n", 76)
    assert time.perf_counter() - started < 2
    assert any(line.strip().endswith("bottom") for line in shown)
    assert [line for line in shown if line][-1] == "after [1]"


def test_shallow_text_is_left_as_written() -> None:
    text = "- a\n  - b\n    - c\n\n```\n" + " " * 40 + "deep code\n```\n"
    assert shallow(text) is text
