"""A question keeps the lines it was typed on (QA: "line one" ctrl+j "line two" was shown as
"line one line two": questions are Markdown, where a single line break joins the lines)."""

from __future__ import annotations

from pplx_tui.ui.widgets.markdown_text import MarkdownText
from pplx_tui.ui.widgets.question_view import QuestionView
from tests.support.tui import demo_app, send, until, workspace


def question_lines(view: QuestionView) -> list[str]:
    text = view.query_one(MarkdownText)
    lines = [line.plain.rstrip() for line in text.document.lines(text.size.width)]
    return lines[: len(lines) - (lines[-1:] == [""])]  # without the bottom margin


async def test_a_question_typed_on_several_lines_is_shown_on_them() -> None:
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await send(pilot, "Compare these:\n- Phobos\n- Deimos\n\nSay which is larger,\nbriefly.")
        screen = workspace(app)
        await until(pilot, lambda: bool(screen.query(QuestionView)))
        view = screen.query_one(QuestionView)
        await until(pilot, lambda: bool(view.query_one(MarkdownText).size.width))
        assert question_lines(view) == [
            "Compare these:",
            "",
            "• Phobos",
            "• Deimos",
            "",
            "Say which is larger,",
            "briefly.",
        ]
