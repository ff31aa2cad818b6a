"""ctrl+r after a refused key: while the refused key is still the one in use, asking again
would be refused again, so ctrl+r sends nothing and says why in one line; in a comparison it
asks again only the columns that failed for another reason."""

from __future__ import annotations

from typing import Any

import pytest

from pplx_tui import paths
from pplx_tui.models import MessageStatus
from pplx_tui.ui.dialogs.api_key import ApiKeyScreen
from pplx_tui.ui.dialogs.compare_picker import ComparePickerScreen
from pplx_tui.ui.widgets.comparison import Comparison
from tests.support.answers import reply
from tests.support.loopback import LoopbackServer, RecordedRequest, Reply, json_reply, sse
from tests.support.tui import (
    Notifications,
    agent_app,
    ask,
    loopback_app,
    settle,
    type_text,
    until,
    workspace,
)

INVALID_401 = {"error": {"message": "Invalid API key", "code": 401}}
INVALID_403 = {"error": {"message": "Invalid API key", "code": 403}}
PRO, REASONING = "perplexity/sonar-pro", "perplexity/sonar-reasoning-pro"


@pytest.mark.parametrize(
    ("agent", "status", "body"),
    [
        (False, 401, INVALID_401),
        (False, 403, INVALID_403),
        (True, 401, INVALID_401),
        (True, 403, INVALID_403),
    ],
    ids=["openrouter-401", "openrouter-403", "agent-401", "agent-403"],
)
async def test_ctrl_r_after_a_refused_key_says_why_instead_of_sending_it_again(
    loopback: LoopbackServer, agent: bool, status: int, body: dict[str, Any]
) -> None:
    """QA: after a 401 the key bar left out ^r, but ctrl+r sent the refused key again (the
    server counted 2) and added "2/2 · failed". Until another key is in use it sends nothing
    and says why; once another key is saved, ctrl+r asks again."""
    notes = Notifications()
    provider = "perplexity" if agent else "openrouter"
    config = paths.config_file()  # the refused key in config.toml, which the dialog replaces
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'[providers.{provider}]\napi_key = "refused0123456789abcdef0123"\n')
    config.chmod(0o600)
    loopback.queue(json_reply(status, body))
    app = agent_app(loopback, key="") if agent else loopback_app(loopback, key="")
    async with app.run_test(size=(80, 24), message_hook=notes) as pilot:
        screen = workspace(app)
        await ask(pilot, "Anyone?")
        assert screen.chat.messages[-1].error_kind == "auth"
        await pilot.press("ctrl+r")
        await until(pilot, lambda: any("refused again" in text for text in notes.texts()))
        (said,) = [text for text in notes.texts() if "refused again" in text]
        assert "ctrl+k adds another key" in said and "\n" not in said, said
        assert len(loopback.requests) == 1
        assert len(screen.chat.messages) == 2  # no second failed try

        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, ApiKeyScreen))
        new_key = "pplx-" + "n" * 48 if agent else "sk-or-v1-" + "N3wK3y0123456789abcdefghij"
        await type_text(pilot, new_key)
        await pilot.press("enter")
        await until(pilot, lambda: app.key_of(provider) == new_key)
        loopback.queue(json_reply(status, body))
        await pilot.press("ctrl+r")
        await until(pilot, lambda: len(loopback.requests) == 2)


async def test_ctrl_r_in_a_comparison_leaves_the_columns_whose_key_was_refused(
    loopback: LoopbackServer,
) -> None:
    """ctrl+r asks again every failed column, but not one whose refused key is still in use:
    only the column that broke off is sent; where every failed column was refused, none is."""
    notes = Notifications()

    def refused_or_broken(request: RecordedRequest) -> Reply:
        if request.json["model"] == PRO:
            return json_reply(401, INVALID_401)
        part = {"id": "g", "choices": [{"index": 0, "delta": {"content": "It is "}}]}
        return Reply(chunks=sse(part))  # broken off

    loopback.default = refused_or_broken
    app = loopback_app(loopback)
    async with app.run_test(size=(150, 30), message_hook=notes) as pilot:
        screen = workspace(app)
        screen.prompt.insert("compare two")
        await pilot.press("ctrl+t")
        await until(pilot, lambda: isinstance(app.screen, ComparePickerScreen))
        await pilot.press("space", "down", "space", "down", "down", "space", "enter", "enter")
        await until(pilot, lambda: bool(screen.query(Comparison)))
        await settle(pilot)
        await until(pilot, lambda: not screen.alternatives.comparing)
        assert len(loopback.requests) == 2

        loopback.default = lambda request: reply(f"{request.json['model']} answers.")
        await pilot.press("ctrl+r")
        await until(pilot, lambda: len(loopback.requests) == 3)
        await settle(pilot)
        await until(pilot, lambda: not screen.alternatives.comparing)
        assert loopback.requests[2].json["model"] == REASONING
        comparison = screen.query_one(Comparison)
        statuses = [v.message.status for v in comparison.views if v.message]
        assert statuses == [MessageStatus.ERROR, MessageStatus.COMPLETE]

        await pilot.press("ctrl+r")  # only the refused column is left failed
        await until(pilot, lambda: any("refused again" in text for text in notes.texts()))
        await settle(pilot)
        assert len(loopback.requests) == 3


async def test_r_on_an_answer_refused_by_the_key_in_use_says_why_and_asks_nothing(
    loopback: LoopbackServer,
) -> None:
    """QA: r on the refused answer asked "Ask again?" and, yes, sent the refused key again.
    It says in ctrl+r's words that it would be refused again, opens no dialog, sends
    nothing."""
    notes = Notifications()
    loopback.queue(json_reply(401, INVALID_401))
    app = loopback_app(loopback)
    async with app.run_test(size=(80, 24), message_hook=notes) as pilot:
        screen = workspace(app)
        await ask(pilot, "Anyone?")
        screen.conversation.focus()
        await pilot.press("r")
        await until(pilot, lambda: any("refused again" in text for text in notes.texts()))
        assert app.screen is screen  # no "Ask again" dialog
        assert len(loopback.requests) == 1
        assert len(screen.chat.messages) == 2
