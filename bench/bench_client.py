"""Client parsing cost and ``pplx ask`` start-up. Prints figures; asserts nothing.

    python bench/bench_client.py [--deltas N] [--runs N]

(with the package installed, ``pip install -e .``, or ``PYTHONPATH=.`` from a checkout).

1. A loopback server in a *separate process* (so its CPU is not counted) streams N deltas;
   ``ChatClient.stream`` parses them and an ``AnswerBuilder`` folds them. CPU seconds
   (``time.process_time``) per 1,000 deltas, for two shapes: small OpenRouter-style chunks,
   and Perplexity-style chunks that repeat usage, citations and five search results on every
   delta (about 2 KB each). Aim: well under 1 ms per delta.
2. ``python -m pplx_tui ask --help`` start-up against ``python -c pass`` (median of 5).
3. A real ``pplx ask`` as a user runs it: launch to exit, a short cited answer streamed by the
   loopback server (another process), output to a pipe (plain text) and to a terminal (Markdown
   drawn by Rich, as ``../shared/bench`` measures it in tmux); wall and CPU seconds (the child's
   user + system time), median of ``--ask-runs``. The issue's goal: 0.35 s wall, 0.3 s CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import pty
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SLICE = 16 * 1024


def small_stream(deltas: int) -> bytes:
    base = {"id": "gen-1", "object": "chat.completion.chunk", "model": "perplexity/sonar"}
    frames = []
    for number in range(deltas):
        chunk = {**base, "choices": [{"index": 0, "delta": {"content": f"word{number % 97} "}}]}
        frames.append(b"data: " + json.dumps(chunk).encode() + b"\n\n")
    final = {
        **base,
        "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 10, "completion_tokens": deltas, "cost": 0.01},
    }
    frames.append(b"data: " + json.dumps(final).encode() + b"\n\ndata: [DONE]\n\n")
    return b"".join(frames)


def perplexity_stream(deltas: int) -> bytes:
    results = [
        {
            "title": f"Source number {i} — a long-ish page title",
            "url": f"https://example{i}.org/a/b",
            "date": "2025-01-0{i}",
            "last_updated": "2025-02-01",
            "snippet": "A snippet of about two hundred characters. " * 4,
            "source": "web",
        }
        for i in range(1, 6)
    ]
    base = {
        "id": "a3d5",
        "model": "sonar",
        "created": 1770768233,
        "citations": [r["url"] for r in results],
        "search_results": results,
        "object": "chat.completion.chunk",
    }
    frames = []
    for number in range(deltas):
        chunk = {
            **base,
            "usage": {
                "prompt_tokens": 11,
                "completion_tokens": number + 1,
                "total_tokens": 12 + number,
            },
            "choices": [
                {"index": 0, "delta": {"role": "assistant", "content": f"café {number % 89} [1] "}}
            ],
        }
        frames.append(b"data: " + json.dumps(chunk, ensure_ascii=False).encode() + b"\n\n")
    final = {
        **base,
        "object": "chat.completion.done",
        "usage": {"prompt_tokens": 11, "completion_tokens": deltas, "cost": {"total_cost": 0.02}},
        "choices": [{"index": 0, "delta": {"content": ""}, "finish_reason": "stop"}],
    }
    frames.append(b"data: " + json.dumps(final).encode() + b"\n\ndata: [DONE]\n\n")
    return b"".join(frames)


def serve(payloads: dict[str, bytes], ready: multiprocessing.Queue) -> None:
    """A minimal close-delimited SSE server: ``POST /<name>/chat/completions``."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    ready.put(listener.getsockname()[1])
    while True:
        connection, _ = listener.accept()
        with connection:
            request = b""
            while b"\r\n\r\n" not in request:
                request += connection.recv(65536)
            head, _, body = request.partition(b"\r\n\r\n")
            length = next(
                (
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                ),
                0,
            )
            while len(body) < length:
                body += connection.recv(65536)
            name = head.split(b" ")[1].decode().strip("/").split("/")[0]
            data = payloads[name]
            connection.sendall(
                b"HTTP/1.0 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
            )
            for start in range(0, len(data), SLICE):
                connection.sendall(data[start : start + SLICE])


def short_answer() -> bytes:
    """A short cited answer as OpenRouter streams it: four deltas, two citations, usage."""
    base = {"id": "gen-1", "object": "chat.completion.chunk", "model": "perplexity/sonar"}
    parts = ["Mars has ", "two moons", ", Phobos and Deimos [1]", "[2]."]
    frames = []
    for number, text in enumerate(parts):
        chunk: dict = {**base, "choices": [{"index": 0, "delta": {"content": text}}]}
        if number == 0:
            chunk["citations"] = ["https://example.org/mars", "https://example.com/moons"]
        frames.append(b"data: " + json.dumps(chunk).encode() + b"\n\n")
    final = {
        **base,
        "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 9, "completion_tokens": 12, "cost": 0.0001},
    }
    frames.append(b"data: " + json.dumps(final).encode() + b"\n\ndata: [DONE]\n\n")
    return b"".join(frames)


async def parse_once(base_url: str) -> tuple[float, float, int]:
    from pplx_tui.client.answer import AnswerBuilder
    from pplx_tui.client.chat_client import ChatClient
    from pplx_tui.client.events import TextDelta
    from pplx_tui.client.request import ChatRequest, Turn
    from pplx_tui.providers import build_catalog

    provider = build_catalog().provider("openrouter")
    request = ChatRequest(model="perplexity/sonar", turns=(Turn("user", "bench"),))
    builder = AnswerBuilder()
    deltas = 0
    async with ChatClient(provider, "sk-bench", base_url=base_url) as client:
        cpu, wall = time.process_time(), time.perf_counter()
        async for event in client.stream(request):
            builder.add(event)
            deltas += isinstance(event, TextDelta)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    assert builder.done
    return cpu, wall, deltas


def bench_parsing(deltas: int, runs: int) -> None:
    payloads = {"small": small_stream(deltas), "perplexity": perplexity_stream(deltas)}
    ready: multiprocessing.Queue = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(payloads, ready), daemon=True)
    server.start()
    port = ready.get(timeout=30)
    try:
        print(
            f"parsing {deltas:,} deltas through ChatClient.stream + AnswerBuilder "
            f"(median of {runs}; server in another process)"
        )
        for name, data in payloads.items():
            results = [
                asyncio.run(parse_once(f"http://127.0.0.1:{port}/{name}")) for _ in range(runs)
            ]
            cpu = statistics.median(r[0] for r in results)
            wall = statistics.median(r[1] for r in results)
            count = results[0][2]
            print(
                f"  {name:<11} {len(data) / 1e6:6.1f} MB  {count:,} deltas  "
                f"CPU {cpu:6.3f} s = {cpu / count * 1e6:6.1f} ms per 1,000 deltas"
                f"  wall {wall:6.3f} s"
            )
    finally:
        server.terminate()
        server.join(5)


def timed_run(
    command: list[str], env: dict[str, str], *, terminal: bool = False
) -> tuple[float, float, int]:
    """Wall and CPU seconds (user + system, from the child's rusage) of one process, and its
    exit code. ``terminal``: stdout and stderr are a pseudo-terminal (drained by a thread), as
    in a shell, so ``pplx ask`` draws Markdown with Rich; else pipes."""
    primary = secondary = None
    drain = None
    if terminal:
        primary, secondary = pty.openpty()
        drain = threading.Thread(target=_drain, args=(primary,), daemon=True)
        drain.start()
    output: Any = secondary if terminal else subprocess.PIPE
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(
        command,
        stdin=subprocess.DEVNULL,
        stdout=output,
        stderr=output,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if primary is not None and secondary is not None and drain is not None:
        os.close(secondary)
        drain.join(5)
        os.close(primary)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu, result.returncode


def _drain(descriptor: int) -> None:
    with contextlib.suppress(OSError):
        while os.read(descriptor, 65536):
            pass


def bench_ask(runs: int) -> None:
    """``pplx ask`` launch to exit against a loopback server in another process, its output
    to a pipe and to a terminal."""
    ready: multiprocessing.Queue = multiprocessing.Queue()
    server = multiprocessing.Process(
        target=serve, args=({"short": short_answer()}, ready), daemon=True
    )
    server.start()
    port = ready.get(timeout=30)
    try:
        with tempfile.TemporaryDirectory() as home:
            env = {
                **os.environ,
                "PYTHONPATH": str(ROOT),
                "HOME": home,
                "XDG_CONFIG_HOME": f"{home}/config",
                "XDG_DATA_HOME": f"{home}/data",
                "XDG_STATE_HOME": f"{home}/state",
                "XDG_CACHE_HOME": f"{home}/cache",
                "OPENROUTER_API_KEY": "sk-or-v1-" + "0" * 40,
                "TERM": "xterm-256color",
            }
            # As installed: byte-code cached (the warm-up run writes it), no other key.
            for name in ("PERPLEXITY_API_KEY", "GROQ_API_KEY", "PYTHONDONTWRITEBYTECODE"):
                env.pop(name, None)
            ask = [
                sys.executable,
                "-m",
                "pplx_tui",
                "ask",
                "How many moons does Mars have?",
                "--provider",
                "openrouter",
                "--base-url",
                f"http://127.0.0.1:{port}/short",
            ]
            timed_run(ask, env)  # warm-up
            floor = [timed_run([sys.executable, "-c", "pass"], env) for _ in range(runs)]
            kinds = {"to a pipe": False, "to a terminal": True}
            results = {
                kind: [timed_run(ask, env, terminal=terminal) for _ in range(runs)]
                for kind, terminal in kinds.items()
            }
    finally:
        server.terminate()
        server.join(5)
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"pplx ask, a short answer from a loopback server (median of {runs} launches; "
        f"load average {load}: wall grows with it, CPU much less; goal 0.35 s / 0.3 s)"
    )
    print(
        f"  python -c pass           wall {statistics.median(r[0] for r in floor):.3f} s"
        f"  CPU {statistics.median(r[1] for r in floor):.3f} s"
    )
    for kind, rows in results.items():
        name = f"pplx ask {kind}"
        if any(r[2] != 0 for r in rows):
            print(f"  {name:<24} n/a (exit codes {sorted({r[2] for r in rows})})")
            continue
        walls = [r[0] for r in rows]
        print(
            f"  {name:<24} wall {statistics.median(walls):.3f} s"
            f"  CPU {statistics.median(r[1] for r in rows):.3f} s"
            f"  (wall {min(walls):.3f}-{max(walls):.3f} s)"
        )


def median_run(command: list[str]) -> float | None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: byte-code cached
    subprocess.run(command, capture_output=True, cwd=ROOT, env=env, timeout=60)  # warm-up
    times = []
    for _ in range(5):
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, cwd=ROOT, env=env, timeout=60)
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            return None
    return statistics.median(times)


def bench_startup() -> None:
    floor = median_run([sys.executable, "-c", "pass"])
    ask = median_run([sys.executable, "-m", "pplx_tui", "ask", "--help"])
    print("start-up (median of 5 launches)")
    print(f"  python -c pass           {floor:.3f} s" if floor is not None else "  floor n/a")
    if ask is None:
        print("  pplx ask --help          n/a (the CLI is not ready or failed)")
    else:
        extra = f" (+{ask - floor:.3f} s over the interpreter)" if floor is not None else ""
        print(f"  pplx ask --help          {ask:.3f} s{extra}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deltas", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--ask-runs", type=int, help="launches of `pplx ask` (9; quick: 3)")
    parser.add_argument("--quick", action="store_true", help="one run (for CI's report)")
    args = parser.parse_args()
    if args.quick:
        args.runs = 1
    if args.ask_runs is None:
        args.ask_runs = 3 if args.quick else 9
    bench_parsing(args.deltas, args.runs)
    bench_startup()
    bench_ask(args.ask_runs)


if __name__ == "__main__":
    main()
