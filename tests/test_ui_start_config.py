"""Where the app starts when config.toml names a model or a base URL it cannot use: it starts
(never exit 2 for the file's sake), on what it can use, and says why in one line."""

from __future__ import annotations

import pytest

from pplx_tui import paths
from pplx_tui.cli import main, tui_command
from pplx_tui.config_plain import PlainProvider, PlainSecret, PlainSettings
from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.dialogs.api_key import ApiKeyScreen
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.widgets.notice_bar import NoticeBar
from tests.support.cli import KEY, pplx
from tests.support.tui import (
    Notifications,
    on_screen,
    region_text,
    type_text,
    until,
    use_key,
)


def write_config(text: str) -> str:
    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(text)
    config.chmod(0o600)
    return text


def target_of(app: PplxApp) -> tuple[str, str]:
    return app.target.provider.name, app.target.model.id


@pytest.mark.parametrize("model", ["perplexity/sonar-pro", "sonar-pro"])
async def test_a_default_model_without_a_key_starts_on_the_demo_and_says_it_needs_one(
    model: str,
) -> None:
    """QA: with no key, ``default_model = "perplexity/sonar-pro"`` (the README's example) made
    ``pplx`` exit 2: "unknown model … for demo"."""
    write_config(f'default_model = "{model}"\n')

    app = make_app()

    assert target_of(app) == ("demo", "demo/sonar")
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: on_screen(app, "needs a key for OpenRouter"))
        assert on_screen(app, f"config.toml's default_model {model!r}")
        assert on_screen(app, "Add one with ctrl+k")


async def test_the_default_models_notice_fits_in_three_rows_at_80_columns() -> None:
    """QA: the no-key line and the default_model's, said one after the other, took four rows
    at 80 columns. One line says both (the offline demo, the model and its provider, how to add
    a key) in three."""
    write_config('default_model = "perplexity/sonar-reasoning-pro"\n')

    app = make_app()

    async with app.run_test(size=(80, 24)) as pilot:
        bar = app.screen.query_one(NoticeBar)
        await until(pilot, lambda: "OpenRouter" in region_text(app, bar))
        text = " ".join(region_text(app, bar).split())
        for fact in (
            "No API key",
            "offline demo",
            "config.toml's default_model 'perplexity/sonar-reasoning-pro'",
            "a key for OpenRouter",
            "Add one with ctrl+k",
            "PERPLEXITY_API_KEY / OPENROUTER_API_KEY / GROQ_API_KEY",
        ):
            assert fact in text, (fact, text)
        assert bar.outer_size.height <= 3, text


async def test_the_default_models_notice_stays_when_the_no_key_line_was_hidden() -> None:
    write_config('default_model = "perplexity/sonar-pro"\ndemo_notice = false\n')

    app = make_app()

    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: on_screen(app, "needs a key for OpenRouter: add one with"))
        assert not on_screen(app, "offline demo")


async def test_the_default_models_notice_names_the_key_in_force() -> None:
    write_config('default_model = "perplexity/sonar-pro"\n[keymap]\n"app.add_key" = "f3"\n')

    app = make_app()

    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: on_screen(app, "needs a key for OpenRouter. Add one with f3"))


def test_a_demo_default_model_without_a_key_is_still_used() -> None:
    write_config('default_model = "demo/sonar-reasoning"\n')

    assert target_of(make_app()) == ("demo", "demo/sonar-reasoning")


README_DEFAULTS = 'default_provider = "openrouter"\ndefault_model = "perplexity/sonar-pro"\n'
"""README's example of config.toml's defaults."""


async def test_a_default_provider_without_a_key_starts_on_the_demo_until_its_key_is_added() -> None:
    """QA: with README's example defaults and no key the app started on ``openrouter ·
    perplexity/sonar-pro`` without a word, and the first question failed "No API key for
    OpenRouter". It starts on the demo, says what waits for a key, and goes there once the
    key is added."""
    write_config(README_DEFAULTS)

    app = make_app()

    assert target_of(app) == ("demo", "demo/sonar")
    async with app.run_test(size=(80, 24)) as pilot:
        bar = app.screen.query_one(NoticeBar)
        await until(pilot, lambda: "default_provider" in region_text(app, bar))
        text = " ".join(region_text(app, bar).split())
        for fact in (
            "No API key",
            "offline demo",
            "config.toml's default_provider 'openrouter' needs a key",
            "Add one with ctrl+k",
            "OPENROUTER_API_KEY",
        ):
            assert fact in text, (fact, text)
        assert bar.outer_size.height <= 3, text

        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, ApiKeyScreen))
        dialog = app.screen
        assert isinstance(dialog, ApiKeyScreen)
        assert dialog.selected_provider is not None
        assert dialog.selected_provider.name == "openrouter"  # the one waited for
        await type_text(pilot, "sk-or-v1-0123456789abcdefDEFAULT")
        await pilot.press("enter")
        await until(pilot, lambda: target_of(app) == ("openrouter", "perplexity/sonar-pro"))
        await until(pilot, lambda: not bar.display)


async def test_a_default_providers_notice_stays_when_the_no_key_line_was_hidden() -> None:
    write_config(README_DEFAULTS + "demo_notice = false\n")

    app = make_app()

    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: on_screen(app, "default_provider 'openrouter' in config.toml"))
        assert on_screen(app, "needs a key: add one with ctrl+k")
        assert not on_screen(app, "offline demo")


async def test_a_default_provider_without_its_key_beside_another_key_says_so_at_start() -> None:
    """Lead's trial: default_provider = "openrouter" and only a Perplexity key: the app started
    on openrouter without a word, and the first question failed for want of a key."""
    write_config(README_DEFAULTS)
    use_key("PERPLEXITY_API_KEY", "pplx-" + "0123456789" * 3)

    app = make_app()

    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: on_screen(app, "default_provider 'openrouter'"))
        assert target_of(app)[0] == "openrouter"  # as the file says: only the key is missing
        assert on_screen(app, "has no key: add one with ctrl+k")


def test_pplx_ask_with_a_default_provider_without_a_key_still_exits_3() -> None:
    """The demo stands in for the key in the app only: a script is told (exit 3)."""
    write_config(README_DEFAULTS)

    result = pplx("ask", "hi", key=None)

    assert result.returncode == 3
    assert result.stderr.startswith("pplx: no API key for openrouter.")


BAD_BASE_URL = """\
default_provider = "openrouter"

[providers.openrouter]
base_url = "{url}"
api_key = "{key}"
"""


@pytest.mark.parametrize("url", ["not a url", "ftp://x.example", "https://openrouter.ai/api/v1 "])
def test_pplx_with_a_bad_base_url_starts_on_the_default_settings(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """QA: a bad base_url for the provider the app starts on made ``pplx`` exit 2."""
    text = write_config(BAD_BASE_URL.format(url=url, key=KEY))
    started: list[PplxApp] = []
    monkeypatch.setattr(tui_command, "run_app", lambda app: started.append(app) or 0)
    monkeypatch.setattr(tui_command, "on_a_terminal", lambda: True)

    assert main([]) == 0

    (line,) = capsys.readouterr().err.splitlines()
    assert f"(line 4): 'base_url' in [providers.openrouter]: the base URL {url!r}" in line
    assert line.endswith("; using the default settings")
    (app,) = started
    assert app.settings == PlainSettings()
    assert paths.config_file().read_text() == text


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("not a url", "holds a control character or a space"),
        ("https://gw.example/v1\\t", "holds a control character or a space"),
        ("ftp://x.example", "must start with https:// (or http://) and a host"),
    ],
)
def test_the_config_check_names_a_bad_base_urls_line(url: str, reason: str) -> None:
    write_config(f'theme = "pplx-dark"\n\n[providers.gw]\nmodels = ["m"]\nbase_url = "{url}"\n')

    for command in (("models",), ("ask", "hi")):
        result = pplx(*command, key=None)

        assert result.returncode == 2, result.stderr
        assert "(line 5): 'base_url' in [providers.gw]: the base URL" in result.stderr
        assert reason in result.stderr


def test_a_remembered_model_on_a_bad_base_url_starts_elsewhere_saying_why(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """QA: ``last_model`` on OpenRouter, its base_url with a space at the end, a Perplexity key:
    the app started on ``perplexity · fast`` without a word."""
    write_config(
        'last_model = "openrouter:perplexity/sonar-pro"\n\n'
        + BAD_BASE_URL.format(url="https://openrouter.ai/api/v1 ", key=KEY)
    )
    use_key("PERPLEXITY_API_KEY", KEY)
    started: list[PplxApp] = []
    monkeypatch.setattr(tui_command, "run_app", lambda app: started.append(app) or 0)
    monkeypatch.setattr(tui_command, "on_a_terminal", lambda: True)

    assert main([]) == 0

    (line,) = capsys.readouterr().err.splitlines()
    assert "(line 6): 'base_url' in [providers.openrouter]" in line
    assert "'https://openrouter.ai/api/v1 ' holds a control character or a space" in line
    (app,) = started
    assert target_of(app) == ("perplexity", "fast")


async def test_a_remembered_model_refused_for_its_base_url_is_said_with_the_reason() -> None:
    """QA: ``last_model`` on a provider whose base_url cannot be used started the app on
    another model without a word."""
    use_key("PERPLEXITY_API_KEY", KEY)
    settings = PlainSettings(
        last_model="openrouter:perplexity/sonar-pro",
        providers={
            "openrouter": PlainProvider(
                base_url="https://openrouter.ai/api/v1 ", api_key=PlainSecret(KEY)
            )
        },
    )
    notes = Notifications()

    app = make_app(settings=settings)

    assert target_of(app) == ("perplexity", "fast")
    async with app.run_test(size=(120, 40), message_hook=notes, notifications=True) as pilot:
        await until(pilot, lambda: bool(notes.texts("warning")))
    (notice,) = notes.texts("warning")
    assert "The model used last, openrouter:perplexity/sonar-pro, cannot be used" in notice
    assert "holds a control character or a space" in notice
    assert "starting on perplexity:fast instead" in notice


BAD_KEY = "contains characters an API key cannot have"
"""The client's words for a key no request can carry (client/http_errors.bad_key_error)."""


async def test_a_key_that_cannot_be_sent_starts_on_the_demo_and_says_why() -> None:
    """QA: README's example copied as it is (``api_key = "…"``) started the app on OpenRouter
    with no word, its header said "(key set)", and the first question failed; ``pplx ask`` and
    ``pplx models`` said it at once. The app says it as it starts, on the demo meanwhile."""
    write_config('[providers.openrouter]\napi_key = "…"\n')

    app = make_app()

    assert target_of(app) == ("demo", "demo/sonar")
    async with app.run_test(size=(80, 24)) as pilot:
        bar = app.screen.query_one(NoticeBar)
        await until(pilot, lambda: "OpenRouter" in region_text(app, bar))
        text = " ".join(region_text(app, bar).split())
        assert f"The API key for OpenRouter {BAD_KEY}" in text, text
        assert "such as '…'" in text and "OPENROUTER_API_KEY" in text, text


@pytest.mark.parametrize(
    "config",
    [
        'default_provider = "openrouter"\n[providers.openrouter]\napi_key = "…"\n',
        'last_model = "openrouter:perplexity/sonar"\n[providers.openrouter]\napi_key = "…"\n',
    ],
    ids=["default_provider", "last_model"],
)
async def test_a_named_provider_whose_only_key_cannot_be_sent_gives_way_to_the_demo(
    config: str,
) -> None:
    write_config(config)

    app = make_app()

    assert target_of(app)[0] == "demo"
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: on_screen(app, BAD_KEY))


async def test_a_key_that_cannot_be_sent_gives_way_to_one_that_can() -> None:
    write_config('[providers.openrouter]\napi_key = "sk-or-…"\n')
    use_key("GROQ_API_KEY", "gsk_" + "0123456789" * 4)

    app = make_app()

    assert target_of(app)[0] == "groq"
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: on_screen(app, f"The API key for OpenRouter {BAD_KEY}"))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_provider_named_without_its_key_says_so_at_start(size: tuple[int, int]) -> None:
    """QA: `pplx --provider perplexity --base-url …` with no key started on "perplexity · fast"
    without a word; the first question then failed for want of the key. It says so at once,
    as for config.toml's default_provider, and the line goes once the key is added."""
    app = make_app(provider="perplexity", base_url="http://127.0.0.1:9")

    assert target_of(app) == ("perplexity", "fast")
    async with app.run_test(size=size) as pilot:
        bar = app.screen.query_one(NoticeBar)
        await until(pilot, lambda: "no key" in region_text(app, bar))
        text = " ".join(region_text(app, bar).split())
        assert text.startswith(
            "Perplexity (Agent API) has no key: add one with ctrl+k, or set PERPLEXITY_API_KEY."
        ), text

        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, ApiKeyScreen))
        await type_text(pilot, "pplx-" + "0123456789" * 3)
        await pilot.press("enter")
        await until(pilot, lambda: not bar.display)
        assert target_of(app) == ("perplexity", "fast") and app.target.api_key


async def test_a_provider_named_without_its_key_names_the_key_in_force() -> None:
    write_config('[keymap]\n"app.add_key" = "f3"\n')

    app = make_app(provider="groq")

    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: on_screen(app, "Groq has no key: add one with f3"))
