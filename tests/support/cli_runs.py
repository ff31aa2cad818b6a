"""Running `pplx` against the loopback Agent API for the background-run tests
(`pplx ask --background`, `pplx runs`, `pplx runs wait`)."""

from __future__ import annotations

from typing import IO

from tests.support.agent_runs import KEY, AgentRunServer
from tests.support.cli import pplx

QUESTION = "How do tardigrades survive?"


def run(
    *args: str,
    agent: AgentRunServer | None = None,
    stdin: IO[str] | None = None,
    tty: tuple[str, ...] = (),
    **env: str,
):
    """``pplx ARGS`` with a Perplexity key, polling every 10 ms, aimed at ``agent``."""
    target = ["--provider", "perplexity", "--base-url", agent.base_url] if agent else []
    return pplx(
        *args,
        *target,
        stdin=stdin,
        tty=tty,
        PERPLEXITY_API_KEY=KEY,
        PPLX_POLL_INTERVAL="0.01",
        **env,
    )


def start(agent: AgentRunServer, *extra: str) -> str:
    """Start a background run of :data:`QUESTION` (preset ``high``); its chat's id."""
    result = run("ask", "--background", "--model", "high", *extra, QUESTION, agent=agent)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()
