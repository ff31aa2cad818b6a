"""The catalog: built-ins, custom gateways from config, legacy ids mapped with a notice."""

from __future__ import annotations

import pytest

from pplx_tui.config import ProviderSettings, Settings
from pplx_tui.providers import AGENT_PRESETS, UnknownProviderError, build_catalog


@pytest.mark.parametrize(
    ("legacy", "today"),
    [
        ("sonar-small-online", "fast"),
        ("sonar-medium-chat", "fast"),
        ("pplx-70b-online", "fast"),
        ("llama-3.1-sonar-large-128k-online", "low"),
        ("llama-3.1-sonar-small-128k-chat", "fast"),
        ("sonar-reasoning", "medium"),
        ("r1-1776", "medium"),
        ("sonar-reasoning-pro", "high"),
        ("sonar-deep-research", "xhigh"),
        ("sonar-pro", "low"),
        ("sonar", "perplexity/sonar"),
    ],
)
def test_legacy_perplexity_ids_map_to_agent_api_choices_with_a_notice(
    legacy: str, today: str
) -> None:
    resolved = build_catalog().resolve_model("perplexity", legacy)

    assert resolved.model.id == today
    assert resolved.notice is not None
    assert legacy in resolved.notice and today in resolved.notice


@pytest.mark.parametrize(
    ("legacy", "today"),
    [
        ("sonar", "perplexity/sonar"),
        ("sonar-pro", "perplexity/sonar-pro"),
        ("sonar-deep-research", "perplexity/sonar-deep-research"),
        ("perplexity/llama-3.1-sonar-huge-128k-online", "perplexity/sonar"),
        ("pplx-7b-chat", "perplexity/sonar"),
        ("sonar-reasoning", "perplexity/sonar-reasoning-pro"),
    ],
)
def test_legacy_ids_on_openrouter_map_to_perplexity_namespace(legacy: str, today: str) -> None:
    resolved = build_catalog().resolve_model("openrouter", legacy)

    assert resolved.model.id == today
    assert resolved.notice


def test_known_ids_resolve_without_notice_and_keep_capabilities() -> None:
    resolved = build_catalog().resolve_model("openrouter", "perplexity/sonar-reasoning-pro")

    assert resolved.notice is None
    assert resolved.model.reasoning and resolved.model.web_search
    assert resolved.model.price_label.startswith("$2/$8 per M tok")


def test_presets_are_models_of_the_perplexity_provider() -> None:
    perplexity = build_catalog().provider("perplexity")

    assert perplexity.dialect == "agent"
    assert {m.id for m in perplexity.models} >= {*AGENT_PRESETS, "perplexity/sonar"}
    assert perplexity.model(perplexity.default_model) is not None


def test_groq_says_it_hosts_no_sonar_model() -> None:
    catalog = build_catalog()

    assert "no Perplexity Sonar" in (catalog.provider("groq").notice or "")
    assert not any("sonar" in m.id for m in catalog.provider("groq").models)
    with pytest.raises(LookupError, match="Groq hosts no Perplexity Sonar"):
        catalog.resolve_model("groq", "sonar-pro")


def test_demo_rejects_unknown_models_and_other_providers_pass_them_through() -> None:
    catalog = build_catalog()

    with pytest.raises(LookupError, match="unknown model"):
        catalog.resolve_model("demo", "gpt-4")
    assert catalog.resolve_model("perplexity", "openai/gpt-5.1").model.id == "openai/gpt-5.1"


def test_unknown_provider_names_the_known_ones() -> None:
    with pytest.raises(UnknownProviderError, match="openrouter"):
        build_catalog().provider("nope")


def test_custom_gateway_and_base_url_override_from_config() -> None:
    settings = Settings(
        providers={
            "mygate": ProviderSettings(
                base_url="http://127.0.0.1:9/v1", api_key_env="MYGATE_KEY", models=["m1", "m2"]
            ),
            "openrouter": ProviderSettings(base_url="http://127.0.0.1:8/api/v1"),
        }
    )
    catalog = build_catalog(settings)

    gateway = catalog.provider("mygate")
    assert (gateway.dialect, gateway.default_model, gateway.api_key_env) == (
        "chat",
        "m1",
        "MYGATE_KEY",
    )
    assert [m.id for m in gateway.models] == ["m1", "m2"]
    assert catalog.provider("openrouter").base_url == "http://127.0.0.1:8/api/v1"


def test_live_models_are_merged_without_duplicates() -> None:
    catalog = build_catalog()
    existing = catalog.provider("openrouter").models[0]
    from pplx_tui.providers import ModelInfo

    new = ModelInfo(id="perplexity/sonar-next", label="Sonar Next", provider="openrouter")
    merged = catalog.with_models("openrouter", (existing, new))

    ids = [m.id for m in merged.provider("openrouter").models]
    assert ids.count(existing.id) == 1 and "perplexity/sonar-next" in ids
