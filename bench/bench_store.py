"""Chat store at scale: 2,000 chats x 50 messages. Prints figures; asserts nothing.

    python bench/bench_store.py [--quick] [--chats N] [--messages N] [--keep DIR]

(with the package installed, ``pip install -e .``, or ``PYTHONPATH=.`` from a checkout).

Goals (issue 12): ``pplx chats list`` first run (index rebuilt) <= 0.5 s, later <= 30 ms;
``pplx chats search`` <= 15 ms, ranked, with snippets. "Cold" rebuilds the index from the chat
files; "warm" is a new ChatStore (as a fresh ``pplx chats`` process would be) over an index
that is up to date. In-process figures are medians of wall and CPU time (CPU moves less with
the machine's load); the ``pplx chats`` lines time whole processes (their CPU from rusage),
next to ``python -c pass`` in the same run.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pplx_tui.models import Chat, Message, Source, Usage
from pplx_tui.store import ChatStore, new_chat_id
from pplx_tui.store.chat_json import dump_pieces
from pplx_tui.store.files import ChatFiles

VOCABULARY = (
    "the of and to in is that for on with as by at from this are be it which an or moons "
    "orbit planet telescope spectrum galaxy protein enzyme market inflation bond policy "
    "climate carbon ocean current model neural network training dataset latency cache "
    "kernel compiler python rust memory thread process energy battery lithium vaccine trial "
    "cohort survey region growth revenue quarter report study evidence"
)
WORDS = VOCABULARY.split()
RARE = "zyxqwartz"


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def answer(rng: random.Random) -> str:
    parts, size, target = [], 0, rng.randint(1000, 2000)
    while size < target:
        text = sentence(rng, rng.randint(8, 20)) + f" [{rng.randint(1, 5)}]"
        parts.append(text)
        size += len(text) + 1
    return " ".join(parts)


def make_chat(rng: random.Random, messages: int, when: datetime) -> Chat:
    chat = Chat(id=new_chat_id(int(when.timestamp() * 1000)), created_at=when, updated_at=when)
    for turn in range(messages // 2):
        at = when + timedelta(seconds=turn * 30)
        chat.messages.append(Message(role="user", content=sentence(rng, 12), created_at=at))
        sources = [
            Source(
                index=n,
                url=f"https://{rng.choice(WORDS)}.example.org/{rng.randint(1, 10**6)}/{n}",
                title=sentence(rng, 6),
                date="2025-03-01",
                snippet=sentence(rng, 30),
            )
            for n in range(1, 6)
        ]
        chat.messages.append(
            Message(
                role="assistant",
                content=answer(rng),
                sources=sources,
                provider="perplexity",
                model=rng.choice(("sonar", "sonar-pro", "sonar-reasoning-pro")),
                usage=Usage(prompt_tokens=900, completion_tokens=400, total_tokens=1300),
                created_at=at + timedelta(seconds=2),
                finished_at=at + timedelta(seconds=9),
            )
        )
    chat.title = chat.messages[0].content[:60]
    chat.updated_at = when + timedelta(seconds=messages * 15)
    return chat


def timed(action: Callable[[], object], runs: int = 5) -> tuple[float, float, object]:
    """Median wall and CPU time in ms over ``runs``, and the last result."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        result = action()
        walls.append((time.perf_counter() - start) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), statistics.median(cpus), result


def show(label: str, wall: float, cpu: float, note: str = "") -> None:
    print(f"{label:<38}{wall:8.1f} ms  CPU {cpu:7.1f} ms{note}")


def process_env(base: Path, root: Path) -> dict[str, str]:
    """An environment whose ``pplx`` finds ``root`` as its chats folder (through a link), and
    whose Python keeps compiled modules (under ``base``: with a prefix, every module's) as an
    installed package has them: with ``PYTHONDONTWRITEBYTECODE`` set, as here, every launch
    compiled pplx_tui's modules again (~0.1 s of CPU that no user's ``pplx`` spends)."""
    data = base / "xdg" / "data" / "pplx-tui"
    data.mkdir(parents=True, exist_ok=True)
    if not (data / "chats").exists():
        (data / "chats").symlink_to(root.resolve(), target_is_directory=True)
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
        "PYTHONPYCACHEPREFIX": str(base / "pycache"),
        "HOME": str(base / "xdg"),
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for kind in ("CONFIG", "DATA", "STATE", "CACHE"):
        env[f"XDG_{kind}_HOME"] = str(base / "xdg" / kind.lower())
    return env


def run_process(
    command: list[str], env: dict[str, str], runs: int, before: Callable[[], object] = list
) -> tuple[float, float]:
    """Median wall and CPU (the child's rusage) in ms of ``runs`` launches of ``command``,
    after one untimed launch (which compiles what it imports, see :func:`process_env`)."""
    before()
    subprocess.run(command, capture_output=True, env=env, timeout=600, check=True)
    walls, cpus = [], []
    for _ in range(runs):
        before()
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, env=env, timeout=600, check=True)
        walls.append((time.perf_counter() - start) * 1000)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append((after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def disk_size(root: Path) -> tuple[int, int]:
    chats = sum(p.stat().st_size for p in root.glob("*.json"))
    index = sum(p.stat().st_size for p in (root / ".index").iterdir())
    return chats, index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=2000)
    parser.add_argument("--messages", type=int, default=50)
    parser.add_argument("--keep", type=Path, help="build in (and keep) this folder")
    parser.add_argument("--quick", action="store_true", help="200 chats (for CI's report)")
    options = parser.parse_args()
    if options.quick:
        options.chats = 200
    base = options.keep or Path(tempfile.mkdtemp(prefix="pplx-bench-"))
    root = base / "chats"
    rng = random.Random(7)
    try:
        start_time = datetime(2025, 1, 1, tzinfo=UTC)
        if not any(root.glob("*.json")):
            files = ChatFiles(root)
            started = time.perf_counter()
            for number in range(options.chats):
                chat = make_chat(rng, options.messages, start_time + timedelta(hours=number))
                if number == options.chats // 2:
                    chat.messages[7].content += f" The {RARE} effect."
                files.write(chat.id, dump_pieces(chat))
            seconds = time.perf_counter() - started
            print(f"wrote {options.chats} chats x {options.messages} messages in {seconds:.1f} s")
        big = make_chat(rng, 500, start_time - timedelta(days=1))
        big.id = "0big500"  # one file, whatever the number of runs over a --keep folder
        ChatFiles(root).write(big.id, dump_pieces(big))

        def drop_index() -> None:
            shutil.rmtree(root / ".index", ignore_errors=True)

        def cold_list() -> list:
            drop_index()
            return ChatStore(root).list_chats()

        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        print(f"load average {load} (wall grows with it, CPU much less)")
        wall, cpu, summaries = timed(cold_list, runs=3)
        show("list, cold (index rebuilt):", wall, cpu, f"  ({len(summaries)} chats)")
        wall, cpu, _ = timed(lambda: ChatStore(root).list_chats())
        show("list, warm (new store):", wall, cpu)
        store = ChatStore(root)
        store.list_chats()
        wall, cpu, _ = timed(store.list_chats)
        show("list, warm (same store):", wall, cpu)

        env = process_env(base, root)
        pplx = [sys.executable, "-m", "pplx_tui", "chats"]
        show("python -c pass (process):", *run_process([sys.executable, "-c", "pass"], env, 5))
        show("pplx chats list, cold (process):", *run_process([*pplx, "list"], env, 3, drop_index))
        show("pplx chats list, warm (process):", *run_process([*pplx, "list"], env, 5))

        wall, cpu, _ = timed(lambda: ChatStore(root).search(RARE), runs=1)
        show("search, first (indexes every text):", wall, cpu)
        for label, query in (
            ("rare word, scans all", RARE),
            ("two common words", "neural cache"),
            ("a phrase", '"neural cache"'),
            ("a prefix", "neur*"),
            ("no match", "no-such-phrase-anywhere"),
            ("source url", "telescope.example.org"),
        ):
            wall, cpu, hits = timed(lambda q=query: ChatStore(root).search(q))
            show(f"search {label + ':'}", wall, cpu, f"  ({len(hits)} hits)")
        for query in (RARE, "neural cache"):
            took = run_process([*pplx, "search", query], env, 5)
            show(f"pplx chats search {query} (process):", *took)
        wall, cpu, chat = timed(lambda: ChatStore(root).load(big.id))
        show("load one 500-message chat:", wall, cpu, f"  ({len(chat.messages)} messages)")
        wall, cpu, _ = timed(
            lambda: store.append_message(chat, Message(role="user", content="more?"))
        )
        show("append to it (read+merge+write):", wall, cpu)
        chats, index = disk_size(root)
        print(f"disk: chats {chats / 2**20:.1f} MiB, index {index / 2**20:.1f} MiB")
    finally:
        if options.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
