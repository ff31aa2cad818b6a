"""config.toml edited while the app runs: once the app reads it again (a key saved, a model
chosen), the questions go where the file says now, and ``--base-url`` still wins."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pplx_tui import paths
from pplx_tui.ui.dialogs.api_key import ApiKeyScreen
from pplx_tui.ui.factory import make_app
from tests.support.answers import choose_model
from tests.support.app_faults import SIZE
from tests.support.cli import KEY, answer_frames
from tests.support.loopback import LoopbackServer, Reply
from tests.support.tui import (
    Notifications,
    ask,
    loopback_app,
    type_text,
    until,
    use_key,
    workspace,
)

MODEL = "perplexity/sonar"


@pytest.fixture
def other() -> Iterator[LoopbackServer]:
    """A second gateway, for the file to point at instead of the first."""
    server = LoopbackServer().start()
    try:
        yield server
    finally:
        server.stop()


def write_config(text: str) -> None:
    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(text)
    config.chmod(0o600)


def gateway(server: LoopbackServer) -> str:
    return f'[providers.openrouter]\nbase_url = "{server.base_url}/api/v1"\n'


def answered(*servers: LoopbackServer) -> None:
    for server in servers:
        server.queue(Reply(chunks=answer_frames([f"From {server.base_url}."])))


async def test_a_key_added_once_a_broken_config_is_fixed_goes_to_the_files_base_url(
    loopback: LoopbackServer,
) -> None:
    """QA: the app started on defaults (config.toml broken), the file was fixed meanwhile and a
    key added with ctrl+k: the settings were read again, the catalog (base_url) was not, and
    the question went to openrouter.ai instead of the file's gateway."""
    write_config('theme = "pplx-light\n' + gateway(loopback))
    answered(loopback)
    notes = Notifications()
    app = make_app()
    async with app.run_test(size=SIZE, message_hook=notes, notifications=True) as pilot:
        await until(pilot, lambda: bool(notes.texts("error")))  # "using the default settings"
        write_config(gateway(loopback))
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, ApiKeyScreen))
        await type_text(pilot, "sk-or-v1-0123456789abcdefGATEWAY")
        await pilot.press("enter")
        await until(pilot, lambda: workspace(app).target.provider.name == "openrouter")
        await ask(pilot, "Where does this go?")
        assert workspace(app).chat.messages[-1].content == f"From {loopback.base_url}."
    assert [request.path for request in loopback.requests] == ["/api/v1/chat/completions"]


async def test_a_gateway_added_to_the_file_is_offered_once_a_key_is_saved(
    loopback: LoopbackServer,
) -> None:
    """A ``[providers.NAME]`` gateway written while the app runs: saving a key reads the file
    again, and the picker offers the gateway, with its key, and asks it."""
    answered(loopback)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        write_config(
            f'[providers.labgw]\nbase_url = "{loopback.base_url}/v1"\nmodels = ["lab-model"]\n'
            'api_key = "lab-key-0123456789"\n'
        )
        await pilot.press("ctrl+k")
        await until(pilot, lambda: isinstance(app.screen, ApiKeyScreen))
        await type_text(pilot, "gsk_0123456789abcdefGROQ")
        await pilot.press("enter")
        await until(pilot, lambda: app.has_key("labgw"))
        await choose_model(pilot, "lab-model")
        assert workspace(app).target.provider.name == "labgw"
        await ask(pilot, "Which gateway?")
        assert workspace(app).chat.messages[-1].content == f"From {loopback.base_url}."
    assert [request.path for request in loopback.requests] == ["/v1/chat/completions"]


async def test_a_base_url_changed_in_the_file_is_followed_on_the_next_choice(
    loopback: LoopbackServer, other: LoopbackServer
) -> None:
    """The same provider, key and model chosen again after the file's base_url changed: a new
    client for the new URL, not the one made for the old."""
    use_key("OPENROUTER_API_KEY", KEY)
    write_config(gateway(loopback))
    answered(loopback, other)
    app = make_app(provider="openrouter", model=MODEL)
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, "First?")
        write_config(gateway(other))
        await choose_model(pilot, MODEL)
        await ask(pilot, "Second?")
        assert workspace(app).chat.messages[-1].content == f"From {other.base_url}."
    assert len(loopback.requests) == len(other.requests) == 1


async def test_the_command_lines_base_url_still_wins_over_the_files(
    loopback: LoopbackServer, other: LoopbackServer
) -> None:
    answered(loopback, loopback)
    app = loopback_app(loopback)
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, "First?")
        write_config(gateway(other))
        await choose_model(pilot, MODEL)
        await ask(pilot, "Second?")
    assert len(loopback.requests) == 2 and other.requests == []
