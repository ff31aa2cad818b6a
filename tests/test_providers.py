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
        ("perplexity/llama-3.1-sonar-huge-128k-online", "perplexity/sonar"),
        ("pplx-7b-chat", "perplexity/sonar"),
        ("sonar-reasoning", "perplexity/sonar-reasoning-pro"),
    ],
)
def test_legacy_ids_on_openrouter_map_to_perplexity_namespace(legacy: str, today: str) -> None:
    resolved = build_catalog().resolve_model("openrouter", legacy)

    assert resolved.model.id == today
    assert resolved.notice


@pytest.mark.parametrize(
    ("provider", "typed", "model"),
    [
        ("openrouter", "sonar-pro", "perplexity/sonar-pro"),
        ("openrouter", "sonar", "perplexity/sonar"),
        ("openrouter", "sonar-deep-research", "perplexity/sonar-deep-research"),
        ("perplexity", "sonar", "perplexity/sonar"),
    ],
)
def test_an_id_without_its_vendor_is_that_model_not_a_retired_one(
    provider: str, typed: str, model: str
) -> None:
    """QA: `--provider openrouter --model sonar-pro` said "model 'sonar-pro' is an old or
    retired id": it is perplexity/sonar-pro without its vendor, which ctrl+o takes as exact."""
    resolved = build_catalog().resolve_model(provider, typed)

    assert resolved.model.id == model
    assert resolved.notice is None
    assert resolved.model == build_catalog().provider(provider).model(model)


def test_known_ids_resolve_without_notice_and_keep_capabilities() -> None:
    resolved = build_catalog().resolve_model("openrouter", "perplexity/sonar-reasoning-pro")

    assert resolved.notice is None
    assert resolved.model.reasoning and resolved.model.web_search
    assert resolved.model.price_label.startswith("$2.00/$8.00 per M tok")


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


def test_a_gateways_perplexity_models_search_like_they_do_elsewhere() -> None:
    """QA: `pplx models` (and the picker) called a gateway's perplexity/sonar "no search",
    though the gateway answers it with a web search and the app sends it the search filters."""
    settings = Settings(
        providers={
            "mygate": ProviderSettings(
                base_url="http://127.0.0.1:9/v1", models=["perplexity/sonar-reasoning-pro", "m1"]
            )
        }
    )
    gateway = build_catalog(settings).provider("mygate")

    sonar, other = gateway.models
    assert (sonar.web_search, sonar.reasoning, sonar.provider) == (True, True, "mygate")
    assert sonar.price_label == ""  # the gateway's prices are its own, not OpenRouter's
    assert (other.web_search, other.reasoning) == (None, False)  # not known either way
    assert other.capabilities == "search unknown"


def test_live_models_are_merged_without_duplicates() -> None:
    catalog = build_catalog()
    existing = catalog.provider("openrouter").models[0]
    from pplx_tui.providers import ModelInfo

    new = ModelInfo(id="perplexity/sonar-next", label="Sonar Next", provider="openrouter")
    merged = catalog.with_models("openrouter", (existing, new))

    ids = [m.id for m in merged.provider("openrouter").models]
    assert ids.count(existing.id) == 1 and "perplexity/sonar-next" in ids


def test_the_bundled_catalog_is_valid_data() -> None:
    """catalog.toml, checked field by field against the dataclasses' types by pydantic.

    (Loading it at run time only builds the dataclasses, so `pplx ask` pays no validator.)
    """
    import tomllib
    from importlib.resources import files

    from pydantic import TypeAdapter

    from pplx_tui.providers import CATALOG_FILE, ModelInfo, ProviderInfo, builtin_providers

    data = tomllib.loads(files("pplx_tui").joinpath(CATALOG_FILE).read_text(encoding="utf-8"))
    provider_fields = set(ProviderInfo.__dataclass_fields__)
    model_fields = set(ModelInfo.__dataclass_fields__) - {"provider"}
    tables = []
    for table in data["providers"]:
        assert set(table) <= provider_fields, set(table) - provider_fields
        for model in table["models"]:
            assert set(model) <= model_fields, set(model) - model_fields
        models = [{**m, "provider": table["name"]} for m in table["models"]]
        tables.append({"api_key_env": None, **table, "models": models})
    providers = TypeAdapter(tuple[ProviderInfo, ...]).validate_python(tables)
    assert providers == builtin_providers()
    assert [p.name for p in providers] == ["perplexity", "openrouter", "groq", "demo"]
    for provider in providers:
        assert provider.model(provider.default_model), provider.name
        assert all(m.provider == provider.name for m in provider.models)


def test_catalog_fields_replace_provider_name_branches() -> None:
    catalog = build_catalog()
    groq, openrouter, demo = (catalog.provider(n) for n in ("groq", "openrouter", "demo"))
    assert not groq.hosts_sonar and not groq.maps_legacy_ids
    assert not demo.maps_legacy_ids and not demo.accepts_any_model
    assert openrouter.sonar_prefix == "perplexity/" and openrouter.prices_per_token
    live = [p.name for p in catalog.providers.values() if p.live_model_list]
    assert live == ["perplexity", "openrouter"]
