"""How an answer that ended in another chat is told: the chat list's mark and the toast say
how it ended (QA: an answer that broke off while another chat was open was marked "● new
answer" in the list and toasted "is ready", beside a toast that named no chat)."""

from __future__ import annotations

from pplx_tui.models import MessageStatus
from tests.support.cli import answer_frames
from tests.support.loopback import LoopbackServer, Reply
from tests.support.tui import Notifications, loopback_app, row_text, send, until, workspace

WIDE = (150, 40)


async def test_an_answer_that_broke_off_elsewhere_is_not_called_ready(
    loopback: LoopbackServer,
) -> None:
    reply = Reply(
        chunks=answer_frames(["Mars has ", "two moons [1]"], finished=False), hang_after=1
    )
    loopback.queue(reply)
    notes = Notifications()
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE, message_hook=notes) as pilot:
        screen = workspace(app)
        await send(pilot, "How many moons does Mars have?")
        first = screen.chat.id
        await until(pilot, lambda: bool(screen.pending and screen.pending.builder.content))
        await pilot.press("ctrl+n")  # the answer goes on in the background
        await until(pilot, lambda: screen.chat.id != first)
        await until(pilot, lambda: first in {e.id for e in screen.chat_list.entries})
        reply.resume()  # the rest arrives, then the connection ends mid-answer
        await until(pilot, lambda: first not in screen.answering.working)
        await until(pilot, lambda: "broke off" in row_text(app, first))

        assert "new answer" not in row_text(app, first)
        assert not any("is ready" in text for text in notes.texts())
        told = [text for text in notes.texts("warning") if "broke off" in text]
        assert told and "How many moons does Mars have?" in told[0]

        await screen.open_chat(first)
        await pilot.pause()
        assert "broke off" not in row_text(app, first)  # seen now
    assert screen.chat.messages[-1].status == MessageStatus.INTERRUPTED
