"""Chat store at scale: 2,000 chats x 50 messages. Prints figures; asserts nothing.

    python bench/bench_store.py [--quick] [--chats N] [--messages N] [--keep DIR]

(with the package installed, ``pip install -e .``, or ``PYTHONPATH=.`` from a checkout).

Aims: warm list < 100 ms, search < 300 ms, loading one 500-message chat < 150 ms.
"Cold" rebuilds the index from the chat files; "warm" is a new ChatStore (as a fresh
``pplx chats`` process would be) over an index that is up to date.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pplx_tui.models import Chat, Message, Source, Usage
from pplx_tui.store import ChatStore, new_chat_id
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


def timed(action: Callable[[], object], runs: int = 5) -> tuple[float, object]:
    """Median wall time in ms over ``runs`` and the last result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


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
                files.write(chat)
            seconds = time.perf_counter() - started
            print(f"wrote {options.chats} chats x {options.messages} messages in {seconds:.1f} s")
        big = make_chat(rng, 500, start_time - timedelta(days=1))
        ChatFiles(root).write(big)

        shutil.rmtree(root / ".index", ignore_errors=True)
        cold, summaries = timed(lambda: ChatStore(root).list_chats(), runs=1)
        print(f"list, cold (index rebuilt):     {cold:8.1f} ms  ({len(summaries)} chats)")
        warm, _ = timed(lambda: ChatStore(root).list_chats())
        print(f"list, warm (new store):         {warm:8.1f} ms")
        store = ChatStore(root)
        store.list_chats()
        hot, _ = timed(store.list_chats)
        print(f"list, warm (same store):        {hot:8.1f} ms")
        for label, query in (
            ("rare word, scans all", RARE),
            ("two common words", "neural cache"),
            ("no match", "no-such-phrase-anywhere"),
            ("source url", "telescope.example.org"),
        ):
            took, hits = timed(lambda q=query: ChatStore(root).search(q))
            print(f"search {label + ':':<24}{took:8.1f} ms  ({len(hits)} hits)")
        took, chat = timed(lambda: ChatStore(root).load(big.id))
        print(f"load one 500-message chat:      {took:8.1f} ms  ({len(chat.messages)} messages)")
        took, _ = timed(lambda: store.append_message(chat, Message(role="user", content="more?")))
        print(f"append to it (read+merge+write):{took:8.1f} ms")
        chats, index = disk_size(root)
        print(f"disk: chats {chats / 2**20:.1f} MiB, index {index / 2**20:.1f} MiB")
    finally:
        if options.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
