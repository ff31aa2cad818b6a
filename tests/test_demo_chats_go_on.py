"""A chat asked on the offline demo goes on with the provider in use once a key is set, from
``pplx ask --chat`` and ``pplx --chat`` as from the app's chat list (QA: both went on with the
demo's canned answer, without a word)."""

from __future__ import annotations

from pplx_tui import paths
from pplx_tui.store import ChatStore
from pplx_tui.ui.factory import make_app
from tests.support.answers import answer_reply
from tests.support.chats import seeded_chat
from tests.support.cli import KEY, pplx
from tests.support.loopback import LoopbackServer
from tests.support.tui import ask, workspace


def demo_chat() -> str:
    """A chat asked on the demo, before any key was set: its last answer is the demo's."""
    chat = seeded_chat("What is a tardigrade?", "A water bear.")
    chat.messages[-1].provider, chat.messages[-1].model = "demo", "demo/sonar"
    chat.settings.provider, chat.settings.model = "demo", "demo/sonar"
    ChatStore().save(chat)
    return chat.id


def key_in_config(server: LoopbackServer) -> None:
    """QA's setup: an OpenRouter key in config.toml, and default_provider naming it."""
    paths.config_file().parent.mkdir(parents=True, exist_ok=True)
    paths.config_file().write_text(
        'default_provider = "openrouter"\n\n[providers.openrouter]\n'
        f'api_key = "{KEY}"\nbase_url = "{server.base_url}/api/v1"\n'
    )
    paths.config_file().chmod(0o600)


def test_pplx_ask_chat_goes_on_with_the_provider_in_use(loopback: LoopbackServer) -> None:
    chat_id = demo_chat()
    key_in_config(loopback)
    loopback.queue(answer_reply(["From the provider in use."]))

    result = pplx("ask", "--chat", chat_id, "--no-save", "cont2", key=None)

    assert result.returncode == 0, result.stderr
    assert "From the provider in use." in result.stdout
    assert loopback.requests[-1].json["model"] == "perplexity/sonar"
    assert (  # as the app says when the chat opens (QA: nothing said it)
        f"pplx: note: chat {chat_id} was asked on the offline demo; it goes on with "
        "perplexity/sonar on openrouter\n"
    ) in result.stderr


def test_pplx_ask_chat_stays_on_the_demo_without_a_key() -> None:
    chat_id = demo_chat()

    result = pplx("ask", "--chat", chat_id, "--no-save", "cont2", key=None)

    assert result.returncode == 0, result.stderr
    assert result.stdout and "offline demo; it goes on" not in result.stderr


async def test_pplx_opening_a_demo_chat_goes_on_with_the_provider_in_use(
    loopback: LoopbackServer,
) -> None:
    chat_id = demo_chat()
    key_in_config(loopback)
    loopback.queue(answer_reply(["From the provider in use."]))
    app = make_app(chat_id=chat_id)  # as `pplx --chat ID` makes it
    async with app.run_test(size=(120, 40)) as pilot:
        screen = workspace(app)
        assert screen.chat.id == chat_id
        assert (screen.target.provider.name, screen.target.model.id) == (
            "openrouter",
            "perplexity/sonar",
        )
        await ask(pilot, "And now?")
    assert loopback.requests[-1].json["model"] == "perplexity/sonar"
