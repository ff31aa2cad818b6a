"""Run ``pplx`` as a real process, the way a script or a terminal does, and stream builders.

The autouse ``isolated_home`` fixture has already pointed ``XDG_*`` and ``HOME`` at temporary
folders in ``os.environ``; every process started here inherits them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.support.loopback import LoopbackServer, sse

ROOT = Path(__file__).resolve().parents[2]
KEY = "sk-or-v1-" + "f4k3K3y0123456789abcdefghijklmnopqrstuvw"
"""A recognisable fake OpenRouter key: ``sk-or-v1-`` and 40 characters."""


def environment(*, key: str | None = KEY, fault: str | None = None, **extra: str) -> dict[str, str]:
    env = dict(os.environ, PPLX_DEMO_DELAY="0", PYTHONUNBUFFERED="1")
    if key:
        env["OPENROUTER_API_KEY"] = key
    if fault:
        env["PPLX_TEST_FAULT"] = fault
    env.update(extra)
    return env


def command(
    *args: str, server: LoopbackServer | None = None, fault: str | None = None
) -> list[str]:
    """``python -m pplx_tui ARGS`` (or the fault-injecting launcher), aimed at ``server``."""
    module = "tests.support.faulty_cli" if fault else "pplx_tui"
    argv = [sys.executable, "-m", module, *args]
    if server is not None:
        argv += ["--provider", "openrouter", "--base-url", server.base_url + "/api/v1"]
    return argv


def pplx(
    *args: str,
    server: LoopbackServer | None = None,
    stdin: str | bytes | None = None,
    key: str | None = KEY,
    fault: str | None = None,
    **extra_env: str,
) -> subprocess.CompletedProcess[str]:
    """Run to the end; stdout and stderr captured as text (invalid UTF-8 shown as U+FFFD)."""
    result = subprocess.run(
        command(*args, server=server, fault=fault),
        input=stdin.encode() if isinstance(stdin, str) else stdin,
        capture_output=True,
        env=environment(key=key, fault=fault, **extra_env),
        cwd=ROOT,
        timeout=60,
    )
    return subprocess.CompletedProcess(
        result.args,
        result.returncode,
        result.stdout.decode("utf-8", "replace"),
        result.stderr.decode("utf-8", "replace"),
    )


# -- chat-completions streams (OpenRouter's shape) ----------------------------------------------

SOURCES = [
    {
        "title": "Mars moons — NASA",
        "url": "https://science.nasa.gov/mars/moons/",
        "date": "2024-11-02",
        "snippet": "Mars has two small moons, Phobos and Deimos.",
    },
    {
        "title": "Phobos (moon)",
        "url": "https://en.wikipedia.org/wiki/Phobos_(moon)",
        "date": None,
        "snippet": "Phobos is the larger of the two.",
    },
]
USAGE = {"prompt_tokens": 11, "completion_tokens": 9, "total_tokens": 20, "cost": 0.0051}


def chunk(content: str, *, finish: str | None = None, **extra: Any) -> dict[str, Any]:
    choice: dict[str, Any] = {"index": 0, "delta": {"role": "assistant", "content": content}}
    if finish:
        choice["finish_reason"] = finish
    return {
        "id": "gen-1",
        "model": "perplexity/sonar",
        "object": "chat.completion.chunk",
        "citations": [s["url"] for s in SOURCES],
        "search_results": SOURCES,
        "choices": [choice],
        **extra,
    }


def answer_frames(parts: list[str], *, finished: bool = True) -> list[bytes]:
    """SSE frames for ``parts``; ``finished`` adds the usage chunk, ``finish_reason`` and [DONE]."""
    events = [chunk(part) for part in parts]
    if not finished:
        return sse(*events)
    events.append(chunk("", finish="stop", usage=USAGE))
    return sse(*events, done=True)


def saved_chat(chat_id: str) -> dict[str, Any]:
    """The chat file as JSON (it must parse), read straight from disk."""
    from pplx_tui import paths

    return json.loads((paths.chats_dir() / f"{chat_id}.json").read_bytes())


def saved_id(stderr: str) -> str:
    """The id from ``pplx: saved chat ID`` on stderr."""
    lines = [line for line in stderr.splitlines() if line.startswith("pplx: saved chat ")]
    assert len(lines) == 1, stderr
    return lines[0].rsplit(" ", 1)[-1]
