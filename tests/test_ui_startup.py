"""Start-up as a user meets it: what is typed while the workspace appears is not lost."""

from __future__ import annotations

import pytest
from textual import events

from pplx_tui.ui.widgets.prompt import PromptInput
from tests.support.tui import demo_app, workspace
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
