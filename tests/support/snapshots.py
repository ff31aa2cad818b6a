"""Steady frames for snapshot tests: chats saved at one moment, a frame taken once all is drawn.

Dates show in UTC and the demo answers at once with the ``steady_world`` fixture (conftest);
a module asks for it with ``pytestmark = pytest.mark.usefixtures("steady_world")``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from textual.pilot import Pilot

from pplx_tui.models import Chat
from pplx_tui.store import ChatStore
from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.factory import make_app

SnapCompare = Callable[..., bool]
"""pytest-textual-snapshot's ``snap_compare`` fixture."""
MOMENT = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
"""When the workspace snapshots' chats were saved (a file about other days has its own)."""


def app_on(chat: Chat | None = None) -> PplxApp:
    """The real app, opened on ``chat`` (else on a new one)."""
    return make_app(chat_id=chat.id if chat else None)


def saved_at(chat: Chat, moment: datetime) -> Chat:
    """Save ``chat`` with it and all its messages created (and finished) at ``moment``."""
    chat.created_at = chat.updated_at = moment
    for message in chat.messages:
        message.created_at = message.finished_at = moment
    return ChatStore().save(chat, touch=False)


async def drawn(pilot: Pilot[Any]) -> None:
    """Wait until every worker is done and the screen drawn (``snap_compare``'s run_before)."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()
