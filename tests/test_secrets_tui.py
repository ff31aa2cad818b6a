"""Keys stay secret in the TUI: a whole pilot session, then every file and screen is searched.

One key is typed into the key dialog (it belongs in config.toml, owner-only, and nowhere
else); another comes from the environment (it belongs nowhere at all). The session asks the
loopback server, which echoes the keys back in a 401, in an in-band error and in a page title;
a bug whose message holds the key is logged with its traceback; the chat is exported. Then no
file under the temporary XDG folders, no export, no log line, no notification and no
screenshot taken along the way may hold either key, or even its first 12 characters.
"""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from pplx_tui import paths
from pplx_tui.cli import main
from pplx_tui.client.answer import AnswerBuilder
from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.dialogs.api_key import ApiKeyScreen
from tests.support.cli import answer_frames, chunk
from tests.support.loopback import LoopbackServer, Reply, json_reply, sse
from tests.support.tui import (
    Notifications,
    ask,
    loopback_app,
    on_screen,
    type_text,
    until,
    workspace,
)

TYPED_KEY = "sk-or-v1-" + "Typ3dK3y0123456789abcdefghijklmnopqrstuvwx"
ENV_KEY = "sk-or-v1-" + "EnvK3y00123456789abcdefghijklmnopqrstuvwxy"
SIZE = (120, 40)


pytestmark = pytest.mark.usefixtures("debug_log")


def secrets_in(text: str | bytes, *keys: str) -> list[str]:
    data = text.encode() if isinstance(text, str) else text
    return [key[:12] for key in keys for part in (key, key[:12]) if part.encode() in data]


async def echoes(pilot: Pilot[Any], server: LoopbackServer, key: str, shots: list[str]) -> None:
    """The server sends the key back every way it can; each answer is asked and shot."""
    app = pilot.app
    assert isinstance(app, PplxApp)
    replies = [
        json_reply(401, {"error": {"message": f"Invalid API key provided: {key}", "code": 401}}),
        json_reply(401, {"error": {"message": f"bad key {key[:14]}...{key[-4:]}"}}),
        Reply(chunks=[*sse(chunk("Partial ")), *sse({"error": {"message": f"rejected {key}"}})]),
        *[json_reply(500, f"<title>Error for {key}</title>", {"Retry-After": "0"})] * 3,
    ]
    server.queue(*replies)
    for number in range(4):
        await ask(pilot, f"Echo {number}?")
        shots.append(app.export_screenshot())
        assert workspace(app).chat.messages[-1].error  # shown inline, redacted


def test_a_whole_tui_session_never_shows_or_writes_a_key(
    loopback: LoopbackServer,
    isolated_home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import asyncio

    shots: list[str] = []
    notes = Notifications()
    chat_ids: list[str] = []

    async def typed_key_session() -> None:
        # No key anywhere: the key dialog is where it goes in.
        app = loopback_app(loopback, key="")
        async with app.run_test(size=SIZE, message_hook=notes, notifications=True) as pilot:
            await pilot.press("ctrl+k")
            await until(pilot, lambda: isinstance(app.screen, ApiKeyScreen))
            await type_text(pilot, TYPED_KEY)
            shots.append(app.export_screenshot())  # masked while typed
            assert on_screen(app, "•" * 20)
            await pilot.press("enter")
            await until(pilot, lambda: not isinstance(app.screen, ApiKeyScreen))
            assert workspace(app).target.api_key == TYPED_KEY

            loopback.queue(Reply(chunks=answer_frames(["Mars has ", "two moons [1]."])))
            await ask(pilot, "How many moons?")
            assert loopback.requests[-1].headers["authorization"] == f"Bearer {TYPED_KEY}"
            shots.append(app.export_screenshot())
            await echoes(pilot, loopback, TYPED_KEY, shots)
            chat_ids.append(workspace(app).chat.id)

    async def env_key_session() -> None:
        app = loopback_app(loopback, key=ENV_KEY, chat_id=chat_ids[0])
        async with app.run_test(size=SIZE, message_hook=notes, notifications=True) as pilot:
            loopback.queue(Reply(chunks=answer_frames(["Phobos is larger."])))
            await ask(pilot, "Which is larger?")
            assert loopback.requests[-1].headers["authorization"] == f"Bearer {ENV_KEY}"
            await echoes(pilot, loopback, ENV_KEY, shots)

            # A bug whose message holds the key: logged with its traceback, said inline.
            def add(self: AnswerBuilder, event: object) -> None:
                raise RuntimeError(f"boom while holding {ENV_KEY} and {TYPED_KEY}")

            with monkeypatch.context() as patch:
                patch.setattr(AnswerBuilder, "add", add)
                loopback.queue(Reply(chunks=answer_frames(["x"])))
                await ask(pilot, "Bug?")
            shots.append(app.export_screenshot())
            workspace(app).sources.focus()
            await pilot.press("ctrl+s", "ctrl+b", "ctrl+o")  # every panel and the picker
            await pilot.pause()
            shots.append(app.export_screenshot())

    asyncio.run(typed_key_session())
    asyncio.run(env_key_session())

    exports = tmp_path / "exports"
    exports.mkdir()
    chat_id = chat_ids[0]
    for kind in ("md", "json"):
        export = ["chats", "export", chat_id, "--format", kind, "-o", str(exports / f"c.{kind}")]
        assert main(export) == 0
    assert main(["chats", "show", chat_id, "--json"]) == 0
    output = capsys.readouterr()

    files = [p for p in [*isolated_home.rglob("*"), *exports.rglob("*")] if p.is_file()]
    names = {p.name for p in files}
    assert {"config.toml", "pplx.log", f"{chat_id}.json", "c.md", "c.json"} <= names
    config = paths.config_file()
    assert TYPED_KEY in config.read_text()  # where a typed key belongs, owner-only
    log = paths.log_file().read_text()
    assert "Traceback" in log and "RuntimeError: boom while holding ***" in log
    assert "asking perplexity/sonar on openrouter" in log  # --debug logs more
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, f"{path} is readable by others"
        keys = (ENV_KEY,) if path == config else (ENV_KEY, TYPED_KEY)
        assert not secrets_in(path.read_bytes(), *keys), path
    for number, shot in enumerate(shots):
        assert not secrets_in(shot, ENV_KEY, TYPED_KEY), f"screenshot {number}"
    for _, text in notes:
        assert not secrets_in(text, ENV_KEY, TYPED_KEY), text
    assert not secrets_in(output.out + output.err, ENV_KEY, TYPED_KEY)
    assert len(shots) >= 12 and len(notes) >= 1
