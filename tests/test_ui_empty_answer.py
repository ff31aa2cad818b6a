"""An answer that finished with no text is a failed answer in the app (QA, 100x30: the block
showed its model line and "4 sources, 0 cited · 30 tokens", no text, no note, no Retry)."""

from __future__ import annotations

from pplx_tui.models import MessageStatus
from pplx_tui.store import ChatStore
from tests.support.answers import answer_reply, answers
from tests.support.cli import USAGE, chunk
from tests.support.loopback import LoopbackServer, Reply, sse
from tests.support.tui import ask, loopback_app, on_screen, settle, until
from tests.support.tui import workspace as research

EMPTY = "perplexity/sonar sent an empty answer."


async def test_an_empty_answer_says_so_offers_retry_and_is_saved_so(
    loopback: LoopbackServer,
) -> None:
    loopback.queue(Reply(chunks=sse(chunk(""), chunk("", finish="stop", usage=USAGE), done=True)))
    app = loopback_app(loopback)
    async with app.run_test(size=(100, 30)) as pilot:
        await ask(pilot, "Moons of Mars?")
        await until(pilot, lambda: on_screen(app, EMPTY))
        screen = research(app)
        failed = screen.chat.messages[-1]
        assert failed.status == MessageStatus.ERROR and failed.error == EMPTY
        assert len(failed.sources) == 2 and failed.usage is not None
        view = answers(app)[-1]
        assert view.has_class("-error")
        assert str(view.query_one(".answer-view--error-text").render()) == EMPTY
        assert on_screen(app, "Retry (ctrl+r)")
        saved = ChatStore().load(screen.chat.id).messages[-1]
        assert (saved.status, saved.error) == (MessageStatus.ERROR, EMPTY)

        loopback.queue(answer_reply(["Phobos and Deimos."]))
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert screen.chat.active_path()[-1].content == "Phobos and Deimos."
        assert screen.chat.active_path()[-1].status == MessageStatus.COMPLETE
