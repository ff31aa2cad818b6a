"""Live model lists (OpenRouter and Perplexity shapes), their day-long cache, AnswerBuilder."""

from __future__ import annotations

import json
import os
import stat
import time

import pytest

from pplx_tui import paths
from pplx_tui.client.answer import AnswerBuilder
from pplx_tui.client.chat_client import ChatClient
from pplx_tui.client.errors import AuthenticationError
from pplx_tui.client.events import (
    Done,
    ReasoningDelta,
    SearchProgress,
    SourcesUpdate,
    TextDelta,
    UsageUpdate,
)
from pplx_tui.client.model_cache import cache_file, cached_list, cached_models, refresh_models
from pplx_tui.models import MessageStatus, SearchSettings, Source, Usage
from pplx_tui.providers import build_catalog
from tests.support import recorded
from tests.support.loopback import json_reply
from tests.support.retries import NO_RETRY

pytestmark = pytest.mark.usefixtures("model_lists_unread")  # they read them

module_server, loopback = recorded.shared_server_fixtures()
CATALOG = build_catalog()
OPENROUTER_MODELS = {
    "data": [
        {
            "id": "perplexity/sonar-pro",
            "name": "Perplexity: Sonar Pro",
            "context_length": 200000,
            "pricing": {
                "prompt": "0.000003",
                "completion": "0.000015",
                "request": "0",
                "web_search": "0.005",
            },
            "supported_parameters": ["max_tokens", "temperature", "web_search_options"],
        },
        {
            "id": "perplexity/sonar-reasoning-pro",
            "name": "Perplexity: Sonar Reasoning Pro",
            "context_length": 128000,
            "pricing": {"prompt": "0.000002", "completion": "0.000008"},
            "supported_parameters": ["reasoning", "include_reasoning"],
        },
        {"id": "openai/gpt-4o", "name": "GPT-4o\x1b[31m", "pricing": {"prompt": "-1"}},
        {"name": "no id, skipped"},
    ]
}


def client_for(loopback, name: str = "openrouter", key: str = "sk-or-v1-modelskey012345"):
    return ChatClient(CATALOG.provider(name), key, base_url=loopback.base_url, retry=NO_RETRY)


async def test_openrouter_models_convert_per_token_prices(loopback) -> None:
    loopback.queue(json_reply(200, OPENROUTER_MODELS))
    async with client_for(loopback) as client:
        models = await client.list_models()

    assert loopback.requests[0].path == "/models"
    assert loopback.requests[0].method == "GET"
    pro, reasoning, gpt = models
    assert (pro.input_price, pro.output_price) == (3.0, 15.0)
    assert pro.request_price == 5.0  # web_search USD per request → per 1,000 requests
    assert pro.web_search and not pro.reasoning and pro.context_length == 200000
    assert pro.label == "Perplexity: Sonar Pro" and pro.provider == "openrouter"
    assert reasoning.reasoning and reasoning.output_price == 8.0
    assert gpt.label == "GPT-4o" and gpt.input_price is None and not gpt.web_search


async def test_perplexity_models_come_from_v1_models_with_auth(loopback) -> None:
    body = {
        "data": [
            {"id": "perplexity/sonar", "pricing": {"input": 1, "output": 1}},
            {"id": "openai/gpt-5"},
        ]
    }
    loopback.queue(json_reply(200, body))
    async with client_for(loopback, "perplexity", key="pplx-modelskey0123456") as client:
        models = await client.list_models()

    sent = loopback.requests[0]
    assert sent.path == "/v1/models"
    assert sent.headers["authorization"] == "Bearer pplx-modelskey0123456"
    assert [m.id for m in models] == ["perplexity/sonar", "openai/gpt-5"]
    assert models[0].input_price == 1.0


async def test_model_list_errors_are_typed(loopback) -> None:
    loopback.queue(json_reply(401, {"error": {"message": "bad key"}}))
    async with client_for(loopback) as client:
        with pytest.raises(AuthenticationError):
            await client.list_models()


async def test_refresh_caches_owner_only_and_cached_models_reads_it(loopback) -> None:
    loopback.queue(json_reply(200, OPENROUTER_MODELS))
    async with client_for(loopback) as client:
        fetched = await refresh_models(client, "openrouter")
        again = await refresh_models(client, "openrouter")  # fresh cache: no second request

    path = cache_file("openrouter")
    assert path.parent == paths.cache_dir()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert again == fetched and len(loopback.requests) == 1
    assert cached_models("openrouter") == fetched


async def test_a_cache_that_cannot_be_written_is_one_log_line_and_the_list_still_comes(
    loopback, caplog: pytest.LogCaptureFixture
) -> None:
    """A foreseen failure (the cache folder is a file: a read-only or full disk likewise) is
    one line in the log, not a traceback."""
    paths.cache_dir().parent.mkdir(parents=True, exist_ok=True)
    paths.cache_dir().write_text("not a folder")
    loopback.queue(json_reply(200, OPENROUTER_MODELS))
    with caplog.at_level("WARNING"):
        async with client_for(loopback) as client:
            fetched = await refresh_models(client, "openrouter")

    assert [m.id for m in fetched][:1] == ["perplexity/sonar-pro"]
    [record] = [r for r in caplog.records if "model cache" in r.getMessage()]
    assert record.exc_info is None and "could not write the model cache" in record.getMessage()


def test_stale_corrupt_or_missing_cache_is_empty() -> None:
    assert cached_models("nothing-here") == ()
    path = cache_file("openrouter")
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    assert cached_models("openrouter") == ()
    path.write_text(
        json.dumps(
            {
                "version": 1,
                "fetched_at": time.time() - 90_000,
                "models": [{"id": "x", "label": "X"}],
            }
        )
    )
    assert cached_models("openrouter") == ()
    path.write_text(
        json.dumps({"version": 1, "fetched_at": time.time(), "models": [{"id": "x", "bogus": 1}]})
    )
    assert [m.id for m in cached_models("openrouter")] == ["x"]
    path.write_text(json.dumps({"version": 1, "fetched_at": time.time(), "models": [5]}))
    assert cached_models("openrouter") == ()


def test_a_cached_list_read_for_a_prefix_builds_only_those_models() -> None:
    """The app reads OpenRouter's cached list (hundreds of models) as it starts: only its
    Perplexity models are built; a fresh list without one is still a fresh list (not read
    again), which ``None`` (no fresh list) is not."""
    path = cache_file("openrouter")
    path.parent.mkdir(parents=True)
    models = [{"id": "perplexity/sonar-x", "label": "X"}, {"id": "openai/gpt-9", "bogus": 1}, 7]
    path.write_text(json.dumps({"version": 1, "fetched_at": time.time(), "models": models}))
    assert [m.id for m in cached_list("openrouter", "perplexity/")] == ["perplexity/sonar-x"]
    assert cached_list("openrouter", "mistral/") == ()
    assert cached_list("perplexity") is None


def test_cache_file_name_cannot_escape_the_cache_folder() -> None:
    assert cache_file("../../etc/passwd").parent == paths.cache_dir()


# -- AnswerBuilder ---------------------------------------------------------------------------------


def test_answer_builder_folds_events_into_a_message() -> None:
    sources = (Source(index=1, url="https://a.example"),)
    builder = AnswerBuilder()
    for event in (
        SearchProgress(thought="Searching the web..."),
        ReasoningDelta("think "),
        ReasoningDelta("more"),
        TextDelta("Hello "),
        SourcesUpdate(()),
        SourcesUpdate(sources),
        TextDelta("[1]"),
        UsageUpdate(Usage(total_tokens=3)),
        UsageUpdate(Usage(total_tokens=9, cost_usd=0.01)),
        Done("length"),
    ):
        builder.add(event)
    search = SearchSettings(recency="day")

    message = builder.to_message("openrouter", "perplexity/sonar", search)

    assert (message.content, message.reasoning) == ("Hello [1]", "think more")
    assert message.sources == list(sources)
    assert message.usage == Usage(total_tokens=9, cost_usd=0.01)
    assert builder.finish_reason == "length" and message.status is MessageStatus.COMPLETE
    assert (message.provider, message.model, message.search) == (
        "openrouter",
        "perplexity/sonar",
        search,
    )
    assert builder.progress == SearchProgress(thought="Searching the web...")
    assert message.finished_at is not None


def test_answer_builder_status_after_errors_and_interruptions() -> None:
    builder = AnswerBuilder()
    builder.add(TextDelta("partial"))

    assert builder.to_message("p", "m").status is MessageStatus.INTERRUPTED
    errored = builder.to_message("p", "m", error="Server failed.")
    assert errored.status is MessageStatus.ERROR and errored.content == "partial"
    assert builder.to_message("p", "m", status=MessageStatus.COMPLETE).status is (
        MessageStatus.COMPLETE
    )
