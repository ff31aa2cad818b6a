"""A one-shot timer fires late rather than never (:mod:`pplx_tui.ui.timers`).

Textual's timer skips the ticks it is late for: a one-shot timer whose task first looks at the
clock after its delay has passed (descheduled on a loaded machine) never calls back. The app's
resize waits on such a timer: in a full run under load a resize never reached the screen, and
no later one did either. Here every timer task is descheduled for 50 ms right after it starts.
"""

from __future__ import annotations

import asyncio
import weakref
from types import SimpleNamespace

import pytest
import textual.timer
from textual import _time

from pplx_tui.ui.factory import make_app
from pplx_tui.ui.widgets.comparison import Comparison
from pplx_tui.ui.widgets.message_view import AnswerView
from tests.support.tui import demo_app, settle, until, workspace
from tests.test_ui_comparison_switcher import three_compared


def deschedule_timers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual's timers see the clock 50 ms on after their first look at it, as a timer task
    descheduled right after it starts does."""
    started: weakref.WeakSet[asyncio.Task[object]] = weakref.WeakSet()

    def get_time() -> float:
        task = asyncio.current_task()
        if task is None or task in started:
            return _time.get_time() + 0.05
        started.add(task)
        return _time.get_time()

    monkeypatch.setattr(textual.timer, "_time", SimpleNamespace(get_time=get_time))


async def test_a_resize_whose_timer_ran_late_reaches_the_screen_and_so_do_later_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Three answers compared side by side at 200 columns fall back to one column with a
    switcher when the terminal narrows (the comparison hears of it by the screen's resize)."""
    app = make_app(chat_id=three_compared(current=0).id)
    async with app.run_test(size=(200, 50)) as pilot:
        await settle(pilot)
        comparison = workspace(app).conversation.query_one(Comparison)
        with monkeypatch.context() as late:
            deschedule_timers(late)
            await pilot.resize_terminal(80, 24)
            await until(pilot, lambda: comparison.narrow, what="one column at 80x24")
        await pilot.resize_terminal(200, 50)
        await until(pilot, lambda: not comparison.narrow, what="side by side at 200x50")


async def test_the_answer_views_timers_fire_late_rather_than_never(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The answer writer's next step is a 1 ms timer of the answer's view: missed, the answer's
    text stalled until the stream ended."""
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        view = AnswerView()
        await workspace(app).mount(view)
        fired: list[str] = []
        deschedule_timers(monkeypatch)
        view.set_timer(0.001, lambda: fired.append("view"))
        await until(pilot, lambda: fired == ["view"], what=f"{fired}")
