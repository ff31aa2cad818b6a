"""Exporting from the app while an answer is still arriving: the export has the answer as far as
it came, says so, and so does the toast (QA: the Markdown had the question only, and RIS said
"This chat has no sources to export yet." with five sources in the panel)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from tests.support.answers import reply
from tests.support.loopback import LoopbackServer
from tests.support.tui import Notifications, loopback_app, send, settle, until, workspace

URLS = [f"https://example.com/{n}" for n in range(1, 6)]


async def export(pilot: Pilot[Any], fmt: str, target: Path, notes: Notifications) -> str:
    """Export the open chat as ``fmt`` to ``target`` from the dialog: the toast."""
    app = pilot.app
    screen = workspace(app)
    screen.action_export_sources(fmt)
    await until(pilot, lambda: bool(app.screen.query("RenameScreen Input")))
    app.screen.query_one(Input).value = str(target)
    await pilot.press("enter")
    await until(pilot, lambda: app.screen is screen)
    return next(t for t in notes.texts() if str(target) in t)


async def test_an_export_mid_answer_has_the_answer_so_far_and_says_so(
    loopback: LoopbackServer, tmp_path: Path
) -> None:
    streaming = reply("Tardigrades survive [1] by drying out [3]", *URLS)
    streaming.hang_after = 1  # the first words and the sources; the end waits
    loopback.queue(streaming)
    app = loopback_app(loopback)
    notes = Notifications()
    markdown, ris = tmp_path / "chat.md", tmp_path / "chat.ris"
    async with app.run_test(size=(80, 24), message_hook=notes) as pilot:
        screen = workspace(app)
        await send(pilot, "Mid-stream export test?")
        await until(pilot, lambda: bool(screen.pending and screen.pending.builder.content))

        told = await export(pilot, "md", markdown, notes)
        assert told == (
            f"Wrote the chat (Markdown) to {markdown}; the answer still being written is in it"
            " as far as it came."
        )
        told = await export(pilot, "ris", ris, notes)
        assert told == (
            f"Wrote 5 sources (RIS) to {ris}, with those of the answer still being written as"
            " far as it came."
        )
        assert screen.pending is not None  # the answer goes on, untouched
        assert len(screen.chat.messages) == 1

        streaming.resume()
        await settle(pilot)
        assert [m.role for m in screen.chat.messages] == ["user", "assistant"]

    text = markdown.read_text(encoding="utf-8")
    assert "Mid-stream export test?" in text
    assert "Tardigrades survive [1] by drying out [3]\n\n" in text
    assert "*(Still being written when exported: the answer as far as it had come.)*" in text
    assert "- [5] 5 — <https://example.com/5>\n" in text  # not marked "not cited": it may be yet
    assert "not cited" not in text
    assert ris.read_text(encoding="utf-8").count("TY  - ELEC") == 5
