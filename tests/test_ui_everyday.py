"""The everyday loop in the real app: the chat list, the search box, what the keys name."""

from __future__ import annotations

import pytest
from textual.widget import Widget
from textual.widgets import Input

from pplx_tui.models import Chat, Image, Message, Source
from pplx_tui.store import ChatStore
from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.dialogs.confirm import ConfirmScreen
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.widgets.chat_list import ChatList
from pplx_tui.ui.widgets.conversation_pages import PAGE
from pplx_tui.ui.widgets.key_bar import KeyBar
from pplx_tui.ui.widgets.message_view import AnswerView
from pplx_tui.ui.widgets.prompt import PromptInput
from tests.support.cli import answer_frames
from tests.support.loopback import LoopbackServer, Reply, json_reply
from tests.support.tui import (
    demo_app,
    loopback_app,
    palette_text,
    region_text,
    type_text,
    until,
    workspace,
)

WIDE = (150, 40)


@pytest.fixture(autouse=True)
def instant_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PPLX_DEMO_DELAY", "0")


def saved_chat(store: ChatStore, title: str) -> Chat:
    chat = store.new_chat()
    chat.title = title
    chat.messages.append(Message(role="user", content=f"About {title}?"))
    chat.messages.append(
        Message(
            role="assistant",
            content=f"{title} it is [1].",
            provider="demo",
            model="demo/sonar",
            sources=[Source(index=1, url=f"https://{title.lower()}.example/", title=title)],
        )
    )
    return store.save(chat)


async def test_the_chat_search_box_shows_what_is_typed() -> None:
    store = ChatStore()
    saved_chat(store, "Kyoto")
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        chat_list = workspace(app).query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 1)
        await pilot.press("ctrl+f", *"kyo")
        await until(pilot, lambda: chat_list.query_text == "kyo")
        await pilot.pause()
        box = chat_list.query_one(Input)
        assert "kyo" in region_text(app, box)


async def test_a_search_with_more_hits_than_shown_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    """QA: 300 chats held the word and the list said "Found in 50 chats" (its limit)."""
    from pplx_tui.ui.widgets import chat_list as chat_list_module

    monkeypatch.setattr(chat_list_module, "SEARCH_LIMIT", 2)
    store = ChatStore()
    for title in ("Kyoto", "Kyoto again", "Kyoto once more"):
        saved_chat(store, title)
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        chat_list = workspace(app).query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 3)
        await pilot.press("ctrl+f", *"kyoto")
        await until(pilot, lambda: chat_list.query_text == "kyoto" and len(chat_list.entries) == 2)
        await pilot.pause()
        assert "Found in 2+ chats" in region_text(app, chat_list)
        await pilot.press(*"x")  # "kyotox": nothing, and no "+"
        await until(pilot, lambda: not chat_list.entries)
        await pilot.pause()
        assert "Found in 0 chats" in region_text(app, chat_list)


async def test_a_search_hit_reads_as_text_not_markdown() -> None:
    """QA: the hit under a found chat showed the answer's raw Markdown (``**two moons**``), and
    nothing marked the matched word."""
    store = ChatStore()
    chat = saved_chat(store, "Mars")
    chat.messages[
        1
    ].content = "Mars has **two moons**, `Phobos` and [Deimos](https://x.example) [1]."
    store.save(chat)
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        chat_list = workspace(app).query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 1)
        await pilot.press("ctrl+f", *"phobos")
        await until(pilot, lambda: bool(chat_list.entries) and bool(chat_list.entries[0].detail))
        await pilot.pause()
        shown = region_text(app, chat_list.options)
        assert "two moons" in shown and "Phobos" in shown and "Deimos" in shown
        assert "**" not in shown and "`" not in shown and "](" not in shown
        prompt = chat_list.options.get_option_at_index(0).prompt
        marked = [prompt.plain[span.start : span.end] for span in prompt.spans]
        assert "Phobos" in marked, "the matched word stands out"


async def test_the_list_cursor_follows_the_open_chat_and_keys_name_it() -> None:
    store = ChatStore()
    kyoto = saved_chat(store, "Kyoto")
    saved_chat(store, "Lisbon")
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        chat_list = screen.query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 2)
        await screen.open_chat(kyoto.id)  # from the palette, say: not through the list
        await pilot.pause()
        highlighted = chat_list.options.highlighted
        assert highlighted is not None
        assert chat_list.entries[highlighted].id == kyoto.id

        chat_list.options.focus()
        await pilot.pause()
        footer = region_text(app, app.screen.query_one(KeyBar))
        assert "Delete “Kyoto”" in footer and "Rename “Kyoto”" in footer
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "Kyoto" in region_text(app, app.screen)


async def test_dialog_text_from_config_is_shown_as_written() -> None:
    """A gateway named with brackets is text: markup would eat ``[b]`` (issue 9, bug 8)."""
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    from pplx_tui import paths
    from pplx_tui.config import load_settings
    from pplx_tui.providers import build_catalog
    from pplx_tui.ui.dialogs.api_key import ApiKeyScreen

    paths.config_file().parent.mkdir(parents=True, exist_ok=True)
    paths.config_file().write_text(
        '[providers."lab[b]gw"]\nbase_url = "https://lab.example/v1"\n'
        'api_key_env = "LAB_KEY"\nmodels = ["m1"]\n'
    )
    catalog = build_catalog(load_settings())

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("host")

        def on_mount(self) -> None:
            self.push_screen(ApiKeyScreen(catalog, "lab[b]gw"))

    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        shown = " ".join(region_text(app, app.screen).split())  # type: ignore[arg-type]
        assert "lab[b]gw ▼" in shown  # the provider picker
        assert "under [providers.lab[b]gw]" in shown  # the help line


@pytest.mark.parametrize("provider", ["perplexity", "openrouter", "groq"])
async def test_the_key_dialog_says_where_to_get_a_key_not_to_press_ctrl_k(provider: str) -> None:
    """QA Q8: inside the ctrl+k dialog its help said "or add it in the app with ctrl+k"."""
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    from pplx_tui.providers import build_catalog
    from pplx_tui.ui.dialogs.api_key import ApiKeyScreen

    catalog = build_catalog()

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("host")

        def on_mount(self) -> None:
            self.push_screen(ApiKeyScreen(catalog, provider))

    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        shown = " ".join(region_text(app, app.screen).split())  # type: ignore[arg-type]
        assert "ctrl+k" not in shown
        assert "Create a key at https://" in shown and "paste it below" in shown


# -- citation-anchored reading ------------------------------------------------------------------


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
    from pplx_tui.ui.widgets.answer_text import AnswerText
    from pplx_tui.ui.widgets.conversation import Conversation
    from pplx_tui.ui.widgets.sources_panel import SourcesPanel

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
        assert copied[-1].endswith("[12] [Source 12](https://s12.example/)\n")
        assert "Sources:" in copied[-1] and "Phobos is larger [1]" in copied[-1]
        await pilot.press("Y")
        assert copied[-1] == "echo hi\n"


async def test_a_new_chat_shows_no_sources_of_the_last_one() -> None:
    from pplx_tui.ui.widgets.sources_panel import SourcesPanel
    from tests.support.tui import ask

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


# -- failures stay on the answer ------------------------------------------------------------------


async def test_a_broken_stream_keeps_its_reason_on_the_answer(loopback: LoopbackServer) -> None:
    from pplx_tui.ui.widgets.message_view import AnswerView
    from tests.support.tui import ask

    loopback.queue(Reply(chunks=answer_frames(["Part of it"], finished=False)))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "Tell me")
        screen = workspace(app)
        kept = ChatStore().load(screen.chat.id).messages[-1]
        assert kept.content == "Part of it" and kept.status == "interrupted"
        assert kept.error and kept.error_kind == "server"  # in the JSON, not only a toast
        view = screen.query(AnswerView).last()
        assert kept.error[:40] in region_text(app, view)
        assert str(view.query_one(".answer-view--error-text").render()) == kept.error
        assert "Retry (ctrl+r)" in region_text(app, view)
        assert "broke off" in region_text(app, view)
        assert isinstance(app.focused, PromptInput)
        assert "Retry" in region_text(app, screen.query_one(KeyBar))  # the key works here

        await screen.open_chat(screen.chat.id)  # reopened: the reason is still there
        await pilot.pause()
        view = screen.query(AnswerView).last()
        assert kept.error[:40] in region_text(app, view)

        loopback.queue(Reply(chunks=answer_frames(["All of it."])))
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await until(pilot, lambda: screen.chat.messages[-1].content == "All of it.")
        await pilot.pause()
        assert "Retry" not in region_text(app, screen.query_one(KeyBar))


async def test_a_refused_key_offers_to_add_one(loopback: LoopbackServer) -> None:
    from pplx_tui.ui.dialogs.api_key import ApiKeyScreen
    from pplx_tui.ui.widgets.message_view import AnswerView
    from tests.support.tui import ask

    loopback.queue(json_reply(401, {"error": {"message": "Invalid API key", "code": 401}}))
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "Anyone?")
        view = workspace(app).query(AnswerView).last()
        assert "Add a key (ctrl+k)" in region_text(app, view)
        await pilot.click(".answer-view--retry")
        await until(pilot, lambda: isinstance(app.screen, ApiKeyScreen))


# -- the palette: keys that work where the user is, text as written ------------------------------


async def test_the_palette_shows_only_keys_that_work_where_the_user_is() -> None:
    store = ChatStore()
    saved_chat(store, "[b]Bold[/b] idea")
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await until(pilot, lambda: len(workspace(app).chat_list.entries) == 1)
        assert isinstance(app.focused, PromptInput)
        text = await palette_text(pilot, "Next citation", "next citation or link")
        assert "selected answer (n)" not in text  # n types an n in the question box
        text = await palette_text(pilot, "New chat", "Start a new chat")
        assert "(^n)" in text
        text = await palette_text(pilot, "Open chat", "Open this saved chat")
        assert "[b]Bold[/b] idea" in text

        workspace(app).conversation.focus()
        await pilot.pause()
        text = await palette_text(pilot, "Next citation", "next citation or link")
        assert "selected answer (n)" in text


async def test_ctrl_c_says_how_to_quit_in_words() -> None:
    from tests.support.tui import Notifications

    notes = Notifications()
    app = demo_app()
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        await pilot.press("ctrl+c")
        await pilot.pause()
    assert any("Press ^q to quit" in text and "[b]" not in text for text in notes.texts()), notes


async def test_a_screenshot_without_a_downloads_folder_goes_to_the_data_folder() -> None:
    from pplx_tui import paths
    from tests.support.tui import Notifications

    notes = Notifications()
    app = demo_app()
    async with app.run_test(size=(80, 24), message_hook=notes) as pilot:
        await pilot.pause()
        await app.run_action("screenshot")
        await pilot.pause()
    saved = list((paths.data_dir() / "screenshots").glob("*.svg"))
    assert len(saved) == 1
    assert any(str(saved[0]) in text for text in notes.texts("information")), notes


async def test_at_80_columns_the_footer_keeps_the_key_and_palette_keys() -> None:
    from tests.support.tui import ask

    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(pilot, "How many moons does Mars have?")
        workspace(app).conversation.focus()
        await pilot.pause()
        bar = region_text(app, workspace(app).query_one(KeyBar))
        assert "^k" in bar and "^p" in bar
        header = region_text(app, workspace(app).header)
        assert "$" not in header  # the demo's prices are made up
        answer = workspace(app).query(AnswerView).last()
        assert "tokens" in answer._summary() and "$" not in answer._summary()


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


async def test_the_rename_dialog_forgets_its_error_once_a_name_is_typed() -> None:
    """QA: "The name cannot be empty." stayed under the field after a new name was typed."""
    from pplx_tui.ui.dialogs.rename import RenameScreen

    store = ChatStore()
    saved_chat(store, "Kyoto")
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        chat_list = workspace(app).query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 1)
        chat_list.options.focus()
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, RenameScreen))
        app.screen.query_one(Input).value = ""
        await pilot.press("enter")
        await pilot.pause()
        assert "cannot be empty" in region_text(app, app.screen)
        await pilot.press(*"Nara")
        await pilot.pause()
        assert "cannot be empty" not in region_text(app, app.screen)


@pytest.mark.parametrize(
    ("snippet", "shown"),
    [
        ("…moons**, Phobos and `Deimos", "…moons, Phobos and Deimos"),
        ("## About: Mars Mars has **two moons", "About: Mars Mars has two moons"),
        ("see NASA](https://nasa.gov/x) and [ESA](https://esa.int/d", "see NASA and ESA"),
        ("Phobos [1][2] and [web:3] stay", "Phobos [1][2] and [web:3] stay"),
    ],
)
def test_a_snippet_cut_inside_markdown_reads_as_text(snippet: str, shown: str) -> None:
    """QA: a snippet is cut at spaces, so its Markdown is often unpaired (``moons**``, half a
    link); those leftovers are not text either."""
    from pplx_tui.plain_text import plain_snippet

    assert plain_snippet(snippet) == shown


async def test_the_no_key_notice_can_be_hidden_and_stays_hidden() -> None:
    from pplx_tui.ui.widgets.notice_bar import NoticeBar

    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        notice = workspace(app).query_one(NoticeBar)
        await until(pilot, lambda: notice.display and "ctrl+k" in str(notice.render()))
        await pilot.click(NoticeBar)
        await until(pilot, lambda: not notice.display)
        await workspace(app).action_new_chat()  # a new chat, the same target: still hidden
        await pilot.pause()
        assert not notice.display

    app = make_app()  # the next start
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert workspace(app).target.provider.name == "demo"
        assert not workspace(app).query_one(NoticeBar).display


async def test_opening_a_search_hit_scrolls_to_the_matching_message_and_marks_it() -> None:
    store = ChatStore()
    chat = store.new_chat()
    chat.title = "Long trip"
    for n in range(30):
        chat.messages.append(Message(role="user", content=f"Day {n}?"))
        words = "the zanzibar ferry leaves at nine" if n == 3 else f"a quiet day number {n}"
        chat.messages.append(
            Message(role="assistant", content=f"On day {n}, {words}.", provider="demo")
        )
    store.save(chat)
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        chat_list = screen.query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 1)
        await pilot.press("ctrl+f", *"zanzibar")
        await until(pilot, lambda: bool(chat_list.entries) and bool(chat_list.entries[0].detail))
        chat_list.options.focus()
        chat_list.options.highlighted = 0
        await pilot.press("enter")
        await until(pilot, lambda: bool(screen.conversation.query(".-found")))
        found = screen.conversation.query_one(".-found")
        assert isinstance(found, AnswerView) and found.message is screen.chat.messages[7]
        assert screen.conversation.selected is found
        await until(pilot, lambda: "zanzibar ferry" in region_text(app, screen.conversation))


RICH_ANSWER = """## About: {question}

Mars has **two moons**, Phobos and Deimos [1]. Phobos is the larger one and orbits closer to \
the planet [2], while Deimos takes about 30 hours per orbit [1].

- Discovered by Asaph Hall in 1877 [2]
- Phobos is slowly spiralling inward [2][1]

| moon | diameter | period |
|---|---|---|
| Phobos | 22.5 km | 7.6 h |
| Deimos | 12.4 km | 30.3 h |

```python
print('phobos')
```

The escape velocity is $v = \\sqrt{{2GM/r}}$ and see [NASA](https://nasa.gov) too.
"""


def phobos_chat(store: ChatStore, questions: list[str]) -> Chat:
    """A chat like QA's: answers with a list, a table, code, math, related questions, images."""
    chat = store.new_chat()
    chat.title = "Phobos"
    for question in questions:
        chat.messages.append(Message(role="user", content=question))
        chat.messages.append(
            Message(
                role="assistant",
                content=RICH_ANSWER.format(question=question).strip(),
                provider="openrouter",
                model="perplexity/sonar-pro",
                sources=[Source(index=n, url=f"https://s{n}.example/") for n in (1, 2)],
                related_questions=["How big is Phobos?", "Will it crash?", "Who was Asaph Hall?"],
                images=[Image(image_url="https://img.example/p.jpg", title="Phobos from MRO")],
            )
        )
    return store.save(chat)


def top_words(app: PplxApp, widget: Widget, count: int = 2) -> list[str]:
    """The first words ``widget`` shows (the scrollbar's cells are no words)."""
    return [w for w in region_text(app, widget).split() if w not in "▁▂▃▄▅▆▇█"][:count]


async def test_a_page_mounted_above_a_hit_keeps_the_hit_at_the_top() -> None:
    """QA Q11: a hit in the third question of a long chat landed at the first answer. Opening
    the hit, the view passed its top, so the page above was mounted, and that page's "keep the
    position" scrolled to the page's height, as if the view had been at the top: it was at the
    hit (and read before the page was laid out, the height could even be negative)."""
    store = ChatStore()
    chat = phobos_chat(store, [f"Question {n}" for n in range(12)])
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        await screen.open_chat(chat.id)
        conversation = screen.conversation
        await until(pilot, lambda: bool(conversation.query(AnswerView)))
        shown = [getattr(v, "message", None) for v in conversation.query(".-turn")]
        target = next(m for m in shown[1:] if m is not None and m.role == "user")
        first = screen.chat.messages[0]
        assert conversation.earlier_holds(first)
        words = ["You", *target.content.split()]
        await conversation.reveal(target)
        await until(pilot, lambda: top_words(app, conversation, 3) == words)
        await conversation.load_earlier()  # as when the view passed its top
        for _ in range(5):
            await pilot.pause()
        assert top_words(app, conversation, 3) == words


async def test_the_citation_cursor_is_drawn_in_reverse_not_invisible() -> None:
    """QA: the marker under the n/p cursor was drawn in the background colour on the background
    (Textual's partial style dropped the cursor's opaque background): the [1] vanished."""
    from pplx_tui.ui.widgets.answer_text import AnswerText
    from pplx_tui.ui.widgets.conversation import Conversation

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
    from tests.support.tui import ask

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


async def test_stepping_through_citations_on_a_narrow_screen_shows_one_source_toast() -> None:
    """QA (tmux, 80x24): with the sources panel hidden, each n added a "[n] title" toast; three
    presses stacked three over the question box."""
    from tests.support.tui import ask

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


async def test_ctrl_f_in_the_conversation_finds_text_in_the_chat_and_n_steps() -> None:
    from pplx_tui.ui.widgets.find_bar import FindBar

    store = ChatStore()
    chat = store.new_chat()
    chat.title = "Trip"
    for n in range(12):
        chat.messages.append(Message(role="user", content=f"Day {n}?"))
        words = "take the ferry" if n in (2, 9) else f"a quiet day number {n}"
        chat.messages.append(Message(role="assistant", content=f"Day {n}: {words}."))
    store.save(chat)
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        await screen.open_chat(chat.id)
        await pilot.pause()
        screen.conversation.focus()
        await pilot.press("ctrl+f")
        bar = screen.query_one(FindBar)
        await until(pilot, lambda: bar.has_focus)
        await type_text(pilot, "ferry")
        await pilot.press("enter")

        def found() -> Message | None:
            marked = screen.conversation.query(".-found")
            return getattr(marked.first(), "message", None) if marked else None

        await until(pilot, lambda: found() is screen.chat.messages[19])  # the newest first
        await pilot.pause()
        keys = region_text(app, screen.query_one(KeyBar))
        assert "n Next found" in keys and "Next cite" not in keys, keys  # n steps the finds
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


async def test_typing_are_you_sure_on_an_answer_asks_nothing_again(
    loopback: LoopbackServer,
) -> None:
    """QA Q5 (its answer half): with the focus on an answer, typing a question meant for the
    question box ("are you sure" + Enter) re-asked the question (``r``: a new paid request) with
    no word. ``r`` now asks first, and only its button says yes (a stray Enter says no)."""
    from tests.support.answers import focus_conversation, reply
    from tests.support.tui import settle

    loopback.default = lambda request: reply("Two moons [1].", "https://nasa.gov/mars")
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        screen.prompt.insert("How many moons?")
        await pilot.press("enter")
        await settle(pilot)
        assert len(loopback.requests) == 1
        await focus_conversation(pilot)
        await pilot.press(*"are you sure", "enter")
        await pilot.pause()
        await settle(pilot)
        assert len(loopback.requests) == 1
        assert app.screen is screen

        await pilot.press("r")  # asked for on purpose: the button says yes
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "How many moons?" in region_text(app, app.screen)
        await pilot.press("tab", "enter")
        await until(pilot, lambda: len(loopback.requests) == 2)
        await settle(pilot)


async def test_sources_say_not_cited_only_once_the_answer_has_ended(
    loopback: LoopbackServer,
) -> None:
    """While the answer is still coming every source said "○ not cited" (it may be cited in
    the next sentence); uncited is known only at the end. A fetched page's snippet showed its
    Markdown heading marks ("# Phobos")."""
    from tests.support.cli import SOURCES, chunk
    from tests.support.loopback import sse

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


async def test_f_and_i_on_an_agent_api_answer_lead_with_why_there_are_none() -> None:
    """QA Q13: ``f`` / ``i`` on an Agent API answer showed a 7-row toast about OpenRouter,
    ``--related`` and config.toml, and the one fact that matters came last."""
    from tests.support.tui import Notifications

    store = ChatStore()
    chat = saved_chat(store, "Kyoto")
    chat.messages[-1].provider = "perplexity"
    store.save(chat)
    notes = Notifications()
    app = demo_app()
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        screen = workspace(app)
        await screen.open_chat(chat.id)
        screen.conversation.focus()
        await pilot.press("f", "i")
        await until(pilot, lambda: len(notes) >= 2)
    related, images = notes.texts()[-2:]
    assert related.startswith("Perplexity's Agent API sends no related questions"), related
    assert images.startswith("Perplexity's Agent API sends no images"), images
    assert len(related) < 140 and len(images) < 140


async def test_escape_in_the_chat_search_box_clears_the_filter() -> None:
    """QA Q13: Escape in the chat search box went to the question box and kept the filter: the
    list stayed "Found in 1 chat", the other chats hidden, until the text was deleted by hand."""
    store = ChatStore()
    saved_chat(store, "Kyoto")
    saved_chat(store, "Lisbon")
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        chat_list = screen.query_one(ChatList)
        await until(pilot, lambda: len(chat_list.entries) == 2)
        await pilot.press("ctrl+f", *"kyoto")
        await until(pilot, lambda: len(chat_list.entries) == 1)
        await pilot.press("escape")
        await until(pilot, lambda: len(chat_list.entries) == 2)
        assert chat_list.query_text == "" and screen.prompt.has_focus
        assert "Esc" in chat_list.query_one(Input).placeholder


async def test_the_search_settings_editor_shows_its_own_keys_at_the_bottom() -> None:
    """QA Q13: with the search settings editor open (ctrl+g), the bottom line still listed the
    workspace's keys (o Open, c Copy URL, n Next…), which do nothing there."""
    from pplx_tui.ui.dialogs.search_settings import SearchSettingsScreen
    from tests.support.tui import ask, screen_lines

    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "How many moons does Mars have?")
        workspace(app).conversation.focus()
        await pilot.press("ctrl+g")
        await until(pilot, lambda: isinstance(app.screen, SearchSettingsScreen))
        await pilot.pause()
        bottom = screen_lines(app)[-1]
        assert "Defaults" in bottom and "Copy URL" not in bottom, bottom


@pytest.mark.parametrize("width", [80, 60])
async def test_at_80_columns_the_header_keeps_room_for_the_chat_title(width: int) -> None:
    """QA Q13: at 80 columns the header kept provider, model and both costs and cut the chat
    title to "Which …". The title keeps 24 columns; today's cost, then the provider give way."""
    from textual.app import App, ComposeResult

    from pplx_tui.ui.widgets.status_header import TITLE_ROOM, StatusHeader

    title = "Which moon of Mars is larger, and why does it orbit so close?"

    class HeaderApp(App[None]):
        def compose(self) -> ComposeResult:
            header = StatusHeader()
            header.chat_title = title
            header.provider, header.model = "openrouter", "perplexity/sonar-pro"
            header.cost, header.day_cost = 0.0488, 0.2403
            yield header

    app = HeaderApp()
    async with app.run_test(size=(width, 3)) as pilot:
        await pilot.pause()
        text = app.query_one(StatusHeader).render().plain
    assert title[: TITLE_ROOM - 1] in text and "perplexity/sonar-pro" in text, text
    assert ("$0.0488" in text) is (width == 80), text


# -- the key dialog from the demo (QA Q17) --------------------------------------------------------


async def test_ctrl_k_from_the_demo_takes_a_pasted_key_and_enter_saves_it() -> None:
    """QA Q17: the dialog opened with the focus on the Provider list, so a pasted key went
    nowhere and Enter opened the provider menu; nothing was saved and nothing was said."""
    from textual import events

    from pplx_tui.config import load_settings
    from pplx_tui.ui.dialogs.api_key import ApiKeyScreen
    from tests.support.tui import Notifications

    notes = Notifications()
    app = demo_app()
    async with app.run_test(size=WIDE, message_hook=notes, notifications=True) as pilot:
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, ApiKeyScreen))
        dialog = app.screen
        assert isinstance(dialog, ApiKeyScreen)
        await pilot.pause()
        assert app.focused is dialog.query_one("#api-key-input", Input)
        assert dialog.selected_provider is not None
        assert dialog.selected_provider.name == "perplexity"
        await pilot.press("enter")  # nothing pasted yet: one line says so
        await pilot.pause()
        assert "Paste a key first." in region_text(app, dialog.query_one("#api-key-error"))
        assert app.screen is dialog
        app.focused.post_message(events.Paste("pplx-0123456789abcdef"))
        await pilot.pause()
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, ApiKeyScreen))
        saved = load_settings().providers["perplexity"].api_key
        assert saved is not None and saved.get_secret_value() == "pplx-0123456789abcdef"
        assert any(text.startswith("Key saved for perplexity") for text in notes.texts())


async def test_ctrl_k_from_the_demo_offers_the_first_provider_without_a_key() -> None:
    from pplx_tui import paths
    from pplx_tui.ui.dialogs.api_key import ApiKeyScreen

    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[providers.perplexity]\napi_key = "pplx-saved-before"\n')
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, ApiKeyScreen))
        dialog = app.screen
        assert isinstance(dialog, ApiKeyScreen)
        await pilot.pause()
        assert dialog.selected_provider is not None
        assert dialog.selected_provider.name == "openrouter"
        assert app.focused is dialog.query_one("#api-key-input", Input)


async def test_a_second_enter_on_a_hit_being_opened_opens_nothing_again() -> None:
    """QA Q15: opening a hit far up a long chat took seconds with nothing on screen; a second
    Enter (the first looked lost) opened the chat and mounted everything to the hit again. The
    second only scrolls to it."""
    store = ChatStore()
    chat = phobos_chat(store, [f"Question {n}" for n in range(30)])
    chat.messages[6].content += " zanzibarite"
    store.save(chat)
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        screen = workspace(app)
        chat_list = screen.query_one(ChatList)
        opened: list[str] = []
        real_open = screen.chats.open

        async def counting_open(chat_id: str) -> None:
            opened.append(chat_id)
            await real_open(chat_id)

        screen.chats.open = counting_open  # type: ignore[method-assign]
        await until(pilot, lambda: len(chat_list.entries) == 1)
        await pilot.press("ctrl+f", *"zanzibarite")
        await until(pilot, lambda: bool(chat_list.entries) and bool(chat_list.entries[0].detail))
        chat_list.options.focus()
        chat_list.options.highlighted = 0
        chat_list.options.action_select()  # Enter, and Enter again before the chat is open
        chat_list.options.action_select()
        await until(pilot, lambda: bool(screen.conversation.query(".-found")))
        found = screen.conversation.query_one(".-found")
        assert getattr(found, "message", None) is screen.chat.messages[6]
        for _ in range(10):
            await pilot.pause()
        assert opened == [chat.id]
        assert screen.conversation.query_one(".-found") is found


async def test_e_on_an_answer_says_edit_is_ctrl_e() -> None:
    """QA Q13: ``e`` (edit until e3d7f44 moved it to ctrl+e) was swallowed on an answer with no
    word; it now says where edit went, once however often it is pressed, and edits nothing."""
    from tests.support.answers import focus_conversation
    from tests.support.tui import Notifications, ask

    notes = Notifications()
    app = demo_app()
    async with app.run_test(size=WIDE, message_hook=notes, notifications=True) as pilot:
        await ask(pilot, "How many moons?")
        screen = workspace(app)
        await focus_conversation(pilot)
        await pilot.press("e", "e")
        await until(pilot, lambda: "Edit is ctrl+e." in notes.texts())
        await pilot.pause()
        assert len(app._notifications) == 1, [n.message for n in app._notifications]
        assert screen.conversation.has_focus and not screen.prompt.text


async def test_the_ask_again_question_shows_its_own_keys_at_the_bottom() -> None:
    """With 'Ask again?' open (r on an answer) the bottom line listed the workspace's keys:
    'n Next cite' beside a 'No (n)' button, keys that do nothing there."""
    from pplx_tui.ui.dialogs.confirm import ConfirmScreen
    from tests.support.tui import ask, screen_lines

    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "How many moons does Mars have?")
        workspace(app).conversation.focus()
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.pause()
        bottom = screen_lines(app)[-1]
        assert "No" in bottom and "cite" not in bottom and "Copy URL" not in bottom, bottom


async def test_a_hit_far_up_a_long_chat_mounts_its_own_page_only(loopback: LoopbackServer) -> None:
    """QA Q15: a hit in message 7 of 240 mounted every message from it to the end (13-37 s).
    Only its page is mounted; the later ones follow on scrolling down, End goes to the end,
    and a question asked goes after the chat's last message with the whole history."""
    from tests.support.tui import ask, on_screen

    store = ChatStore()
    chat = phobos_chat(store, [f"Question {n}" for n in range(120)])
    chat.messages[6].content = "Question 3 about zanzibarite"
    store.save(chat)
    app = loopback_app(loopback)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = workspace(app)
        await screen.open_chat(chat.id)
        conversation = screen.conversation
        messages = screen.chat.messages
        assert await conversation.reveal(messages[6])
        await until(pilot, lambda: top_words(app, conversation, 3) == ["You", "Question", "3"])
        turns = [getattr(v, "message", None) for v in conversation.query(".-turn")]
        assert turns[0] is messages[6] and len(turns) <= PAGE
        assert conversation.all_messages() == messages  # nothing lost around the window

        conversation.focus()
        for _ in range(2):  # scrolling down mounts the next page below
            conversation.scroll_end(animate=False, immediate=True)
            count = len(conversation.query(".-turn"))
            await until(pilot, lambda c=count: len(conversation.query(".-turn")) > c)
        await pilot.press("end")
        await until(pilot, lambda: on_screen(app, "About: Question 119"))
        assert conversation.last_message() is messages[-1]

        assert await conversation.reveal(messages[6])  # far up again, then a question
        await until(pilot, lambda: top_words(app, conversation, 3) == ["You", "Question", "3"])
        loopback.queue(Reply(chunks=answer_frames(["The next one."])))
        await ask(pilot, "And the next?")
        turns = [getattr(v, "message", None) for v in conversation.query(".-turn")]
        assert turns[-3] is messages[-3] and turns[-2] is messages[-2]
        assert messages[-2].content == "And the next?" and len(messages) == 242
        sent = loopback.requests[-1].json["messages"]
        assert len(sent) == 241 and sent[-1]["content"] == "And the next?"
