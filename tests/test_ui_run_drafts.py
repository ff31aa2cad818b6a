"""A background run whose polls carry a draft of its answer while it researches: each poll is
the run as it stands, so the final text replaces the draft (QA: the app showed the draft
followed by the final text less its first characters, ``Partial finding so far [1].: Solid…``;
the chat file was right)."""

from __future__ import annotations

import pytest

from pplx_tui.sanitize import clean_text
from pplx_tui.ui.widgets.markdown_text import MarkdownText
from tests.support.agent_runs import ANSWER, RunScript
from tests.support.answers import answers, saved
from tests.support.tui import agent_app, on_screen, send, until, workspace

DRAFT = "Partial finding so far [1]."


@pytest.fixture(autouse=True)
def quick_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PPLX_POLL_INTERVAL", "0.1")


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_the_final_text_of_a_run_replaces_its_draft(agent, size) -> None:
    agent.scripts.append(RunScript(hold=True, partial=DRAFT))
    app = agent_app(agent, model="high")
    async with app.run_test(size=size) as pilot:
        screen = workspace(app)
        await send(pilot, "How do tardigrades survive?")
        await until(pilot, lambda: on_screen(app, DRAFT))
        chat_id = screen.chat.id
        agent.finish()
        await until(pilot, lambda: screen.pending is None)
        [view] = answers(app)
        await until(pilot, lambda: not view.is_drawing)
        drawn = "".join(text.source for text in view.query_children(MarkdownText))
        assert drawn == clean_text(ANSWER)
        assert not on_screen(app, "Partial finding")
        assert on_screen(app, "Tardigrades survive open space")
    assert saved(chat_id).messages[-1].content == ANSWER
