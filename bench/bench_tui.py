"""TUI figures: start-up, streamed-answer render cost, opening a long chat. Asserts nothing.

    python bench/bench_tui.py [--quick] [--profile N] [--startup N]

(with the package installed, ``pip install -e .``, or ``PYTHONPATH=.`` from a checkout).

- start-up: seconds from process start to the first frame of ``pplx --demo`` (headless, the
  collector held as ``pplx`` holds it), next to the same for a one-Label Textual app (the
  floor); median of several launches: wall (to the process's end) and CPU (to the first frame,
  less disturbed by the other work on a shared machine).
- stream: CPU seconds to render an answer of N deltas through the real widgets (the app runs
  headless at 160x48 and a fake client yields Markdown deltas as fast as it can); the cost
  per delta should stay flat as N grows.
- paced: the same at 100 deltas a second (a realistic pace): the share of a core it takes,
  and the longest time the event loop was busy without a break (a typed key waits that
  long to be echoed; the aim is under 50 ms).
- open: wall seconds to open a saved 500-message chat until its frame is drawn; and a short
  chat from a store of 2,000 (500 with --quick), the chat list marking it.

Aims (bench/README in the shared folder): start-up within 1.5x of the floor, a 2,000-delta
answer under 2.5 CPU s with a flat per-delta cost, echo under 50 ms while streaming.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from unittest.mock import patch

BLOCKS: list[list[str]] = [
    [
        "## Overview",
        "\n\n",
        "TCP slow start ",
        "is the phase ",
        "in which a sender ",
        "grows its congestion ",
        "window by one ",
        "segment per ACK [1]. ",
        "This doubles the ",
        "window every round ",
        "trip until a loss ",
        "or the threshold [2]. ",
        "\n\n",
    ],
    [
        "### Key points",
        "\n\n",
        "- **Initial window**: ",
        "usually ten segments ",
        "on modern stacks [3].\n",
        "- **Growth**: ",
        "exponential until ",
        "`ssthresh` is hit.\n",
        "- **Loss**: ",
        "halves the window ",
        "and enters congestion ",
        "avoidance [1][2].\n",
        "\n",
    ],
    [
        "Here is a ",
        "small model of ",
        "the window growth:",
        "\n\n",
        "```python\n",
        "def cwnd_after(rtts, ",
        "init=10, ssthresh=64):\n",
        "    cwnd = init\n",
        "    for _ in range(rtts):\n",
        "        cwnd = cwnd * 2 if cwnd < ssthresh else cwnd + 1\n",
        "    return cwnd\n",
        "```\n",
        "\n",
    ],
    [
        "The table below ",
        "shows typical ",
        "values [4]:",
        "\n\n",
        "| Stack | IW | Notes |\n",
        "|---|---|---|\n",
        "| Linux | 10 | RFC 6928 |\n",
        "| Windows | 10 | since 2017 |\n",
        "\n",
    ],
    [
        "> Note: ",
        "HTTP/3 runs over ",
        "UDP but keeps ",
        "a similar window ",
        "logic [2][3].",
        "\n\n",
    ],
    [
        "In practice, ",
        "short transfers ",
        "never leave slow ",
        "start, so the ",
        "initial window ",
        "dominates page ",
        "load time [1]. ",
        "\n\n",
    ],
]
FILLER = ["more detail ", "about the sender ", "and the receiver ", "window [1]. "]
STARTUP_RUNNER = """
import sys, time
kind = sys.argv[1]
if kind == "pplx":
    from pplx_tui import gc_hold
    gc_hold.hold()  # as pplx does until its first frame
from textual import events
from textual.app import App
_on_event = App.on_event
async def on_event(self, event):
    if isinstance(event, events.Ready):  # posted once the first frame is drawn
        print(f"CPU {time.process_time():.4f}", flush=True)
    await _on_event(self, event)
App.on_event = on_event
if kind == "floor":
    from textual.widgets import Label
    class Floor(App):
        def compose(self):
            yield Label("FLOOR READY")
    app = Floor()
else:
    from pplx_tui.ui.factory import make_app
    app = make_app(demo=True)
async def first_frame(pilot):
    await pilot.pause()
    pilot.app.exit()
app.run(headless=True, size=(160, 48), auto_pilot=first_frame)
"""


def deltas(count: int) -> list[str]:
    out: list[str] = ["Short answer below.\n\n"]
    index = 0
    while len(out) < count - 1:
        block = BLOCKS[index % len(BLOCKS)]
        room = count - 1 - len(out)
        out.extend(block if len(block) <= room else FILLER * (room // len(FILLER) + 1))
        index += 1
    out = out[: count - 1]
    out.append("\n\nThat is all. ZZEND")
    return out


class FakeClient:
    """Yields sources, ``count`` text deltas, usage and done, as fast as it can."""

    def __init__(self, count: int, rate: float = 0) -> None:
        self.count = count
        self.rate = rate
        """Deltas per second (0: as fast as possible)."""

    async def stream(
        self, request: object, *, on_sent: Callable[[], object] | None = None
    ) -> AsyncIterator[object]:
        from pplx_tui.client.events import Done, SourcesUpdate, TextDelta, UsageUpdate
        from pplx_tui.models import Source, Usage

        sources = tuple(
            Source(
                index=n,
                url=f"https://example{n}.org/page",
                title=f"Source {n}",
                date="2024-05-01",
                snippet="A snippet about slow start.",
            )
            for n in range(1, 6)
        )
        if on_sent is not None:  # "on the wire", as ChatClient.stream says
            on_sent()
        yield SourcesUpdate(sources)
        for number, text in enumerate(deltas(self.count)):
            yield TextDelta(text)
            if self.rate:
                await asyncio.sleep(1 / self.rate)
            elif number % 64 == 0:
                await asyncio.sleep(0)  # a network read returns a burst of events
        yield UsageUpdate(
            Usage(
                prompt_tokens=10,
                completion_tokens=self.count,
                total_tokens=10 + self.count,
                cost_usd=0.005,
            )
        )
        yield Done("stop")

    async def aclose(self) -> None:
        return None


def startup(repeat: int) -> dict[str, float]:
    figures: dict[str, float] = {}
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    with tempfile.TemporaryDirectory() as home:
        env.update(
            XDG_CONFIG_HOME=f"{home}/c", XDG_DATA_HOME=f"{home}/d", XDG_STATE_HOME=f"{home}/s"
        )
        times: dict[str, list[float]] = {"floor": [], "pplx": []}
        cpu: dict[str, list[float]] = {"floor": [], "pplx": []}
        for _ in range(repeat):
            for kind in ("floor", "pplx"):  # in turns: the machine's load moves both alike
                start = time.perf_counter()
                done = subprocess.run(
                    [sys.executable, "-c", STARTUP_RUNNER, kind],
                    env=env,
                    check=True,
                    capture_output=True,
                    text=True,
                )
                times[kind].append(time.perf_counter() - start)
                line = next(x for x in done.stdout.splitlines() if x.startswith("CPU "))
                cpu[kind].append(float(line.split()[1]))
        for kind in ("floor", "pplx"):
            figures[kind] = statistics.median(times[kind])
            figures[f"{kind}_cpu"] = statistics.median(cpu[kind])
    return figures


@dataclass
class StreamFigures:
    cpu: float
    """CPU seconds from the question to the answer saved and drawn."""
    wall: float
    """Wall seconds over the same span."""
    stall: float
    """The longest the event loop went without running a 5 ms timer on time (seconds late)."""


async def _watch_loop(lateness: list[float]) -> None:
    """Sleep 5 ms again and again; note how late each wake-up is."""
    while True:
        start = time.perf_counter()
        await asyncio.sleep(0.005)
        lateness.append(time.perf_counter() - start - 0.005)


async def stream(count: int, rate: float = 0) -> StreamFigures:
    """Ask one question answered by ``count`` fake deltas (``rate`` a second, 0: at once)."""
    from pplx_tui.ui.factory import make_app

    # The app makes its clients with make_client when first needed: the fake stands in.
    app = make_app(demo=True)
    with patch("pplx_tui.client.make_client", lambda *args, **kwargs: FakeClient(count, rate)):
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause()
            screen = app.screen_stack[0]  # the workspace
            lateness: list[float] = []
            watcher = asyncio.create_task(_watch_loop(lateness))
            start, wall = time.process_time(), time.perf_counter()
            await screen.ask("Explain TCP slow start")
            await app.workers.wait_for_complete()
            await pilot.pause()
            while screen.pending is not None:
                await pilot.pause(0.01)
            await pilot.pause()
            figures = StreamFigures(
                time.process_time() - start, time.perf_counter() - wall, max(lateness, default=0)
            )
            watcher.cancel()
            assert screen.chat.messages[-1].content.endswith("ZZEND")
    return figures


async def stream_cpu(count: int, rate: float = 0) -> float:
    """CPU seconds for one answer of ``count`` deltas (see :func:`stream`)."""
    return (await stream(count, rate)).cpu


async def open_chat(messages: int) -> float:
    from pplx_tui.models import Chat, Message, Source
    from pplx_tui.ui.factory import make_app

    app = make_app(demo=True)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        chat = Chat(id=app.store.new_chat().id, title="Long chat")
        text = "".join(deltas(120))
        for number in range(messages // 2):
            chat.messages.append(Message(role="user", content=f"Question {number}?"))
            chat.messages.append(
                Message(
                    role="assistant",
                    content=text,
                    model="demo/sonar",
                    provider="demo",
                    sources=[Source(index=1, url="https://example.org", title="Example")],
                )
            )
        app.store.save(chat)
        start = time.perf_counter()
        await app.screen_stack[0].open_chat(chat.id)  # the workspace
        await pilot.pause()
        return time.perf_counter() - start


async def open_among(count: int) -> float:
    """Wall seconds to open a short chat from a store of ``count`` chats (the list marks it)."""
    from pplx_tui.models import Message
    from pplx_tui.store.chat_store import ChatStore
    from pplx_tui.ui.factory import make_app
    from pplx_tui.ui.widgets.chat_list import ChatList

    store = ChatStore()
    for number in range(count):
        chat = store.new_chat()
        chat.title = f"Question number {number} about the moons of Mars and their orbits"
        chat.messages.append(Message(role="user", content=f"Question {number}?"))
        chat.messages.append(Message(role="assistant", content="An answer.", model="demo/sonar"))
        store.save(chat)
    app = make_app(demo=True)
    async with app.run_test(size=(160, 48)) as pilot:
        chats = app.screen_stack[0].query_one(ChatList)
        while len(chats.entries) < count:
            await asyncio.sleep(0.05)
        await pilot.pause()
        start = time.perf_counter()
        await app.screen_stack[0].open_chat(chats.entries[count // 2].id)
        await pilot.pause()
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, smaller answers")
    parser.add_argument(
        "--profile",
        type=int,
        metavar="N",
        help="profile one N-delta answer with pyinstrument and print it",
    )
    parser.add_argument(
        "--rate",
        type=float,
        default=0,
        metavar="R",
        help="with --profile: R deltas a second (default: as fast as possible)",
    )
    parser.add_argument(
        "--startup", type=int, metavar="N", help="only the start-up figures, over N launches each"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ.update(
            XDG_CONFIG_HOME=f"{home}/c",
            XDG_DATA_HOME=f"{home}/d",
            XDG_STATE_HOME=f"{home}/s",
            PPLX_DEMO_DELAY="0",
        )
        for variable in ("PERPLEXITY_API_KEY", "OPENROUTER_API_KEY", "GROQ_API_KEY"):
            os.environ.pop(variable, None)
        if args.profile:
            from pyinstrument import Profiler

            with Profiler(async_mode="disabled") as profiler:
                asyncio.run(stream_cpu(args.profile, args.rate))
            print(
                profiler.output_text(
                    unicode=True,
                    color=False,
                    processor_options={"filter_threshold": 0.01},
                )
            )
            return
        start = startup(args.startup or (3 if args.quick else 7))
        ratio = start["pplx"] / start["floor"]
        cpu_ratio = start["pplx_cpu"] / start["floor_cpu"]
        print(
            f"start-up to first frame: pplx {start['pplx']:.3f} s, "
            f"floor {start['floor']:.3f} s ({ratio:.2f}x); CPU {start['pplx_cpu']:.3f} s, "
            f"floor {start['floor_cpu']:.3f} s ({cpu_ratio:.2f}x)"
        )
        if args.startup:
            return
        sizes = (500, 2000, 5000) if args.quick else (500, 2000, 5000, 20000)
        for count in sizes:
            figures = asyncio.run(stream(count))
            cpu = figures.cpu
            print(
                f"stream {count:>6} deltas: {cpu:6.2f} CPU s, {cpu / count * 1e6:7.1f} µs per delta"
                f", longest loop stall {figures.stall * 1000:.0f} ms"
            )
        paced = 300 if args.quick else 1000
        figures = asyncio.run(stream(paced, rate=100))
        print(
            f"paced  {paced:>6} deltas at 100/s: {figures.cpu:.2f} CPU s over {figures.wall:.2f} s"
            f" ({figures.cpu / figures.wall:.0%} of a core), "
            f"longest loop stall {figures.stall * 1000:.0f} ms"
        )
        print(f"open a 500-message chat: {asyncio.run(open_chat(500)) * 1000:.0f} ms")
        among = 500 if args.quick else 2000
        print(f"open a short chat among {among}: {asyncio.run(open_among(among)) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
