"""Snapshots of the research controls (issue 10): ``[web:N]`` answers with their sources, the
search settings editor, and an answer with its search settings line.

Update after a deliberate change with ``pytest tests/test_ui_search_snapshots.py
--snapshot-update`` and look at the report before committing.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pplx_tui.models import Chat, Message, Source, Usage
from pplx_tui.store import ChatStore
from tests.support.search_editor import EDITED, EditorApp
from tests.support.snapshots import SnapCompare, app_on, drawn, saved_at

MOMENT = datetime(2026, 10, 9, 8, 15, tzinfo=UTC)

WEB_ANSWER = """| Database | Entry plan |
|---|---|
| **Pinecone** | Builder, $20/month flat [web:11] |
| **Weaviate** | Flex from $45/month [web:21][web:12] |
| **Qdrant** | Free tier, 1 GB RAM [web:1] |

Milvus publishes serverless prices too [web:23]; one claim cites `[web:0]`-style [web:0].
"""
WEB_SOURCES = [
    Source(index=1, url="https://qdrant.example/pricing/", title="Qdrant Cloud pricing"),
    Source(index=2, url="https://qdrant.example/billing/", title="Billing & payments"),
    Source(index=11, url="https://www.pinecone.example/pricing/", title="Pricing — Pinecone"),
    Source(
        index=12,
        url="https://docs.pinecone.example/cost",
        title="Understanding cost",
        date="2026-10-02",
    ),
    Source(
        index=21,
        url="https://weaviate.example/pricing",
        title="Vector database pricing — Weaviate",
        date="2025-10-28",
    ),
    Source(index=23, url="https://milvus.example/pricing", title="Zilliz Cloud pricing"),
]


pytestmark = pytest.mark.usefixtures("steady_world")


def web_chat() -> Chat:
    chat = ChatStore().new_chat()
    chat.title = "Vector database prices"
    chat.settings.provider, chat.settings.model = "demo", "demo/sonar"
    chat.messages = [
        Message(role="user", content="Entry prices of Pinecone, Weaviate and Qdrant?"),
        Message(
            role="assistant",
            content=WEB_ANSWER,
            provider="perplexity",
            model="medium",
            sources=WEB_SOURCES,
            usage=Usage(total_tokens=3351, cost_usd=0.00363),
        ),
    ]
    return saved_at(chat, MOMENT)


def test_answer_with_web_markers_and_its_sources(snap_compare: SnapCompare) -> None:
    assert snap_compare(app_on(web_chat()), run_before=drawn, terminal_size=(150, 36))


# -- search settings ---------------------------------------------------------------------------


def test_search_settings_editor_on_a_preset(snap_compare: SnapCompare) -> None:
    app = EditorApp(EDITED, "perplexity", "fast")
    assert snap_compare(app, terminal_size=(100, 24))


def test_answer_with_its_search_settings_line(snap_compare: SnapCompare) -> None:
    chat = web_chat()
    answer = chat.messages[-1]
    answer.search = EDITED
    answer.search_not_sent = {"mode": "the Agent API has no search mode"}
    chat.settings.search = EDITED  # the header sums it up
    chat = saved_at(chat, MOMENT)
    assert snap_compare(app_on(chat), run_before=drawn, terminal_size=(120, 30))
