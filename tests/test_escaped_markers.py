"""An escaped marker (``\\[5\\]``, ``\\[5]``) is Markdown's literal text "[5]": not a citation
anywhere (QA: the app drew it as a marker, the cursor stopped on it and c copied source 5's
URL, while the answer's line and the sources panel said source 5 was not cited)."""

from __future__ import annotations

import pytest

from pplx_tui.citations import StreamedCitations, cited_numbers, normalize_markers
from pplx_tui.cli.ask_render import prepare_markdown
from pplx_tui.models import Message, Source
from pplx_tui.store import ChatStore
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.widgets.answer_text import AnswerText
from pplx_tui.ui.widgets.message_view import AnswerView
from tests.support.tui import cited_in_panel, region_text, until, workspace

TEXT = "Escaped \\[5\\] and \\[4] are text; [3] cites, after a backslash too: \\\\[2]."


def test_an_escaped_bracket_is_no_marker_an_escaped_backslash_is() -> None:
    assert cited_numbers(TEXT) == {3, 2}
    assert normalize_markers("\\[web:5] [web:4]") == "\\[web:5] [4]"


@pytest.mark.parametrize("cut", [len("see "), len("see \\"), len("see \\[")])
def test_a_streamed_escape_holds_across_deltas(cut: int) -> None:
    text = "see \\[5] and [3]"
    citations = StreamedCitations()
    assert citations.feed(text[:cut]) | citations.feed(text[cut:]) == {3}


async def test_the_app_draws_an_escaped_marker_as_text_and_counts_it_not_cited() -> None:
    store = ChatStore()
    chat = store.new_chat()
    chat.add(Message(role="user", content="Moons?"))
    sources = [Source(index=n, url=f"https://s{n}.example/", title=f"S{n}") for n in range(1, 6)]
    chat.add(Message(role="assistant", content=TEXT, model="demo/sonar", sources=sources))
    store.save(chat)
    app = make_app(chat_id=chat.id)
    async with app.run_test(size=(150, 40)) as pilot:
        screen = workspace(app)
        await until(pilot, lambda: screen.conversation.selected is not None)
        view = screen.query_one(AnswerView)
        await until(pilot, lambda: "Escaped [5] and [4] are text" in region_text(app, view))
        assert "5 sources, 2 cited" in region_text(app, view)
        assert cited_in_panel(app) == {2, 3}
        hrefs = [spot.href for spot in view.query_one(AnswerText).spots()]
        assert hrefs == ["#source-3", "#source-2"]  # where n / p stop


def test_pplx_ask_shows_an_escaped_marker_as_written() -> None:
    links = {n: f"https://s{n}.example/" for n in range(1, 6)}
    assert prepare_markdown("Escaped \\[4] is text.", links) == "Escaped \\[4] is text."


def test_pplx_ask_shows_display_math_only_on_lines_of_its_own() -> None:
    """``\\[5\\]`` inside a sentence or starting one is an escaped marker, as in the app: `pplx
    ask` broke the sentence in three around a "5" set apart as math."""
    sentence = "Text \\[5\\] mid, \\[6\\] next."
    assert prepare_markdown(sentence, {}) == sentence
    assert prepare_markdown("\\[5\\] starts it.", {}) == "\\[5\\] starts it."
    assert prepare_markdown("Sum:\n\\[ x^2 \\]\nend", {}) == "Sum:\n\n\nx²\n\n\nend"
    assert prepare_markdown("\\[ x^2 \\] (1)", {}) == "\n\nx²  (1)\n\n"


def test_pplx_ask_lays_a_matrix_out_in_rows_its_indent_kept() -> None:
    matrix = "\\[ A = \\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix} \\]"
    assert prepare_markdown(matrix, {}).strip("\n").split("  \n") == [
        "A = ⎛ 1  2 ⎞",
        "&nbsp;" * 4 + "⎝ 3  4 ⎠",
    ]
