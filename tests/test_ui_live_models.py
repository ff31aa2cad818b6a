"""The model picker (ctrl+o) lists the providers' live model lists: the cached ones at once, a
missing or stale one read in the background when the picker opens (once a session).

QA: ``pplx models --provider openrouter`` listed (and cached) a new Perplexity model; the app
never did, cached or not, restarted or not, and never asked for the list."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from pplx_tui import paths
from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.dialogs.model_picker import ModelPickerScreen
from pplx_tui.ui.factory import make_app
from tests.support import agent_runs
from tests.support.cli import KEY, pplx
from tests.support.loopback import LoopbackServer, RecordedRequest, Reply, json_reply
from tests.support.tui import loopback_app, screen_lines, type_text, until, use_key

NEW = "perplexity/sonar-brand-new"
OPENROUTER_LIST = {
    "data": [
        {"id": "perplexity/sonar", "name": "Perplexity: Sonar"},
        {"id": NEW, "name": "Perplexity: Sonar Brand New", "context_length": 200000},
        {"id": "openai/gpt-9", "name": "OpenAI: GPT-9"},
    ]
}
NEW_ON_AGENT = "xai/grok-brand-agent"
AGENT_LIST = {"data": [{"id": NEW_ON_AGENT, "name": "Grok Brand (agent)"}]}


def write_config(text: str) -> None:
    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(text)
    config.chmod(0o600)


class ModelLists:
    """The loopback's replies: each provider's list at its path (those at a path in ``held``
    kept back, in :attr:`held`, until resumed), an error for anything else."""

    def __init__(self, *held: str) -> None:
        self._hold = held
        self.held: dict[str, Reply] = {}

    def __call__(self, request: RecordedRequest) -> Reply:
        listed = {"/api/v1/models": OPENROUTER_LIST, "/v1/models": AGENT_LIST}.get(request.path)
        if listed is None:
            return json_reply(404, {"error": {"message": "not here"}})
        reply = json_reply(200, listed)
        if request.path in self._hold:
            reply.hang_after = 0
            self.held[request.path] = reply
        return reply


def asked_for_lists(server: LoopbackServer) -> list[str]:
    return [r.path for r in server.requests if r.path.endswith("/models")]


def picker(app: PplxApp) -> ModelPickerScreen:
    screen = app.screen
    assert isinstance(screen, ModelPickerScreen)
    return screen


def shown(app: PplxApp) -> str:
    return "\n".join(screen_lines(app))


def listed(app: PplxApp) -> list[str]:
    return [str(option.prompt) for option in picker(app).query_one(OptionList).options]


def highlighted(app: PplxApp) -> str:
    option = picker(app).query_one(OptionList).highlighted_option
    return "" if option is None else str(option.prompt)


def lists_read(app: PplxApp) -> bool:
    return all(w.is_finished for w in app.workers if w.group == "live-models")


@pytest.mark.usefixtures("model_lists_unread")
async def test_a_cached_live_model_is_listed_at_once_and_can_be_chosen(
    loopback: LoopbackServer,
) -> None:
    write_config(f'[providers.openrouter]\nbase_url = "{loopback.base_url}/api/v1"\n')
    loopback.queue(json_reply(200, OPENROUTER_LIST))
    cli = await asyncio.to_thread(pplx, "models", "--provider", "openrouter")
    assert cli.returncode == 0 and NEW in cli.stdout  # QA's first step: it is cached now
    use_key("OPENROUTER_API_KEY", KEY)
    app = make_app()

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, ModelPickerScreen))
        await type_text(pilot, "brand")
        assert NEW in shown(app) and "No model matches" not in shown(app)
        assert NEW in highlighted(app)
        assert not [w for w in app.workers if w.group == "live-models"]  # a fresh cache
        await pilot.press("enter")
        await until(pilot, lambda: app.target.model.id == NEW)

    assert asked_for_lists(loopback) == ["/api/v1/models"]  # the CLI's, no other
    # The next start lists it again, and starts on it (the model last chosen).
    again = make_app()
    assert (again.target.provider.name, again.target.model.id) == ("openrouter", NEW)


@pytest.mark.usefixtures("model_lists_unread")
async def test_with_no_cache_opening_the_picker_reads_the_lists_and_lists_them(
    loopback: LoopbackServer,
) -> None:
    """Both providers with a key: OpenRouter (its URL given on the command line) and the
    Perplexity Agent API (its URL in config.toml) are asked for their ``/models``."""
    write_config(f'[providers.perplexity]\nbase_url = "{loopback.base_url}"\n')
    use_key("PERPLEXITY_API_KEY", agent_runs.KEY)
    loopback.default = replies = ModelLists("/api/v1/models")
    app = loopback_app(loopback)

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert asked_for_lists(loopback) == []  # not at start: when the picker opens
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, ModelPickerScreen))
        await type_text(pilot, "brand")
        await until(pilot, lambda: NEW_ON_AGENT in shown(app))  # Perplexity's list is in
        await until(pilot, lambda: "/api/v1/models" in replies.held)
        assert NEW not in shown(app)  # OpenRouter's is held back
        replies.held["/api/v1/models"].resume()
        await until(pilot, lambda: NEW in shown(app))
        assert picker(app).query_one(Input).value == "brand"
        await until(pilot, lambda: lists_read(app))
        # Closed and opened again: the lists are not asked for again this session.
        await pilot.press("escape")
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, ModelPickerScreen))
        await type_text(pilot, "brand")
        assert NEW in shown(app) and NEW_ON_AGENT in shown(app)

    assert sorted(asked_for_lists(loopback)) == ["/api/v1/models", "/v1/models"]
    authorization = {r.path: r.headers["authorization"] for r in loopback.requests}
    assert authorization["/api/v1/models"] == f"Bearer {KEY}"
    assert authorization["/v1/models"] == f"Bearer {agent_runs.KEY}"
    assert (paths.cache_dir() / "models-openrouter.json").exists()


@pytest.mark.usefixtures("model_lists_unread")
async def test_a_list_read_while_the_picker_is_open_moves_no_highlight(
    loopback: LoopbackServer,
) -> None:
    loopback.default = replies = ModelLists("/api/v1/models")
    app = loopback_app(loopback)

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, ModelPickerScreen))
        await type_text(pilot, "sonar")
        await pilot.press("down", "down")
        chosen = highlighted(app)
        await until(pilot, lambda: "/api/v1/models" in replies.held)
        replies.held["/api/v1/models"].resume()
        await until(pilot, lambda: any(NEW in prompt for prompt in listed(app)))
        await until(pilot, lambda: lists_read(app))
        assert picker(app).query_one(Input).value == "sonar"
        assert highlighted(app) == chosen
        await type_text(pilot, " brand")  # the filter still narrows the list, new model too
        assert NEW in highlighted(app)


@pytest.mark.usefixtures("model_lists_unread")
async def test_a_list_that_cannot_be_read_changes_nothing_shown(
    loopback: LoopbackServer, debug_log: Path
) -> None:
    loopback.default = lambda request: json_reply(
        500, "<html>bad gateway</html>", {"Retry-After": "0"}
    )
    app = loopback_app(loopback)

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+o")
        await until(pilot, lambda: isinstance(app.screen, ModelPickerScreen))
        options = listed(app)
        before = highlighted(app)
        await until(pilot, lambda: asked_for_lists(loopback))
        await until(pilot, lambda: lists_read(app))
        await pilot.pause()
        assert listed(app) == options
        assert highlighted(app) == before
        assert isinstance(app.screen, ModelPickerScreen)

    log = debug_log.read_text()
    assert "live model list of openrouter not read" in log
    assert KEY not in log and KEY[:12] not in log
