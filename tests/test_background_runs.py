"""Agent API background runs: reading a run, and starting, polling and cancelling over sockets."""

from __future__ import annotations

import asyncio

import pytest

from pplx_tui.client.background import BackgroundRuns, PollPolicy, RunLost, is_run_id, read_run
from pplx_tui.client.chat_client import ChatClient
from pplx_tui.client.errors import (
    AuthenticationError,
    InvalidRequestError,
    ProtocolError,
    ServerError,
    StreamInterrupted,
)
from pplx_tui.client.events import Done, SearchProgress, SourcesUpdate, TextDelta, UsageUpdate
from pplx_tui.client.request import ChatRequest, Turn
from pplx_tui.providers import build_catalog
from tests.support.agent_runs import (
    FIRST_BATCH,
    KEY,
    AgentRunServer,
    RunScript,
    completed_response,
    response_object,
)
from tests.support.loopback import Reply, json_reply
from tests.support.retries import NO_WAIT, no_sleep

PERPLEXITY = build_catalog().provider("perplexity")


def runs_for(server: AgentRunServer, provider: str = "perplexity") -> BackgroundRuns:
    client = ChatClient(
        build_catalog().provider(provider),
        KEY,
        base_url=server.base_url,
        retry=NO_WAIT,
    )
    return BackgroundRuns(client, PollPolicy(sleep=no_sleep))


def question(model: str = "high") -> ChatRequest:
    return ChatRequest(model=model, turns=(Turn("user", "How do tardigrades survive?"),))


def of_type(events, kind):
    return [event for event in events if isinstance(event, kind)]


# -- reading one response object -----------------------------------------------------------


def test_a_completed_run_gives_every_batch_the_fetched_page_the_text_and_the_cost() -> None:
    snapshot = read_run(PERPLEXITY, completed_response("resp_1"))

    assert snapshot.finished and snapshot.status == "completed" and snapshot.error is None
    (sources,) = of_type(snapshot.events, SourcesUpdate)
    # ids 1-2 then 3 (continuing across batches); the fetched Wikipedia page is source 2
    # already, the other fetched page becomes 4.
    assert [(s.index, s.url) for s in sources.sources] == [
        (1, "https://www.esa.int/tardigrades"),
        (2, "https://en.wikipedia.org/wiki/Cryptobiosis"),
        (3, "https://www.nature.com/articles/ncomms12808"),
        (4, "https://journals.example.org/tardigrade-review"),
    ]
    (progress,) = of_type(snapshot.events, SearchProgress)
    assert progress.queries == (
        "tardigrade cryptobiosis survival limits",
        "tardigrade radiation tolerance Dsup protein",
    )
    assert "".join(e.text for e in of_type(snapshot.events, TextDelta)).startswith("Tardigrades")
    (usage,) = of_type(snapshot.events, UsageUpdate)
    assert usage.usage.cost_usd == pytest.approx(0.0281)  # includes the search and fetch tools
    assert usage.usage.total_tokens == 5760
    assert snapshot.events[-1] == Done("stop")


def test_a_run_in_progress_shows_its_searches_so_far_and_is_not_finished() -> None:
    snapshot = read_run(PERPLEXITY, response_object("resp_2", "in_progress", [FIRST_BATCH]))

    assert not snapshot.finished
    assert of_type(snapshot.events, SearchProgress)[0].result_count == 2
    assert not of_type(snapshot.events, Done) and not of_type(snapshot.events, TextDelta)


def test_failed_and_cancelled_runs_carry_their_reason_and_keep_what_they_found() -> None:
    failed = read_run(
        PERPLEXITY,
        response_object(
            "resp_3", "failed", [FIRST_BATCH], error={"code": "server_error", "message": "boom"}
        ),
    )
    cancelled = read_run(PERPLEXITY, response_object("resp_4", "cancelled", [FIRST_BATCH]))

    assert isinstance(failed.error, ServerError)
    assert str(failed.error) == "Perplexity (Agent API) failed the run: boom."
    assert isinstance(cancelled.error, StreamInterrupted)
    assert of_type(cancelled.events, SourcesUpdate)


def test_an_incomplete_run_is_an_answer_cut_at_the_limit() -> None:
    payload = response_object(
        "resp_5", "incomplete", [], incomplete_details={"reason": "max_output_tokens"}
    )

    assert read_run(PERPLEXITY, payload).events[-1] == Done("length")


@pytest.mark.parametrize(
    "payload",
    [
        [],
        {"status": "queued"},
        {"id": "../../v1/models", "status": "queued"},
        {"id": "resp_6", "status": "dreaming"},
        {"id": "resp_7"},
    ],
)
def test_a_reply_that_is_not_a_usable_run_is_a_protocol_error(payload) -> None:
    with pytest.raises(ProtocolError):
        read_run(PERPLEXITY, payload)


def test_run_ids_must_be_safe_in_a_url_path() -> None:
    assert is_run_id("resp_d60f3e03-57e0-4048-994f-69b29a6d2ce7")
    for bad in ("", "../x", "a/b", "a b", "a?b=1", "résumé"):
        assert not is_run_id(bad)


def test_the_default_backoff_grows_to_ten_seconds_and_the_environment_can_fix_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    policy = PollPolicy()

    assert [policy.delay(n) for n in range(3)] == [1.0, 1.5, 2.25]
    assert policy.delay(20) == 10.0
    monkeypatch.setenv("PPLX_POLL_INTERVAL", "0.05")
    assert PollPolicy.from_environment().delay(9) == 0.05
    monkeypatch.setenv("PPLX_POLL_INTERVAL", "soon")
    assert PollPolicy.from_environment() == PollPolicy()


# -- over real sockets --------------------------------------------------------------------


async def test_start_sends_background_and_polls_through_to_the_answer(agent) -> None:
    agent.scripts.append(RunScript(polls=2))
    seen: list[str] = []
    runs = runs_for(agent)
    async with runs.client:
        started = await runs.start(question())
        final = await runs.wait(started.id, lambda snap: seen.append(snap.status))

    body = agent.requests[0].json
    assert body["background"] is True and body["stream"] is False and body["preset"] == "high"
    assert agent.requests[0].headers["authorization"] == f"Bearer {KEY}"
    assert started.status == "queued" and started.id.startswith("resp_")
    assert seen == ["queued", "in_progress", "in_progress", "completed"]
    assert final.finished and final.events[-1] == Done("stop")
    assert [r.path for r in agent.requests[1:]] == [f"/v1/agent/{started.id}"] * 4


async def test_a_forgotten_run_is_lost_never_waited_on_forever(agent) -> None:
    agent.scripts.append(RunScript(outcome="lost", polls=1))
    runs = runs_for(agent)
    started = await runs.start(question())

    with pytest.raises(RunLost) as lost:
        await runs.wait(started.id)
    await runs.client.aclose()

    assert lost.value.status == 404 and lost.value.exit_code == 5
    assert "no longer knows this background run" in str(lost.value)


async def test_cancel_asks_the_provider_and_the_next_poll_says_cancelled(agent) -> None:
    agent.scripts.append(RunScript(hold=True))
    runs = runs_for(agent)
    started = await runs.start(question())
    first = await runs.check(started.id)
    await runs.cancel(started.id)
    after = await runs.check(started.id)
    await runs.client.aclose()

    assert first.status == "queued"
    assert agent.requests[2].method == "POST"
    assert agent.requests[2].path == f"/v1/agent/{started.id}/cancel"
    assert after.status == "cancelled" and isinstance(after.error, StreamInterrupted)


async def test_cancelling_a_finished_run_is_not_an_error(agent) -> None:
    agent.scripts.append(RunScript(polls=0))
    runs = runs_for(agent)
    started = await runs.start(question())
    await runs.wait(started.id)
    await runs.cancel(started.id)  # the server answers 400 "already terminal"
    await runs.client.aclose()

    assert agent.requests[-1].path.endswith("/cancel")


@pytest.mark.parametrize("status", [500, 502])
async def test_a_start_that_may_have_reached_the_provider_is_not_sent_twice(agent, status) -> None:
    """A 5xx (or a connection dropped) after the question went out may come after Perplexity
    started the run: the start was retried like a stream, and a second deep research run
    started (and was billed) for the one question."""
    runs = runs_for(agent)
    agent.http.queue(json_reply(status, {"error": {"message": "upstream hiccup"}}))

    with pytest.raises(ServerError, match=r"not sent again .* may have started"):
        await runs.start(question())
    await runs.client.aclose()

    assert [(r.method, r.path) for r in agent.requests] == [("POST", "/v1/agent")]


async def test_a_start_turned_away_as_too_many_is_sent_again(agent) -> None:
    """A 429 says the provider did not take the question: asking again starts one run."""
    agent.scripts.append(RunScript(polls=0))
    runs = runs_for(agent)
    agent.http.queue(json_reply(429, {"error": {"message": "slow down"}}))

    started = await runs.start(question())
    await runs.client.aclose()

    assert started.status == "queued"
    assert [r.method for r in agent.requests] == ["POST", "POST"]


async def test_a_server_hiccup_while_polling_is_waited_out(agent) -> None:
    agent.scripts.append(RunScript(polls=1))
    runs = runs_for(agent)
    started = await runs.start(question())
    # Three 503s: more than the client's own two retries, fewer than the poll's patience.
    agent.http.queue(*[json_reply(503, {"error": {"message": "busy"}})] * 3)
    final = await runs.wait(started.id)
    await runs.client.aclose()

    assert final.status == "completed"


async def test_a_bad_request_while_polling_is_raised_at_once(agent) -> None:
    runs = runs_for(agent)
    agent.http.queue(json_reply(401, {"error": {"message": "Invalid API key"}}))

    with pytest.raises(AuthenticationError):
        await runs.wait("resp_1")
    await runs.client.aclose()


def test_background_runs_need_the_agent_api(agent) -> None:
    client = ChatClient(build_catalog().provider("openrouter"), KEY, base_url=agent.base_url)

    with pytest.raises(InvalidRequestError, match="need the Agent API"):
        BackgroundRuns(client)


async def test_a_poll_answered_with_another_runs_answer_is_not_taken(agent) -> None:
    """A proxy or cache that mixes runs up must not put another question's answer (and cost)
    into this chat."""
    runs = runs_for(agent)
    agent.http.queue(json_reply(200, completed_response("resp_someone-else")))

    with pytest.raises(ProtocolError, match="another run"):
        await runs.check("resp_1")
    await runs.client.aclose()


@pytest.mark.parametrize(
    "hiccup",
    [
        Reply(headers={"Content-Type": "text/html"}, chunks=[b"<title>Wi-Fi login</title>"]),
        Reply(headers={"Content-Type": "application/json"}, chunks=[b'{"id": "resp_']),
    ],
    ids=["captive-portal", "cut-json"],
)
async def test_an_unreadable_poll_is_waited_out_like_a_server_error(agent, hiccup) -> None:
    """A laptop waking up behind a Wi-Fi login page, or a proxy cutting a reply, is a hiccup
    of minutes in a wait of minutes: `pplx runs wait` gave up at the first one."""
    agent.scripts.append(RunScript(polls=1))
    runs = runs_for(agent)
    started = await runs.start(question())
    agent.http.queue(hiccup, hiccup, hiccup)
    final = await runs.wait(started.id)
    await runs.client.aclose()

    assert final.status == "completed"


async def test_a_poll_that_never_reads_is_given_up_after_the_polls_patience(agent) -> None:
    runs = runs_for(agent)
    garbage = Reply(headers={"Content-Type": "application/json"}, chunks=[b"not json"])
    agent.http.queue(*[garbage] * (runs.policy.max_failures + 5))

    with pytest.raises(ProtocolError, match="not JSON"):
        await runs.wait("resp_1")
    await runs.client.aclose()
    assert len(agent.requests) == runs.policy.max_failures + 1


async def test_a_check_that_never_gets_an_answer_is_given_up_and_made_again(agent) -> None:
    """A laptop that slept during `pplx runs wait` wakes on a dead connection: its check
    waited out the 15 minutes of the read timeout before the run was asked about again."""
    agent.scripts.append(RunScript(polls=0))
    client = ChatClient(PERPLEXITY, KEY, base_url=agent.base_url, retry=NO_WAIT)
    runs = BackgroundRuns(client, PollPolicy(sleep=no_sleep, check_timeout=0.2))
    started = await runs.start(question())
    hung = Reply(headers={"Content-Type": "application/json"}, chunks=[b"{}"], hang_after=0)
    agent.http.queue(hung)

    async with asyncio.timeout(10):  # (the held reply itself waits 30 s)
        final = await runs.wait(started.id)
    await client.aclose()

    assert final.status == "completed"
