"""The app against hostile servers: the answer ends at a limit, says which, keeps the part.

Issue 13 items 5 and 6, in the app: the limits come from config.toml's ``[limits]``; the wait
notice tells keep-alives ("the server is still working") from silence.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from pplx_tui import paths
from pplx_tui.client import stream_reader
from pplx_tui.config import LimitSettings, Settings
from pplx_tui.ui.screens.answering import WAITING, WORKING
from tests.support.hostile import (
    HostileServer,
    endless_answer,
    endless_line,
    every,
    frame,
    silence,
)
from tests.support.tui import loopback_app, on_screen, send, settle, until, workspace

SIZE = (120, 40)


def saved_answer(chat_id: str) -> dict[str, Any]:
    chat = json.loads((paths.chats_dir() / f"{chat_id}.json").read_bytes())
    return chat["messages"][-1]


async def test_an_endless_answer_ends_at_the_answer_limit_and_is_kept() -> None:
    settings = Settings(limits=LimitSettings(max_answer_chars=30_000))
    with HostileServer(endless_answer) as server:
        app = loopback_app(server, settings=settings)  # type: ignore[arg-type]
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await send(pilot, "Go on?")
            await settle(pilot)
            answer = saved_answer(workspace(app).chat.id)
            assert answer["status"] == "interrupted" and len(answer["content"]) == 30_000
            assert "the answer passed 30,000 characters" in answer["error"]
            assert on_screen(app, "the answer passed 30,000 characters")


async def test_a_line_without_end_ends_at_the_line_limit_and_keeps_the_start() -> None:
    settings = Settings(limits=LimitSettings(max_line_mib=1))
    with HostileServer(endless_line) as server:
        app = loopback_app(server, settings=settings)  # type: ignore[arg-type]
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await send(pilot, "Hello?")
            await settle(pilot)
            answer = saved_answer(workspace(app).chat.id)
            assert answer["content"] == "The start of the answer. "
            assert "over 1 MiB (limits.max_line_mib in config.toml)" in answer["error"]


async def test_keep_alives_show_as_working_and_still_end_at_the_idle_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = Settings(limits=LimitSettings(idle_timeout=1.5))
    behaviour = every(0.05, b": keep-alive\n\n", first=frame("Partial. "))
    with HostileServer(behaviour) as server:
        monkeypatch.setenv("PPLX_WAIT_NOTICE", "0.3")
        # Keep-alives reach the app more often than the wait notice, as in use (1 s and 10 s):
        # at the client's own 1 s, "still working" could only show from 1.0 to 1.5 s, a window
        # a loaded machine missed (the header went "waiting" -> "" in a full -n 2 run).
        monkeypatch.setattr(stream_reader, "KEEP_ALIVE_EVERY", 0.1)
        app = loopback_app(server, settings=settings)  # type: ignore[arg-type]
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            screen = workspace(app)
            # Every state the header shows, as it shows it: with keep-alives every 0.05 s the
            # app is never idle, so the Enter key's idle wait can outlast the 1.5 s answer.
            shown: list[str] = []
            screen.watch(screen.header, "busy", lambda busy: shown.append(busy), init=False)
            await send(pilot, "Still there?")
            await settle(pilot)
            assert WORKING in shown
            answer = saved_answer(screen.chat.id)
            assert answer["content"] == "Partial. " and answer["status"] == "interrupted"
            # The app has no --idle-timeout option: only config.toml's key is named (QA).
            assert (
                "nothing new came for 1.5 s (limits.idle_timeout in config.toml)"
                in (answer["error"])
            )


async def test_silence_without_keep_alives_shows_as_waiting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with HostileServer(every(3600, b"", first=frame("Partial. "))) as server:
        monkeypatch.setenv("PPLX_WAIT_NOTICE", "0.3")
        app = loopback_app(server)  # type: ignore[arg-type]
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            screen = workspace(app)
            await send(pilot, "Still there?")
            await until(pilot, lambda: screen.header.busy == WAITING)
            await pilot.press("escape")
            await settle(pilot)


async def test_a_server_that_never_answers_ends_at_the_idle_timeout_with_a_retry() -> None:
    """QA: a server that took the question and sent no headers was waited on for over a minute
    with idle_timeout = 5 ("Waiting for the server · 1m 06s"), until Escape. It ends at the
    idle timeout, asked once, and says where that is set: config.toml (the app has no
    --idle-timeout option)."""
    settings = Settings(limits=LimitSettings(idle_timeout=0.5))
    with HostileServer(silence, head=False) as server:
        app = loopback_app(server, settings=settings)  # type: ignore[arg-type]
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            screen = workspace(app)
            await send(pilot, "Anyone there?")
            await settle(pilot)
            answer = saved_answer(screen.chat.id)
            assert answer["status"] == "error" and server.requests == 1
            assert answer["error"] == (
                "Stopped waiting for OpenRouter: nothing new came for 0.5 s "
                "(limits.idle_timeout in config.toml)."
            )
            assert on_screen(app, "Retry (ctrl+r)")
            assert screen.binding_description("retry") == "Retry"
