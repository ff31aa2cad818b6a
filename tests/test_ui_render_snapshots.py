"""Snapshots of the real app drawing answers: quotes, nested lists and code beside reasoning
unfolded, and a frame in the middle of a stream (the loopback server holds the stream open
there). Update as test_ui_snapshots says."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from pplx_tui.models import Chat, Message, Source
from pplx_tui.store import ChatStore
from pplx_tui.ui.widgets.markdown_text import MarkdownText
from pplx_tui.ui.widgets.message_view import AnswerView
from tests.support.cli import answer_frames
from tests.support.loopback import LoopbackServer, Reply
from tests.support.snapshots import MOMENT, SnapCompare, app_on, drawn, saved_at
from tests.support.tui import loopback_app, on_screen, send, workspace
from tests.support.waits import until

pytestmark = pytest.mark.usefixtures("steady_world")

ANSWER = """Three things decide how long coffee keeps [1]:

> Roasted beans stay fresh for about a month; ground coffee for days.
> — a roaster's rule of thumb [2]

1. **Air**: oxygen stales the oils.
   - Keep the bag closed, the air pressed out.
   - A one-way valve lets the gas out:
     - carbon dioxide leaves for days after roasting;
     - no air gets in.
2. **Light** and **heat**: a dark, cool cupboard [1].
3. **Moisture**: never the fridge.

```sh
# grind just before brewing
grind --fine 18g
```

Use whole beans within `30` days [2].
"""
REASONING = """The question is about storage. Sources agree on **air, light, heat, moisture**:

- [1] covers the cupboard;
- [2] gives the one-month rule.
"""
SOURCES = [
    Source(index=1, url="https://coffee.example/storage", title="Storing coffee"),
    Source(index=2, url="https://roaster.example/fresh", title="How fresh is fresh?"),
]


def coffee_chat() -> Chat:
    chat = ChatStore().new_chat()
    chat.title = "Keeping coffee"
    chat.settings.provider, chat.settings.model = "demo", "demo/sonar-reasoning"
    chat.messages = [
        Message(role="user", content="How do I keep coffee fresh?"),
        Message(
            role="assistant",
            content=ANSWER,
            reasoning=REASONING,
            provider="demo",
            model="demo/sonar-reasoning",
            sources=SOURCES,
        ),
    ]
    return saved_at(chat, MOMENT)


async def reasoning_unfolded(pilot: Pilot[Any]) -> None:
    """Unfold the reasoning as a user does (a click on its title), at the top of the answer."""
    await drawn(pilot)
    await pilot.click(".answer-view--reasoning CollapsibleTitle")
    reasoning = pilot.app.screen.query_one(".answer-view--reasoning-text", MarkdownText)
    await until(pilot, lambda: bool(reasoning.source))
    pilot.app.screen.query_one("#conversation").scroll_home(animate=False, immediate=True)
    await drawn(pilot)


def test_quotes_nested_lists_code_and_reasoning(snap_compare: SnapCompare) -> None:
    assert snap_compare(
        app_on(coffee_chat()), run_before=reasoning_unfolded, terminal_size=(100, 50)
    )


HELD = ["Mars has two moons, ", "**Phobos** and ", "*Deimos* [1].\n\n", "Phobos is "]
"""The parts sent before the server goes silent; the rest never comes before the frame."""


def test_a_frame_mid_stream(snap_compare: SnapCompare, loopback: LoopbackServer) -> None:
    """Text so far drawn, sources listed, the answer still open (no usage line, Esc to stop)."""
    loopback.queue(Reply(chunks=answer_frames([*HELD, "the larger."]), hang_after=len(HELD)))

    async def mid_stream(pilot: Pilot[Any]) -> None:
        await send(pilot, "How many moons does Mars have?")

        def drawn() -> bool:  # all that arrived is drawn (a burst is drawn in timer callbacks)
            texts = workspace(pilot.app).query(AnswerView).last().query(MarkdownText)
            return bool(texts) and texts.last().source.endswith("Phobos is ")

        await until(pilot, drawn)
        # and the progress line says so (it changes at most every PROGRESS_INTERVAL: the
        # text can be drawn before it, most often on a quick, idle machine)
        await until(pilot, lambda: on_screen(pilot.app, "Answering · 0s · 2 sources · ~15 tokens"))
        await pilot.pause()

    assert snap_compare(loopback_app(loopback), run_before=mid_stream, terminal_size=(110, 30))
