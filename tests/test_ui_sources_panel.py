"""The sources panel driven through pilots: open and copy sources, jump to them from the
[n] markers, follow the selected answer; only web links open, only clean text is copied.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from pplx_tui.ui import guarded_app as app_module
from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.widgets.conversation import Conversation
from pplx_tui.ui.widgets.markdown_text import MarkdownText
from pplx_tui.ui.widgets.source_list import SourceList
from pplx_tui.ui.widgets.source_rows import DOMAIN_MIN
from pplx_tui.ui.widgets.sources_panel import SourcesPanel
from pplx_tui.values import Source
from tests.support import recorded
from tests.support.answers import answer_reply, answers, reply
from tests.support.loopback import LoopbackServer, Reply
from tests.support.tui import ask, demo_app, loopback_app, on_screen, screen_lines, until
from tests.support.tui import workspace as research

WIDE = (150, 40)


def panel_rows(app: Any, sources: SourceList) -> list[str]:
    """The rows of the source list as the screen shows them, stripped."""
    region = sources.region
    lines = [line[region.x : region.right].strip() for line in screen_lines(app)]
    return lines[region.y : region.bottom]


async def sources_shown(pilot: Pilot[Any]) -> SourceList:
    """The demo asked about TCP and QUIC, then ctrl+s: its source list, shown."""
    app = pilot.app
    await ask(pilot, "TCP vs QUIC?")
    await pilot.press("ctrl+s")
    await until(pilot, lambda: research(app).query_one(SourcesPanel).display)
    return research(app).query_one(SourceList)


async def test_open_and_copy_sources_from_the_panel(
    loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    loopback.queue(answer_reply())
    app = loopback_app(loopback)
    opened: list[str] = []
    copied: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "Sources please")
        panel = research(app).query_one(SourcesPanel)
        panel.list_view.focus()
        await pilot.press("3")
        assert panel.highlighted is not None and panel.highlighted.index == 3
        await pilot.press("enter")
        assert opened == ["https://example.net/three"]
        await pilot.press("up", "c")
        assert copied == ["https://example.org/two"]


async def test_markers_jump_to_sources_and_only_web_links_open(
    loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    loopback.queue(answer_reply())
    app = loopback_app(loopback)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "Markers")
        screen = research(app)
        panel = screen.query_one(SourcesPanel)
        conversation = screen.query_one(Conversation)
        conversation.focus()
        await pilot.press("n")
        assert panel.highlighted is not None and panel.highlighted.index == 1
        await pilot.press("n")
        assert panel.highlighted is not None and panel.highlighted.index == 3
        await pilot.press("p", "p")
        assert panel.highlighted is not None and panel.highlighted.index == 2
        await pilot.press("3")
        assert panel.highlighted is not None and panel.highlighted.index == 3

        segment = answers(app)[0].query(".answer-view--segment").last(MarkdownText)
        segment.post_message(MarkdownText.LinkClicked(segment, "#source-2"))
        await pilot.pause()
        assert panel.highlighted is not None and panel.highlighted.index == 2
        for href in ("javascript:alert(1)", "file:///etc/passwd"):
            segment.post_message(MarkdownText.LinkClicked(segment, href))
        segment.post_message(MarkdownText.LinkClicked(segment, "https://example.org/x"))
        await pilot.pause()
        assert opened == ["https://example.org/x"]


async def test_the_app_opens_only_web_links_and_copies_only_clean_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:

    launched: list[str] = []
    monkeypatch.setattr(app_module, "_open_in_browser", launched.append)
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        app.copy_to_clipboard("an\x1b]52;c;ZXZpbA==\x07 answer\x1b[2J")
        assert app.clipboard == "an answer"

        monkeypatch.setattr(app_module, "_graphical_browser", lambda: True)
        for href in ("javascript:alert(1)", "file:///etc/passwd", "https://ok.example/\x1b[31ma"):
            app.open_url(href)
        await app.workers.wait_for_complete()  # the browser is started in a thread
        assert launched == ["https://ok.example/a"]

        monkeypatch.setattr(app_module, "_graphical_browser", lambda: False)  # over SSH
        app.open_url("https://example.org/page")
        await pilot.pause()
        assert launched == ["https://ok.example/a"]  # no lynx taking over the terminal
        assert app.clipboard == "https://example.org/page"


async def test_sources_follow_the_selected_answer(loopback: LoopbackServer) -> None:
    first = {**recorded.SEARCH_RESULTS[0], "url": "https://first.example/a", "title": "First"}
    loopback.queue(answer_reply(["One [1]."]))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "One")
        events = recorded.perplexity_2026_events(["Two [1]."])
        for event in events:
            if isinstance(event, dict):
                event["search_results"] = [first]
                event["citations"] = [first["url"]]
        loopback.queue(Reply(chunks=recorded.frames(events)))
        await ask(pilot, "Two")
        panel = research(app).query_one(SourcesPanel)
        assert [s.url for s in panel.sources] == ["https://first.example/a"]
        conversation = research(app).query_one(Conversation)
        conversation.focus()
        await pilot.press("shift+up")
        assert conversation.selected is answers(app)[0]
        assert [s.url for s in panel.sources] == recorded.CITATIONS
        assert panel.cited == {1}


async def test_sources_shown_with_ctrl_s_at_80_columns_are_laid_out_for_their_width() -> None:
    """QA: at 80 columns the first ctrl+s drew the sources laid out before the panel's
    scrollbar took two columns: source 1's title took a row more than laid out (eating the blank
    row before source 2), and a sideways scrollbar showed up; a second ctrl+s drew them right."""
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(pilot, "TCP vs QUIC?")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: research(app).query_one(SourcesPanel).display)
        await pilot.pause()
        sources = research(app).query_one(SourceList)
        assert sources.show_vertical_scrollbar  # five sources: more than the panel's height
        rows = panel_rows(app, sources)
        second = next(number for number, row in enumerate(rows) if row.startswith("[2]"))
        assert rows[second - 1] == ""  # the blank row after source 1
        assert not sources.show_horizontal_scrollbar


async def test_a_long_domain_is_cut_with_an_ellipsis_on_one_row() -> None:
    """QA: at a narrow width a long domain wrapped mid-word over two rows
    ("documentation.verylongsubdomainex" / "ample-organisation.example.org ·"); it is cut with
    "…" so its date stays beside it (the full URL is what Enter opens and c copies)."""
    url = "https://documentation.verylongsubdomainexample-organisation.example.org/guide"
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sources = await sources_shown(pilot)
        long = Source(index=1, url=url, title="A guide", snippet="Snippet.", date="2025-01-02")
        sources.set_sources([long, Source(index=2, url="https://nasa.gov/mars")], {1, 2})

        def laid_out() -> bool:
            return (
                panel_rows(app, sources)[4] == "[2] nasa.gov" and not sources.scrollbars_enabled[0]
            )

        await until(pilot, laid_out)
        shown = panel_rows(app, sources)
        assert shown[:3] == ["[1] A guide", shown[1], "Snippet."]
        assert shown[1].startswith("documentation.very") and shown[1].endswith("… · 2025-01-02")


async def test_a_domain_with_little_room_beside_its_date_takes_its_row() -> None:
    """QA at 60x20: ``datat… · 2024-02-11``: cut to share its row with the date, the domain
    (what says where a source is from) kept five letters. Under 12 cells beside the date, it
    keeps the whole row and the date goes on the next."""
    app = demo_app()
    async with app.run_test(size=(60, 20)) as pilot:
        sources = await sources_shown(pilot)
        room = sources.scrollable_content_region.width - 2
        domain = "datatracker-" * (room // 12) + "ietf.org"  # a row's width or more
        assert room - len(" · 2024-02-11") < DOMAIN_MIN <= room
        url = f"https://{domain}/doc/html/rfc9000"
        long = Source(index=1, url=url, title="QUIC", snippet="Snippet.", date="2024-02-11")
        sources.set_sources([long, Source(index=2, url="https://nasa.gov/mars")], {1, 2})

        await until(pilot, lambda: "[2] nasa.gov" in panel_rows(app, sources))
        shown = panel_rows(app, sources)
        assert shown[0] == "[1] QUIC"
        assert shown[1] == domain[: room - 1] + "…", shown
        assert shown[2] == "· 2024-02-11", shown


async def test_a_word_wider_than_the_panel_is_cut_on_its_row_not_folded() -> None:
    """QA at 60x20: the title "Source 2: datatracker.ietf.org" was folded mid-word,
    "datatracker.ietf.or" then "g" alone on the next row. A word wider than a row is cut to
    it with "…"; the words around it still wrap as words."""
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        sources = await sources_shown(pilot)
        room = sources.scrollable_content_region.width - 2
        domain = "datatracker-" * (room // 12 + 1) + "ietf.org"
        title = f"Source 2: {domain} notes"
        long = Source(index=1, url="https://nasa.gov/a", title=title, date="2025-01-02")
        sources.set_sources([long, Source(index=2, url="https://nasa.gov/mars")], {1, 2})

        await until(pilot, lambda: any(row.startswith("[2]") for row in panel_rows(app, sources)))
        shown = panel_rows(app, sources)
        assert shown[:3] == ["[1] Source 2:", shown[1], "notes"], shown
        assert shown[1].startswith("datatracker-") and shown[1].endswith("…"), shown


async def test_a_source_without_a_title_shows_its_host_once() -> None:
    """QA: a citations-only reply gave ``[1] science.nasa.gov`` with ``science.nasa.gov`` again
    on the row under it. The host is the title; the row under it keeps the date alone, or goes."""
    app = demo_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await ask(pilot, "TCP vs QUIC?")
        sources = research(app).query_one(SourceList)
        untitled = [
            Source(index=1, url="https://science.nasa.gov/mars/moons/"),
            Source(index=2, url="https://www.esa.int/mars", date="2024-05-01"),
            Source(index=3, url="https://nasa.gov/mars", title="Mars"),
        ]
        sources.set_sources(untitled, {1, 2, 3})

        await until(pilot, lambda: "[3] Mars" in panel_rows(app, sources))
        shown = panel_rows(app, sources)
        assert shown[:7] == [
            "[1] science.nasa.gov",
            "",
            "[2] esa.int",
            "2024-05-01",
            "",
            "[3] Mars",
            "nasa.gov",
        ], shown


async def test_a_click_highlights_a_source_and_a_click_on_the_highlighted_one_opens_it(
    loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: one click on a source opened the browser at once (a click meant to look at it, or
    to give the panel the focus, opened a page)."""
    loopback.queue(answer_reply())
    app = loopback_app(loopback)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "Sources please")
        panel = research(app).query_one(SourcesPanel)
        listed = panel.list_view

        def row_of(number: int) -> int:
            region = listed.region
            lines = screen_lines(app)[region.y : region.bottom]
            cells = [line[region.x : region.right].strip() for line in lines]
            return next(n for n, line in enumerate(cells) if line.startswith(f"[{number}] "))

        # The first source is highlighted when the answer comes, not by the user: a click on
        # it only highlights it too.
        for number in (1, 3):
            assert await pilot.click(SourceList, offset=(4, row_of(number)))
            await until(pilot, lambda: panel.highlighted is not None)
            assert panel.highlighted is not None and panel.highlighted.index == number
            await pilot.pause()
            assert opened == []
        assert await pilot.click(SourceList, offset=(4, row_of(3)))
        await until(pilot, lambda: opened == ["https://example.net/three"])
        await pilot.press("up", "enter")  # Enter opens the highlighted source, as before
        assert opened[-1] == "https://example.org/two"


def listed_rows(app: PplxApp, listed: SourceList) -> list[str]:
    """The sources list's rows as the screen shows them."""
    region = listed.region
    lines = screen_lines(app)[region.y : region.bottom]
    return [line[region.x : region.right].strip() for line in lines]


@pytest.mark.parametrize("size", [(120, 40), (200, 60)])
async def test_a_first_answer_shows_its_sources_from_the_first(
    loopback: LoopbackServer, size: tuple[int, int]
) -> None:
    """QA: the panel opened scrolled one source down ("Sources (12)" then "[2] Source 2:"):
    the first source was highlighted, and scrolled to, while the list still had no height."""
    urls = [f"https://example.org/source-{n}" for n in range(1, 31)]
    loopback.queue(reply("Twelve [1][2].", *urls), reply("Again [1].", *urls[::-1]))
    app = loopback_app(loopback)
    async with app.run_test(size=size) as pilot:
        await ask(pilot, "Twelve sources?")
        await pilot.press("ctrl+n")  # a new chat: the panel says "No sources yet."
        await until(pilot, lambda: on_screen(app, "No sources yet."))
        await ask(pilot, "Twelve again?")
        listed = research(app).query_one(SourceList)
        await until(pilot, lambda: bool(listed_rows(app, listed)[0]))
        assert listed.scroll_offset.y == 0
        assert listed_rows(app, listed)[0] == "[1] source-30"


async def test_the_highlighted_source_stays_in_view_when_the_panel_gets_shorter(
    loopback: LoopbackServer,
) -> None:
    """The last source highlighted at the panel's foot, then the terminal made shorter: the
    list scrolls to keep it in view (it was cut off with the rows below the new height)."""
    urls = [f"https://example.org/source-{n}" for n in range(1, 31)]
    loopback.queue(reply("Thirty [1].", *urls))
    app = loopback_app(loopback)
    async with app.run_test(size=(120, 40)) as pilot:
        await ask(pilot, "Thirty sources?")
        listed = research(app).query_one(SourceList)
        listed.focus()
        await pilot.press("end")
        await until(pilot, lambda: "[30] source-30" in listed_rows(app, listed))
        tall = listed.region.height
        await pilot.resize_terminal(120, 30)
        await until(pilot, lambda: 0 < listed.region.height < tall)
        assert "[30] source-30" in listed_rows(app, listed)


def twelve_sources(loopback: LoopbackServer, *texts: str) -> None:
    """Queue one answer for each of ``texts``, all with the same twelve sources (each five
    rows: more than a 60-row terminal shows)."""
    urls = [f"https://example.org/source-{n}" for n in range(1, 13)]
    found = [
        {"title": f"source-{n}", "url": url, "snippet": f"What source {n} says, at length. " * 4}
        for n, url in enumerate(urls, 1)
    ]
    loopback.queue(*(reply(text, *urls, search_results=found) for text in texts))


async def test_a_new_answer_shows_its_sources_from_the_first_whatever_the_old_scroll(
    loopback: LoopbackServer,
) -> None:
    """QA at 200x60: the panel scrolled to [12] (End), then a second answer with twelve
    sources opened at [4], [1]-[3] scrolled off: a new answer's list starts at [1]."""
    twelve_sources(loopback, "Twelve [1].", "Again [1].")
    app = loopback_app(loopback)
    async with app.run_test(size=(200, 60)) as pilot:
        await ask(pilot, "Twelve sources?")
        listed = research(app).query_one(SourceList)
        await pilot.press("tab", "tab")
        assert listed.has_focus
        await pilot.press("end")
        await until(pilot, lambda: listed.scroll_offset.y > 0)
        await pilot.press("escape")
        await ask(pilot, "Twelve again?")
        await until(pilot, lambda: bool(listed_rows(app, listed)[0]))
        assert listed.highlighted == 0
        assert listed.scroll_offset.y == 0
        assert listed_rows(app, listed)[0] == "[1] source-1"


async def test_an_earlier_answer_with_the_same_sources_shows_them_from_the_first(
    loopback: LoopbackServer,
) -> None:
    """Another answer selected (shift+up) starts its sources at [1], even where they are the
    same as the ones scrolled to [12]."""
    twelve_sources(loopback, "Twelve [1].", "Again [1].")
    app = loopback_app(loopback)
    async with app.run_test(size=(200, 60)) as pilot:
        await ask(pilot, "Twelve sources?")
        await ask(pilot, "Twelve again?")
        listed = research(app).query_one(SourceList)
        listed.focus()
        await pilot.press("end")
        await until(pilot, lambda: listed.scroll_offset.y > 0)
        research(app).query_one(Conversation).focus()
        await pilot.press("shift+up")
        await until(pilot, lambda: listed.scroll_offset.y == 0)
        assert listed.highlighted == 0
        assert listed_rows(app, listed)[0] == "[1] source-1"


async def test_a_source_url_with_spaces_opens_and_copies_encoded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """QA: ``https://example.com/a b/c d.html`` was "not a web link": it opens (and copies)
    as a browser would ask for it, its spaces ``%20``."""
    app = demo_app()
    opened: list[str] = []
    copied: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "TCP vs QUIC?")
        panel = research(app).query_one(SourcesPanel)
        spaced = Source(index=1, url="https://example.com/a b/c d.html", title="Spaced")
        panel.list_view.set_sources([spaced], {1})
        await until(pilot, lambda: on_screen(app, "[1] Spaced"))
        assert not on_screen(app, "not a web link")
        panel.list_view.focus()
        await pilot.press("1", "enter", "c")
        assert opened == copied == ["https://example.com/a%20b/c%20d.html"]
