"""`pplx ask --background` whose start fails: what it prints.

QA: with `--json` a failed start printed nothing on stdout (foreground `ask --json` prints its
object with status, error and error_kind)."""

from __future__ import annotations

import json

import pytest

from tests.support.cli import assert_indented_json
from tests.support.cli_runs import QUESTION, run
from tests.support.loopback import json_reply

REFUSED = [
    (401, 3, "auth"),
    (429, 4, "limit"),
]
SERVER_FAULT = (500, 5, "server")


def _fail_start(agent, status: int) -> None:
    """Every start answers ``status`` (a 429 is asked again: it must keep saying so)."""
    agent.http.queue(*[json_reply(status, {"error": {"message": "no"}}, {"Retry-After": "0"})] * 5)


def _ask(agent, *extra: str):
    return run("ask", "--background", *extra, "--model", "high", QUESTION, agent=agent)


@pytest.mark.parametrize(("status", "code", "kind"), [*REFUSED, SERVER_FAULT])
def test_a_failed_start_prints_its_json_object(agent, status, code, kind) -> None:
    _fail_start(agent, status)

    result = _ask(agent, "--json")

    assert result.returncode == code, result.stderr
    assert_indented_json(result.stdout)
    payload = json.loads(result.stdout)
    assert (payload["status"], payload["error_kind"], payload["run_id"]) == ("error", kind, None)
    assert payload["error"] and payload["error"] in result.stderr
    assert (payload["provider"], payload["model"]) == ("perplexity", "high")
