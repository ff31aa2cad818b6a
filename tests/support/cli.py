"""Run ``pplx`` the way a script or a terminal does, and the streams its tests replay.

:func:`pplx` calls :func:`pplx_tui.cli.main` in this process with its own stdin, stdout and
stderr (bytes decoded as UTF-8, each a terminal or not), its own environment and a fresh start
(no log handler, no remembered key), and gives back what a process would: exit code, stdout,
stderr; :func:`pplx_beside` does so in a thread, for a test whose app runs meanwhile (another
pplx writing the same chats). :func:`pplx_process` starts ``python -m pplx_tui`` for the few
things only a real process shows (signals, the entry point, a closed pipe).

The autouse ``isolated_home`` fixture has already pointed ``XDG_*`` and ``HOME`` at temporary
folders in ``os.environ``; both ways of running inherit them.
"""

from __future__ import annotations

import concurrent.futures
import io
import json
import logging
import os
import subprocess
import sys
import traceback
from collections.abc import Collection
from pathlib import Path
from typing import IO, Any

import pytest

from tests.support.loopback import LoopbackServer, sse

ROOT = Path(__file__).resolve().parents[2]
KEY = "sk-or-v1-" + "f4k3K3y0123456789abcdefghijklmnopqrstuvw"
"""A recognisable fake OpenRouter key: ``sk-or-v1-`` and 40 characters."""
STREAMS = ("stdin", "stdout", "stderr")


def environment(*, key: str | None = KEY, **extra: str) -> dict[str, str]:
    """The environment a ``pplx`` call gets: the test's, no demo delay, ``key`` as the key."""
    env = dict(os.environ, PPLX_DEMO_DELAY="0", PYTHONUNBUFFERED="1")
    if key:
        env["OPENROUTER_API_KEY"] = key
    env.update(extra)
    return env


def arguments(*args: str, server: LoopbackServer | None = None) -> list[str]:
    """``ARGS``, aimed at ``server`` (OpenRouter's dialect) when one is given."""
    if server is None:
        return list(args)
    return [*args, "--provider", "openrouter", "--base-url", server.base_url + "/api/v1"]


IGNORING_CTRL_C = ["bash", "-c", 'trap "" INT; exec "$@"', "bash"]
"""Put before a command: it starts with SIGINT ignored, as bash starts a script's ``&`` job."""


def command(*args: str, server: LoopbackServer | None = None) -> list[str]:
    """``python -m pplx_tui ARGS``, aimed at ``server``."""
    return [sys.executable, "-m", "pplx_tui", *arguments(*args, server=server)]


class _Terminal(io.TextIOWrapper):
    """A text stream over bytes that says whether it is a terminal."""

    def __init__(self, data: bytes = b"", *, tty: bool) -> None:
        super().__init__(io.BytesIO(data), encoding="utf-8", write_through=True)
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty

    def text(self) -> str:
        self.flush()
        return self.buffer.getvalue().decode("utf-8", "replace")  # type: ignore[attr-defined]


def reset_process_state() -> None:
    """Forget what one ``pplx`` run leaves in the interpreter: log handlers, remembered keys."""
    from pplx_tui import redact
    from pplx_tui.logs import LOGGER_NAME

    logger = logging.getLogger(LOGGER_NAME)
    for handler in logger.handlers[:]:
        logger.removeHandler(handler)
        handler.close()
    logger.setLevel(logging.NOTSET)
    logger.propagate = True
    redact._KNOWN_SECRETS.clear()


def pplx(
    *args: str,
    server: LoopbackServer | None = None,
    stdin: str | bytes | IO[str] | None = None,
    key: str | None = KEY,
    fault: str | None = None,
    tty: Collection[str] = (),
    **extra_env: str,
) -> subprocess.CompletedProcess[str]:
    """Run ``pplx ARGS`` in this process to the end, as :func:`pplx_process` would.

    ``stdin`` is text or bytes to read, or an open text file (a pipe, /dev/null, a file) that
    is stdin as it is, file descriptor and all. ``tty`` names the streams that are terminals
    (``"stdin"``, ``"stdout"``, ``"stderr"``); ``fault`` injects one of
    :mod:`tests.support.faults` for the call; ``extra_env`` is added to the environment. A
    traceback the command lets escape lands on stderr with exit code 1, as the interpreter
    would print it.
    """
    from pplx_tui.cli import main
    from tests.support.faults import inject

    unknown = set(tty) - set(STREAMS)
    assert not unknown, f"tty names streams: {unknown}"
    argv = arguments(*args, server=server)
    data = stdin.encode() if isinstance(stdin, str) else stdin if isinstance(stdin, bytes) else b""
    streams = {
        name: _Terminal(data if name == "stdin" else b"", tty=name in tty) for name in STREAMS
    }
    reset_process_state()
    with pytest.MonkeyPatch.context() as patch:
        for name, value in environment(key=key, **extra_env).items():
            if os.environ.get(name) != value:
                patch.setenv(name, value)
        for name, stream in streams.items():
            patch.setattr(sys, name, stream)
        if isinstance(stdin, io.TextIOBase):
            patch.setattr(sys, "stdin", stdin)
        if fault:
            inject(fault, patch)
        try:
            code = main(argv)
        except SystemExit as exit_:
            code = _exit_code(exit_, streams["stderr"])
        except Exception:
            streams["stderr"].write(traceback.format_exc())
            code = 1
        finally:
            reset_process_state()
    return subprocess.CompletedProcess(
        ["pplx", *argv], code, streams["stdout"].text(), streams["stderr"].text()
    )


def pplx_beside(*args: str, **options: Any) -> subprocess.CompletedProcess[str]:
    """:func:`pplx` in a thread of its own, waited for: as another process writing the same
    store while an app runs in this one (under ``run_test`` its loop runs here, and
    ``asyncio.run`` cannot run inside it). The app's loop waits meanwhile, as it did for a
    process."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(pplx, *args, **options).result(timeout=60)


def _exit_code(exit_: SystemExit, stderr: io.TextIOBase) -> int:
    if exit_.code is None or isinstance(exit_.code, int):
        return exit_.code or 0
    stderr.write(f"{exit_.code}\n")
    return 1


def pplx_process(
    *args: str,
    server: LoopbackServer | None = None,
    stdin: str | bytes | None = None,
    key: str | None = KEY,
    **extra_env: str,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m pplx_tui ARGS`` to the end; output decoded as :func:`pplx` does."""
    result = subprocess.run(
        command(*args, server=server),
        # No text given: an empty pipe, not the runner's stdin (``pplx ask`` reads a pipe).
        input=stdin.encode() if isinstance(stdin, str) else (stdin or b""),
        capture_output=True,
        env=environment(key=key, **extra_env),
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


def assert_indented_json(output: str) -> None:
    """``output`` is JSON as every ``--json`` writes it: indented by 2, UTF-8 as is, one last
    line break (`pplx usage --json` was one line while `pplx chats list --json` was indented)."""
    assert output == json.dumps(json.loads(output), ensure_ascii=False, indent=2) + "\n"


def chats_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``pplx chats ARGS`` through :func:`pplx_tui.cli.main`: its exit code, stdout, stderr."""
    from pplx_tui.cli import main

    code = main(["chats", *args])
    out, err = capsys.readouterr()
    return code, out, err
