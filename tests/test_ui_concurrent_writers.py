"""The app and ``pplx ask --chat`` writing one chat: nothing is lost, and the open chat shows
and sends what the other process added.

Issue 13 item 1: renaming reloaded the chat and reset the merge base, but only the title
reached the open chat, so the app's next save deleted what the other process had appended.
QA Q14: the open chat never took that in, so the next question's history lacked it.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from pplx_tui.models import Chat, Message
from pplx_tui.store import ChatStore
from pplx_tui.ui.dialogs.rename import RenameScreen
from tests.support.cli import answer_frames, pplx_beside
from tests.support.loopback import LoopbackServer, RecordedRequest, Reply
from tests.support.tui import Notifications, ask, loopback_app, send, settle, until, workspace


def _append_from_cli(loopback: LoopbackServer, chat_id: str, question: str, answer: str) -> None:
    """``pplx ask --chat``, as another process, adds one exchange to the chat."""
    loopback.queue(Reply(chunks=answer_frames([answer])))
    cli = pplx_beside("ask", "--chat", chat_id, question, server=loopback)
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
    """Issue 13 item 1 and QA Q14: renaming the open chat kept only the title from the file,
    so the next save deleted what `pplx ask --chat` had appended (item 1), and the app never
    showed that exchange nor sent it as history (Q14). Now the rename takes it in and shows
    it, and the next question carries it; the file keeps every message, in order."""
    chat_id = _two_message_chat()
    app = loopback_app(loopback, chat_id=chat_id)
    async with app.run_test(size=(120, 40)) as pilot:
        _append_from_cli(loopback, chat_id, "q-cli", "a-cli")
        await app.run_action("screen.rename_current")
        await until(pilot, lambda: isinstance(app.screen, RenameScreen))
        await pilot.press("N", "e", "w", "enter")
        await until(pilot, lambda: "a-cli" in _shown(app))
        assert _shown(app) == ["q0", "a0", "q-cli", "a-cli"]

        loopback.queue(Reply(chunks=answer_frames(["a-app"])))
        await ask(pilot, "q-app")
        assert _history(loopback) == ["q0", "a0", "q-cli", "a-cli", "q-app"]
        assert _shown(app)[-2:] == ["q-app", "a-app"]

    saved = ChatStore().load(chat_id)
    everything = ["q0", "a0", "q-cli", "a-cli", "q-app", "a-app"]
    assert [m.content for m in saved.messages] == everything
    assert [m.content for m in saved.active_path()] == everything
    assert saved.title == "New"


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


async def _ask_while_another_appends(
    pilot: Pilot[Any], loopback: LoopbackServer, other: Chat
) -> Reply:
    """Ask "q-app" (its answer held after "a-") and, once it is sent, save "q-other" /
    "a-other" into ``other`` (the same chat read by another writer); the held reply."""
    held = Reply(chunks=answer_frames(["a-", "app"]), hang_after=1)
    loopback.queue(held)
    await send(pilot, "q-app")
    await until(pilot, lambda: len(loopback.requests) == 1)
    # The app's question is saved (in a thread, maybe after it is sent) before the other's:
    # under load the other writer saved first, and its question came first among the two.
    await until(pilot, lambda: "q-app" in [m.content for m in ChatStore().load(other.id).messages])
    other.add(Message(role="user", content="q-other"))
    other.add(Message(role="assistant", content="a-other"))
    ChatStore().save(other)
    return held


async def test_a_save_that_takes_in_another_writer_s_exchange_keeps_the_app_s_line(
    loopback: LoopbackServer,
) -> None:
    """Another writer, holding the chat from before the app's question, saves an exchange
    while the app's answer streams: both asked from the same point, so the chat forks there.
    The app's save merges the other exchange in and the chat went on showing the other line
    (the later save's choice) while the screen showed the app's: the next question carried a
    history nobody saw. Now the open chat keeps its own line, in the file too, and the other
    exchange is an alternative."""
    chat_id = _two_message_chat()
    other = ChatStore().load(chat_id)  # like `pplx ask --chat` that read the chat just now
    app = loopback_app(loopback, chat_id=chat_id)
    async with app.run_test(size=(120, 40)) as pilot:
        held = await _ask_while_another_appends(pilot, loopback, other)
        held.resume()
        await settle(pilot)
        chat = workspace(app).chat
        await until(pilot, lambda: {"q-other", "a-other"} <= {m.content for m in chat.messages})
        await until(pilot, lambda: "q-app" in [m.content for m in chat.active_path()])
        assert _shown(app) == [m.content for m in chat.active_path()]
        assert _shown(app) == ["q0", "a0", "q-app", "a-app"]
        saved = ChatStore().load(chat_id)
        assert [m.content for m in saved.active_path()] == ["q0", "a0", "q-app", "a-app"]

        loopback.queue(Reply(chunks=answer_frames(["a-next"])))
        await ask(pilot, "q-next")
        assert _history(loopback) == ["q0", "a0", "q-app", "a-app", "q-next"]
    saved = ChatStore().load(chat_id)
    assert {m.content for m in saved.messages} == {
        *("q0", "a0", "q-app", "a-app", "q-other", "a-other", "q-next", "a-next")
    }
    assert [m.content for m in saved.alternatives(saved.active_path()[2].id)] == [
        "q-app",
        "q-other",
    ]


async def test_a_rename_while_an_answer_streams_keeps_the_answer_streaming(
    loopback: LoopbackServer,
) -> None:
    """The rename shows the chat again (another writer added to it): the answer still
    streaming is shown again at the end, goes on, and is saved after the question."""
    chat_id = _two_message_chat()
    other = ChatStore().load(chat_id)
    app = loopback_app(loopback, chat_id=chat_id)
    async with app.run_test(size=(120, 40)) as pilot:
        held = await _ask_while_another_appends(pilot, loopback, other)
        await app.run_action("screen.rename_current")
        await until(pilot, lambda: isinstance(app.screen, RenameScreen))
        await pilot.press("N", "e", "w", "enter")
        await until(pilot, lambda: workspace(app).chat.title == "New")
        held.resume()
        await settle(pilot)
        chat = workspace(app).chat
        assert {"q-other", "a-other"} <= {m.content for m in chat.messages}
        assert _shown(app) == [m.content for m in chat.active_path()]
        assert _shown(app) == ["q0", "a0", "q-app", "a-app"]
    saved = ChatStore().load(chat_id)
    assert saved.title == "New"
    answer = next(m for m in saved.messages if m.content == "a-app")
    assert saved.message(answer.parent_id or "").content == "q-app"
    assert {m.content for m in saved.messages} == {
        "q0",
        "a0",
        "q-app",
        "a-app",
        "q-other",
        "a-other",
    }


async def _compare_while_another_appends(
    pilot: Pilot[Any], loopback: LoopbackServer, chat_id: str
) -> None:
    """Two answers compared side by side in the open chat; while they stream, `pplx ask
    --chat` saves an exchange; then the first column ends (its save takes that exchange in),
    and the second."""
    from pplx_tui.ui.dialogs.compare_picker import ComparePickerScreen
    from tests.test_ui_comparisons import AND_SONAR_PRO

    app = pilot.app
    held: dict[str, Reply] = {}  # by model: the two requests arrive in either order

    def column(request: RecordedRequest) -> Reply:
        model = request.json["model"]
        held[model] = Reply(chunks=answer_frames([f"{model} says ", "two"]))
        held[model].hang_after = 1
        return held[model]

    loopback.default = column
    workspace(app).prompt.insert("q-compared")
    await pilot.press("ctrl+t")
    await until(pilot, lambda: isinstance(app.screen, ComparePickerScreen))
    await pilot.press(*AND_SONAR_PRO)
    await until(pilot, lambda: len(held) == 2)
    loopback.default = None
    _append_from_cli(loopback, chat_id, "q-cli", "a-cli")
    first, second = workspace(app).alternatives.comparisons.comparing
    held[first.target.model.id].resume()
    await until(pilot, lambda: first.finished)
    held[second.target.model.id].resume()
    await until(pilot, lambda: not workspace(app).alternatives.comparing)


async def test_a_comparison_goes_on_when_its_first_column_s_save_takes_in_another_writer(
    loopback: LoopbackServer,
) -> None:
    """`pplx ask --chat` saved to the chat while two answers were compared side by side: the
    first column's save took its exchange in and drew the chat again, the second column kept
    streaming into a view no longer there, and the app stopped on its next event."""
    chat_id = _two_message_chat()
    app = loopback_app(loopback, chat_id=chat_id)
    async with app.run_test(size=(150, 40)) as pilot:
        await _compare_while_another_appends(pilot, loopback, chat_id)
        loopback.queue(Reply(chunks=answer_frames(["a-next"])))
        await ask(pilot, "q-next")
        assert "a-next" in _shown(app)
    saved = ChatStore().load(chat_id)
    compared = [m for m in saved.messages if m.comparison]
    assert [m.content for m in compared] == [
        "perplexity/sonar says two",
        "perplexity/sonar-pro says two",
    ]
    assert {"q-cli", "a-cli", "q-next", "a-next"} <= {m.content for m in saved.messages}


async def test_what_came_from_elsewhere_during_a_comparison_is_not_announced_in_another_chat(
    loopback: LoopbackServer,
) -> None:
    chat_id = _two_message_chat()
    notes = Notifications()
    app = loopback_app(loopback, chat_id=chat_id)
    async with app.run_test(size=(150, 40), message_hook=notes) as pilot:
        await _compare_while_another_appends(pilot, loopback, chat_id)
        await pilot.press("ctrl+n")
        loopback.queue(Reply(chunks=answer_frames(["a-new"])))
        await ask(pilot, "q-new")
        assert _shown(app) == ["q-new", "a-new"]
    assert not [text for text in notes.texts() if "saved from elsewhere" in text]
