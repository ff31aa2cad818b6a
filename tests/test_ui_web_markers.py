"""``[web:N]`` markers in the app (issue 10 item 6): highlighted, counted as cited while the
answer streams, reachable with n/p and the digits, and a marker naming no source said so."""

from __future__ import annotations

from pplx_tui.ui.widgets.conversation import Conversation
from pplx_tui.ui.widgets.message_view import AnswerView
from pplx_tui.ui.widgets.sources_panel import SourcesPanel
from tests.support import recorded, web_markers
from tests.support.loopback import Reply
from tests.support.tui import agent_app, cited_in_panel, send, workspace
from tests.support.waits import until

WIDE = (150, 40)


async def test_web_markers_are_cited_while_streaming_and_reachable(loopback) -> None:
    events = web_markers.stream_events()
    # Hold the run open after the text: the marks must come from the streamed markers.
    loopback.queue(Reply(chunks=recorded.frames(events), hang_after=len(events) - 1))
    app = agent_app(loopback, "medium")
    async with app.run_test(size=WIDE) as pilot:
        await send(pilot, "Vector DB prices?")
        known = web_markers.CITED - set(web_markers.UNKNOWN)
        await until(pilot, lambda: cited_in_panel(app) >= known)
        view = workspace(app).query_one(AnswerView)
        assert view.cited >= web_markers.CITED
        await pilot.press("escape")  # stop: the partial answer is kept
        await app.workers.wait_for_complete()
        await until(pilot, lambda: view.message is not None)
        # Once whole, the answer is read again: `[web:2]` in code is no marker.
        assert view.cited == web_markers.CITED
        assert cited_in_panel(app) == known

        progress = str(view.query_one(".answer-view--progress").render())
        assert "9 sources, 5 cited · [0] names no source" in progress
        panel = workspace(app).query_one(SourcesPanel)
        conversation = workspace(app).query_one(Conversation)
        conversation.focus()
        seen = []
        for _ in range(5):
            await pilot.press("n")
            await pilot.pause()
            seen.append(panel.highlighted.index if panel.highlighted else None)
        assert seen == [11, 21, 12, 1, 23]
        await pilot.press("n")  # [web:0]: no such source, and the app says so
        await until(pilot, lambda: any("no source [0]" in n.message for n in app._notifications))
        await pilot.press("3")
        await pilot.pause()
        assert panel.highlighted is not None and panel.highlighted.index == 3


async def test_two_digits_reach_a_source_numbered_10_or_more_among_few(loopback) -> None:
    """QA: nine sources numbered up to 23 (the Agent API's ids go on across searches): `2` `1`
    went to [2] and then [1] — [21] could not be reached with the digits, as two digits were
    read only when the answer had ten sources or more."""
    events = web_markers.stream_events()
    loopback.queue(Reply(chunks=recorded.frames(events)))
    app = agent_app(loopback, "medium")
    async with app.run_test(size=WIDE) as pilot:
        await send(pilot, "Vector DB prices?")
        view = workspace(app).query_one(AnswerView)
        await until(pilot, lambda: view.message is not None)
        panel = workspace(app).query_one(SourcesPanel)
        assert len(panel.sources) < 10
        workspace(app).query_one(Conversation).focus()
        await pilot.press("2", "1")
        await until(pilot, lambda: panel.highlighted is not None and panel.highlighted.index == 21)
