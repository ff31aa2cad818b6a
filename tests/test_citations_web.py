"""``[web:N]`` markers and ``fetch_url_results`` pages (issue 10 item 6): one marker definition,
read the same by the client, the store's search, the exports, ``pplx ask`` and the TUI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import pplx_tui
from pplx_tui.citations import (
    cited_numbers,
    marker_numbers,
    normalize_markers,
    unknown_note,
    unknown_numbers,
)
from pplx_tui.client.answer import AnswerBuilder
from pplx_tui.client.chat_client import ChatClient
from pplx_tui.client.events import SearchProgress, SourcesUpdate
from pplx_tui.client.request import ChatRequest, Turn
from pplx_tui.models import Source
from pplx_tui.providers import build_catalog
from tests.support import recorded, web_markers
from tests.support.loopback import LoopbackServer, Reply, json_reply
from tests.support.retries import NO_WAIT

KEY = "pplx-webmarkers0123456789abcdef"
module_server, loopback = recorded.shared_server_fixtures()


async def ask_agent(loopback: LoopbackServer, reply: Reply, model: str = "medium"):
    loopback.queue(reply)
    info = build_catalog().provider("perplexity")
    request = ChatRequest(model=model, turns=(Turn("user", "Vector DB prices?"),))
    async with ChatClient(info, KEY, base_url=loopback.base_url, retry=NO_WAIT) as client:
        events, error = await recorded.collect(client.stream(request))
    builder = AnswerBuilder()
    for event in events:
        builder.add(event)
    return events, error, builder


# -- the one marker definition -----------------------------------------------------------------


def test_web_markers_count_like_numeric_ones_outside_code() -> None:
    text = "a [web:3] b [1][web:12] `[web:9]` c [web:0]\n\n```\n[web:4]\n```\n"
    assert marker_numbers(text) == [3, 1, 12, 0]
    assert cited_numbers(web_markers.TEXT) == web_markers.CITED
    # Not markers: other prefixes, spaces, four digits.
    assert marker_numbers("[news:3] [web: 3] [web:1234] [web:x]") == []


def test_unknown_markers_are_named_not_dropped() -> None:
    sources = [Source(index=n, url=f"https://s.example/{n}") for n in (1, 2, 11)]
    assert unknown_numbers("x [web:0] [1] [web:11] [7]", sources) == [0, 7]
    assert unknown_note([0]) == "[0] names no source"
    assert unknown_note([0, 7]) == "[0], [7] name no source"
    assert unknown_note([]) == ""


def test_normalize_writes_web_markers_as_numbers_except_in_code() -> None:
    assert normalize_markers("a [web:11][web:2] `[web:3]` [4]") == "a [11][2] `[web:3]` [4]"
    assert normalize_markers("no markers") == "no markers"


def test_the_marker_pattern_is_defined_once() -> None:
    """Every module reads markers through pplx_tui.citations (it was copied before)."""
    root = Path(pplx_tui.__file__).parent
    pattern = re.compile(r"\\\[\(\\d|\\\[\(\?:web")
    definers = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    )
    assert definers == ["citations.py"]


# -- the client ------------------------------------------------------------------------------


async def test_stream_numbers_batches_by_id_and_fetched_pages_after_them(loopback) -> None:
    events, error, answer = await ask_agent(
        loopback, Reply(chunks=recorded.frames(web_markers.stream_events(repeat_output=False)))
    )

    assert error is None
    assert answer.content == web_markers.TEXT
    assert [s.index for s in answer.sources] == web_markers.expected_numbers()
    by_number = {s.index: s for s in answer.sources}
    # The page fetched and also searched keeps its search id; the other follows the ids.
    assert by_number[21].title == "Vector database pricing — Weaviate"
    assert by_number[23].url == "https://milvus.example/pricing"
    assert by_number[23].snippet.startswith("Serverless")
    assert by_number[12].date == "2026-10-02"
    assert unknown_numbers(answer.content, answer.sources) == web_markers.UNKNOWN
    assert answer.usage is not None and answer.usage.cost_usd == pytest.approx(0.00363)
    reading = [e for e in events if isinstance(e, SearchProgress) and e.thought == "Reading pages…"]
    assert reading and reading[0].queries == tuple(p["url"] for p in web_markers.FETCHED)
    assert any(isinstance(e, SearchProgress) and e.thought == "Read 2 pages" for e in events)


async def test_completed_output_repeating_the_items_adds_no_update(loopback) -> None:
    events, error, answer = await ask_agent(
        loopback, Reply(chunks=recorded.frames(web_markers.stream_events()))
    )

    assert error is None
    assert [s.index for s in answer.sources] == web_markers.expected_numbers()
    updates = [e for e in events if isinstance(e, SourcesUpdate)]
    assert len(updates) == 4  # three batches and the fetched pages; nothing new at the end


async def test_a_completed_response_body_yields_text_sources_and_fetched_pages(loopback) -> None:
    _, error, answer = await ask_agent(loopback, json_reply(200, web_markers.completed_body()))

    assert error is None
    assert answer.done
    assert answer.content == web_markers.TEXT
    assert [s.index for s in answer.sources] == web_markers.expected_numbers()


async def test_a_run_that_only_fetched_lists_the_page_and_names_web_0_unknown(loopback) -> None:
    page = {"title": "PEP 8", "url": "https://peps.example/pep-0008/", "snippet": "79 chars"}
    body = {
        "status": "completed",
        "output": [
            {"type": "fetch_url_results", "contents": [page]},
            {
                "type": "message",
                "content": [{"type": "output_text", "text": "Lines: 79 characters. [web:0]"}],
            },
        ],
    }
    _, error, answer = await ask_agent(loopback, json_reply(200, body), model="low")

    assert error is None
    assert [(s.index, s.url) for s in answer.sources] == [(1, page["url"])]
    assert unknown_numbers(answer.content, answer.sources) == [0]


# -- pplx ask, the store's search and the exports ------------------------------------------------


def test_ask_prints_web_cited_sources_then_saves_a_chat_search_and_export_read(
    loopback: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    from pplx_tui.cli import main
    from tests.support.cli import pplx

    loopback.queue(Reply(chunks=recorded.frames(web_markers.stream_events())))
    result = pplx(
        "ask", "--provider", "perplexity", "--model", "medium", "--base-url",
        loopback.base_url, "--save", "Vector DB prices?",
        key=None, PERPLEXITY_API_KEY=KEY,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith(web_markers.TEXT)  # piped: the answer exactly as received
    assert "[23] www.milvus.example · pricing Zilliz Cloud pricing — https://milvus.example/" in out
    assert out.rstrip().endswith("([0] names no source of this answer)")
    chat_id = result.stderr.strip().split()[-1]

    # Markers are searched as [N]: "web" matches only where the answer says it (in code).
    assert main(["chats", "search", "--json", "web"]) == 0
    (hit,) = json.loads(capsys.readouterr().out)
    start, end = hit["highlight"]
    assert hit["snippet"][start - 1 : end + 3] == "[web:2]"
    assert main(["chats", "search", "Milvus"]) == 0
    assert chat_id in capsys.readouterr().out

    assert main(["chats", "export", chat_id, "--format", "md"]) == 0
    markdown = capsys.readouterr().out
    assert "| Pinecone | $20 flat [11] |" in markdown
    assert "Checked `[web:2]` and [0]." in markdown  # code is left as written
    assert "- [23] www.milvus.example · pricing Zilliz Cloud pricing — <https://milvus" in markdown
    assert "- *[0] names no source of this answer*" in markdown


def test_markers_of_four_digits_or_more_cite_where_the_answer_has_that_source() -> None:
    """QA: in an answer with 10,000 sources, [5658] [9999] [10000] [1234] were plain text
    (the pattern took three digits at most). A number of four digits or more is a marker
    where the answer has a source of that number; elsewhere (``[2024]``, a year in brackets,
    in an answer with 5 sources) it is text, and no "names no source" note."""
    many = set(range(1, 10_001))
    text = "[5658] [139] [100] [9999] [10000] [5000] [1234] [web:2024] `[4321]`"
    assert marker_numbers(text, many) == [5658, 139, 100, 9999, 10000, 5000, 1234, 2024]
    assert marker_numbers(text) == [139, 100]  # sources unknown: three digits at most
    five = [Source(index=n, url=f"https://s.example/{n}") for n in range(1, 6)]
    year = "In [2024] the rules changed [1]; see [web:2024] and [7]."
    assert cited_numbers(year, {1, 2, 3, 4, 5}) == {1, 7}
    assert unknown_numbers(year, five) == [7]
    assert unknown_numbers("[1234] [12]", [Source(index=1234, url="https://s.example/")]) == [12]
    assert (
        normalize_markers(year, {1, 2, 3, 4, 5})
        == "In [2024] the rules changed [1]; see [web:2024] and [7]."
    )
    assert normalize_markers("[web:1234] [web:2]", {1234}) == "[1234] [2]"
    assert marker_numbers("[01234] [0042]", {1234, 42}) == []  # no number is written so


def test_ask_links_a_four_digit_marker_only_to_a_source_of_that_number() -> None:
    from pplx_tui.cli.ask_render import prepare_markdown

    links = {1234: "https://s.example/1234", 3: "https://s.example/3"}
    shown = prepare_markdown("See [1234], [3] and [2024].", links)
    assert shown == (
        "See [\\[1234\\]](https://s.example/1234), [\\[3\\]](https://s.example/3) and [2024]."
    )
