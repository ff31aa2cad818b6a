"""Code is code wherever it is read: backtick and tilde fences, indented code blocks and code
spans (QA: a marker in an indented block or a ``~~~`` fence counted as a citation while one in
a backtick fence or a code span did not; ``pplx ask`` rewrote markers and math in them)."""

from __future__ import annotations

import pytest

from pplx_tui.citations import (
    StreamedCitations,
    cited_numbers,
    marker_numbers,
    normalize_markers,
)
from pplx_tui.markdown_code import code_regions, outside_code
from pplx_tui.ui.widgets.message_view import AnswerView
from tests.support.cli import chunk
from tests.support.loopback import LoopbackServer, Reply, sse
from tests.support.tui import cited_in_panel, loopback_app, send, settle, until, workspace

EVERY_KIND = (
    "Cites [1].\n\n```\na[3]\n```\n\n    b[4]\n\n~~~\nc[5]\n~~~\n\nSee `d[6]` and ``e[7]``.\n"
)


def code_of(markdown: str) -> list[str]:
    return [markdown[start:end] for start, end in code_regions(markdown)]


@pytest.mark.parametrize(
    ("markdown", "code"),
    [
        ("x\n```py\na[1]\n```\ny", ["```py\na[1]\n```\n"]),
        ("x\n~~~\na[1]\n~~~\ny", ["~~~\na[1]\n~~~\n"]),
        ("~~~~\n~~~\na\n~~~~~\nb", ["~~~~\n~~~\na\n~~~~~\n"]),  # longer closes, shorter not
        ("````\n```\na\n```\n````\nb", ["````\n```\na\n```\n````\n"]),
        ("```\na\n~~~\nb", ["```\na\n~~~\nb"]),  # unclosed: code to the end
        ("```\na\n``` b\nc\n```\nd", ["```\na\n``` b\nc\n```\n"]),  # a closing fence is alone
        ("```a`b [1]\nc [2]\n", []),  # no backtick after a backtick fence's run: text
        ("    a[1]\n\tb\n\nc", ["    a[1]\n\tb\n"]),  # at the start, a tab too
        ("p\n\n    a[1]\n", ["    a[1]\n"]),  # after a blank line
        ("p\n    not code [1]\n", []),  # a paragraph going on
        ("- item\n\n    item text [1]\n", []),  # a list item's own text
        ("- item\n\n      code [1]\n", ["      code [1]\n"]),
        ("a `b[1]` c ``d ` [2]`` e", ["`b[1]`", "``d ` [2]``"]),
        ("a `b\nc` d", ["`b\nc`"]),  # a span over a line end
        ("a `b\n\nc` d", []),  # not over a paragraph's end
        ("a ``b` c", []),  # no run as long: backticks as written
        ("no code [1]", []),
    ],
)
def test_every_kind_of_code_is_found(markdown: str, code: list[str]) -> None:
    assert code_of(markdown) == code


def test_text_around_code_is_changed_and_code_kept() -> None:
    changed = outside_code(EVERY_KIND, lambda text: text.replace("[", "<"))
    assert changed.startswith("Cites <1].")
    for kept in ("a[3]", "    b[4]", "c[5]", "`d[6]`", "``e[7]``"):
        assert kept in changed


def test_no_kind_of_code_cites() -> None:
    assert marker_numbers(EVERY_KIND) == [1]
    assert cited_numbers(EVERY_KIND) == {1}
    web = EVERY_KIND.replace("[", "[web:")
    assert normalize_markers(web) == web.replace("Cites [web:1]", "Cites [1]")


def test_a_streamed_answer_cites_the_same_however_it_is_cut() -> None:
    for cut in range(1, len(EVERY_KIND)):
        streamed = StreamedCitations()
        cited = streamed.feed(EVERY_KIND[:cut]) | streamed.feed(EVERY_KIND[cut:])
        assert cited == {1}, cut
    for size in (1, 2, 3):
        streamed = StreamedCitations()
        pieces = [EVERY_KIND[i : i + size] for i in range(0, len(EVERY_KIND), size)]
        assert set().union(*map(streamed.feed, pieces)) == {1}, size


SOURCES = [{"title": f"Page {n}", "url": f"https://s{n}.example/"} for n in range(1, 9)]


def frames(parts: list[str]) -> list[bytes]:
    """The answer in ``parts`` with the eight :data:`SOURCES`, then its end."""
    found = {"citations": [s["url"] for s in SOURCES], "search_results": SOURCES}
    events = [chunk(part, **found) for part in parts]
    return sse(*events, chunk("", finish="stop", **found), done=True)


@pytest.mark.parametrize("pieces", [3, 7], ids=["three-characters", "seven-characters"])
async def test_the_app_counts_no_marker_in_code_as_it_streams(
    loopback: LoopbackServer, pieces: int
) -> None:
    """While it streams (held before its end: the sources panel) and once it has ended (the
    line under it too): one source cited."""
    parts = [EVERY_KIND[i : i + pieces] for i in range(0, len(EVERY_KIND), pieces)]
    reply = Reply(chunks=frames(parts), hang_after=len(parts))
    loopback.queue(reply)
    app = loopback_app(loopback)
    async with app.run_test(size=(120, 40)) as pilot:
        await send(pilot, "Code?")
        conversation = workspace(app).conversation
        await until(pilot, lambda: conversation.query(AnswerView).last().text == EVERY_KIND)
        view = conversation.query(AnswerView).last()
        assert view.cited == {1}
        await until(pilot, lambda: cited_in_panel(app) == {1} and len(view.sources) == 8)

        reply.resume()
        await settle(pilot)
        progress = str(view.query_one(".answer-view--progress").render())
        assert "8 sources, 1 cited" in progress
        assert cited_in_panel(app) == {1}
