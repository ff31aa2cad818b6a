"""Escape sequences cut between stream deltas are removed whole, as in one delta (QA: a CSI
split as ``\\x1b[3`` + ``1m`` left ``1m`` in the answer, an OSC title its second half).

The cleaned answer and reasoning do not depend on where the stream splits; a sequence that
never ends holds text back only up to :data:`~pplx_tui.sanitize.CARRY_LIMIT` characters. An
emoji whose UTF-16 surrogates come in two deltas is one character again.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pplx_tui.client.agent_dialect import AgentStreamParser
from pplx_tui.client.chat_dialect import ChatStreamParser
from pplx_tui.client.events import ReasoningDelta, StreamEvent, TextDelta
from pplx_tui.providers import build_catalog
from pplx_tui.sanitize import CARRY_LIMIT, clean_text
from tests.support import recorded
from tests.support.chat_client import ask, client_for, texts
from tests.support.cli import USAGE, chunk, pplx, saved_chat, saved_id
from tests.support.loopback import LoopbackServer, Reply, sse

QA_DELTAS = [
    "Whole: \x1b[31mRED\x1b[0m ok. Split: \x1b[3",
    "1mRED2\x1b",
    "[0m end. Title \x1b]0;PWN",
    "ED\x07 after.",
]
QA_CLEAN = "Whole: RED ok. Split: RED2 end. Title  after."
SEQUENCES = (
    "a\x1b[38;2;1;2;3mb\x1b]8;;https://x.example\x1b\\c\x1b]0;t\x07d\x1b(Be\x9b1mf\x9d0;g\x9ch"
    "\x1bPq\x1b\\i\x1b7j"
)
"""CSI, OSC 8 ended by ST, OSC ended by BEL, a charset escape, 8-bit CSI and OSC, a DCS and a
two-character escape."""
EVERY_CUT = [
    part for cut in range(1, len(SEQUENCES)) for part in (SEQUENCES[:cut], SEQUENCES[cut:])
]
""":data:`SEQUENCES` again and again, cut at each of its characters in turn."""
CATALOG = build_catalog()


def reasoning(events: list[StreamEvent]) -> str:
    return "".join(e.text for e in events if isinstance(e, ReasoningDelta))


def chat_frames(parts: list[str], field: str = "content") -> list[bytes]:
    events = [{"choices": [{"index": 0, "delta": {field: part}}]} for part in parts if part]
    events.append({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    return sse(*events, done=True)


def agent_frames(parts: list[str], kind: str = "response.output_text.delta") -> list[bytes]:
    events: list[dict[str, Any]] = [{"type": kind, "delta": part} for part in parts if part]
    events.append({"type": "response.completed", "response": {"status": "completed"}})
    return sse(*events)


def test_pplx_ask_removes_sequences_split_between_deltas(loopback: LoopbackServer) -> None:
    assert clean_text("".join(QA_DELTAS)) == QA_CLEAN
    events = [chunk(part) for part in QA_DELTAS] + [chunk("", finish="stop", usage=USAGE)]
    loopback.queue(Reply(chunks=sse(*events, done=True)))
    plain = pplx("ask", "--save", "fixed", server=loopback)
    loopback.queue(Reply(chunks=sse(*events, done=True)))
    as_json = pplx("ask", "--json", "fixed", server=loopback)

    assert plain.returncode == 0 and as_json.returncode == 0, plain.stderr + as_json.stderr
    assert plain.stdout.startswith(QA_CLEAN), plain.stdout
    assert json.loads(as_json.stdout)["answer"] == QA_CLEAN
    assert saved_chat(saved_id(plain.stderr))["messages"][1]["content"] == QA_CLEAN


def test_an_emoji_cut_between_its_surrogates_is_one_character(loopback: LoopbackServer) -> None:
    """A server that cuts UTF-16 (JavaScript) sends ``\\ud83d`` and ``\\ude00`` in two deltas;
    a surrogate without its pair is shown as U+FFFD (``--save`` failed on it)."""
    parts = ["smile \ud83d", "\ude00 and lone \ud83d.", " \ude00."]
    events = [chunk(part) for part in parts] + [chunk("", finish="stop", usage=USAGE)]
    expected = "smile \U0001f600 and lone \ufffd. \ufffd."
    loopback.queue(Reply(chunks=sse(*events, done=True)))
    plain = pplx("ask", "--save", "q", server=loopback)
    loopback.queue(Reply(chunks=sse(*events, done=True)))
    as_json = pplx("ask", "--json", "q", server=loopback)

    assert plain.returncode == 0 and as_json.returncode == 0, plain.stderr + as_json.stderr
    assert plain.stdout.startswith(expected), plain.stdout
    assert json.loads(as_json.stdout)["answer"] == expected
    assert saved_chat(saved_id(plain.stderr))["messages"][1]["content"] == expected


def test_every_split_point_gives_the_text_of_one_delta(loopback: LoopbackServer) -> None:
    """Answer and reasoning, chat completions and Agent API, cut at each character."""
    parts = [*EVERY_CUT, "\x1b"]  # and a lone ESC at the end
    expected = clean_text("".join(parts))
    assert expected == clean_text(SEQUENCES) * (len(SEQUENCES) - 1)
    assert clean_text(SEQUENCES) == "abcdefhij"
    cases = [
        ("openrouter", chat_frames, "content", texts),
        ("openrouter", chat_frames, "reasoning", reasoning),
        ("perplexity", agent_frames, "response.output_text.delta", texts),
        ("perplexity", agent_frames, "response.reasoning_text.delta", reasoning),
    ]

    async def each_case() -> None:
        for provider, frames, field, read in cases:
            loopback.queue(Reply(chunks=frames(parts, field)))
            async with client_for(loopback, provider) as client:
                events, error = await recorded.collect(client.stream(ask()))
            assert error is None, error
            assert read(events) == expected, (provider, field)

    asyncio.run(each_case())


def test_a_sequence_that_never_ends_holds_back_no_more_than_the_limit(
    loopback: LoopbackServer,
) -> None:
    start = "Answer \x1b]0;no end "
    filler = ["word " * 20] * (CARRY_LIMIT // 100 + 2)
    frames = chat_frames([start, *filler, "never sent"])
    loopback.queue(Reply(chunks=frames, hang_after=len(filler) + 1))

    async def until_text() -> str:
        async with client_for(loopback) as client:
            shown = ""
            async for event in client.stream(ask()):
                if isinstance(event, TextDelta):
                    shown += event.text
                    if "word" in shown:
                        return shown
        return shown

    shown = asyncio.run(asyncio.wait_for(until_text(), 20))
    assert shown.startswith("Answer ") and "\x1b" not in shown and "no end" not in shown


PIECES = st.sampled_from([*"ab\n\x1b\x1b[]3;0\x07\\(BP\x9b\x9d\x9c\ud83d\ude00", "1m", "c "])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(PIECES, st.booleans()), max_size=20))
# An emoji's surrogates parted by a sequence cut in the middle, and by a control character:
# the whole text loses what came between and joins them (the stream showed two U+FFFD).
@example([("\ud83d", False), ("\x9b", True), ("\ude00", False)])
@example([("\ud83d", True), ("\x07", True), ("\ude00", False)])
def test_the_cleaned_stream_does_not_depend_on_the_cuts(pieces: list[tuple[str, bool]]) -> None:
    """Text made of pieces of sequences, cut after the pieces marked so."""
    parts = [""]
    for piece, cut in pieces:
        parts[-1] += piece
        if cut:
            parts.append("")
    text = "".join(parts)
    chat = ChatStreamParser(CATALOG.provider("openrouter"))
    agent = AgentStreamParser(CATALOG.provider("perplexity"))
    chat_events = [e for part in parts if part for e in chat.feed(json.dumps(chunk(part)))]
    agent_events = [
        e
        for part in parts
        if part
        for e in agent.feed(json.dumps({"type": "response.reasoning_text.delta", "delta": part}))
    ]
    chat_events += chat.finish()
    agent_events += agent.finish()
    assert texts(chat_events) == reasoning(agent_events) == clean_text(text)
