"""Whatever a server sends, an answer stays bounded in memory and time (issue 13 items 5, 6).

Each hostile server runs ``pplx ask`` as a real process (its peak memory sampled from ``/proc``
while it runs): it must end by itself, with one line on stderr naming the limit, exit 5, the
partial answer on stdout, and a peak under 300 MB. The limits in time need no memory figure:
those run ``pplx ask`` in this process (``tests.support.cli.pplx``).
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

import pytest

from pplx_tui import paths
from pplx_tui.client.limits import DEFAULT_DEADLINE, StreamLimits, is_long_running
from pplx_tui.config import Settings
from pplx_tui.models import MessageStatus
from pplx_tui.session import stream_limits
from pplx_tui.store import ChatStore
from tests.support.agent_runs import ANSWER, AgentRunServer, RunScript
from tests.support.agent_runs import KEY as AGENT_KEY
from tests.support.cli import ROOT, command, environment, pplx
from tests.support.hostile import (
    HostileServer,
    comments,
    endless_answer,
    endless_line,
    every,
    frame,
    gzip_bomb,
    silence,
    zeros,
)

MEMORY_CAP_MB = 300


def configure(text: str) -> None:
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o600)


def run(server: HostileServer, *options: str) -> tuple[int, str, str, float]:
    """Run ``pplx ask q OPTIONS`` against ``server``: exit code, stdout, stderr, peak MB."""
    process = subprocess.Popen(
        command("ask", "q", *options, server=server),  # type: ignore[arg-type]
        env=environment(),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    # Read both pipes on threads so the child never blocks; reap with wait4 for its rusage.
    parts: dict[str, bytes] = {}

    def drain(name: str, pipe) -> None:
        parts[name] = pipe.read()

    readers = [
        threading.Thread(target=drain, args=("out", process.stdout)),
        threading.Thread(target=drain, args=("err", process.stderr)),
    ]
    for reader in readers:
        reader.start()
    started = time.monotonic()
    peak_kib = 0
    while True:
        peak_kib = max(peak_kib, high_water_kib(process.pid))
        pid, status, _usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - started > 60:
            process.kill()
            os.wait4(process.pid, 0)
            raise AssertionError("pplx ask did not end within 60 s")
        time.sleep(0.02)
    process.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join(10)
    return (
        process.returncode,
        parts.get("out", b"").decode("utf-8", "replace"),
        parts.get("err", b"").decode("utf-8", "replace"),
        peak_kib / 1024,
    )


def ask(server: HostileServer, *options: str) -> tuple[int, str, str]:
    """``pplx ask q OPTIONS`` against ``server``, in this process: exit code, stdout, stderr."""
    done = pplx("ask", "q", *options, server=server)  # type: ignore[arg-type]
    return done.returncode, done.stdout, done.stderr


def high_water_kib(pid: int) -> int:
    """The process's peak resident memory so far (VmHWM), 0 once it is gone.

    Not ``ru_maxrss``: a child's counts the test runner's own size at the fork, so a suite that
    has grown past the cap would fail every test here.
    """
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


# -- memory ---------------------------------------------------------------------------------------


def test_a_line_without_end_stops_at_the_line_limit_with_the_partial_answer() -> None:
    with HostileServer(endless_line) as server:
        code, out, err, peak = run(server)
    line = one_line(err)
    assert code == 5 and "over 16 MiB (limits.max_line_mib in config.toml)" in line, line
    assert "the partial answer is not saved (add --save to keep it)" in line
    assert out.startswith("The start of the answer.")
    assert peak < MEMORY_CAP_MB, peak


def test_a_gzip_bomb_is_inflated_a_piece_at_a_time_and_stops_at_a_limit() -> None:
    # 4 GiB of zeros: ~4 MB on the wire.
    with HostileServer(
        gzip_bomb(zeros(4 << 30, head=frame("Partial. "))),
        headers={"Content-Type": "text/event-stream", "Content-Encoding": "gzip"},
    ) as server:
        code, out, err, peak = run(server)
    line = one_line(err)
    assert code == 5 and "over 16 MiB" in line, line
    assert out.startswith("Partial.")
    assert peak < MEMORY_CAP_MB, peak


def test_a_compressed_reply_stops_at_the_reply_limit() -> None:
    configure("[limits]\nmax_reply_mib = 8\n")
    with HostileServer(
        gzip_bomb(comments(1 << 30, head=frame("Partial. "))),
        headers={"Content-Type": "text/event-stream", "Content-Encoding": "gzip"},
    ) as server:
        code, out, err, peak = run(server)
    line = one_line(err)
    assert code == 5 and "the reply passed 8 MiB (limits.max_reply_mib" in line, line
    assert out.startswith("Partial.")
    assert peak < MEMORY_CAP_MB, peak


def test_an_endless_answer_stops_at_the_answer_limit_and_keeps_it() -> None:
    with HostileServer(endless_answer) as server:
        code, out, err, peak = run(server, "--save")
    lines = err.splitlines()
    assert code == 5 and len(lines) == 2 and lines[1].startswith("pplx: saved chat "), err
    assert "the answer passed 2,000,000 characters (limits.max_answer_chars" in lines[0]
    assert len(out) >= 2_000_000 and out.startswith("Lorem ipsum")
    assert peak < MEMORY_CAP_MB, peak


# -- time -----------------------------------------------------------------------------------------


def test_keep_alives_do_not_count_as_progress_for_the_idle_timeout() -> None:
    behaviour = every(0.05, b": keep-alive\n\n", first=frame("Partial. "))
    with HostileServer(behaviour) as server:
        started = time.monotonic()
        code, out, err = ask(server, "--idle-timeout", "0.5")
    assert time.monotonic() - started < 20
    line = one_line(err)
    assert code == 5 and "nothing new came for 0.5 s" in line, line
    assert out.startswith("Partial.")


@pytest.mark.parametrize("save", [[], ["--save"]], ids=["printed", "saved"])
def test_the_note_under_an_answer_cut_by_the_idle_timeout_is_plain(save: list[str]) -> None:
    """QA: piped, the note read "(--idle-timeout or limits.idle\\_timeout)" (a Markdown escape
    where none is needed) and told the user to "add --save" inside the answer's text: that is
    stderr's to say; the note says what broke (and, saved, what the export's says)."""
    behaviour = every(0.05, b": keep-alive\n\n", first=frame("Partial. "))
    with HostileServer(behaviour) as server:
        code, out, err = ask(server, "--idle-timeout", "0.5", *save)
    assert code == 5 and out.startswith("Partial. "), err
    kept = "; the partial answer is kept" if save else ""  # as the export writes it
    assert out.rstrip().splitlines()[-1] == (
        "*(The answer broke off here: Stopped reading OpenRouter: nothing new came for 0.5 s "
        f"(--idle-timeout or limits.idle_timeout){kept}.)*"
    )
    said = "is kept" if save else "is not saved (add --save to keep it)"
    assert f"limits.idle_timeout); the partial answer {said}." in err.splitlines()[0]


def test_the_note_under_an_answer_cut_by_the_idle_timeout_on_a_terminal() -> None:
    """On a terminal the line on stderr, under the answer, is the note (said once, plain)."""
    behaviour = every(0.05, b": keep-alive\n\n", first=frame("Partial. "))
    with HostileServer(behaviour) as server:
        done = pplx("ask", "q", "--idle-timeout", "0.5", server=server, tty=("stdout",))  # type: ignore[arg-type]
    assert done.returncode == 5 and done.stdout.startswith("Partial."), done.stderr
    assert "broke off" not in done.stdout  # the terminal shows stderr's line under it: once
    assert one_line(done.stderr) == (
        "pplx: stopped reading OpenRouter: nothing new came for 0.5 s (--idle-timeout or "
        "limits.idle_timeout); the partial answer is not saved (add --save to keep it)."
    )


def test_a_byte_at_a_time_that_never_makes_an_event_is_idle() -> None:
    with HostileServer(every(0.1, b" ", first=frame("Partial. ") + b"data: ")) as server:
        code, _, err = ask(server, "--idle-timeout", "0.5")
    assert code == 5 and "nothing new came for 0.5 s" in one_line(err)


def test_a_server_that_never_sends_its_headers_is_idle_and_asked_once() -> None:
    """QA: a server that took the question and sent nothing, not even its headers, was waited
    on for the read timeout (the idle timeout + 10 s) three times over, and the line said
    "timed out; check your connection" instead of naming the idle timeout."""
    with HostileServer(silence, head=False) as server:
        code, out, err = ask(server, "--idle-timeout", "0.5")
        asked = server.requests
    line = one_line(err)
    assert code == 5 and out == "", err
    assert line == (
        "pplx: stopped waiting for OpenRouter: nothing new came for 0.5 s "
        "(--idle-timeout or limits.idle_timeout)."
    )
    assert asked == 1  # not asked again: a second wait as long would not be what the user set


@pytest.mark.parametrize(
    ("config", "model", "key"),
    [
        # QA: with idle_timeout in config.toml, the wait before the headers followed the
        # longest idle timeout (deep research's 3600 s) for every model.
        ("idle_timeout = 0.5", "perplexity/sonar", "limits.idle_timeout"),
        (
            "idle_timeout = 3600\nlong_idle_timeout = 0.5",
            "perplexity/sonar-deep-research",
            "limits.long_idle_timeout",
        ),
    ],
)
def test_the_wait_for_the_headers_is_the_asked_model_s_idle_timeout(
    config: str, model: str, key: str
) -> None:
    configure(f"[limits]\n{config}\n")
    with HostileServer(silence, head=False) as server:
        code, _, err = ask(server, "--model", model)
    assert code == 5 and f"nothing new came for 0.5 s (--idle-timeout or {key})" in one_line(err)


def test_headers_then_silence_is_not_asked_again() -> None:
    """Headers and then nothing: the same idle timeout, once (it was asked three times)."""
    with HostileServer(silence) as server:
        code, _, err = ask(server, "--idle-timeout", "0.5")
        asked = server.requests
    assert code == 5 and "nothing new came for 0.5 s" in one_line(err)
    assert asked == 1


def test_a_deadline_before_the_headers_names_the_deadline() -> None:
    with HostileServer(silence, head=False) as server:
        code, _, err = ask(server, "--deadline", "0.5", "--idle-timeout", "600")
        asked = server.requests
    line = one_line(err)
    assert code == 5 and "took longer than 0.5 s (--deadline or limits.deadline)" in line, line
    assert asked == 1


def test_no_retry_is_waited_for_past_the_deadline() -> None:
    """A 503 asking for a retry in 10 s, with 1 s left of the deadline: its own error at once."""
    overloaded = HostileServer(
        lambda send: send(b'{"error": {"message": "overloaded"}}'),
        status=503,
        headers={"Content-Type": "application/json", "Retry-After": "10"},
    )
    with overloaded as server:
        code, _, err = ask(server, "--deadline", "1")
        asked = server.requests
    assert code == 5 and "overloaded" in one_line(err)
    assert asked == 1


def test_an_answer_that_never_ends_stops_at_the_deadline() -> None:
    with HostileServer(every(0.05, frame("more "))) as server:
        started = time.monotonic()
        code, out, err = ask(server, "--deadline", "1")
    assert time.monotonic() - started < 20
    line = one_line(err)
    assert code == 5 and "took longer than 1 s (--deadline or limits.deadline)" in line, line
    assert out.startswith("more more")


def test_the_deadline_in_config_applies_and_deep_research_has_none_by_default() -> None:
    configure("[limits]\ndeadline = 1\n")
    with HostileServer(every(0.05, frame("more "))) as server:
        code, _, err = ask(server)
    assert code == 5 and "took longer than 1 s" in one_line(err)

    defaults = stream_limits(Settings())
    assert defaults.deadline_for("perplexity/sonar") == DEFAULT_DEADLINE
    assert defaults.idle_for("perplexity/sonar") == 900
    for model in ("sonar-deep-research", "perplexity/sonar-deep-research", "xhigh", "high"):
        assert is_long_running(model) and defaults.deadline_for(model) is None
        assert defaults.idle_for(model) == 3600
    assert not is_long_running("medium")


@pytest.mark.parametrize(
    ("config", "field"),
    [
        ("idle_timeout = -1", "'idle_timeout' in [limits]"),
        ("max_answer_chars = 0", "max_answer_chars"),
    ],
)
def test_bad_limits_in_config_are_one_line(config: str, field: str, tmp_path: Path) -> None:
    configure(f"[limits]\n{config}\n")
    done = pplx("ask", "q", "--demo")
    assert done.returncode == 2 and field in one_line(done.stderr)


def test_options_override_the_config_for_one_run() -> None:
    limits = stream_limits(Settings(), idle_timeout=5, deadline=7)
    assert limits == StreamLimits(idle_timeout=5, long_idle_timeout=5, deadline=7, long_deadline=7)


def test_a_background_run_s_answer_is_cut_at_the_answer_limit(agent: AgentRunServer) -> None:
    """A run's answer came whole in one poll, and was kept whole whatever its length (a 15 MB
    answer, where a streamed one stops at limits.max_answer_chars)."""
    configure("[limits]\nmax_answer_chars = 40\n")
    agent.scripts.append(RunScript(polls=1))
    key = {"PERPLEXITY_API_KEY": AGENT_KEY, "PPLX_POLL_INTERVAL": "0.01"}
    at = ("--provider", "perplexity", "--base-url", agent.base_url, "--model", "high")
    started = pplx("ask", "--background", *at, "How do tardigrades survive?", **key)
    chat_id = started.stdout.strip()

    result = pplx("runs", "wait", chat_id, **key)

    assert result.returncode == 5
    assert "the answer passed 40 characters (limits.max_answer_chars" in result.stderr
    answer = ChatStore().load(chat_id).messages[1]
    assert answer.content == ANSWER[:40] and answer.status == MessageStatus.INTERRUPTED
    assert not answer.running
