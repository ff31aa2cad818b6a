"""Streaming one answer for ``pplx ask``, and telling the user (on a terminal) when the server
goes silent, a retry is on its way or the model is thinking."""

from __future__ import annotations

import asyncio
import sys
import time
from math import ceil
from typing import TYPE_CHECKING

from pplx_tui.cli.common import stderr_line

if TYPE_CHECKING:
    from pplx_tui.cli.ask_output import PlainPrinter
    from pplx_tui.cli.ask_thinking import ThinkingLine
    from pplx_tui.client.answer import AnswerBuilder
    from pplx_tui.client.limits import StreamLimits
    from pplx_tui.client.request import ChatRequest
    from pplx_tui.session import Target


def wait_notice_seconds() -> float | None:
    """Seconds of silence before the "waiting for the server" line; ``None``: not a terminal."""
    from pplx_tui.session import wait_notice_seconds as configured

    return configured() if sys.stderr.isatty() else None


async def stream_answer(
    target: Target,
    request: ChatRequest,
    builder: AnswerBuilder,
    printer: PlainPrinter | None,
    *,
    limits: StreamLimits | None = None,
    notice_after: float | None = None,
    show_thinking: bool = False,
    stop_hint: str,
) -> None:
    """``show_thinking``: the "thinking…" line on stderr (a terminal) while reasoning comes;
    ``stop_hint`` ends the "waiting for the server" line (what Ctrl-C does)."""
    from pplx_tui.cli.ask_signals import ended_like_ctrl_c
    from pplx_tui.cli.ask_thinking import ThinkingLine
    from pplx_tui.client import make_client
    from pplx_tui.client.errors import cut_short, empty_answer
    from pplx_tui.client.events import KeepAlive, ReasoningDelta, Retrying, TextDelta

    client = make_client(target.provider, target.api_key, target.base_url, limits=limits)
    stall = Stall()
    thinking = ThinkingLine(sys.stderr) if show_thinking else None
    watcher = (
        asyncio.create_task(_tell_when_stalled(stall, notice_after, stop_hint, printer, thinking))
        if notice_after
        else None
    )
    try:
        with ended_like_ctrl_c():  # timeout, kill: the partial answer is kept, as on Ctrl-C
            async with client:
                # Once the question is sent, the printer loads what it draws with (Rich on a
                # terminal) while the server works on the answer.
                prepare = printer.prepare if printer is not None else None
                async for event in client.stream(request, on_sent=prepare):
                    if isinstance(event, KeepAlive):
                        stall.alive = time.monotonic()
                        continue
                    stall.progress()
                    if isinstance(event, Retrying):
                        if notice_after:  # stderr is a terminal
                            said = f"{event.reason}; asking again in {ceil(event.delay)} s…"
                            _say(said, printer, thinking)
                        continue
                    builder.add(event)
                    if isinstance(event, ReasoningDelta):
                        if thinking is not None:
                            thinking.thinking()
                        if printer is not None:
                            printer.think(event.text)
                    elif isinstance(event, TextDelta):
                        if thinking is not None:
                            thinking.stop()
                        if printer is not None:
                            printer.write(event.text)
            if cut := cut_short(builder.finish_reason, target.provider.label):
                raise cut
            if not builder.answered:
                raise empty_answer(target.model.id)
    finally:
        if watcher is not None:
            watcher.cancel()
        if thinking is not None:
            thinking.stop()


class Stall:
    """When the last event with content arrived, the last keep-alive, and whether the current
    silence was already reported."""

    def __init__(self) -> None:
        self.last = time.monotonic()
        self.alive = 0.0
        self.told = False

    def progress(self) -> None:
        self.last = time.monotonic()
        self.told = False


async def _tell_when_stalled(
    stall: Stall,
    after: float,
    stop_hint: str,
    printer: PlainPrinter | None,
    thinking: ThinkingLine | None,
) -> None:
    """One stderr line per silence longer than ``after`` seconds."""
    while True:
        wait = stall.last + after - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
            continue
        if not stall.told:
            stall.told = True
            working = time.monotonic() - stall.alive < after
            state = "the server is still working" if working else "waiting for the server"
            _say(
                f"{state} (nothing new for {after:g} s)… {stop_hint}",
                printer,
                thinking,
            )
        await asyncio.sleep(after)


def _say(text: str, printer: PlainPrinter | None, thinking: ThinkingLine | None) -> None:
    """One ``pplx:`` line on stderr, on a fresh line when stdout shares the terminal and
    stopped mid-line (in place of the "thinking…" line, which comes back below it)."""
    if thinking is not None:
        thinking.erase()
    mid_line = printer is not None and printer.is_tty and not printer.ends_with_newline
    sys.stderr.write(("\n" if mid_line else "") + stderr_line(text) + "\n")
    sys.stderr.flush()
