"""Which models a comparison asks, driven through pilots: one model at two providers told apart
by provider, and a deep research preset asked as a background run beside a streamed answer."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import SelectionList

from pplx_tui.models import Message, MessageStatus, SearchSettings
from pplx_tui.store import ChatStore
from pplx_tui.ui.dialogs.compare_picker import ComparePickerScreen
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.widgets.comparison import Comparison
from pplx_tui.ui.widgets.message_view import AnswerView
from tests.support.agent_runs import KEY, RunScript
from tests.support.answers import reply, saved
from tests.support.loopback import LoopbackServer, RecordedRequest, Reply
from tests.support.tui import agent_app, loopback_app, on_screen, until, use_key, workspace

WIDE = (150, 40)


async def test_one_model_from_two_providers_is_told_apart_by_provider(
    loopback: LoopbackServer,
) -> None:
    """QA: ticking Sonar at Perplexity and Sonar at OpenRouter read "Ticked (2): Sonar, Sonar",
    the line before asking "… of perplexity/sonar, perplexity/sonar", and the columns' switcher
    "perplexity/sonar #1 …": which was which only the column labels said."""
    from textual.widgets import SelectionList

    use_key("PERPLEXITY_API_KEY", KEY)
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        workspace(app).prompt.insert("Moons?")
        await pilot.press("ctrl+t")
        await until(pilot, lambda: isinstance(app.screen, ComparePickerScreen))
        picker = app.screen
        assert isinstance(picker, ComparePickerScreen)
        picker.query_one(SelectionList).select(
            picker.choices.index(("perplexity", "perplexity/sonar"))
        )
        both = "Ticked (2): Sonar (perplexity), Sonar (openrouter)"
        await until(pilot, lambda: on_screen(app, both))
        await pilot.press("enter")  # names what would be asked; a second Enter would ask
        await until(
            pilot,
            lambda: on_screen(
                app, "of perplexity/sonar (perplexity), perplexity/sonar (openrouter)"
            ),
        )

    store = ChatStore()
    chat = store.new_chat()
    question = chat.add(Message(role="user", content="Moons?"))
    for provider in ("perplexity", "openrouter"):
        chat.add(
            Message(
                role="assistant",
                content=f"{provider} answer",
                model="perplexity/sonar",
                provider=provider,
                comparison="c1",
            ),
            after=question.id,
        )
    store.save(chat)
    app = make_app(chat_id=chat.id)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        switcher = str(
            workspace(app).query_one(Comparison).query_one(".comparison--switcher").render()
        )
        assert "1 sonar (perplexity)  [2 sonar (openrouter)]" in switcher  # (vendor dropped)


async def compare_with_high(pilot: Pilot[Any]) -> None:
    """Compare the app's model with the ``high`` preset (a background run) until the run is
    researching."""
    app = pilot.app
    workspace(app).prompt.insert("How do tardigrades survive?")
    await pilot.press("ctrl+t")
    await until(pilot, lambda: isinstance(app.screen, ComparePickerScreen))
    picker = app.screen
    assert isinstance(picker, ComparePickerScreen)
    picker.query_one(SelectionList).select(picker.choices.index(("perplexity", "high")))
    await pilot.press("enter", "enter")
    await until(pilot, lambda: on_screen(app, "Researching (background run)"))


async def test_a_deep_research_preset_compared_runs_in_the_background(agent) -> None:
    """QA: comparing fast with high streamed high, for minutes, tied to the window (closing
    it lost the answer): a compared ``background_models`` preset is asked as a background run,
    as it is asked alone, and its column fills in when the run ends."""
    agent.scripts.append(RunScript(hold=True))
    app = agent_app(agent, model="fast")
    async with app.run_test(size=WIDE) as pilot:
        workspace(app).chat.settings.search = SearchSettings(mode="academic")
        await compare_with_high(pilot)
        starts = [r.json for r in agent.requests if r.method == "POST"]
        assert {(b.get("preset"), bool(b.get("background"))) for b in starts} == {
            ("fast", False),
            ("high", True),
        }
        chat_id = workspace(app).chat.id
        await until(pilot, lambda: any(m.running for m in saved(chat_id).messages))

        agent.finish()
        await until(pilot, lambda: not workspace(app).alternatives.comparing)
        await until(pilot, lambda: on_screen(app, "Tardigrades survive open space"))
    answers = [m for m in saved(chat_id).messages if m.role == "assistant"]
    assert [a.status for a in answers] == [MessageStatus.COMPLETE] * 2
    assert len({a.comparison for a in answers}) == 1 and not any(a.running for a in answers)
    # Each says the search mode was not sent (the Agent API has none), the run's as well.
    assert [a.search_not_sent for a in answers] == [
        {"mode": "the Agent API has no search mode"}
    ] * 2


async def test_quitting_mid_comparison_keeps_each_columns_partial_answer(
    loopback: LoopbackServer,
) -> None:
    """QA: ctrl+q while compared answers streamed kept neither (the chat held the question
    alone); one answer streaming alone is kept, interrupted. Each column is now."""

    def answer(request: RecordedRequest) -> Reply:
        if request.json["model"] == "perplexity/sonar-pro":
            partial = reply("Half of it")
            return Reply(chunks=[partial.chunks[0], *partial.chunks], hang_after=1)
        return reply("Sonar answers [1].", "https://nasa.gov/mars")

    loopback.default = answer
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        chat_id = workspace(app).chat.id
        workspace(app).prompt.insert("How many moons?")
        await pilot.press("ctrl+t")
        await until(pilot, lambda: isinstance(app.screen, ComparePickerScreen))
        await pilot.press("down", "space", "enter", "enter")  # sonar and sonar-pro
        await until(pilot, lambda: on_screen(app, "Half of it"))
        await until(pilot, lambda: on_screen(app, "Sonar answers"))
    answers = {m.model: m for m in saved(chat_id).messages if m.role == "assistant"}
    assert answers["perplexity/sonar"].status == MessageStatus.COMPLETE
    assert answers["perplexity/sonar-pro"].status == MessageStatus.INTERRUPTED
    assert answers["perplexity/sonar-pro"].content == "Half of it"
    assert len({m.comparison for m in answers.values()}) == 1
    # Later questions follow the first column, as the screen said, not the last one kept.
    assert saved(chat_id).active_path()[-1].model == "perplexity/sonar"


async def test_escape_on_a_comparison_cancels_its_background_run_at_the_provider(agent) -> None:
    """Stopping a comparison stopped its columns here; a background run's goes on at the
    provider (and costs) unless it is cancelled there, as Escape does for a run alone."""
    agent.scripts.append(RunScript(hold=True))
    app = agent_app(agent, model="fast")
    async with app.run_test(size=WIDE) as pilot:
        await compare_with_high(pilot)
        await pilot.press("escape")
        await until(pilot, lambda: any(r.path.endswith("/cancel") for r in agent.requests))
        await until(pilot, lambda: not workspace(app).alternatives.comparing)


async def test_a_compared_run_followed_after_a_restart_fills_its_own_column(agent) -> None:
    """QA: reopened while its deep research column still ran, a comparison showed that column
    "still working" and the run's progress, then its answer, in a second answer under it: the
    same answer twice, one never filled in. The run now goes on in its column."""
    agent.scripts.append(RunScript(hold=True))
    first = agent_app(agent, model="fast")
    async with first.run_test(size=WIDE) as pilot:
        await compare_with_high(pilot)
        chat_id = workspace(first).chat.id

    second = agent_app(agent, model="fast", chat_id=chat_id)
    async with second.run_test(size=WIDE) as pilot:
        screen = workspace(second)
        await until(pilot, lambda: on_screen(second, "Researching (background run)"))
        comparison = screen.query_one(Comparison)
        assert len(screen.query(AnswerView)) == 2  # the two columns, no answer under them
        agent.finish()
        await until(pilot, lambda: not screen.answering.working)
        high = next(v for v in comparison.views if v.model == "high")
        await until(pilot, lambda: "Tardigrades survive" in high.text)
        assert len(screen.query(AnswerView)) == 2
        await until(pilot, lambda: on_screen(second, "In common: esa.int/tardigrades"))
        assert not on_screen(second, "still working")
