"""The app and ``pplx ask --chat`` writing one chat: renaming in the app loses nothing.

Issue 13 item 1: renaming reloaded the chat and reset the merge base, but only the title
reached the open chat, so the app's next save deleted what the other process had appended.
"""

from __future__ import annotations

import subprocess

from pplx_tui.models import Message
from pplx_tui.store import ChatStore
from pplx_tui.ui.dialogs.rename import RenameScreen
from tests.support.cli import ROOT, answer_frames, command, environment
from tests.support.loopback import LoopbackServer, Reply
from tests.support.tui import ask, loopback_app, send, settle, until, workspace


async def test_rename_in_the_app_keeps_an_exchange_another_process_appended(
    loopback: LoopbackServer,
) -> None:
    store = ChatStore()
    chat = store.new_chat()
    chat.settings.provider, chat.settings.model = "openrouter", "perplexity/sonar"
    chat.messages += [Message(role="user", content="q0"), Message(role="assistant", content="a0")]
    store.save(chat)
    app = loopback_app(loopback, chat_id=chat.id)
    async with app.run_test(size=(120, 40)) as pilot:
        loopback.queue(Reply(chunks=answer_frames(["a-cli"])))
        cli = subprocess.run(
            command("ask", "--chat", chat.id, "--save", "q-cli", server=loopback),
            env=environment(),
            cwd=ROOT,
            capture_output=True,
            timeout=60,
        )
        assert cli.returncode == 0, cli.stderr

        await app.run_action("screen.rename_current")
        await until(pilot, lambda: isinstance(app.screen, RenameScreen))
        await pilot.press("N", "e", "w", "enter")
        await until(pilot, lambda: workspace(app).chat.title == "New")

        loopback.queue(Reply(chunks=answer_frames(["a-app"])))
        await ask(pilot, "q-app")

    saved = ChatStore().load(chat.id)
    assert [m.content for m in saved.messages] == ["q0", "a0", "q-cli", "a-cli", "q-app", "a-app"]
    assert saved.title == "New"


def _append_from_cli(loopback: LoopbackServer, chat_id: str, question: str, answer: str) -> None:
    """``pplx ask --chat`` in another process adds one exchange to the chat."""
    loopback.queue(Reply(chunks=answer_frames([answer])))
    cli = subprocess.run(
        command("ask", "--chat", chat_id, question, server=loopback),
        env=environment(),
        cwd=ROOT,
        capture_output=True,
        timeout=60,
    )
    assert cli.returncode == 0, cli.stderr


def _two_message_chat() -> str:
    store = ChatStore()
    chat = store.new_chat()
    chat.settings.provider, chat.settings.model = "openrouter", "perplexity/sonar"
    chat.add(Message(role="user", content="q0"))
    chat.add(Message(role="assistant", content="a0"))
    store.save(chat)
    return chat.id


def _shown(app) -> list[str]:
    return [m.content for m in workspace(app).conversation.all_messages()]


def _history(loopback: LoopbackServer) -> list[str]:
    """The texts of the messages the app's last request carried (its question last)."""
    return [m["content"] for m in loopback.requests[-1].json["messages"] if m["role"] != "system"]


async def test_a_rename_shows_what_another_process_appended_and_asks_with_it(
    loopback: LoopbackServer,
) -> None:
    """QA Q14: after a rename the open chat shows the other process's exchanges, and the
    next question carries them as history (it did not: an answer written without them)."""
    chat_id = _two_message_chat()
    app = loopback_app(loopback, chat_id=chat_id)
    async with app.run_test(size=(120, 40)) as pilot:
        for n in (1, 2):
            _append_from_cli(loopback, chat_id, f"q-cli{n}", f"a-cli{n}")
        await app.run_action("screen.rename_current")
        await until(pilot, lambda: isinstance(app.screen, RenameScreen))
        await pilot.press("N", "e", "w", "enter")
        await until(pilot, lambda: "a-cli2" in _shown(app))
        assert _shown(app) == ["q0", "a0", "q-cli1", "a-cli1", "q-cli2", "a-cli2"]

        loopback.queue(Reply(chunks=answer_frames(["a-app"])))
        await ask(pilot, "q-app")
        assert _history(loopback) == ["q0", "a0", "q-cli1", "a-cli1", "q-cli2", "a-cli2", "q-app"]
        assert _shown(app)[-2:] == ["q-app", "a-app"]

    saved = ChatStore().load(chat_id)
    assert [m.content for m in saved.active_path()] == [
        *("q0", "a0", "q-cli1", "a-cli1", "q-cli2", "a-cli2", "q-app", "a-app")
    ]


async def test_a_question_carries_what_another_process_appended(
    loopback: LoopbackServer,
) -> None:
    """No rename: asking takes in the other process's exchange first, shows it, sends it."""
    chat_id = _two_message_chat()
    app = loopback_app(loopback, chat_id=chat_id)
    async with app.run_test(size=(120, 40)) as pilot:
        _append_from_cli(loopback, chat_id, "q-cli", "a-cli")
        loopback.queue(Reply(chunks=answer_frames(["a-app"])))
        await ask(pilot, "q-app")
        assert _history(loopback) == ["q0", "a0", "q-cli", "a-cli", "q-app"]
        assert _shown(app) == ["q0", "a0", "q-cli", "a-cli", "q-app", "a-app"]

    saved = ChatStore().load(chat_id)
    assert [m.content for m in saved.active_path()] == [
        *("q0", "a0", "q-cli", "a-cli", "q-app", "a-app")
    ]


async def test_a_save_that_takes_in_another_writer_s_exchange_shows_it(
    loopback: LoopbackServer,
) -> None:
    """Another writer, holding the chat from before the app's question, saves an exchange
    while the app's answer streams: the app's save merges it in, and the conversation shows
    the chat's line as saved (the other writer chose its branch last), which is what the next
    question carries; before, it kept showing its own line and sent another."""
    chat_id = _two_message_chat()
    other = ChatStore().load(chat_id)  # like `pplx ask --chat` that read the chat just now
    app = loopback_app(loopback, chat_id=chat_id)
    async with app.run_test(size=(120, 40)) as pilot:
        held = Reply(chunks=answer_frames(["a-", "app"]), hang_after=1)
        loopback.queue(held)
        await send(pilot, "q-app")
        await until(pilot, lambda: len(loopback.requests) == 1)
        other.add(Message(role="user", content="q-other"))
        other.add(Message(role="assistant", content="a-other"))
        ChatStore().save(other)
        held.resume()
        await settle(pilot)
        chat = workspace(app).chat
        assert [m.content for m in chat.active_path()] == ["q0", "a0", "q-other", "a-other"]
        await until(pilot, lambda: _shown(app) == ["q0", "a0", "q-other", "a-other"])

        loopback.queue(Reply(chunks=answer_frames(["a-next"])))
        await ask(pilot, "q-next")
        assert _history(loopback) == ["q0", "a0", "q-other", "a-other", "q-next"]
    saved = ChatStore().load(chat_id)
    assert {m.content for m in saved.messages} == {
        *("q0", "a0", "q-app", "a-app", "q-other", "a-other", "q-next", "a-next")
    }
