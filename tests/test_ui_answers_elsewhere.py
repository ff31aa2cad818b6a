"""How an answer that ended in another chat is told: the chat list's mark and the toast say
how it ended (QA: an answer that broke off while another chat was open was marked "● new
answer" in the list and toasted "is ready", beside a toast that named no chat)."""

from __future__ import annotations

import pytest

from pplx_tui.models import MessageStatus
from tests.support.cli import answer_frames
from tests.support.faults import IN_BAND_ERROR
from tests.support.loopback import LoopbackServer, Reply, sse
from tests.support.tui import Notifications, loopback_app, row_text, send, until, workspace

WIDE = (150, 40)


ENDINGS = {
    # Part of the answer, then the connection ends: kept, interrupted, with the error.
    "broke off": lambda: answer_frames(["Mars has ", "two moons [1]"], finished=False),
    # Nothing yet, then the provider's error: the answer failed.
    "failed": lambda: [b": thinking\n\n", *sse(IN_BAND_ERROR)],
}
"""How the answer ends: the chunks sent, held after the first until the user has left."""


@pytest.mark.parametrize("how", ENDINGS)
async def test_an_answer_that_ended_badly_elsewhere_is_not_called_ready(
    loopback: LoopbackServer, how: str
) -> None:
    reply = Reply(chunks=ENDINGS[how](), hang_after=1)
    loopback.queue(reply)
    notes = Notifications()
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        screen = workspace(app)
        await send(pilot, "How many moons does Mars have?")
        first = screen.chat.id
        await until(pilot, lambda: bool(loopback.requests and screen.pending))
        await pilot.press("ctrl+n")  # the answer goes on in the background
        await until(pilot, lambda: screen.chat.id != first)
        await until(pilot, lambda: first in {e.id for e in screen.chat_list.entries})
        reply.resume()  # the rest arrives, then the connection ends mid-answer
        await until(pilot, lambda: first not in screen.answering.working)
        await until(pilot, lambda: how in row_text(app, first))

        assert "new answer" not in row_text(app, first)
        assert not any("is ready" in text for text in notes.texts())
        told = [text for text in notes.texts("warning") if how in text]
        assert told and "How many moons does Mars have?" in told[0]

        await screen.open_chat(first)
        await pilot.pause()
        assert how not in row_text(app, first)  # seen now
    status = MessageStatus.INTERRUPTED if how == "broke off" else MessageStatus.ERROR
    assert screen.chat.messages[-1].status == status
