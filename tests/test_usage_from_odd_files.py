"""Spend read from chat files that no pplx-tui wrote that way (a hand edit, an imported file).

A cost no provider can report (infinite, not a number, negative, a million dollars or more) is
not reported spend: it made `pplx usage --json` print ``Infinity`` or ``NaN`` (which no strict
JSON reader takes; two answers near the largest float add up to infinity), the header "$inf
today", and the daily budget spent for good, or lowered today's total.
"""

from __future__ import annotations

import json

import pytest

from pplx_tui import paths
from pplx_tui.models import Message, Usage
from pplx_tui.store import ChatStore
from tests.support.cli import pplx


def strict(text: str) -> object:
    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("cost", ["1e400", "-1e400", "NaN", "-2.5", "1.5e308", "2e6"])
def test_a_cost_no_provider_reports_is_no_spend(cost: str) -> None:
    store = ChatStore()
    chat = store.new_chat()
    chat.add(Message(role="user", content="How many moons does Mars have?"))
    for spent in (0.0281, 0.5):
        usage = Usage(prompt_tokens=10, completion_tokens=20, total_tokens=30, cost_usd=spent)
        chat.add(Message(role="assistant", content="Two.", provider="openrouter", usage=usage))
    store.save(chat)
    path = paths.chats_dir() / f"{chat.id}.json"
    saved = path.read_text()
    assert saved.count('"cost_usd": 0.5') == 1
    path.write_text(saved.replace('"cost_usd": 0.5', f'"cost_usd": {cost}'))

    result = pplx("usage", "--json")

    assert result.returncode == 0, result.stderr
    total = strict(result.stdout)["total"]  # type: ignore[index]
    assert total["cost_usd"] == pytest.approx(0.0281)
    assert (total["answers"], total["answers_without_cost"], total["total_tokens"]) == (2, 1, 60)
    assert "$0.0281" in pplx("usage").stdout
