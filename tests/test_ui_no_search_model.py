"""A model that does not search the web is said to be one: where the app moves to it (a Groq key
added, a model picked) and on the empty chat, which promised numbered sources."""

from __future__ import annotations

from pydantic import SecretStr

from pplx_tui.config import ProviderSettings, Settings
from pplx_tui.ui.dialogs.api_key import ApiKeyScreen
from pplx_tui.ui.factory import make_app
from tests.support.answers import choose_model, reply
from tests.support.cli import KEY
from tests.support.loopback import LoopbackServer
from tests.support.tui import (
    Notifications,
    ask,
    region_text,
    type_text,
    until,
    use_key,
    workspace,
)

NO_SEARCH = "(it does not search the web: answers come without sources)"


def _empty_hint(app) -> str:
    return region_text(app, workspace(app).conversation.query_one(".conversation--empty"))


async def test_a_groq_key_added_says_its_model_does_not_search() -> None:
    """QA: fresh HOME, ctrl+k, a gsk_ key, Enter: the app moved to llama-3.3-70b-versatile on
    Groq with "Next questions go to llama-3.3-70b-versatile on groq", and the empty chat still
    said "Answers stream in with numbered sources"."""
    app = make_app()
    notes = Notifications()
    async with app.run_test(size=(80, 24), message_hook=notes) as pilot:
        await pilot.pause()
        assert "numbered sources" in _empty_hint(app)
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, ApiKeyScreen))
        await type_text(pilot, "gsk_0123456789abcdefGROQ")
        await pilot.press("enter")
        await until(pilot, lambda: workspace(app).target.provider.name == "groq")
        said = next(text for text in notes.texts() if "Next questions go to" in text)
        assert f"to llama-3.3-70b-versatile on groq {NO_SEARCH}." in said, said
        hint = _empty_hint(app)
        assert "numbered sources" not in hint and "without sources" in hint, hint


async def test_picking_a_model_that_does_not_search_says_so_and_back() -> None:
    use_key("GROQ_API_KEY", "gsk_0123456789abcdefGROQ")
    app = make_app(demo=True)
    notes = Notifications()
    async with app.run_test(size=(120, 36), message_hook=notes) as pilot:
        await choose_model(pilot, "qwen/qwen3-32b")
        await until(pilot, lambda: any(NO_SEARCH in text for text in notes.texts()))
        # The hint grows to two rows on the next layout: wait for it, not for the toast.
        await until(pilot, lambda: "without sources" in _empty_hint(app))
        await choose_model(pilot, "demo/sonar")
        await until(pilot, lambda: "numbered sources on the right" in _empty_hint(app))
        assert notes.texts()[-1] == "Next questions go to demo/sonar on demo."


async def test_a_gateways_model_the_app_does_not_know_is_not_said_to_search_nothing(
    loopback: LoopbackServer,
) -> None:
    """QA: an empty chat on a custom gateway (`[providers.NAME]` with base_url and models)
    said "This model does not search the web", yet its answers came with sources. Of a model
    named only there the app does not know whether it searches: it claims neither."""
    loopback.queue(reply("Two [1].", "https://nasa.gov/m"))
    gateway = ProviderSettings(
        base_url=loopback.base_url, api_key=SecretStr(KEY), models=["my-model"]
    )
    app = make_app(settings=Settings(providers={"mygate": gateway}), provider="mygate")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert workspace(app).target.model.id == "my-model"
        hint = _empty_hint(app)
        assert "does not search" not in hint and "numbered sources" in hint, hint
        await ask(pilot, "Moons?")
        assert workspace(app).sources.sources  # it did search
