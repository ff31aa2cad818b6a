"""A streaming answer yields to typing (issue 12, echo while streaming): for a moment after a
key press the answer draws nothing new, so the key's own frame is not queued behind a frame
that lays the growing answer out again; the draw comes once typing pauses."""

from __future__ import annotations

from time import monotonic

from pytest import MonkeyPatch
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.widgets import Static

from pplx_tui.ui.themes import app_variable_defaults
from pplx_tui.ui.widgets import answer_writer
from pplx_tui.ui.widgets.markdown_text import MarkdownText
from pplx_tui.ui.widgets.message_view import AnswerView
from pplx_tui.ui.widgets.progress_line import PROGRESS_INTERVAL
from tests.support.waits import until


class Typing(App[None]):
    """An answer and the time of the last key press (as PplxApp keeps it)."""

    last_key = 0.0

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return app_variable_defaults(self.current_theme)

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield AnswerView(provider="demo", model="demo/sonar")


def shown(view: AnswerView) -> str:
    return "".join(text.source for text in view.query(MarkdownText))


async def test_text_waits_while_the_user_types_then_is_drawn(monkeypatch: MonkeyPatch) -> None:
    monkeypatch.setattr(answer_writer, "SHOW_INTERVAL", 0.001)  # else shown at once
    monkeypatch.setattr(answer_writer, "KEY_QUIET", 0.3)
    app = Typing()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(AnswerView)
        view.begin()
        await view.add_text("Before the key.")
        await until(pilot, lambda: "Before the key." in shown(view))
        text = view.query(MarkdownText).last()
        repaints: list[float] = []
        refresh = text.refresh

        def recording(*regions: Region, **options: bool) -> MarkdownText:
            repaints.append(monotonic())
            return refresh(*regions, **options)

        text.refresh = recording  # type: ignore[method-assign]
        app.last_key = pressed = monotonic()
        await view.add_text(" After it.")
        # Held while the key's frame is drawn (it may be taken in meanwhile, not repainted).
        await until(pilot, lambda: bool(repaints))
        assert repaints[0] - pressed >= 0.3
        assert "After it." in shown(view)


async def test_typing_never_holds_the_text_longer_than_max_defer(
    monkeypatch: MonkeyPatch,
) -> None:
    monkeypatch.setattr(answer_writer, "KEY_QUIET", 60.0)  # as if keys never stopped
    monkeypatch.setattr(answer_writer, "MAX_DEFER", 0.2)
    app = Typing()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(AnswerView)
        view.begin()
        app.last_key = monotonic()
        await view.add_text("Still drawn.")
        await until(pilot, lambda: "Still drawn." in shown(view))


async def test_the_progress_line_changes_without_laying_the_screen_out() -> None:
    """It changes with every burst; a layout per burst re-arranged the whole screen."""
    app = Typing()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(AnswerView)
        view.begin()
        await pilot.pause()
        progress = view.query_one(".answer-view--progress", Static)
        layouts: list[bool] = []
        refresh = progress.refresh

        def recording(*regions: Region, layout: bool = False, **options: bool) -> Static:
            layouts.append(layout)
            return refresh(*regions, layout=layout, **options)

        progress.refresh = recording  # type: ignore[method-assign]
        for line in ("Answering · 2 s · 120 tokens", "Answering · 3 s · 180 tokens"):
            view.set_progress(line)
            await until(pilot, lambda line=line: str(progress.render()) == line)
        assert layouts == [False, False]
        long = "A line far too long for the answer's width, " * 3
        view.set_progress(long)
        await until(pilot, lambda: str(progress.render()) == long)
        assert True in layouts[2:]  # it wraps: its height changes


async def test_the_progress_line_changes_at_most_every_progress_interval() -> None:
    """At 200 deltas a second it changed with every burst: a frame a loop turn for one line."""
    app = Typing()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(AnswerView)
        started = monotonic()
        view.begin()  # says it waits for the answer, at once
        progress = view.query_one(".answer-view--progress", Static)
        for tokens in range(10, 60):
            view.set_progress(f"Answering · 1 s · {tokens} tokens")
        assert str(progress.render()) == "Waiting for the answer…"
        await until(pilot, lambda: str(progress.render()) == "Answering · 1 s · 59 tokens")
        assert monotonic() - started >= PROGRESS_INTERVAL * 0.8


class Scroll(VerticalScroll):
    """A scrolling container as the conversation is."""


class Growing(Typing):
    def compose(self) -> ComposeResult:
        with Scroll():
            yield AnswerView(provider="demo", model="demo/sonar")


async def test_a_growing_answer_is_laid_out_once_a_show(monkeypatch: MonkeyPatch) -> None:
    """The answer and its text set their new virtual size without asking for a
    second layout (one that changed nothing followed each, 7-20 ms at 160x48)."""
    monkeypatch.setattr(answer_writer, "SHOW_INTERVAL", 0.001)
    app = Growing()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.query_one(AnswerView)
        view.begin()
        await view.add_text("First paragraph.\n\n")
        await until(pilot, lambda: view.query(MarkdownText).last().size.height > 1)
        await pilot.pause(0.1)
        layouts: list[float] = []
        screen = app.screen
        lay_out = screen._refresh_layout

        def counting(*args: object, **options: object) -> None:
            layouts.append(monotonic())
            lay_out(*args, **options)  # type: ignore[arg-type]

        screen._refresh_layout = counting  # type: ignore[method-assign]
        await view.add_text("".join(f"Paragraph {n}.\n\n" for n in range(6)))
        await until(pilot, lambda: bool(layouts))
        await pilot.pause(0.2)
        assert len(layouts) == 1


def test_laid_out_widgets_keep_their_textual_class_css() -> None:
    """The mix-in is no DOM class: Textual takes a widget's default CSS from its first DOM
    base, so a widget base before ``Vertical`` hid ``Vertical``'s CSS (and focus settings)."""
    assert "Vertical" in [base.__name__ for base in AnswerView._css_bases(AnswerView)]
