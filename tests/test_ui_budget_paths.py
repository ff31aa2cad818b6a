"""Past the daily budget, every new request asks first, not only a question typed in the box
(QA: ``r``, ctrl+r, ``m``, ``s``, ``v``, ctrl+t and an edited question were sent without a word
once today's spend had reached ``daily_budget_usd``)."""

from __future__ import annotations

from textual.pilot import Pilot

from pplx_tui.paths import config_file
from pplx_tui.ui.dialogs.compare_picker import ComparePickerScreen
from pplx_tui.ui.dialogs.confirm import ConfirmScreen
from tests.support.answers import focus_conversation, pick_model, reply
from tests.support.loopback import LoopbackServer
from tests.support.spend import spend_today
from tests.support.tui import ask, loopback_app, settle, type_text, until, workspace

WIDE = (150, 40)


async def _refused(pilot: Pilot[None], loopback: LoopbackServer, sent: int) -> None:
    """The budget dialog is shown; ``n`` goes back and nothing more was sent."""
    app = pilot.app
    await until(
        pilot,
        lambda: isinstance(app.screen, ConfirmScreen),
    )
    assert isinstance(app.screen, ConfirmScreen) and "daily budget" in app.screen.message
    await pilot.press("n")
    await until(pilot, lambda: app.screen is workspace(app))
    await pilot.pause()
    assert len(loopback.requests) == sent


async def test_every_new_request_past_the_budget_asks_first(loopback: LoopbackServer) -> None:
    loopback.default = lambda request: reply("Two moons [1].", "https://nasa.gov/mars")
    config_file().parent.mkdir(parents=True, exist_ok=True)
    config_file().write_text("daily_budget_usd = 0.04\n")  # re-read as a model is chosen
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "How many moons?")
        spend_today(0.05)
        screen = workspace(app)

        await pilot.press("ctrl+r")  # ask the last question again (a yes first)
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("tab", "enter")
        await _refused(pilot, loopback, 1)

        await focus_conversation(pilot)
        await pilot.press("m")  # another model
        await pick_model(pilot, "sonar-pro-search")
        await _refused(pilot, loopback, 1)

        await focus_conversation(pilot)
        await pilot.press("v", "down", "space", "enter", "enter")  # two models side by side
        await until(pilot, lambda: not isinstance(app.screen, ComparePickerScreen))
        await _refused(pilot, loopback, 1)

        await focus_conversation(pilot)
        await pilot.press("ctrl+e")  # edit the question and send it
        screen.prompt.insert(" Really?")
        await pilot.press("enter")
        await _refused(pilot, loopback, 1)
        assert screen.prompt.text == "How many moons? Really?"  # still editing it
        assert screen.alternatives.editing is not None

        await pilot.press("enter")  # and this time, yes
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: len(loopback.requests) == 2)
        await settle(pilot)
        assert screen.chat.active_path()[0].content == "How many moons? Really?"


async def test_the_offline_demo_is_asked_past_the_budget_without_a_dialog(
    loopback: LoopbackServer,
) -> None:
    """QA: with demo/sonar-reasoning picked in ctrl+o, the budget dialog asked before an
    answer of the offline demo, which costs nothing (README); the compare dialogs already let
    the demo go without a word."""
    from tests.support.answers import choose_model

    config_file().parent.mkdir(parents=True, exist_ok=True)
    config_file().write_text("daily_budget_usd = 0.04\n")
    spend_today(0.05)
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await choose_model(pilot, "demo/sonar-reasoning")
        await ask(pilot, "How many moons?")
        await until(pilot, lambda: len(workspace(app).chat.messages) == 2)

        assert not isinstance(app.screen, ConfirmScreen)
        assert workspace(app).chat.messages[1].provider == "demo"
        assert not loopback.requests


async def test_typing_after_a_question_the_budget_sent_back_goes_on_at_its_end(
    loopback: LoopbackServer,
) -> None:
    """QA: "hello", Enter, n, then "XYZ" gave "XYZhello": the question came back with the
    cursor at its start."""
    spend_today(0.05)
    config_file().parent.mkdir(parents=True, exist_ok=True)
    config_file().write_text("daily_budget_usd = 0.04\n")
    app = loopback_app(loopback)
    async with app.run_test(size=(80, 24)) as pilot:
        prompt = workspace(app).prompt
        await type_text(pilot, "hello", into=prompt)
        await pilot.press("enter")
        await _refused(pilot, loopback, 0)
        await until(pilot, lambda: prompt.text == "hello")
        await type_text(pilot, "XYZ", into=prompt)
        assert prompt.text == "helloXYZ"
