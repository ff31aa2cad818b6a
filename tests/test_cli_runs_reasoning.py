"""`pplx runs wait --reasoning` prints the run's reasoning before its answer, as
`pplx ask --reasoning` does: folded in a <details> block in a pipe, dimmed on a terminal.

`runs wait` "prints the answer as `pplx ask` would", but had no `--reasoning`: a deep-research
answer's reasoning was only in `--json` or an export."""

from __future__ import annotations

import re

from tests.support.agent_runs import ANSWER, KEY, RunScript
from tests.support.cli import pplx

STYLES = re.compile(r"\x1b\]8;[^\x1b]*\x1b\\|\x1b\[[0-9;]*m")


def waited(agent, *options: str, tty: tuple[str, ...] = ()):
    """Start a run whose answer began with its reasoning, then ``pplx runs wait`` for it."""
    agent.scripts.append(RunScript(answer=f"<think>Weighing the sources.</think>{ANSWER}"))
    env = {"PERPLEXITY_API_KEY": KEY, "PPLX_POLL_INTERVAL": "0.01"}
    target = ["--provider", "perplexity", "--base-url", agent.base_url]
    started = pplx("ask", "--background", "--model", "high", *target, "q", **env)
    assert started.returncode == 0, started.stderr
    return pplx("runs", "wait", started.stdout.strip(), *options, tty=tty, **env)


def test_runs_wait_reasoning_in_a_pipe_is_folded_before_the_answer(agent) -> None:
    result = waited(agent, "--reasoning")

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        "<details>\n<summary>Reasoning</summary>\n\nWeighing the sources.\n\n</details>\n\n"
        "Tardigrades survive open space"
    )


def test_runs_wait_reasoning_on_a_terminal_is_dimmed_before_the_answer(agent) -> None:
    result = waited(agent, "--reasoning", tty=("stdout",))

    assert result.returncode == 0, result.stderr
    shown = re.sub(" +\n", "\n", STYLES.sub("", result.stdout))
    assert shown.startswith("Reasoning\nWeighing the sources.\n\nTardigrades survive open space")
    assert "\x1b[2m" in result.stdout, "the reasoning is dimmed"


def test_runs_wait_without_the_flag_leaves_the_reasoning_out(agent) -> None:
    result = waited(agent)

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Tardigrades survive open space")
    assert "Weighing" not in result.stdout
