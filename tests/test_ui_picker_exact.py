"""A model's exact id or name typed in the model picker (ctrl+o, and ``m`` on an answer) is
the one highlighted, and Enter picks it.

QA: the picker kept the model it opened on highlighted while that model still matched what
was typed, so ``perplexity/sonar`` typed on OpenRouter's Sonar Pro (whose id starts with it)
chose Sonar Pro again, and ``m``, ``demo/sonar`` on a Demo Sonar Reasoning answer asked the same
model again (on a paid provider, money spent for nothing).
"""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from pplx_tui.ui.dialogs.api_key import ApiKeyScreen
from pplx_tui.ui.dialogs.model_picker import ModelPickerScreen
from tests.support.answers import choose_model, focus_conversation
from tests.support.loopback import LoopbackServer
from tests.support.tui import ask, demo_app, loopback_app, settle, type_text, until, workspace

WIDE = (150, 40)


def target(pilot: Pilot[None]) -> tuple[str, str]:
    """The provider and model the next question goes to."""
    app = workspace(pilot.app).app
    return app.target.provider.name, app.target.model.id


async def test_an_exact_id_typed_in_ctrl_o_wins_over_the_current_model_it_begins(
    loopback: LoopbackServer,
) -> None:
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await choose_model(pilot, "sonar-pro")
        assert target(pilot) == ("openrouter", "perplexity/sonar-pro")

        # Perplexity's Agent API lists perplexity/sonar too (no key here): the current
        # provider's is the one meant.
        await choose_model(pilot, "perplexity/sonar")
        assert target(pilot) == ("openrouter", "perplexity/sonar")


async def test_an_exact_name_or_id_without_its_vendor_wins_too(loopback: LoopbackServer) -> None:
    app = loopback_app(loopback)
    async with app.run_test(size=WIDE) as pilot:
        await choose_model(pilot, "perplexity/sonar-pro-search")
        assert target(pilot) == ("openrouter", "perplexity/sonar-pro-search")
        await choose_model(pilot, "Sonar Pro")  # its name, as the picker shows it
        assert target(pilot) == ("openrouter", "perplexity/sonar-pro")
        await choose_model(pilot, "perplexity/sonar-pro-search")
        await choose_model(pilot, "sonar-pro")  # its id as labels show it
        assert target(pilot) == ("openrouter", "perplexity/sonar-pro")


@pytest.mark.parametrize("typed", ["demo/sonar", "sonar"])
async def test_m_with_an_exact_id_asks_that_model_not_the_answers_again(typed: str) -> None:
    """``sonar`` too: Demo Sonar's id without its vendor, not Perplexity's "Sonar" by name
    (QA: its key dialog opened)."""
    app = demo_app(model="demo/sonar-reasoning")
    async with app.run_test(size=WIDE) as pilot:
        await ask(pilot, "How many moons?")
        await focus_conversation(pilot)
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, ModelPickerScreen))
        await type_text(pilot, typed)
        await pilot.press("enter")  # the offline demo is free: asked on the first Enter
        await until(pilot, lambda: not isinstance(app.screen, ModelPickerScreen))
        assert not isinstance(app.screen, ApiKeyScreen)
        await settle(pilot)
        answers = [m for m in workspace(app).chat.messages if m.role == "assistant"]
        assert [m.model for m in answers] == ["demo/sonar-reasoning", "demo/sonar"]


async def test_sonar_typed_on_the_demo_picks_the_demos_not_perplexitys_without_a_key() -> None:
    # QA: 'sonar' is Perplexity's "Sonar" by name and Demo Sonar's id without its vendor; the
    # name won, the key dialog opened and what was typed next was saved as Perplexity's key.
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await choose_model(pilot, "sonar-reasoning")
        assert target(pilot) == ("demo", "demo/sonar-reasoning")
        await choose_model(pilot, "sonar")
        assert not isinstance(app.screen, ApiKeyScreen)
        assert target(pilot) == ("demo", "demo/sonar")


async def test_a_full_id_typed_on_the_demo_is_an_explicit_choice() -> None:
    app = demo_app()
    async with app.run_test(size=WIDE) as pilot:
        await choose_model(pilot, "perplexity/sonar")  # Perplexity's, listed first: no key
        screen = app.screen
        assert isinstance(screen, ApiKeyScreen)
        assert screen.initial == "perplexity"
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ModelPickerScreen))
