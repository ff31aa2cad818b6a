"""Memory of one long TUI session: 200 questions to the offline demo, measured with tracemalloc.

Prints the traced memory after question 50 and every 50 after; between 50 and 200 it should
level off (Textual's caches fill, then nothing grows). By default a new chat is started every
10 questions, like a working session; ``--one-chat`` asks all 200 in one chat, whose mounted
views then grow with the chat (and each question costs more to lay out). Slow by design:
tracemalloc makes the app several times slower. Run by hand; it never fails a build.

    python bench/bench_memory.py [--questions 200] [--one-chat]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


async def session(questions: int, chat_every: int | None) -> None:
    from pplx_tui.ui.factory import make_app

    app = make_app(demo=True)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen_stack[0]  # the workspace
        started = time.perf_counter()
        base = 0
        for number in range(1, questions + 1):
            if chat_every and number > 1 and (number - 1) % chat_every == 0:
                await screen.action_new_chat()
            await screen.ask(f"What is QUIC? ({number})")
            await app.workers.wait_for_complete()
            while screen.pending is not None:
                await pilot.pause(0.01)
            if number == 50:
                await pilot.pause()
                gc.collect()
                tracemalloc.start()
                base = tracemalloc.get_traced_memory()[0]
            elif number > 50 and number % 50 == 0:
                await pilot.pause()
                gc.collect()
                grown = (tracemalloc.get_traced_memory()[0] - base) / 1e6
                seconds = time.perf_counter() - started
                print(f"question {number}: +{grown:.1f} MB since question 50 ({seconds:.0f} s)")
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--one-chat", action="store_true", help="never start a new chat")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        for variable, folder in (
            ("XDG_CONFIG_HOME", "config"),
            ("XDG_DATA_HOME", "data"),
            ("XDG_STATE_HOME", "state"),
            ("XDG_CACHE_HOME", "cache"),
        ):
            os.environ[variable] = f"{home}/{folder}"
        os.environ["PPLX_DEMO_DELAY"] = "0"
        asyncio.run(session(args.questions, None if args.one_chat else 10))


if __name__ == "__main__":
    main()
