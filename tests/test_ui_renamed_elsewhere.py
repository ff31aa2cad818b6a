"""The open chat renamed by another process (`pplx chats rename`, another window): the chat
list showed the new title within 2 s, but the header kept the old one until the next question.
Now the open chat takes the new title too (header and chat), and its merge base with it, so
nothing the other process saved is lost or undone by the app's next save."""

from __future__ import annotations

import pytest

from pplx_tui.models import Message
from pplx_tui.store import ChatStore
from pplx_tui.ui.widgets import chat_list
from tests.support.cli import answer_frames, pplx, pplx_beside
from tests.support.loopback import LoopbackServer, Reply
from tests.support.tui import ask, loopback_app, row_text, until, workspace


@pytest.fixture(autouse=True)
def quick_folder_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The list looks at the chats folder every 0.1 s, not 2 s: what it finds is the same."""
    monkeypatch.setattr(chat_list, "FOLDER_CHECK_SECONDS", 0.1)


def _saved_chat() -> str:
    store = ChatStore()
    chat = store.new_chat()
    chat.settings.provider, chat.settings.model = "openrouter", "perplexity/sonar"
    chat.title = "Old title"
    chat.add(Message(role="user", content="q0"))
    chat.add(Message(role="assistant", content="a0"))
    return store.save(chat).id


def _rename(chat_id: str, title: str) -> None:
    renamed = pplx("chats", "rename", chat_id, title)
    assert renamed.returncode == 0, renamed.stderr


def _history(loopback: LoopbackServer) -> list[str]:
    return [m["content"] for m in loopback.requests[-1].json["messages"] if m["role"] != "system"]


async def test_the_open_chat_takes_a_title_given_elsewhere(loopback: LoopbackServer) -> None:
    chat_id = _saved_chat()
    app = loopback_app(loopback, chat_id=chat_id)
    async with app.run_test(size=(150, 30)) as pilot:
        screen = workspace(app)
        await until(pilot, lambda: row_text(app, chat_id) != "")
        assert screen.header.chat_title == "Old title"
        _rename(chat_id, "CLI title")
        await until(pilot, lambda: screen.header.chat_title == "CLI title")
        assert screen.chat.title == "CLI title"
        # The list reads the folder in a thread of its own: its row may come a moment later.
        await until(pilot, lambda: "CLI title" in row_text(app, chat_id))

        loopback.queue(Reply(chunks=answer_frames(["a1"])))
        await ask(pilot, "q1")
        assert screen.header.chat_title == "CLI title"

    saved = ChatStore().load(chat_id)
    assert saved.title == "CLI title"
    assert [m.content for m in saved.messages] == ["q0", "a0", "q1", "a1"]


async def test_a_title_taken_from_elsewhere_keeps_what_else_was_saved_and_later_renames(
    loopback: LoopbackServer,
) -> None:
    """The other process also added an exchange: the title alone is taken, and the next
    question still takes that exchange in first (it is not lost). A rename after the one
    taken still wins over the app's copy at its next save."""
    chat_id = _saved_chat()
    app = loopback_app(loopback, chat_id=chat_id)
    async with app.run_test(size=(150, 30)) as pilot:
        screen = workspace(app)
        await until(pilot, lambda: row_text(app, chat_id) != "")
        loopback.queue(Reply(chunks=answer_frames(["a-cli"])))
        cli = pplx_beside("ask", "--chat", chat_id, "q-cli", server=loopback)
        assert cli.returncode == 0, cli.stderr
        _rename(chat_id, "CLI title")
        await until(pilot, lambda: screen.header.chat_title == "CLI title")
        _rename(chat_id, "Third title")  # (whether or not the app looks before it asks)

        loopback.queue(Reply(chunks=answer_frames(["a-app"])))
        await ask(pilot, "q-app")
        assert _history(loopback) == ["q0", "a0", "q-cli", "a-cli", "q-app"]
        assert screen.header.chat_title == "Third title"

    saved = ChatStore().load(chat_id)
    assert saved.title == "Third title"
    assert [m.content for m in saved.messages] == ["q0", "a0", "q-cli", "a-cli", "q-app", "a-app"]


async def test_a_chat_file_edited_in_place_is_listed_with_its_new_title(
    loopback: LoopbackServer,
) -> None:
    """QA: a title changed by hand in the chat's file (written in place: the folder's mtime
    stays) never showed in the list, which looked only at the folder (a `pplx chats rename`,
    which writes a new file, did within seconds)."""
    chat_id = _saved_chat()
    ChatStore().list_chats()  # the index made (its folder in the chats folder) before the app
    app = loopback_app(loopback)
    async with app.run_test(size=(150, 30)) as pilot:
        await until(pilot, lambda: "Old title" in row_text(app, chat_id))
        path = ChatStore().root / f"{chat_id}.json"
        folder = path.parent.stat().st_mtime_ns
        with path.open("r+", encoding="utf-8") as handle:  # as an editor saving in place
            text = handle.read().replace('"Old title"', '"Title typed by hand"')
            handle.seek(0)
            handle.write(text)
            handle.truncate()
        assert path.parent.stat().st_mtime_ns == folder
        await until(pilot, lambda: "Title typed by hand" in row_text(app, chat_id))
