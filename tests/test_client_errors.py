"""HTTP errors become typed, one-sentence, key-free errors; retries only before the answer."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from unittest.mock import ANY

import pytest

from pplx_tui.client.chat_client import ChatClient
from pplx_tui.client.errors import (
    AuthenticationError,
    CreditsError,
    InvalidRequestError,
    NetworkError,
    RateLimitError,
    RetiredEndpointError,
    ServerError,
    StreamInterrupted,
)
from pplx_tui.client.events import Done, Retrying
from pplx_tui.client.http_errors import RETIRED_MESSAGE, error_for_status
from pplx_tui.client.request import ChatRequest, Turn
from pplx_tui.client.retry import RetryPolicy, parse_retry_after
from pplx_tui.providers import ProviderInfo, build_catalog
from tests.support import recorded
from tests.support.loopback import LoopbackServer, Reply, json_reply

KEY = "sk-or-v1-errortestkey0123456789"
module_server, loopback = recorded.shared_server_fixtures()
OPENROUTER = build_catalog().provider("openrouter")
LEGACY = ProviderInfo(
    name="pplx-legacy",
    label="Perplexity (legacy)",
    base_url="x",
    dialect="chat",
    api_key_env="PERPLEXITY_API_KEY",
    models=(),
    default_model="sonar",
    key_help="Set PERPLEXITY_API_KEY.",
)
HTML_502 = (
    b"<html><head><title>502 Bad Gateway</title></head><body><center>"
    b"<h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"
)


class Sleeps:
    """A recording, instant ``sleep`` for the retry policy."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def client_for(
    loopback: LoopbackServer,
    sleeps: Sleeps,
    provider: ProviderInfo = OPENROUTER,
    base_url: str | None = None,
) -> ChatClient:
    return ChatClient(
        provider, KEY, base_url=base_url or loopback.base_url, retry=RetryPolicy(sleep=sleeps)
    )


ASK = ChatRequest(model="perplexity/sonar", turns=(Turn("user", "q"),))


async def run(
    loopback: LoopbackServer, sleeps: Sleeps, *replies: Reply, provider: ProviderInfo = OPENROUTER
):
    loopback.queue(*replies)
    async with client_for(loopback, sleeps, provider) as client:
        return await recorded.collect(client.stream(ASK))


def good() -> Reply:
    return Reply(chunks=recorded.frames(recorded.openrouter_events()))


# -- status → error ------------------------------------------------------------------------------


async def test_401_json_says_where_to_set_the_key_and_never_shows_it(loopback, sleeps) -> None:
    body = {
        "error": {
            "message": f"Invalid API key provided: {KEY}",
            "type": "invalid_api_key",
            "code": 401,
        }
    }
    _, error = await run(loopback, sleeps, json_reply(401, body))

    assert isinstance(error, AuthenticationError) and error.exit_code == 3
    assert "OPENROUTER_API_KEY" in str(error) and "ctrl+k" in str(error)
    assert KEY not in str(error) and "errortestkey" not in str(error)
    assert len(loopback.requests) == 1 and sleeps.delays == []


async def test_401_html_page_is_not_dumped_into_the_message(loopback, sleeps) -> None:
    page = b"<html><head><title>401 Authorization Required</title></head><body>" + b"x" * 5000
    _, error = await run(loopback, sleeps, json_reply(401, page))

    assert isinstance(error, AuthenticationError)
    assert "401 Authorization Required" in str(error)
    assert "<" not in str(error) and "xxxx" not in str(error)
    assert str(error).count(".") <= 4 and "\n" not in str(error)


async def test_retired_sonar_endpoint_403_points_at_the_agent_api(loopback, sleeps) -> None:
    body = {
        "error": {
            "message": "Sonar is now the Agent API. Use /v1/responses instead of "
            "/v1/sonar. Migrate here: https://docs.perplexity.ai",
            "type": "chat_completions_not_available",
            "code": 403,
        }
    }
    _, error = await run(loopback, sleeps, json_reply(403, body), provider=LEGACY)

    assert isinstance(error, RetiredEndpointError)
    assert str(error) == RETIRED_MESSAGE
    assert "perplexity provider" in str(error) and "2026-09-27" in str(error)
    assert "key itself is fine" in str(error)  # not a bad key (PROTOCOL §0)
    assert error.exit_code == 2  # a request the provider can no longer take, as a bad model


def test_retirement_is_recognised_by_message_alone() -> None:
    body = b'{"error":{"message":"Please use the Agent API instead"}}'

    assert isinstance(error_for_status(403, body, LEGACY), RetiredEndpointError)


async def test_other_403_is_a_refusal(loopback, sleeps) -> None:
    body = {"error": {"message": "Flagged by moderation", "code": 403}}
    _, error = await run(loopback, sleeps, json_reply(403, body))

    assert type(error) is AuthenticationError and "refused" in str(error)
    assert "Flagged by moderation" in str(error)


async def test_402_is_out_of_credits(loopback, sleeps) -> None:
    body = {"error": {"message": "Insufficient credits", "code": 402, "metadata": {}}}
    _, error = await run(loopback, sleeps, json_reply(402, body))

    assert isinstance(error, CreditsError) and error.exit_code == 4
    assert "credits" in str(error)
    assert len(loopback.requests) == 1


async def test_invalid_model_names_the_model(loopback, sleeps) -> None:
    body = {
        "error": {
            "message": "Invalid model 'perplexity/sonar'",
            "type": "invalid_model",
            "code": 400,
        }
    }
    _, error = await run(loopback, sleeps, json_reply(400, body))

    assert isinstance(error, InvalidRequestError) and "'perplexity/sonar'" in str(error)
    assert "pplx models" in str(error)


async def test_422_detail_list_is_summarised(loopback, sleeps) -> None:
    body = {"detail": [{"loc": ["body", "messages", 1], "msg": "roles must alternate"}]}
    _, error = await run(loopback, sleeps, json_reply(422, body))

    assert isinstance(error, InvalidRequestError)
    assert "messages.1: roles must alternate" in str(error)


async def test_empty_error_body_still_gives_a_sentence(loopback, sleeps) -> None:
    _, error = await run(loopback, sleeps, *[Reply(status=503, chunks=[])] * 3)

    assert isinstance(error, ServerError) and "503" in str(error)
    assert str(error).endswith(".")


def test_plain_text_body_is_quoted_briefly() -> None:
    error = error_for_status(400, b"bad things happened\n" * 100, OPENROUTER)

    assert "bad things happened" in str(error) and len(str(error)) < 400


# -- retries ------------------------------------------------------------------------------------


async def test_429_then_success_honours_retry_after(loopback, sleeps) -> None:
    limited = json_reply(
        429,
        {"error": {"message": "Rate limit exceeded", "type": "request_rate_limit_exceeded"}},
        headers={"Retry-After": "3"},
    )
    events, error = await run(loopback, sleeps, limited, good())

    assert error is None and isinstance(events[-1], Done)
    assert len(loopback.requests) == 2
    assert sleeps.delays == [3.0]


async def test_each_retry_is_announced_before_its_wait(loopback, sleeps) -> None:
    """QA: while a 429's Retry-After was waited out (up to 20 s, twice) the app could only say
    "waiting for the server": the stream now says a retry is coming, why, and in how long."""
    limited = json_reply(429, {"error": {"message": "Rate limit exceeded"}}, {"Retry-After": "3"})
    events, error = await run(loopback, sleeps, limited, Reply(status=503, chunks=[b"{}"]), good())

    assert error is None
    retries = [event for event in events if isinstance(event, Retrying)]
    assert retries == [Retrying("rate limited (429)", 3.0), Retrying("server error (503)", ANY)]
    assert events[:2] == retries  # before anything of the answer
    assert sleeps.delays == [3.0, retries[1].delay]


async def test_429_every_time_gives_up_after_two_retries(loopback, sleeps) -> None:
    limited = json_reply(429, {"error": {"message": "Rate limit exceeded"}})
    _, error = await run(loopback, sleeps, limited, limited, limited, good())

    assert isinstance(error, RateLimitError) and error.exit_code == 4
    assert len(loopback.requests) == 3 and len(sleeps.delays) == 2


async def test_5xx_html_is_retried_then_a_server_error(loopback, sleeps) -> None:
    page = json_reply(502, HTML_502)
    _, error = await run(loopback, sleeps, page, page, page)

    assert isinstance(error, ServerError)
    assert "502 Bad Gateway" in str(error) and "<" not in str(error)
    assert len(loopback.requests) == 3
    assert 0.3 <= sleeps.delays[0] <= 0.5 and 0.7 <= sleeps.delays[1] <= 1.0  # backoff grows


@pytest.mark.parametrize("status", [408, 409, 500, 503])
async def test_retryable_statuses_are_retried(loopback, sleeps, status: int) -> None:
    _, error = await run(loopback, sleeps, Reply(status=status, chunks=[b"{}"]), good())

    assert error is None and len(loopback.requests) == 2


async def test_no_retry_once_the_answer_began(loopback, sleeps) -> None:
    partial = recorded.frames(recorded.openrouter_events())[:2]
    _, error = await run(loopback, sleeps, Reply(chunks=partial), good())

    assert isinstance(error, StreamInterrupted)
    assert len(loopback.requests) == 1 and sleeps.delays == []


async def test_connection_refused_is_retried_then_a_network_error(sleeps) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with ChatClient(
        OPENROUTER, KEY, base_url=f"http://127.0.0.1:{port}", retry=RetryPolicy(sleep=sleeps)
    ) as client:
        _, error = await recorded.collect(client.stream(ASK))

    assert isinstance(error, NetworkError) and error.exit_code == 5
    assert "could not be reached" in str(error)
    assert len(sleeps.delays) == 2


def test_retry_after_http_date_and_cap() -> None:
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=7), usegmt=True)

    assert parse_retry_after(later, now) == pytest.approx(7)
    assert parse_retry_after("garbage") is None
    assert parse_retry_after("-5") == 0
    policy = RetryPolicy()
    assert policy.delay(0, "3600") == 20.0  # capped: never hang for an hour
    assert 0.375 <= policy.delay(0) <= 0.5
    assert policy.delay(10) <= 8.0
