"""A key the server echoes inside an answer is not shown, and not in a screenshot (QA: the
palette's Screenshot saved `My key is sk-or-TESTKEY123 and Bearer sk-or-TESTKEY123abc`, while
the same answer reopened showed `My key is *** and Bearer ***`).

The answer shows the key as `***` as it streams (however the key is cut between pieces) and
once it has ended, as the saved chat does; the screenshot file leaves out a key in use wherever
on the screen it is (here: typed into the question box, not sent).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot

from pplx_tui.paths import data_dir
from pplx_tui.ui.app import PplxApp
from tests.support.cli import KEY, answer_frames
from tests.support.loopback import LoopbackServer, Reply
from tests.support.tui import (
    Notifications,
    ask,
    loopback_app,
    on_screen,
    send,
    svg_lines,
    type_text,
    until,
    workspace,
)

SIZE = (120, 40)
SECRETS = (KEY, KEY[:12])
ECHO = ["My key is sk-or-v1-f4k", f"{KEY[14:]} and Bearer {KEY[:30]}", f"{KEY[30:]}abc end."]
"""The answer's pieces: the key cut twice, once with key characters after it."""


async def _screenshot(pilot: Pilot[Any], notes: Notifications) -> str:
    """Take a screenshot from the palette, as a user does; the saved SVG."""
    app = pilot.app
    before = len(notes.texts())
    await pilot.press("ctrl+p")
    await until(pilot, lambda: isinstance(app.screen, CommandPalette))
    await type_text(pilot, "Screenshot")
    commands = app.screen.query_one(CommandList)
    await until(pilot, lambda: commands.option_count > 0)
    await pilot.pause(0.3)  # every provider has answered
    assert str(commands.get_option_at_index(0).prompt).startswith("Screenshot")
    await pilot.press("enter")
    await until(pilot, lambda: any("Screenshot saved" in t for t in notes.texts()[before:]))
    saved = notes.texts()[-1].removeprefix("Screenshot saved to ")
    assert Path(saved).parent == data_dir() / "screenshots"
    return Path(saved).read_text(encoding="utf-8")


def _keys_in(text: str) -> list[str]:
    return [secret[:12] for secret in SECRETS if secret in text]


async def test_an_answer_echoing_the_key_shows_and_saves_it_as_stars(
    loopback: LoopbackServer,
) -> None:
    notes = Notifications()
    thinking = ["<think>Their key sk-or-v1-f4k", f"{KEY[14:]} is in use.</think>"]
    loopback.queue(Reply(chunks=answer_frames([*thinking, *ECHO])))
    app = loopback_app(loopback)
    async with app.run_test(size=SIZE, message_hook=notes) as pilot:
        await ask(pilot, "What is my key?")
        assert on_screen(app, "My key is *** and Bearer *** end.")
        workspace(app).conversation.focus()
        await pilot.press("t")  # the reasoning, unfolded
        await until(pilot, lambda: on_screen(app, "Their key *** is in use."))
        shot = await _screenshot(pilot, notes)
        assert any("My key is *** and Bearer ***" in line for line in svg_lines(shot))
        assert not _keys_in(shot)

        answer = workspace(app).chat.messages[-1]
        assert answer.content == "My key is *** and Bearer *** end."  # as saved, and reopened
        workspace(app).prompt.focus()
        workspace(app).prompt.insert(f"Not sent: {KEY}")
        await pilot.pause()
        typed = await _screenshot(pilot, notes)
        assert any("Not sent: ***" in line for line in svg_lines(typed)), svg_lines(typed)
        assert not _keys_in(typed)


async def test_a_key_cut_between_pieces_is_not_shown_while_the_answer_streams(
    loopback: LoopbackServer,
) -> None:
    """The stream stops right after the key's first characters, then after the key whole."""
    notes = Notifications()
    reply = Reply(chunks=answer_frames(ECHO), hang_after=2)
    loopback.queue(reply)
    app = loopback_app(loopback)
    async with app.run_test(size=SIZE, message_hook=notes) as pilot:
        assert isinstance(app, PplxApp)
        await send(pilot, "What is my key?")
        await until(pilot, lambda: on_screen(app, "My key is *** and Bearer"))
        shot = await _screenshot(pilot, notes)
        assert not _keys_in(shot) and "f4k" not in shot
        reply.resume()
        await until(pilot, lambda: workspace(app).pending is None)
        await until(pilot, lambda: on_screen(app, "My key is *** and Bearer *** end."))
