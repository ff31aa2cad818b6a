"""config.toml's ``[sampling]`` options the Agent API has no field for are said to be not sent,
as the same options typed on the command line are (QA: temperature, top_p, stop and the
penalties set in config.toml went unsent without a word)."""

from __future__ import annotations

from pplx_tui import paths
from tests.support import recorded, recorded_agent
from tests.support.cli import pplx
from tests.support.loopback import LoopbackServer, Reply
from tests.support.tui import Notifications, agent_app, ask, demo_app

PPLX_KEY = "pplx-samplingnotsent0123456789abcdef"
SAMPLING = '[sampling]\ntemperature = 0.2\ntop_p = 0.9\nstop = ["###"]\nmax_tokens = 300\n'


def write_config(text: str) -> None:
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)


def agent_ask(loopback: LoopbackServer, *args: str):
    loopback.queue(Reply(chunks=recorded.frames(recorded_agent.agent_events())))
    return pplx(
        "ask", "--provider", "perplexity", "--model", "fast", "--base-url", loopback.base_url,
        *args, "Cafés?", key=None, PERPLEXITY_API_KEY=PPLX_KEY,
    )  # fmt: skip


def notes(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("pplx: note:")]


def test_config_s_sampling_options_the_agent_api_drops_are_one_note(
    loopback: LoopbackServer,
) -> None:
    write_config(SAMPLING)

    result = agent_ask(loopback)

    assert result.returncode == 0, result.stderr
    assert notes(result.stderr) == [
        "pplx: note: config.toml's [sampling] temperature, top_p and stop are not sent: the "
        "Agent API takes only max_tokens and reasoning_effort"
    ]
    body = loopback.requests[0].json
    assert body["max_output_tokens"] == 300 and "temperature" not in body


def test_typed_and_configured_options_not_sent_share_the_note(loopback: LoopbackServer) -> None:
    write_config(SAMPLING)

    result = agent_ask(loopback, "--temperature", "0.5", "--presence-penalty", "1")

    assert result.returncode == 0, result.stderr
    assert notes(result.stderr) == [
        "pplx: note: --temperature, --presence-penalty, config.toml's [sampling] top_p and stop "
        "are not sent: the Agent API takes only --max-tokens and --reasoning-effort"
    ]


def test_config_s_sampling_options_are_sent_without_a_note_where_they_are_taken() -> None:
    write_config(SAMPLING)

    result = pplx("ask", "--demo", "Moons?")

    assert result.returncode == 0, result.stderr
    assert notes(result.stderr) == []


async def test_the_app_says_once_which_sampling_options_the_agent_api_is_not_sent(
    loopback: LoopbackServer,
) -> None:
    write_config(SAMPLING)
    for _ in range(2):
        loopback.queue(Reply(chunks=recorded.frames(recorded_agent.agent_events())))
    said = Notifications()
    app = agent_app(loopback)
    async with app.run_test(size=(120, 40), message_hook=said, notifications=True) as pilot:
        await ask(pilot, "Cafés in Tōkyō?")
        await ask(pilot, "And in Kyōto?")
    unsent = [text for text in said.texts() if "not sent" in text]
    assert unsent == [
        "The sampling options temperature, top_p and stop are not sent: the Agent API takes only "
        "max_tokens and reasoning_effort."
    ]
    assert len(loopback.requests) == 2
    assert "temperature" not in loopback.requests[0].json


async def test_the_app_says_nothing_of_sampling_where_it_is_sent() -> None:
    write_config(SAMPLING)
    said = Notifications()
    app = demo_app()
    async with app.run_test(size=(120, 40), message_hook=said, notifications=True) as pilot:
        await ask(pilot, "How many moons does Mars have?")
    assert not [text for text in said.texts() if "not sent" in text]
