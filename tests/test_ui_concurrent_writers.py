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
from tests.support.tui import ask, loopback_app, until, workspace


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
