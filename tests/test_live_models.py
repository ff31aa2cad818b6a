"""Live model lists: read with a key, cached for a day, never fatal."""

from __future__ import annotations

import json
import subprocess

import pytest

from pplx_tui import paths
from tests.support.cli import pplx
from tests.support.loopback import LoopbackServer, json_reply

pytestmark = pytest.mark.usefixtures("model_lists_unread")  # they read them

OPENROUTER_MODELS = {
    "data": [
        {
            "id": "perplexity/sonar",
            "name": "Perplexity: Sonar",
            "context_length": 127072,
            "pricing": {"prompt": "0.000001", "completion": "0.000001", "request": "0.005"},
        },
        {
            "id": "perplexity/sonar-ultra",
            "name": "Perplexity: Sonar Ultra",
            "context_length": 256000,
            "pricing": {"prompt": "0.000004", "completion": "0.00002"},
        },
        {
            "id": "openai/gpt-9",
            "name": "OpenAI: GPT-9",
            "context_length": 1000000,
            "pricing": {"prompt": "0.00001", "completion": "0.00003"},
        },
    ]
}


def pplx_models(server: LoopbackServer, *args: str) -> subprocess.CompletedProcess[str]:
    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'[providers.openrouter]\nbase_url = "{server.base_url}/api/v1"\n')
    config.chmod(0o600)
    return pplx("models", "--provider", "openrouter", "--json", *args, key="sk-or-v1-livemodels")


def model_ids(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [m["id"] for m in json.loads(result.stdout)[0]["models"]]


def test_new_perplexity_models_appear_and_the_list_is_cached(loopback: LoopbackServer) -> None:
    loopback.queue(json_reply(200, OPENROUTER_MODELS))

    first = pplx_models(loopback)
    second = pplx_models(loopback)

    assert first.returncode == 0, first.stderr
    ids = model_ids(first)
    assert "perplexity/sonar-ultra" in ids and ids.count("perplexity/sonar") == 1
    assert "openai/gpt-9" not in ids
    assert model_ids(second) == ids
    assert [r.path for r in loopback.requests] == ["/api/v1/models"]
    assert loopback.requests[0].headers["authorization"] == "Bearer sk-or-v1-livemodels"


def test_a_failing_list_leaves_the_built_in_catalog(loopback: LoopbackServer) -> None:
    loopback.queue(*[json_reply(500, "<html>bad gateway</html>", {"Retry-After": "0"})] * 3)

    result = pplx_models(loopback)

    assert result.returncode == 0
    assert "perplexity/sonar-pro" in model_ids(result)
    assert "could not be read" in result.stderr and "Traceback" not in result.stderr


def test_offline_reads_no_network(loopback: LoopbackServer) -> None:
    result = pplx_models(loopback, "--offline")

    assert result.returncode == 0
    assert loopback.requests == []


def test_models_of_one_provider_contact_only_that_provider(loopback: LoopbackServer) -> None:
    """`pplx models --provider demo` (or a gateway, or groq) read OpenRouter's live list too,
    sending the OpenRouter key there and noting that it "could not be read"."""
    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        "[providers.openrouter]\n"
        f'base_url = "{loopback.base_url}/api/v1"\n'
        'api_key = "sk-or-v1-onlyforopenrouter"\n'
        "[providers.mygateway]\n"
        f'base_url = "{loopback.base_url}/gw/v1"\n'
        'models = ["perplexity/sonar"]\n'
    )
    config.chmod(0o600)

    results = [
        pplx("models", "--provider", name, key=None) for name in ("demo", "mygateway", "groq")
    ]

    assert [r.returncode for r in results] == [0, 0, 0], [r.stderr for r in results]
    assert loopback.requests == []
    assert all("openrouter" not in r.stderr for r in results), [r.stderr for r in results]
