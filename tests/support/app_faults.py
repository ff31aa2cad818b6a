"""The app run to its end as ``pplx`` runs it, and the chat files it leaves, read from disk."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

import pytest
from textual.pilot import Pilot

from pplx_tui import paths
from pplx_tui.cli import tui_command
from pplx_tui.store import ChatStore
from pplx_tui.ui.app import PplxApp
from tests.support.faults import moons_chat

SIZE = (120, 40)
PARTIAL = ["Mars has ", "two moons [1]"]


def saved(chat_id: str) -> dict[str, Any]:
    """The chat file as JSON, straight from disk (it must parse)."""
    return json.loads((paths.chats_dir() / f"{chat_id}.json").read_bytes())


def run_as_pplx(app: PplxApp, session: Callable[[Pilot[Any]], Awaitable[None]]) -> int:
    """``pplx`` running ``app`` to its end (:func:`tui_command.run_app`), without a terminal,
    driven by ``session``; its exit code."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(app, "run", partial(app.run, headless=True, size=SIZE, auto_pilot=session))
        return tui_command.run_app(app)


def contents(chat_id: str) -> list[str]:
    return [m["content"] for m in saved(chat_id)["messages"]]


def seed_chat() -> str:
    chat = moons_chat()
    chat.title = "Moons of Mars"
    chat.settings.provider, chat.settings.model = "openrouter", "perplexity/sonar"
    return ChatStore().save(chat).id
