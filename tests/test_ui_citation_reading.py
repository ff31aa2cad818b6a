"""Citation-anchored reading in the real app: the reading cursor, the sources panel following it,
Tab order, finding text in the open chat."""

from __future__ import annotations

import pytest
from textual import events

from pplx_tui.config import Settings
from pplx_tui.models import Chat, Message, Source
from pplx_tui.store import ChatStore
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.widgets.answer_text import AnswerText
from pplx_tui.ui.widgets.conversation import Conversation
from pplx_tui.ui.widgets.find_bar import FindBar
from pplx_tui.ui.widgets.key_bar import KeyBar
from pplx_tui.ui.widgets.prompt import PromptInput
from pplx_tui.ui.widgets.sources_panel import SourcesPanel
from tests.support.cli import SOURCES, chunk
from tests.support.loopback import LoopbackServer, Reply, sse
from tests.support.tui import (
    ask,
    demo_app,
    find_in_chat,
    loopback_app,
    region_text,
    until,
    workspace,
)

WIDE = (150, 40)


def cited_chat(store: ChatStore, sources: int = 12) -> Chat:
    chat = store.new_chat()
    chat.title = "Cited"
    filler = "\n\n".join(f"Paragraph {n} of filler text to scroll past." for n in range(30))
    text = (
        f"{filler}\n\nPhobos is larger [1]; see [the map](https://maps.example/mars). "
        "Deimos is smaller [2] and farther [12].\n\n```sh\necho hi\n```\n"
    )
    chat.messages.append(Message(role="user", content="Moons?"))
    chat.messages.append(
        Message(
            role="assistant",
            content=text,
            provider="demo",
            model="demo/sonar",
            sources=[
                Source(
                    index=n,
                    url=f"https://s{n}.example/",
                    title=f"Source {n}",
                    snippet=f"Snippet of source {n}.",
                )
                for n in range(1, sources + 1)
            ],
        )
    )
    return store.save(chat)


async def test_the_reading_cursor_walks_citations_and_links(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chat = cited_chat(ChatStore())
    app = make_app(chat_id=chat.id)
    opened: list[str] = []
    copied: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = workspace(app)
        conversation = screen.query_one(Conversation)
        panel = screen.query_one(SourcesPanel)
        conversation.focus()
        conversation.scroll_home(animate=False, immediate=True)
        await pilot.press("n")
        await pilot.pause()
        segment = next(s for s in screen.query(AnswerText) if s.cursor is not None)
        assert segment.cursor is not None and segment.cursor.href == "#source-1"
        assert panel.highlighted is not None and panel.highlighted.index == 1
        # scrolled to it: after the next refresh (the cursor's line has its place then)
        await until(pilot, lambda: "Phobos is larger [1]" in region_text(app, conversation))

        await pilot.press("space")  # the snippet is drawn under the line, scrolled to
        await until(pilot, lambda: "Snippet of source 1." in region_text(app, conversation))
        await pilot.press("o", "n")
        assert opened == ["https://s1.example/"]
        await pilot.press("c")
        assert copied[-1] == "https://maps.example/mars"

        await pilot.press("1", "2")
        await until(pilot, lambda: panel.highlighted is not None and panel.highlighted.index == 12)
        assert segment.cursor is not None and segment.cursor.href == "#source-12"

        await pilot.press("y")
        assert copied[-1].endswith("\n- [12] Source 12 — <https://s12.example/>\n")
        assert "\n\n**Sources**\n\n- [1] " in copied[-1] and "Phobos is larger [1]" in copied[-1]
        await pilot.press("Y")
        assert copied[-1] == "echo hi\n"


async def test_the_first_p_goes_to_the_last_marker_as_the_first_n_to_the_first() -> None:
    """QA: with no marker reached yet, p went to the one before the last ([2], not [12])."""
    chat = cited_chat(ChatStore())
    app = make_app(chat_id=chat.id)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = workspace(app)
        conversation = screen.query_one(Conversation)
        conversation.focus()
        await pilot.press("p")
        await until(pilot, lambda: any(s.cursor is not None for s in screen.query(AnswerText)))
        segment = next(s for s in screen.query(AnswerText) if s.cursor is not None)
        assert segment.cursor is not None and segment.cursor.href == "#source-12"


async def test_a_new_chat_shows_no_sources_of_the_last_one() -> None:
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "How many moons does Mars have?")
        panel = workspace(app).query_one(SourcesPanel)
        assert panel.sources
        await pilot.press("ctrl+n")
        await until(pilot, lambda: not workspace(app).chat.messages)
        await pilot.pause()
        assert panel.sources == ()
        assert "No sources yet" in region_text(app, panel)


async def test_an_uncited_source_is_marked_not_only_dimmed() -> None:
    store = ChatStore()
    chat = store.new_chat()
    chat.title = "Mars"
    chat.messages.append(Message(role="user", content="Moons?"))
    chat.messages.append(
        Message(
            role="assistant",
            content="Two [1].",
            provider="demo",
            model="demo/sonar",
            sources=[
                Source(index=1, url="https://cited.example/", title="Cited page"),
                Source(index=2, url="https://other.example/", title="Other page"),
            ],
        )
    )
    store.save(chat)
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        await screen.open_chat(chat.id)
        await until(pilot, lambda: "Other page" in region_text(app, screen.sources))
        lines = region_text(app, screen.sources).splitlines()
        other = next(n for n, line in enumerate(lines) if "Other page" in line)
        cited = next(n for n, line in enumerate(lines) if "Cited page" in line)
        assert any("not cited" in line for line in lines[other : other + 3])
        assert not any("not cited" in line for line in lines[cited:other])


async def test_the_citation_cursor_is_drawn_in_reverse_not_invisible() -> None:
    """QA: the marker under the n/p cursor was drawn in the background colour on the background
    (Textual's partial style dropped the cursor's opaque background): the [1] vanished."""

    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        prompt = screen.query_one(PromptInput)
        prompt.insert("How many moons does Mars have?")
        await pilot.press("enter")
        await until(pilot, lambda: any(view.spots() for view in screen.query(AnswerText)))
        await app.workers.wait_for_complete()
        screen.query_one(Conversation).focus()
        await pilot.press("n")
        await until(pilot, lambda: any(view.cursor for view in screen.query(AnswerText)))
        view = next(view for view in screen.query(AnswerText) if view.cursor)
        cursor = view.cursor
        assert cursor is not None
        segments = [s for s in view.render_line(cursor.line) if s.text == "[1]"]
        assert segments, "the marker is on its line"
        style = segments[0].style
        assert style is not None and style.bgcolor is not None
        assert style.bgcolor != style.color


async def test_tab_follows_the_screen_prompt_conversation_sources_chats() -> None:
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        await ask(pilot, "How many moons does Mars have?")
        screen.prompt.focus()
        await pilot.pause()
        visited: list[str] = []
        while len(visited) < 4 or visited[-1] != "prompt":
            assert len(visited) < 8, visited
            await pilot.press("tab")
            focused = app.focused
            assert focused is not None
            part = next(
                (
                    name
                    for name, widget in (
                        ("conversation", screen.conversation),
                        ("sources", screen.sources),
                        ("chats", screen.chat_list),
                        ("prompt", screen.prompt),
                    )
                    if focused is widget or widget in focused.ancestors
                ),
                type(focused).__name__,
            )
            if not visited or visited[-1] != part:
                visited.append(part)
        assert visited == ["conversation", "sources", "chats", "prompt"]


async def test_tab_reaches_the_open_find_bar_just_before_the_conversation() -> None:
    """QA-40: the find bar (above the conversation) came last, after the chat list."""
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        await ask(pilot, "How many moons does Mars have?")
        screen.conversation.focus()
        await pilot.press("ctrl+f")
        bar = screen.query_one(FindBar)
        await until(pilot, lambda: bar.has_focus)
        screen.prompt.focus()
        await pilot.press("tab")
        await until(pilot, lambda: bar.has_focus)
        await pilot.press("tab")
        await until(pilot, lambda: screen.conversation.has_focus)


async def test_stepping_through_citations_on_a_narrow_screen_shows_one_source_toast() -> None:
    """QA (tmux, 80x24): with the sources panel hidden, each n added a "[n] title" toast; three
    presses stacked three over the question box."""

    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = workspace(app)
        await ask(pilot, "How many moons does Mars have?")
        assert not screen.sources.display
        screen.conversation.focus()
        await pilot.press("n", "n", "n")
        await until(pilot, lambda: any(n.message.startswith("[") for n in app._notifications))
        await pilot.pause()
        shown = [n.message for n in app._notifications if n.message.startswith("[")]
        assert len(shown) == 1, shown


async def test_citations_stepped_in_one_burst_still_show_one_source_toast() -> None:
    """QA (tmux, 80x24): ``send-keys n n n n n`` (or n held down) left three toasts: a toast
    was replaced only once shown, and the keys of a burst are handled before the first shows."""
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = workspace(app)
        await ask(pilot, "How many moons does Mars have?")
        screen.conversation.focus()
        await pilot.pause()
        for _ in range(5):
            app.post_message(events.Key("n", "n"))
        await until(pilot, lambda: any(n.message.startswith("[") for n in app._notifications))
        await pilot.pause()
        shown = [n.message for n in app._notifications if n.message.startswith("[")]
        assert len(shown) == 1, shown


async def test_ctrl_f_in_the_conversation_finds_text_in_the_chat_and_n_steps() -> None:
    store = ChatStore()
    chat = store.new_chat()
    chat.title = "Trip"
    for n in range(12):
        chat.messages.append(Message(role="user", content=f"Day {n}?"))
        words = "take the ferry, the ferry" if n in (2, 9) else f"a quiet day number {n}"
        chat.messages.append(Message(role="assistant", content=f"Day {n}: {words}."))
    store.save(chat)
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        await screen.open_chat(chat.id)
        await pilot.pause()
        bar = await find_in_chat(pilot, "ferry")

        def found() -> Message | None:
            marked = screen.conversation.query(".-found")
            return getattr(marked.first(), "message", None) if marked else None

        await until(pilot, lambda: found() is screen.chat.messages[19])  # the newest first
        # QA-36: two messages hold it (twice each): it read "1 of 1"-like counts of messages
        await until(pilot, lambda: "message 2 of 2" in region_text(app, bar))
        await pilot.pause()
        keys = region_text(app, screen.query_one(KeyBar))
        assert "n Next found" in keys and "Next cite" not in keys, keys  # n steps the finds
        await pilot.press("n")  # the answer's second "ferry"
        await until(pilot, lambda: "message 2 of 2 · match 2 of 2" in region_text(app, bar))
        await pilot.press("n")
        await until(pilot, lambda: found() is screen.chat.messages[5])
        await pilot.press("N")
        await until(pilot, lambda: found() is screen.chat.messages[19])
        await pilot.press("ctrl+f")
        await until(pilot, lambda: bar.has_focus)
        await pilot.press("escape")
        await until(pilot, lambda: screen.conversation.has_focus)
        assert not bar.display
        await pilot.pause()
        keys = region_text(app, screen.query_one(KeyBar))
        # QA Q13: it read "n Next [n]  p Prev [n]", the [n] like a key.
        assert "n Next cite" in keys and "p Prev cite" in keys and "[n]" not in keys, keys


@pytest.mark.parametrize(
    ("keymap", "keys"),
    [
        ({}, "n / p"),
        ({"conversation.next_marker": "j", "conversation.previous_marker": "k"}, "j / k"),
    ],
)
async def test_finding_names_the_step_keys_the_key_bar_shows(
    keymap: dict[str, str], keys: str
) -> None:
    """QA: the find's toast said "n / N step" while the key bar said "n Next found  p Prev
    found": the find box and its count name the keys the key bar shows (remapped ones too)."""
    store = ChatStore()
    chat = store.new_chat()
    chat.messages = [
        Message(role="user", content="Ferry?"),
        Message(role="assistant", content="Take the ferry."),
    ]
    store.save(chat)
    app = make_app(settings=Settings(keymap=keymap), demo=True, chat_id=chat.id)
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        await until(pilot, lambda: bool(screen.conversation.query(".-turn")))
        bar = await find_in_chat(pilot, "ferry")
        assert f"then {keys}," in str(bar.placeholder)
        await until(pilot, lambda: "message 2 of 2" in region_text(app, bar))
        assert f"{keys} step" in region_text(app, bar)  # the count on the bar's border
        next_key, previous_key = keys.split(" / ")
        await pilot.pause()
        shown = region_text(app, screen.query_one(KeyBar))
        assert f"{next_key} Next found" in shown and f"{previous_key} Prev found" in shown, shown


async def test_sources_say_not_cited_only_once_the_answer_has_ended(
    loopback: LoopbackServer,
) -> None:
    """While the answer is still coming every source said "○ not cited" (it may be cited in
    the next sentence); uncited is known only at the end. A fetched page's snippet showed its
    Markdown heading marks ("# Phobos")."""

    page = {
        "title": "Fetched page",
        "url": "https://page.example/x",
        "snippet": "# Phobos\nA moon.",
    }
    found = {"search_results": [*SOURCES, page], "citations": [s["url"] for s in [*SOURCES, page]]}
    frames = sse(
        chunk("Phobos is the larger moon [1]. ", **found),
        chunk("Deimos is smaller [2].", **found),
        chunk("", finish="stop", **found),
        done=True,
    )
    reply = Reply(chunks=frames, hang_after=1)
    loopback.queue(reply)
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        screen.prompt.insert("Moons?")
        await pilot.press("enter")
        await until(pilot, lambda: "[3] Fetched page" in region_text(app, screen.sources))
        shown = region_text(app, screen.sources)
        assert "not cited" not in shown, shown
        assert "Phobos A moon" in shown and "#" not in shown, shown
        reply.resume()
        await until(pilot, lambda: screen.pending is None)
        await until(pilot, lambda: "not cited" in region_text(app, screen.sources))
        shown = region_text(app, screen.sources)
        assert shown.count("not cited") == 1, shown


async def test_opening_another_chat_ends_the_find() -> None:
    """QA-29: the find bar stayed open on the next chat opened with the last chat's text, and
    n / N went on stepping its finds there ("“ferry” is not in this chat.") instead of moving
    the citation cursor, until the find box was found again and closed with Escape."""
    store = ChatStore()
    trip = store.new_chat()
    trip.title = "Trip"
    trip.messages.append(Message(role="user", content="Day 1?"))
    trip.messages.append(Message(role="assistant", content="Take the ferry."))
    store.save(trip)
    cited = cited_chat(store)
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        await screen.open_chat(trip.id)
        await pilot.pause()
        bar = await find_in_chat(pilot, "ferry")
        await until(pilot, lambda: bool(screen.conversation.query(".-found")))

        await screen.open_chat(cited.id)
        screen.conversation.focus()
        await until(pilot, lambda: not bar.display)
        await until(pilot, lambda: "n Next cite" in region_text(app, screen.query_one(KeyBar)))
        await pilot.press("n")  # the citation cursor moves
        await until(pilot, lambda: any(view.cursor for view in screen.query(AnswerText)))
        assert not any("not in this chat" in n.message for n in app._notifications)


async def test_a_snippet_shown_in_one_chat_is_not_shown_at_once_in_the_next() -> None:
    """QA: after space showed a snippet in one chat, ctrl+n, a question, Tab and n opened the
    new answer's snippet at once (the key bar offered no "space Snippet", and space hid it). A
    new answer starts with snippets hidden; while one is shown, the key bar says space hides
    it."""
    chat = cited_chat(ChatStore())
    app = make_app(chat_id=chat.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = workspace(app)
        conversation = screen.query_one(Conversation)
        bar = screen.query_one(KeyBar)
        conversation.focus()
        await pilot.press("n", "space")
        await until(pilot, lambda: "Snippet of source 1." in region_text(app, conversation))
        await until(pilot, lambda: "Hide snippet" in region_text(app, bar))

        await pilot.press("ctrl+n")
        await until(pilot, lambda: not screen.chat.messages)
        await ask(pilot, "How many moons does Mars have?")
        await pilot.press("tab", "n")
        await until(pilot, lambda: any(s.cursor is not None for s in screen.query(AnswerText)))
        snippet = screen.chat.messages[-1].sources[0].snippet
        assert snippet
        await pilot.pause()
        assert snippet[:30] not in region_text(app, conversation)
        assert "Snippet" in region_text(app, bar) and "Hide snippet" not in region_text(app, bar)
        await pilot.press("space")
        await until(pilot, lambda: snippet[:30] in region_text(app, conversation))


async def test_space_shows_the_snippet_of_the_marker_the_cursor_is_on() -> None:
    """QA: n to a heading's [1], space (its snippet shown), then n to [3]: the key bar said
    "space Hide snippet", and space hid a snippet instead of showing [3]'s. A snippet is the
    marker's it was shown for: the cursor moved on, it goes, and space shows the new one's."""
    store = ChatStore()
    chat = store.new_chat()
    chat.messages.append(Message(role="user", content="Moons?"))
    text = "## Mars has two moons [1]\n\nPhobos is larger [2].\n\nDeimos is smaller [3].\n"
    sources = [
        Source(index=n, url=f"https://s{n}.example/", title=f"Source {n}", snippet=f"Snip {n}.")
        for n in (1, 2, 3)
    ]
    chat.messages.append(
        Message(role="assistant", content=text, model="demo/sonar", sources=sources)
    )
    store.save(chat)
    app = make_app(chat_id=chat.id)
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        conversation = screen.conversation
        bar = screen.query_one(KeyBar)
        await until(pilot, lambda: conversation.selected is not None)
        conversation.focus()
        await pilot.press("n", "space")
        await until(pilot, lambda: "Snip 1." in region_text(app, conversation))
        await until(pilot, lambda: "space Hide snippet" in region_text(app, bar))

        await pilot.press("n", "n")  # [2], then [3]
        await until(pilot, lambda: "space Snippet" in region_text(app, bar))
        assert "Snip" not in region_text(app, conversation)
        await pilot.press("space")
        await until(pilot, lambda: "Snip 3." in region_text(app, conversation))
        assert "Snip 1." not in region_text(app, conversation)
        assert "space Hide snippet" in region_text(app, bar)
        await pilot.press("space")
        await until(pilot, lambda: "Snip" not in region_text(app, conversation))
