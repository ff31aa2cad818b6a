"""While an answer is drawn the garbage collector's full passes wait (issue 12: 4-7 passes of
60-160 ms stopped the screen during one long answer); one runs once the answer is drawn and
the user is not typing, and the collector's thresholds come back."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from time import monotonic

import pytest
from pytest import MonkeyPatch
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll

from pplx_tui.models import Message
from pplx_tui.ui import gc_quiet
from pplx_tui.ui.themes import app_variable_defaults
from pplx_tui.ui.widgets import answer_writer
from pplx_tui.ui.widgets.message_view import AnswerView
from tests.support.waits import until


@pytest.fixture(autouse=True)
def quick(monkeypatch: MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(answer_writer, "SHOW_INTERVAL", 0.001)
    monkeypatch.setattr(gc_quiet, "SETTLE", 0.01)
    monkeypatch.setattr(gc_quiet, "IDLE", 0.2)
    gc_quiet.reset()  # from an app of an earlier test that ended mid-answer
    thresholds = gc.get_threshold()
    yield
    gc_quiet.reset()
    gc.set_threshold(*thresholds)


class AnswerApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.last_key = 0.0

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return app_variable_defaults(self.current_theme)

    def compose(self) -> ComposeResult:
        yield VerticalScroll()


def full_passes() -> int:
    return gc.get_stats()[2]["collections"]


async def test_full_collections_wait_until_the_answer_is_drawn_and_typing_stops(
    monkeypatch: MonkeyPatch,
) -> None:
    looks: list[tuple[bool, int]] = []
    look = gc_quiet._collect_when_idle

    def looking(app: AnswerApp) -> None:
        if not looks:
            app.last_key = monotonic()  # a key pressed as the answer was drawn
        look(app)
        looks.append((gc_quiet.holding(), full_passes()))

    monkeypatch.setattr(gc_quiet, "_collect_when_idle", looking)
    thresholds = gc.get_threshold()
    app = AnswerApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = AnswerView(provider="demo", model="demo/sonar")
        await app.query_one(VerticalScroll).mount(view)
        view.begin()
        assert gc.get_threshold()[2] == gc_quiet.NEVER
        assert gc.get_threshold()[:2] == thresholds[:2]  # young generations as before
        text = "".join(f"Paragraph {n} says more.\n\n" for n in range(200))
        for start in range(0, len(text), 40):
            await view.add_text(text[start : start + 40])
        await view.finish(Message(role="assistant", content=text))
        before = full_passes()
        await until(pilot, lambda: not gc_quiet.holding())
        assert not view.is_drawing
        assert looks[0] == (True, before)  # typing: it waited
        assert len(looks) >= 2 and full_passes() > before
        assert gc.get_threshold() == thresholds


async def test_an_answer_view_that_goes_while_streaming_lets_collections_run() -> None:
    thresholds = gc.get_threshold()
    app = AnswerApp()
    async with app.run_test(size=(80, 24)) as pilot:
        view = AnswerView(provider="demo", model="demo/sonar")
        await app.query_one(VerticalScroll).mount(view)
        view.begin()
        await view.add_text("Half an answer")
        assert gc.get_threshold()[2] == gc_quiet.NEVER
        await view.remove()  # another chat is opened; the answer streams on unseen
        await until(pilot, lambda: not gc_quiet.holding())
        assert gc.get_threshold() == thresholds
