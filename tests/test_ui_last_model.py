"""The model last chosen in the picker is where the next ``pplx`` starts (``last_model`` in
config.toml); ``pplx ask`` and the command line's options keep to what they said before."""

from __future__ import annotations

import asyncio
import stat

import pytest

from pplx_tui import paths
from pplx_tui.config import load_settings
from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.dialogs.model_picker import ModelPickerScreen
from pplx_tui.ui.factory import make_app
from tests.support.cli import KEY, answer_frames, pplx
from tests.support.loopback import Reply
from tests.support.tui import Notifications, type_text, until, use_key

HAND_WRITTEN = """\
# my own notes, keep them
default_provider = "openrouter"
default_model = "perplexity/sonar"   # scripts rely on this one

[search]
mode = "web"   # the web, always
"""


GATEWAY = """
[providers.mygate]
base_url = "https://gateway.example/v1"
api_key_env = "GATEWAY_KEY"
models = {models}
"""


def write_config(text: str) -> None:
    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(text)
    config.chmod(0o600)


def target_of(app: PplxApp) -> tuple[str, str]:
    return app.target.provider.name, app.target.model.id


async def pick(app: PplxApp, model: str) -> None:
    """ctrl+o, ``model`` in the filter, Enter: the model the app's next questions go to."""
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, ModelPickerScreen))
        await type_text(pilot, model)
        await pilot.pause()
        await pilot.press("enter")
        await until(pilot, lambda: app.target.model.id.endswith(model))


async def test_the_next_start_is_on_the_model_chosen_in_the_picker() -> None:
    use_key("OPENROUTER_API_KEY", KEY)
    first = make_app()
    assert target_of(first) == ("openrouter", "perplexity/sonar")

    await pick(first, "sonar-reasoning-pro")

    assert target_of(first) == ("openrouter", "perplexity/sonar-reasoning-pro")
    assert target_of(make_app()) == ("openrouter", "perplexity/sonar-reasoning-pro")
    assert stat.S_IMODE(paths.config_file().stat().st_mode) == 0o600
    # The command line still says where to start.
    assert target_of(make_app(model="perplexity/sonar-pro")) == (
        "openrouter",
        "perplexity/sonar-pro",
    )
    assert make_app(demo=True).target.provider.name == "demo"


async def test_a_demo_model_chosen_is_not_remembered_and_forgets_the_one_before() -> None:
    """On purpose: the demo is where ``pplx`` starts with no key anyway, and a demo model
    remembered would start a user who has a key on the offline demo."""
    use_key("OPENROUTER_API_KEY", KEY)
    await pick(make_app(), "sonar-reasoning-pro")
    assert load_settings().last_model == "openrouter:perplexity/sonar-reasoning-pro"

    app = make_app()  # the next start, on it
    await pick(app, "demo/sonar")

    assert target_of(app) == ("demo", "demo/sonar")
    assert load_settings().last_model is None
    assert target_of(make_app()) == ("openrouter", "perplexity/sonar")  # the default


async def test_the_choice_keeps_the_users_comments_and_is_written_once() -> None:
    write_config(HAND_WRITTEN)
    use_key("OPENROUTER_API_KEY", KEY)

    await pick(make_app(), "sonar-reasoning-pro")

    text = paths.config_file().read_text()
    assert text.startswith(HAND_WRITTEN.split("\n[search]")[0])
    assert 'mode = "web"   # the web, always' in text
    assert load_settings().last_model == "openrouter:perplexity/sonar-reasoning-pro"
    written = paths.config_file().stat().st_mtime_ns

    await pick(make_app(), "sonar-reasoning-pro")  # the same model again: nothing to write

    assert paths.config_file().stat().st_mtime_ns == written


def test_pplx_ask_keeps_to_the_default_model_of_config_toml(loopback) -> None:
    write_config(HAND_WRITTEN)
    use_key("OPENROUTER_API_KEY", KEY)
    asyncio.run(pick(make_app(), "sonar-reasoning-pro"))
    assert "sonar-reasoning-pro" in paths.config_file().read_text()
    loopback.queue(Reply(chunks=answer_frames(["Two moons."])))

    result = pplx("ask", "Moons?", server=loopback)

    assert result.returncode == 0, result.stderr
    assert loopback.requests[-1].json["model"] == "perplexity/sonar"


async def start_notices(app: PplxApp) -> list[str]:
    """The notifications ``app`` shows as it starts."""
    notes = Notifications()
    async with app.run_test(message_hook=notes) as pilot:
        await pilot.pause()
    return notes.texts()


def gone_notices(texts: list[str]) -> list[str]:
    return [text for text in texts if "no longer offered" in text]


async def test_a_remembered_provider_without_a_key_falls_back_to_the_default() -> None:
    write_config('default_model = "perplexity/sonar-pro"\nlast_model = "perplexity:medium"\n')
    use_key("OPENROUTER_API_KEY", KEY)  # and none for perplexity any more

    app = make_app()

    assert target_of(app) == ("openrouter", "perplexity/sonar-pro")
    assert gone_notices(await start_notices(app)) == []  # still offered: a key away


@pytest.mark.parametrize(
    ("remembered", "config"),
    [
        ("openrouter:perplexity/sonar-retired", ""),  # retired from the catalog
        ("mygate:m1", ""),  # a gateway removed from config.toml
        ("mygate:m1", GATEWAY.format(models='["m2"]')),  # a model the gateway no longer lists
        ("groq:perplexity/sonar-pro", ""),  # a model its provider never hosted
    ],
    ids=["retired", "gateway-gone", "gateway-model-gone", "not-hosted"],
)
async def test_a_remembered_model_no_longer_offered_says_so_once(
    remembered: str, config: str
) -> None:
    """A remembered model retired since, or that its provider no longer offers, gave way to
    the default without a word (or, on a provider that takes any id, was asked as it was):
    the user wondered why the app was on another model. One line says which, and what is
    used instead."""
    write_config(f'default_model = "perplexity/sonar-pro"\nlast_model = "{remembered}"\n{config}')
    use_key("OPENROUTER_API_KEY", KEY)
    use_key("GATEWAY_KEY", "gw-0123456789abcdef")
    use_key("GROQ_API_KEY", "gsk_0123456789abcdef")

    app = make_app()

    assert target_of(app) == ("openrouter", "perplexity/sonar-pro")
    [said] = gone_notices(await start_notices(app))
    assert "\n" not in said and remembered in said and "openrouter:perplexity/sonar-pro" in said


async def test_a_remembered_model_still_offered_is_used_without_a_word() -> None:
    write_config('last_model = "mygate:m1"\n' + GATEWAY.format(models='["m1"]'))
    use_key("GATEWAY_KEY", "gw-0123456789abcdef")

    app = make_app()

    assert target_of(app) == ("mygate", "m1")
    assert gone_notices(await start_notices(app)) == []


async def test_a_malformed_last_model_is_one_notice_and_ignored() -> None:
    write_config('default_model = "perplexity/sonar-pro"\nlast_model = 7\n')
    use_key("OPENROUTER_API_KEY", KEY)
    notes = Notifications()

    app = make_app()
    async with app.run_test(message_hook=notes) as pilot:
        await until(pilot, lambda: bool(notes))

    assert target_of(app) == ("openrouter", "perplexity/sonar-pro")  # the rest still read
    said = [text for text in notes.texts() if "last_model" in text]
    assert len(said) == 1 and "\n" not in said[0]
