"""How the search settings editor lays out its notes: a provider that takes none of the options
says so once at the top, notes start at one column, the domains example fits its box."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static

from pplx_tui.cli.columns import cells
from pplx_tui.models import SearchSettings
from tests.support.search_editor import EDITED, EditorApp
from tests.support.tui import region_text, screen_lines

SIZES = [(80, 24), (200, 50)]


def _notes_shown(app: EditorApp) -> list[Static]:
    return [note for note in app.screen.query(".search-settings--note") if note.display]


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "200x50"])
async def test_a_provider_that_takes_no_option_says_so_once(size: tuple[int, int]) -> None:
    """QA: on Groq all nine rows said "✗ not sent here: Groq hosts no Perplexity model", each
    wrapped over two or three lines: at 80x24 the dialog needed scrolling. It is said once, at
    the top, and the whole dialog fits the screen."""
    app = EditorApp(EDITED, "groq", "llama-3.3-70b-versatile")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        top = screen.query_one("#search-none-taken", Static)
        assert region_text(app, top) == (  # type: ignore[arg-type]
            "Groq takes none of these: it hosts no Perplexity model; they are kept for other"
            " models."
        )
        assert _notes_shown(app) == []
        assert "not sent here" not in "\n".join(screen_lines(app))
        dialog = screen.query_one(".search-settings--dialog")
        assert dialog.max_scroll_y == 0 and dialog.region.bottom <= size[1] - 1
        summary = screen.query_one("#search-summary", Static)
        assert "not sent: month, 3 domains, academic" in region_text(app, summary)  # type: ignore[arg-type]


async def test_a_model_that_takes_no_option_is_named() -> None:
    app = EditorApp(SearchSettings(), "openrouter", "openai/gpt-4o")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        top = app.screen.query_one("#search-none-taken", Static)
        assert region_text(app, top).startswith(  # type: ignore[arg-type]
            "openai/gpt-4o takes none of these: only Perplexity's models take search options;"
        )


@pytest.mark.parametrize("size", [(60, 30), (80, 24), (100, 24), (200, 50)])
async def test_notes_start_at_one_column(size: tuple[int, int]) -> None:
    """QA: each row's note started where its choices ended: four columns for four rows."""
    settings = EDITED.model_copy(update={"after_date": "01/01/2024"})  # recency: not sent
    app = EditorApp(settings, "perplexity", "fast")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        notes = _notes_shown(app)
        assert len(notes) == 5 and not app.screen.query("#search-none-taken")
        assert len({note.region.x for note in notes}) == 1, [n.region for n in notes]
        label = app.screen.query_one(".search-settings--label")
        assert notes[0].region.x > label.region.right - 1  # under the choices, not the labels


@pytest.mark.parametrize("size", [(60, 24), (80, 24), (200, 50)])
@pytest.mark.parametrize("provider, model", [("groq", "qwen/qwen3-32b"), ("perplexity", "fast")])
async def test_the_domains_example_fits_its_box(size: tuple[int, int], provider, model) -> None:
    """QA: at 80 columns on Groq the example read ``nature.com, arxiv.org  or`` (of "or
    deny:"), the note beside it taking the rest."""
    app = EditorApp(SearchSettings(), provider, model)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        box = app.screen.query_one("#search-domains", Input)
        assert cells(box.placeholder) <= box.content_region.width, box.content_region
        assert region_text(app, box) == " ".join(box.placeholder.split())  # type: ignore[arg-type]
