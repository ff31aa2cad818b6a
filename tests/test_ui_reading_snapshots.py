"""Snapshots of reading an answer: the citation cursor with its inline snippet, a framed code
block, math as Unicode, and a table at 80 columns (issue 9). Update as test_ui_snapshots says."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from pplx_tui.models import Chat, Message, Source
from pplx_tui.store import ChatStore
from tests.support.snapshots import MOMENT, SnapCompare, app_on, drawn, saved_at

pytestmark = pytest.mark.usefixtures("steady_world")

READING = r"""The orbital period follows Kepler's third law [1]: $T^2 \propto a^3$, or

\[
T = 2\pi \sqrt{\frac{a^3}{G M}}
\]

```python
def period(a, mass):
    return 2 * math.pi * math.sqrt(a**3 / (G * mass))
```

| Moon | Semi-major axis | Notes |
|---|---|---|
| Phobos | 9,376 km | closest moon, spiralling inward and expected to break up into a ring [2] |
| Deimos | 23,463 km | smaller and farther out, slowly drifting away [2] |

- [x] Measured by Mariner 9 [2]
- [ ] Sample return by MMX
"""
SOURCES = [
    Source(
        index=1,
        url="https://en.wikipedia.org/wiki/Kepler%27s_laws_of_planetary_motion",
        title="Kepler's laws of planetary motion",
        snippet="The square of a planet's orbital period is proportional to the cube of the "
        "length of the semi-major axis of its orbit.",
    ),
    Source(index=2, url="https://science.nasa.gov/mars/moons/", title="Mars moons — NASA"),
]


def reading_chat() -> Chat:
    chat = ChatStore().new_chat()
    chat.title = "Orbits"
    chat.settings.provider, chat.settings.model = "demo", "demo/sonar"
    chat.messages = [
        Message(role="user", content="How long does a moon take to orbit?"),
        Message(
            role="assistant", content=READING, provider="demo", model="demo/sonar", sources=SOURCES
        ),
    ]
    return saved_at(chat, MOMENT)


async def cursor_with_snippet(pilot: Pilot[Any]) -> None:
    await drawn(pilot)
    conversation = pilot.app.screen.query_one("#conversation")
    conversation.focus()
    conversation.scroll_home(animate=False, immediate=True)
    await pilot.press("n", "space")
    await drawn(pilot)


def test_citation_cursor_with_inline_snippet(snap_compare: SnapCompare) -> None:
    chat = reading_chat()
    assert snap_compare(app_on(chat), run_before=cursor_with_snippet, terminal_size=(120, 40))


async def at_top(pilot: Pilot[Any]) -> None:
    await drawn(pilot)
    pilot.app.screen.query_one("#conversation").scroll_home(animate=False, immediate=True)
    await drawn(pilot)


def test_code_math_and_table_at_80_columns(snap_compare: SnapCompare) -> None:
    chat = reading_chat()
    assert snap_compare(app_on(chat), run_before=at_top, terminal_size=(80, 50))
