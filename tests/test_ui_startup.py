"""Start-up as a user meets it: what is typed while the workspace appears is not lost."""

from __future__ import annotations

import pytest
from textual import events
from textual.message import Message as Posted
from textual.screen import Screen

from pplx_tui.models import Message
from pplx_tui.store import ChatStore
from pplx_tui.ui.screens.warm_up import WarmUp
from pplx_tui.ui.widgets.prompt import PromptInput
from tests.support.tui import demo_app, settle, workspace
from tests.support.waits import until


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
async def test_keys_typed_at_launch_go_to_the_question_box(size: tuple[int, int]) -> None:
    """Keys typed while pplx starts wait in the terminal and reach the app with its first
    messages, before the workspace's mount handler focused the question box: they went to
    the chat search box (wide) or nowhere (80x24)."""
    app = demo_app()
    for key in "hello":
        app.post_message(events.Key(key, key))  # queued before the app runs, as at launch

    async with app.run_test(size=size) as pilot:
        prompt = workspace(app).query_one(PromptInput)
        await until(pilot, lambda: prompt.text == "hello", what="the typed text in the box")
        assert app.focused is prompt


async def test_the_first_frame_does_not_wait_for_the_chat_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The chat list reads the store once the first frame is on screen: its thread (and,
    over 2,000 chats, showing them all) ran while the first frame was built, ~0.6 s of CPU
    in tmux."""
    store = ChatStore()
    chat = store.new_chat()
    chat.add(Message(role="user", content="Saved before the app started"))
    store.save(chat)
    happened: list[str] = []
    list_chats = ChatStore.list_chats

    def listing(self: ChatStore, limit: int | None = None) -> object:
        happened.append("chats listed")
        return list_chats(self, limit)

    monkeypatch.setattr(ChatStore, "list_chats", listing)

    def note_first_frame(message: Posted) -> None:
        if isinstance(message, events.Ready):
            happened.append("first frame")

    app = demo_app()
    async with app.run_test(size=(160, 48), message_hook=note_first_frame) as pilot:
        chat_list = workspace(app).chat_list
        await until(pilot, lambda: chat_list.title_of(chat.id), what="the saved chat listed")
        assert happened[:2] == ["first frame", "chats listed"]


async def test_the_start_up_threads_wait_until_the_first_frame_is_drawn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Textual says the app is ready after the workspace's first layout, but draws nothing
    until it runs: the first frame is the next refresh. The start-up threads (httpx, pydantic)
    began in between and held the GIL while that frame was rendered: 10-80 ms of start-up
    in tmux."""
    happened: list[str] = []
    refresh = Screen._compositor_refresh
    start = WarmUp.start

    def drawn(self: Screen[object]) -> None:
        app = self.app  # Textual draws a refresh only while it runs and batches nothing
        if app._running and not app._batch_count and "frame drawn" not in happened:
            happened.append("frame drawn")
        refresh(self)

    def warm_up(self: WarmUp) -> None:
        happened.append("warm-up")
        start(self)

    monkeypatch.setattr(Screen, "_compositor_refresh", drawn)
    monkeypatch.setattr(WarmUp, "start", warm_up)
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: "warm-up" in happened, what="the start-up work begun")
        assert happened == ["frame drawn", "warm-up"]


async def test_enter_typed_at_launch_sends_the_question() -> None:
    """Enter typed before pplx has the terminal arrives as a line feed (the terminal's ICRNL
    is still on): it sent nothing and started a second line in the box (found in tmux). A
    ctrl+j pressed once the app runs still starts a new line."""
    app = demo_app()
    for key, character in [("h", "h"), ("i", "i"), ("ctrl+j", "\n")]:
        app.post_message(events.Key(key, character))  # queued before the app runs

    async with app.run_test(size=(80, 24)) as pilot:
        screen = workspace(app)
        prompt = screen.query_one(PromptInput)
        await until(pilot, lambda: screen.chat.messages, what="the question sent")
        assert screen.chat.messages[0].content == "hi"
        assert prompt.text == ""
        await pilot.press("a", "ctrl+j", "b")
        assert prompt.text == "a\nb"


async def test_keys_typed_at_launch_after_enter_stay_in_the_box() -> None:
    """What is typed after that Enter at launch is the next question's start, not the end of
    the one sent: the Enter was handled after the keys queued behind it."""
    app = demo_app()
    for key, character in [("h", "h"), ("i", "i"), ("ctrl+j", "\n"), ("y", "y"), ("o", "o")]:
        app.post_message(events.Key(key, character))  # queued before the app runs

    async with app.run_test(size=(80, 24)) as pilot:
        screen = workspace(app)
        prompt = screen.query_one(PromptInput)
        await until(pilot, lambda: screen.chat.messages, what="the question sent")
        await settle(pilot)
        assert screen.chat.messages[0].content == "hi"
        assert prompt.text == "yo"
