"""The open chat exported as Markdown from the app (a new researcher found only the sources'
reference formats in the palette; the conversation itself needed `pplx chats export`)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from tests.support.answers import reply
from tests.support.loopback import LoopbackServer
from tests.support.tui import Notifications, ask, loopback_app, palette_text, until, workspace


async def test_the_palette_exports_the_chat_as_markdown(
    loopback: LoopbackServer, tmp_path: Path
) -> None:
    loopback.queue(reply("Two moons [1].", "https://nasa.gov/mars"))
    app = loopback_app(loopback)
    target = tmp_path / "moons.md"
    notes = Notifications()
    async with app.run_test(size=(150, 40), message_hook=notes) as pilot:
        screen = workspace(app)
        listed = await palette_text(pilot, "export chat", "each answer's Sources list")
        assert "Export chat as Markdown" in listed
        await ask(pilot, "How many moons?")
        screen.action_export_sources("md")
        await until(pilot, lambda: bool(app.screen.query("RenameScreen Input")))
        field = app.screen.query_one(Input)
        assert field.value.endswith(f"{screen.chat.id}.md")
        field.value = str(target)
        await pilot.press("enter")
        await until(pilot, target.exists)
        await until(
            pilot, lambda: any(f"Wrote the chat (Markdown) to {target}" in t for t in notes.texts())
        )
    text = target.read_text(encoding="utf-8")
    assert (
        "How many moons?" in text and "Two moons [1]." in text and "https://nasa.gov/mars" in text
    )
