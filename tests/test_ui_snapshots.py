"""Snapshots of the research workspace (pytest-textual-snapshot).

Chats are saved with fixed dates and shown in UTC; the cursor does not blink; the demo answers
at once. Update after a deliberate change with ``pytest tests/test_ui_snapshots.py
--snapshot-update`` and look at the report before committing.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from pplx_tui.models import Chat, Message, MessageStatus, Source, Usage
from pplx_tui.store import ChatStore
from tests.support.snapshots import MOMENT, SnapCompare, app_on, drawn, saved_at

ANSWER = """**Kyoto** was Japan's imperial capital for more than a thousand years [1][2].

## Why visit

- **Temples**: more than 1,600, Kinkaku-ji among them [1].
- **Gardens**: moss and dry gardens shaped over centuries [3].

| Season | Highlight |
|---|---|
| Spring | cherry blossom [2] |
| Autumn | maple leaves |

Gion keeps the old teahouse district alive [2].
"""
SOURCES = [
    Source(
        index=1,
        url="https://kyoto.travel/en/",
        title="Kyoto City Official Travel Guide",
        date="2025-11-02",
        snippet="Temples, shrines and seasonal events in Kyoto.",
    ),
    Source(
        index=2,
        url="https://en.wikipedia.org/wiki/Kyoto",
        title="Kyoto - Wikipedia",
        date="2026-01-15",
        snippet="Kyoto was the capital of Japan from 794 to 1868.",
    ),
    Source(
        index=3,
        url="https://www.japan-guide.com/e/e3900.html",
        title="Japanese gardens",
        snippet="Moss gardens, dry gardens and strolling gardens.",
    ),
    Source(
        index=4,
        url="https://example.org/not-cited",
        title="A page the answer never cites",
        date="2024-06-30",
        snippet="Retrieved by the search but not used.",
    ),
]


pytestmark = pytest.mark.usefixtures("steady_world")


def kyoto_chat(*, failed: bool = False) -> Chat:
    chat = ChatStore().new_chat()
    chat.title = "Kyoto for a first visit"
    chat.settings.provider, chat.settings.model = "demo", "demo/sonar"
    chat.messages = [
        Message(role="user", content="What is Kyoto known for?"),
        Message(
            role="assistant",
            content=ANSWER,
            provider="demo",
            model="demo/sonar",
            sources=SOURCES,
            usage=Usage(prompt_tokens=12, completion_tokens=140, total_tokens=152, cost_usd=0.0062),
        ),
    ]
    if failed:
        chat.messages += [
            Message(role="user", content="And Nara?"),
            Message(
                role="assistant",
                provider="demo",
                model="demo/sonar",
                status=MessageStatus.ERROR,
                error="OpenRouter is out of credits for this key: add credits at "
                "https://openrouter.ai/settings/credits.",
            ),
        ]
    return saved_at(chat, MOMENT)


def other_chats() -> None:
    for days, title in ((3, "Slow start in TCP"), (9, "HTTP/3 and QUIC"), (40, "Sourdough")):
        chat = ChatStore().new_chat()
        chat.title = title
        chat.messages = [Message(role="user", content=f"{title}?")]
        saved_at(chat, MOMENT - timedelta(days=days))


def test_first_run_on_demo(snap_compare: SnapCompare) -> None:
    assert snap_compare(app_on(), run_before=drawn, terminal_size=(120, 30))


def test_cited_answer_with_sources(snap_compare: SnapCompare) -> None:
    chat = kyoto_chat()
    assert snap_compare(app_on(chat), run_before=drawn, terminal_size=(150, 40))


def test_chat_list(snap_compare: SnapCompare) -> None:
    chat = kyoto_chat()
    other_chats()
    assert snap_compare(app_on(chat), run_before=drawn, terminal_size=(150, 40))


def test_narrow_terminal(snap_compare: SnapCompare) -> None:
    chat = kyoto_chat()
    assert snap_compare(app_on(chat), run_before=drawn, terminal_size=(80, 24))


def test_error_inline(snap_compare: SnapCompare) -> None:
    chat = kyoto_chat(failed=True)
    assert snap_compare(app_on(chat), run_before=drawn, terminal_size=(120, 30))
