"""The workspace's layout at each width, the question box's keys (bursts, ctrl+j, keymap) and
the command palette.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual import events
from textual.command import CommandList, CommandPalette
from textual.widgets import Input

from pplx_tui.config import Settings
from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.commands import KEYED
from pplx_tui.ui.dialogs.api_key import ApiKeyScreen
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.screens.research import ResearchScreen
from pplx_tui.ui.widgets.answer_keys import ANSWER_BINDINGS
from pplx_tui.ui.widgets.chat_list import ChatList
from pplx_tui.ui.widgets.conversation import Conversation
from pplx_tui.ui.widgets.panes import CONVERSATION_MIN_WIDTH
from pplx_tui.ui.widgets.prompt import PromptInput
from pplx_tui.ui.widgets.source_list import SourceList
from pplx_tui.ui.widgets.sources_panel import SourcesPanel
from tests.support.tui import ask, demo_app, screen_lines, settle, type_text, until
from tests.support.tui import workspace as research

WIDE = (150, 40)


async def test_narrow_terminal_hides_side_panels_until_toggled() -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = research(app)
        chats, sources = screen.query_one(ChatList), screen.query_one(SourcesPanel)
        assert not chats.display and not sources.display
        await pilot.press("ctrl+s")
        assert sources.display
        await pilot.press("ctrl+b")
        assert chats.display
        await pilot.press("ctrl+b", "ctrl+s")
        assert not chats.display and not sources.display


@pytest.mark.parametrize(
    ("size", "sources"), [((80, 24), True), ((60, 20), True), ((80, 24), False), (WIDE, True)]
)
async def test_the_question_box_placeholder_is_never_cut_without_an_ellipsis(
    size: tuple[int, int], sources: bool
) -> None:
    """QA: at 80 columns with the sources shown it read "Ask anything…  (Enter sends, ctrl+j",
    cut mid-hint. A placeholder too wide for the box gives way to a shorter one; the full one
    where it fits."""
    app = demo_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = research(app)
        panel, prompt = screen.query_one(SourcesPanel), screen.query_one(PromptInput)
        if panel.display != sources:
            await pilot.press("ctrl+s")
        await until(pilot, lambda: panel.display == sources and prompt.size.width > 0)
        await settle(pilot)

        def shown_placeholder() -> str:
            box = prompt.content_region
            return " ".join(screen_lines(app)[box.y][box.x : box.right].split())

        # (the box fits its placeholder as it hears of its new size: once, after a frame)
        await until(pilot, lambda: shown_placeholder().endswith(("…", ")")))
        shown = shown_placeholder()
        assert shown == " ".join(prompt.placeholder.split()), shown
        if size == WIDE:
            assert shown == "Ask anything… (Enter sends, ctrl+j starts a new line)"


async def test_at_60_columns_one_side_panel_gives_way_to_the_other() -> None:
    """At 60 columns the chat list (24) and the sources (36) left the conversation none, and
    drawing the question box's placeholder in 0 columns stopped the app."""
    app = demo_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        screen = research(app)
        chats, sources = screen.query_one(ChatList), screen.query_one(SourcesPanel)
        prompt = screen.query_one(PromptInput)
        await pilot.press("ctrl+b")
        await until(pilot, lambda: chats.display and prompt.size.width > 0)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: sources.display and not chats.display)
        await until(pilot, lambda: prompt.size.width >= 10)
        await pilot.press("ctrl+b")
        await until(pilot, lambda: chats.display and not sources.display)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: sources.display and not chats.display)
        await pilot.resize_terminal(200, 40)
        await until(pilot, lambda: chats.display and sources.display)
        await pilot.resize_terminal(60, 20)
        await until(pilot, lambda: sources.display and not chats.display)
        await until(pilot, lambda: prompt.size.width >= 10)
        assert app.is_running


@pytest.mark.parametrize(("width", "panel"), [(60, 24), (70, 30), (80, 36), (120, 36)])
async def test_the_sources_panel_on_a_narrow_terminal_leaves_the_answer_40_columns(
    width: int, panel: int
) -> None:
    """QA at 60x20: ctrl+s showed the sources in 36 columns and left the answer 22, its URLs
    and table cells broken every few letters; the panel gives up columns first (down to 24)."""
    app = demo_app()
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        screen = research(app)
        sources, conversation = screen.query_one(SourcesPanel), screen.query_one(Conversation)
        if not sources.display:
            await pilot.press("ctrl+s")
        await until(pilot, lambda: sources.display and sources.outer_size.width == panel)
        assert conversation.outer_size.width >= 36


async def test_at_120_columns_the_conversation_gets_the_room() -> None:
    """A new user's 120x40 terminal: sources shown, chat list on ctrl+b, 80+ columns to read."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = research(app)
        chats, sources = screen.query_one(ChatList), screen.query_one(SourcesPanel)
        assert not chats.display and sources.display
        assert screen.query_one(Conversation).size.width >= 80
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert chats.display and chats.options.has_focus
        assert screen.query_one(Conversation).size.width >= 56


async def test_wide_terminal_shows_every_panel() -> None:
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = research(app)
        assert screen.query_one(ChatList).display and screen.query_one(SourcesPanel).display
        assert "demo/sonar" in str(screen.header.render())


async def test_prompt_keys_newline_and_keymap(tmp_path: Any) -> None:
    app = make_app(
        settings=Settings(keymap={"prompt.submit": "ctrl+s", "prompt.newline": "enter"}),
        demo=True,
    )
    async with app.run_test(size=WIDE) as pilot:
        prompt = research(app).query_one(PromptInput)
        prompt.focus()
        await pilot.press(*"one", "enter", *"two")
        assert prompt.text == "one\ntwo"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert research(app).chat.messages[0].content == "one\ntwo"


async def test_ctrl_j_inserts_a_newline_and_enter_sends() -> None:
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        prompt = research(app).query_one(PromptInput)
        prompt.focus()
        await pilot.press(*"a", "ctrl+j", *"b")
        assert prompt.text == "a\nb"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        assert research(app).chat.messages[0].content == "a\nb"
        assert prompt.text == ""


def burst(app: PplxApp, *keys: str) -> None:
    """Queue keys at once, as a terminal delivers a fast typist's or tmux's burst (one read)."""
    for key in keys:
        character = {"enter": "\r", "ctrl+j": "\n", "space": " "}.get(key, key)
        app.post_message(events.Key(key, character))


async def test_keys_arriving_in_one_burst_keep_their_order() -> None:
    """``send-keys 'line one' C-j 'line two'`` gave "line oneline two" and a new line after it
    (found in tmux): the prompt's bindings ran only once the key had bubbled up to the app,
    after the characters queued behind it were typed. Enter likewise sent "helloagain"."""
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        prompt = research(app).query_one(PromptInput)
        prompt.focus()
        await pilot.pause()
        burst(app, *"line", "space", *"one", "ctrl+j", *"line", "space", *"two")
        await until(pilot, lambda: "\n" in prompt.text and "two" in prompt.text)
        assert prompt.text == "line one\nline two"

        prompt.clear()
        burst(app, *"hello", "enter", *"again")
        chat = research(app).chat
        await until(pilot, lambda: bool(chat.messages), what="the question sent")
        await settle(pilot)
        assert chat.messages[0].content == "hello"
        assert prompt.text == "again"


async def test_a_question_typed_right_after_ctrl_n_goes_to_the_new_chat() -> None:
    """QA: "ctrl+n, a pasted question, Enter" in one burst added the question to the chat
    being left (sent with its turns as context) while the new chat's view showed it: ctrl+n
    ran once the key had bubbled up to the app, after Enter had sent the question."""
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "first")
        first = research(app).chat
        prompt = research(app).query_one(PromptInput)
        prompt.focus()
        await pilot.pause()
        burst(app, "ctrl+n", *"second", "enter")
        await until(pilot, lambda: research(app).chat is not first and research(app).chat.messages)
        await settle(pilot)
        assert [m.content for m in first.messages if m.role == "user"] == ["first"]
        assert [m.content for m in research(app).chat.messages if m.role == "user"] == ["second"]


async def test_ctrl_b_down_enter_read_together_open_a_chat_not_send_the_question() -> None:
    """QA in tmux: with a question half typed, ctrl+b, Down and Enter typed fast sent the
    question (a new request) instead of opening the chat below in the list: the question box,
    which still had the keys after ctrl+b, took them before ctrl+b had moved the focus."""
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "first")
        first = research(app).chat
        await pilot.press("ctrl+n")
        await until(pilot, lambda: research(app).chat is not first)
        prompt = research(app).query_one(PromptInput)
        prompt.focus()
        prompt.insert("half typed")
        await pilot.pause()
        chats = research(app).query_one(ChatList)
        await pilot.press("ctrl+b")  # hide the list shown at this width: ctrl+b shows it again
        await until(pilot, lambda: not chats.display)
        prompt.focus()
        await pilot.pause()
        burst(app, "ctrl+b", "home", "enter")
        await until(pilot, lambda: research(app).chat.id == first.id)
        await settle(pilot)
        assert prompt.text == "half typed"
        assert [m.content for m in first.messages if m.role == "user"] == ["first"]


async def test_words_typed_right_after_ctrl_f_go_to_the_chat_search() -> None:
    """QA in tmux: ctrl+f and "moons" typed fast landed "moons" in the question box, and the
    chat search box stayed empty."""
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        prompt = research(app).query_one(PromptInput)
        prompt.focus()
        await pilot.pause()
        burst(app, "ctrl+f", *"moons")
        search = research(app).query_one(ChatList).query_one(Input)
        await until(pilot, lambda: search.value == "moons")
        assert prompt.text == ""


async def test_a_model_filter_typed_right_after_ctrl_o_goes_to_the_picker() -> None:
    """QA in tmux: with a question typed, ctrl+o, "reasoning" and Enter typed fast sent
    "my questionreasoning" to the current model (a request) and only then opened the picker:
    the question box took the keys queued behind ctrl+o, which ran once it reached the app."""
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        prompt = research(app).query_one(PromptInput)
        prompt.focus()
        prompt.insert("my question")
        await pilot.pause()
        burst(app, "ctrl+o", *"reasoning", "enter")
        await until(pilot, lambda: app.target.model.id == "demo/sonar-reasoning")
        await settle(pilot)
        assert prompt.text == "my question"
        assert research(app).chat.messages == []


async def test_a_key_typed_right_after_ctrl_k_goes_to_the_key_field() -> None:
    """A key typed fast after ctrl+k landed in the question box, where Enter would have sent
    it as a question; and once ctrl+k ran in turn, in the provider list (focused first)."""
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        prompt = research(app).query_one(PromptInput)
        prompt.focus()
        await pilot.pause()
        burst(app, "ctrl+k", *"abc")
        await until(pilot, lambda: isinstance(app.screen, ApiKeyScreen))
        field = app.screen.query_one("#api-key-input", Input)
        await until(pilot, lambda: field.value == "abc")
        assert prompt.text == ""


async def test_a_letter_mapped_to_new_chat_is_still_typed_in_the_question_box() -> None:
    """ctrl+n runs in turn with the keys typed around it (above); a keymap giving new chat a
    letter must not make that letter start chats while a question is typed."""

    app = demo_app(settings=Settings(keymap={"research.new_chat": "n"}))
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "first")
        first = research(app).chat
        prompt = research(app).query_one(PromptInput)
        prompt.focus()
        await pilot.pause()
        burst(app, *"moons")
        await until(pilot, lambda: prompt.text == "moons")
        assert research(app).chat is first


async def test_command_palette_runs_workspace_actions() -> None:
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "Something")
        app.action_command_palette()
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await type_text(pilot, "New chat")

        def new_chat_highlighted() -> bool:
            commands = app.screen.query_one(CommandList)
            number = commands.highlighted
            return number is not None and "New chat" in str(
                commands.get_option_at_index(number).prompt
            )

        await until(pilot, new_chat_highlighted)
        await pilot.press("enter")
        await pilot.pause()
        assert research(app).chat.messages == []


@pytest.mark.parametrize(
    "owner", [PplxApp, ResearchScreen, Conversation, SourcesPanel, ChatList, PromptInput]
)
def test_bindings_have_ids_and_tooltips(owner: type) -> None:
    for binding in owner.BINDINGS:
        assert binding.id and binding.tooltip, binding


def test_every_screen_and_app_binding_has_a_palette_entry() -> None:
    for binding in [*PplxApp.BINDINGS, *ResearchScreen.BINDINGS, *ANSWER_BINDINGS]:
        assert binding.id in KEYED, binding.id


async def test_a_side_panel_hidden_to_make_room_comes_back_when_the_other_hides() -> None:
    """helper QA: at 60 columns the sources panel gave way to the chat list (ctrl+b, or ctrl+f
    showing the list for a search) and stayed hidden once the list hid again."""
    app = demo_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        screen = research(app)
        chats, sources = screen.query_one(ChatList), screen.query_one(SourcesPanel)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: sources.display and not chats.display)
        await pilot.press("ctrl+b")
        await until(pilot, lambda: chats.display and not sources.display)
        await pilot.resize_terminal(64, 20)  # a resize meanwhile forgets nothing
        await pilot.press("ctrl+b")
        await until(pilot, lambda: sources.display and not chats.display)

        await pilot.press("ctrl+f")
        await until(pilot, lambda: chats.display and not sources.display)
        await pilot.press("escape")
        await until(pilot, lambda: sources.display and not chats.display)


@pytest.mark.parametrize("width", [80, 100])
async def test_below_both_panels_width_one_side_panel_shows_at_a_time(width: int) -> None:
    """QA: at 80 columns ctrl+s then ctrl+b showed the chat list and the sources together and
    left the answer 20 columns, a few words a line. The side panel asked for last shows; the
    other comes back when it hides, and when the terminal widens to hold both."""
    app = demo_app()
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        screen = research(app)
        chats, sources = screen.query_one(ChatList), screen.query_one(SourcesPanel)
        conversation = screen.query_one(Conversation)
        if not sources.display:  # shown from 90 columns
            await pilot.press("ctrl+s")
            await until(pilot, lambda: sources.display)
        await pilot.press("ctrl+b")
        await until(pilot, lambda: chats.display and not sources.display)
        await until(pilot, lambda: conversation.outer_size.width == width - chats.outer_size.width)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: sources.display and not chats.display)
        sides = (chats.styles.width, sources.styles.width)
        await pilot.resize_terminal(sum(s.cells or 0 for s in sides) + CONVERSATION_MIN_WIDTH, 24)
        await until(pilot, lambda: chats.display and sources.display)
        assert conversation.outer_size.width >= CONVERSATION_MIN_WIDTH
        await pilot.resize_terminal(width, 24)
        await until(pilot, lambda: sources.display and not chats.display)


async def test_a_wide_terminal_gives_the_chat_list_room_for_its_titles() -> None:
    """QA at 200 columns: the chat list kept 24 columns (titles wrapped every three words)
    while the answer had 140; past 160 columns it grows, up to ten columns more."""
    app = demo_app()
    async with app.run_test(size=(160, 40)) as pilot:
        chats = research(app).query_one(ChatList)
        await until(pilot, lambda: chats.display and chats.outer_size.width == 24)
        await pilot.resize_terminal(200, 40)
        await until(pilot, lambda: chats.outer_size.width == 34, what="34 columns at 200")
        await pilot.resize_terminal(180, 40)
        await until(pilot, lambda: chats.outer_size.width == 29, what="29 columns at 180")


async def test_a_side_panel_giving_way_gives_the_keys_to_the_question_box() -> None:
    """QA at 80 columns: ctrl+b (the chat list, focused), then ctrl+s: the sources took the
    list's place but the keys stayed in the hidden list (the footer showed its Rename and
    Delete, arrows moved in it unseen)."""
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = research(app)
        chats, sources = screen.query_one(ChatList), screen.query_one(SourcesPanel)
        await pilot.press("ctrl+b")
        await until(pilot, lambda: chats.display and chats.has_focus_within)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: sources.display and not chats.display)
        await until(pilot, lambda: screen.query_one(PromptInput).has_focus)


async def test_ctrl_b_from_the_sources_panel_gives_the_keys_to_the_chat_list() -> None:
    """QA at 80 columns: ctrl+s, the sources panel focused, then ctrl+b: the chat list took the
    sources' place but the keys went to the question box (the panel giving way moved the focus
    there a moment after ctrl+b had put it in the list), as they do not from the question box."""
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = research(app)
        chats, sources = screen.query_one(ChatList), screen.query_one(SourcesPanel)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: sources.display)
        sources.query_one(SourceList).focus()
        await until(pilot, lambda: sources.has_focus_within)
        await pilot.press("ctrl+b")
        await until(pilot, lambda: chats.display and not sources.display)
        await pilot.pause()
        assert app.focused is chats.options, f"the keys went to {app.focused!r}"


def _cut_off(app: PplxApp) -> list[str]:
    """The widgets shown that reach past the screen's right edge (drawn off-screen)."""
    width = app.size.width
    return [repr(w) for w in research(app).walk_children() if w.region.right > width]


@pytest.mark.parametrize("key", ["ctrl+b", "ctrl+s"])
async def test_at_40_columns_a_side_panel_takes_the_screen_until_it_hides(key: str) -> None:
    """QA at 40x12: ctrl+b put the chat list (24) beside a conversation kept 20 columns, its
    answer's last letters and scrollbar drawn off-screen; ctrl+s left the sources panel 20
    visible columns, under its 24. Too narrow for a side panel beside the conversation, the
    panel asked for takes the screen (the keys with it); Escape gives the screen back."""
    app = demo_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await ask(pilot, "zzmd")
        screen = research(app)
        chats, sources = screen.query_one(ChatList), screen.query_one(SourcesPanel)
        panel = chats if key == "ctrl+b" else sources
        await pilot.press(key)
        await until(pilot, lambda: panel.display and panel.outer_size.width == 40)
        assert not screen.query_one("#main").display
        assert panel.has_focus_within, f"the keys went to {app.focused!r}"
        assert _cut_off(app) == []
        await pilot.press("escape")
        prompt = screen.query_one(PromptInput)
        await until(pilot, lambda: not panel.display and prompt.has_focus)
        await until(pilot, lambda: prompt.outer_size.width == 40)
        assert _cut_off(app) == []


async def test_at_40_columns_a_chat_opened_from_the_list_is_shown() -> None:
    """The chat list holding the screen gives it to the chat opened from it."""
    app = demo_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await ask(pilot, "zzmd")
        await pilot.press("ctrl+n")
        screen = research(app)
        chats = screen.query_one(ChatList)
        await pilot.press("ctrl+b")
        await until(pilot, lambda: chats.display and chats.options.option_count >= 1)
        await pilot.press("enter")
        conversation = screen.query_one(Conversation)
        await until(pilot, lambda: not chats.display and conversation.outer_size.width == 40)
        await until(pilot, lambda: "zzmd" in screen_lines(app)[0])  # the header's title


async def test_at_40_columns_enter_on_the_open_chat_gives_the_screen_back_to_it() -> None:
    """QA at 40x14: Enter on the chat already open left the list holding the screen, the key
    bar naming no way out. Chosen in the list, the open chat is shown as another would be."""
    app = demo_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await ask(pilot, "zzmd")
        screen = research(app)
        chats, prompt = screen.query_one(ChatList), screen.query_one(PromptInput)
        await pilot.press("ctrl+b")
        await until(pilot, lambda: chats.display and chats.options.option_count >= 1)
        await pilot.press("enter")
        await until(pilot, lambda: not chats.display and prompt.has_focus)
        assert screen.query_one("#main").display


async def test_at_40_columns_ctrl_s_from_the_chat_list_gives_the_screen_to_the_sources() -> None:
    app = demo_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await ask(pilot, "zzmd")
        screen = research(app)
        chats, sources = screen.query_one(ChatList), screen.query_one(SourcesPanel)
        await pilot.press("ctrl+b")
        await until(pilot, lambda: chats.display and chats.has_focus_within)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: sources.display and not chats.display)
        await pilot.pause()
        assert sources.display and sources.has_focus_within, f"the keys went to {app.focused!r}"
        assert not screen.query_one("#main").display
        await pilot.press("escape")
        prompt = screen.query_one(PromptInput)
        await until(pilot, lambda: prompt.has_focus and prompt.outer_size.width == 40)
        await pilot.pause()
        assert not chats.display and not sources.display  # not the list given way to before


@pytest.mark.parametrize("back", ["escape", "ctrl+s"])
async def test_at_40_columns_sources_without_any_give_the_keys_back_to_the_question_box(
    back: str,
) -> None:
    """QA: in a chat with no sources, ctrl+s at 40 columns gave the screen to a panel with
    nothing to focus, and the focus went nowhere: back from it (Escape, ctrl+s), the question
    box had no focus, and what was typed next was lost."""
    app = demo_app()
    async with app.run_test(size=(40, 12)) as pilot:
        screen = research(app)
        sources, prompt = screen.query_one(SourcesPanel), screen.query_one(PromptInput)
        await until(pilot, lambda: prompt.has_focus)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: sources.display and sources.outer_size.width == 40)
        await pilot.press(back)
        await until(pilot, lambda: not sources.display)
        await pilot.press(*"hello")
        await until(pilot, lambda: prompt.text == "hello", what="typed into the question box")


async def test_a_side_panel_given_the_screen_by_a_narrower_terminal_gives_the_focus_back() -> None:
    """QA: at 120 columns the chat list shown, the focus in the question box; narrowed to 40
    the list took the screen and the keys; widened again, the keys stayed in the list, where a
    line typed for the question box renamed ("e") and deleted ("d") chats."""
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ask(pilot, "zzmd")
        screen = research(app)
        chats, prompt = screen.query_one(ChatList), screen.query_one(PromptInput)
        await pilot.press("ctrl+b")
        await until(pilot, lambda: chats.display)
        prompt.focus()
        await until(pilot, lambda: prompt.has_focus)

        await pilot.resize_terminal(40, 12)
        await until(pilot, lambda: not screen.query_one("#main").display)
        assert chats.has_focus_within
        await pilot.resize_terminal(120, 40)
        await until(pilot, lambda: screen.query_one("#main").display)
        await until(pilot, lambda: prompt.has_focus)
        assert chats.display
