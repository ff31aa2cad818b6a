"""The provider and model catalog: built-in providers, custom gateways, legacy model ids.

Perplexity retired Sonar chat completions on 2026-09-27; the ``perplexity`` provider speaks the
Agent API. Tutorials still teach the old model ids, so :meth:`Catalog.resolve_model` maps them to
today's choice with a one-line notice instead of letting the server answer with an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

from pplx_tui.legacy_models import modern_id

if TYPE_CHECKING:
    from pplx_tui.config import Settings

Dialect = Literal["chat", "agent", "demo"]
AGENT_PRESETS = ("fast", "low", "medium", "high", "xhigh")


class UnknownProviderError(LookupError):
    """A provider name that is neither built in nor configured."""


@dataclass(frozen=True, slots=True)
class ModelInfo:
    id: str
    label: str
    provider: str
    web_search: bool = False
    reasoning: bool = False
    context_length: int | None = None
    input_price: float | None = None
    """USD per million input tokens."""
    output_price: float | None = None
    """USD per million output tokens."""
    request_price: float | None = None
    """USD per 1,000 requests (search fee)."""

    @property
    def price_label(self) -> str:
        if self.input_price is None and self.output_price is None:
            return ""
        text = f"${_money(self.input_price)}/${_money(self.output_price)} per M tok"
        if self.request_price:
            text += f" + ${_money(self.request_price)}/1k req"
        return text

    @property
    def capabilities(self) -> str:
        parts = ["web search" if self.web_search else "no search"]
        if self.reasoning:
            parts.append("reasoning")
        if self.context_length:
            parts.append(f"{self.context_length // 1000}k ctx")
        return ", ".join(parts)


def _money(value: float | None) -> str:
    return "?" if value is None else f"{value:g}"


@dataclass(frozen=True, slots=True)
class ProviderInfo:
    name: str
    label: str
    base_url: str
    dialect: Dialect
    api_key_env: str | None
    models: tuple[ModelInfo, ...]
    default_model: str
    notice: str | None = None
    """Shown in the picker and `pplx models` (e.g. Groq hosts no Sonar model)."""
    key_help: str | None = None
    """Where to get a key."""
    extra_headers: dict[str, str] = field(default_factory=dict)
    accepts_any_model: bool = True
    """Whether ids outside ``models`` are passed through (gateways host more than we list)."""

    def model(self, model_id: str) -> ModelInfo | None:
        return next((m for m in self.models if m.id == model_id), None)


@dataclass(frozen=True, slots=True)
class ResolvedModel:
    model: ModelInfo
    notice: str | None = None
    """One line to show when the requested id was mapped to another."""


def _m(provider: str, id: str, label: str, **kw: object) -> ModelInfo:
    return ModelInfo(id=id, label=label, provider=provider, **kw)  # type: ignore[arg-type]


_PPLX = "perplexity"
_OR = "openrouter"
_GROQ = "groq"

BUILTIN_PROVIDERS: tuple[ProviderInfo, ...] = (
    ProviderInfo(
        name=_PPLX,
        label="Perplexity (Agent API)",
        base_url="https://api.perplexity.ai",
        dialect="agent",
        api_key_env="PERPLEXITY_API_KEY",
        default_model="fast",
        key_help="Create a key at https://www.perplexity.ai/settings/api and set "
        "PERPLEXITY_API_KEY (or add it in the app with ctrl+k).",
        models=(
            _m(
                _PPLX,
                "fast",
                "Preset fast (Sonar-class quick search)",
                web_search=True,
                context_length=127_000,
            ),
            _m(
                _PPLX,
                "low",
                "Preset low (Sonar Pro-class)",
                web_search=True,
                context_length=200_000,
            ),
            _m(
                _PPLX,
                "medium",
                "Preset medium (reasoning with search)",
                web_search=True,
                reasoning=True,
                context_length=128_000,
            ),
            _m(
                _PPLX,
                "high",
                "Preset high (deeper reasoning)",
                web_search=True,
                reasoning=True,
                context_length=128_000,
            ),
            _m(
                _PPLX,
                "xhigh",
                "Preset xhigh (deep research, minutes)",
                web_search=True,
                reasoning=True,
                context_length=128_000,
            ),
            _m(
                _PPLX,
                "perplexity/sonar",
                "Sonar",
                web_search=True,
                context_length=127_000,
                input_price=1,
                output_price=1,
                request_price=5,
            ),
        ),
    ),
    ProviderInfo(
        name=_OR,
        label="OpenRouter",
        base_url="https://openrouter.ai/api/v1",
        dialect="chat",
        api_key_env="OPENROUTER_API_KEY",
        default_model="perplexity/sonar",
        key_help="Create a key at https://openrouter.ai/keys and set OPENROUTER_API_KEY "
        "(or add it in the app with ctrl+k).",
        extra_headers={
            "HTTP-Referer": "https://github.com/pplx-tui/pplx-tui",
            "X-OpenRouter-Title": "pplx-tui",
            "X-Title": "pplx-tui",
        },
        models=(
            _m(
                _OR,
                "perplexity/sonar",
                "Sonar",
                web_search=True,
                context_length=127_072,
                input_price=1,
                output_price=1,
                request_price=5,
            ),
            _m(
                _OR,
                "perplexity/sonar-pro",
                "Sonar Pro",
                web_search=True,
                context_length=200_000,
                input_price=3,
                output_price=15,
                request_price=5,
            ),
            _m(
                _OR,
                "perplexity/sonar-pro-search",
                "Sonar Pro Search",
                web_search=True,
                context_length=200_000,
                input_price=3,
                output_price=15,
                request_price=18,
            ),
            _m(
                _OR,
                "perplexity/sonar-reasoning-pro",
                "Sonar Reasoning Pro",
                web_search=True,
                reasoning=True,
                context_length=128_000,
                input_price=2,
                output_price=8,
                request_price=5,
            ),
            _m(
                _OR,
                "perplexity/sonar-deep-research",
                "Sonar Deep Research",
                web_search=True,
                reasoning=True,
                context_length=128_000,
                input_price=2,
                output_price=8,
                request_price=5,
            ),
        ),
    ),
    ProviderInfo(
        name=_GROQ,
        label="Groq",
        base_url="https://api.groq.com/openai/v1",
        dialect="chat",
        api_key_env="GROQ_API_KEY",
        default_model="llama-3.3-70b-versatile",
        notice="Groq hosts no Perplexity Sonar model; its own groq/compound searches the web.",
        key_help="Create a key at https://console.groq.com/keys and set GROQ_API_KEY.",
        models=(
            _m(
                _GROQ,
                "llama-3.3-70b-versatile",
                "Llama 3.3 70B",
                context_length=131_072,
                input_price=0.59,
                output_price=0.79,
            ),
            _m(
                _GROQ,
                "llama-3.1-8b-instant",
                "Llama 3.1 8B",
                context_length=131_072,
                input_price=0.05,
                output_price=0.08,
            ),
            _m(
                _GROQ,
                "openai/gpt-oss-120b",
                "GPT-OSS 120B",
                reasoning=True,
                context_length=131_072,
                input_price=0.15,
                output_price=0.75,
            ),
            _m(
                _GROQ,
                "openai/gpt-oss-20b",
                "GPT-OSS 20B",
                reasoning=True,
                context_length=131_072,
                input_price=0.1,
                output_price=0.5,
            ),
            _m(
                _GROQ,
                "qwen/qwen3-32b",
                "Qwen3 32B",
                reasoning=True,
                context_length=131_072,
                input_price=0.29,
                output_price=0.59,
            ),
            _m(
                _GROQ,
                "moonshotai/kimi-k2-instruct",
                "Kimi K2",
                context_length=131_072,
                input_price=1,
                output_price=3,
            ),
            _m(
                _GROQ,
                "groq/compound",
                "Compound (Groq's own web search)",
                web_search=True,
                context_length=131_072,
            ),
            _m(
                _GROQ,
                "groq/compound-mini",
                "Compound Mini",
                web_search=True,
                context_length=131_072,
            ),
        ),
    ),
    ProviderInfo(
        name="demo",
        label="Demo (offline)",
        base_url="https://demo.invalid/v1",
        dialect="demo",
        api_key_env=None,
        default_model="demo/sonar",
        notice="Offline demo: canned answers, no network, no key.",
        accepts_any_model=False,
        models=(
            _m(
                "demo",
                "demo/sonar",
                "Demo Sonar (offline)",
                web_search=True,
                context_length=127_000,
                input_price=1,
                output_price=1,
                request_price=5,
            ),
            _m(
                "demo",
                "demo/sonar-reasoning",
                "Demo Sonar Reasoning (offline)",
                web_search=True,
                reasoning=True,
                context_length=128_000,
                input_price=2,
                output_price=8,
                request_price=5,
            ),
        ),
    ),
)


class Catalog:
    """Providers by name, built-ins merged with the user's ``[providers.*]`` tables."""

    def __init__(self, providers: dict[str, ProviderInfo]) -> None:
        self.providers = providers

    def provider(self, name: str) -> ProviderInfo:
        try:
            return self.providers[name]
        except KeyError:
            known = ", ".join(self.providers)
            raise UnknownProviderError(
                f"unknown provider {name!r}; known providers: {known}"
            ) from None

    def with_models(self, name: str, models: tuple[ModelInfo, ...]) -> Catalog:
        """A copy in which ``name`` also lists ``models`` (e.g. a live /models list)."""
        provider = self.provider(name)
        known = {m.id for m in provider.models}
        merged = provider.models + tuple(m for m in models if m.id not in known)
        return Catalog({**self.providers, name: replace(provider, models=merged)})

    def resolve_model(self, provider_name: str, model_id: str | None) -> ResolvedModel:
        """The model to use for ``model_id`` on a provider, mapping legacy ids with a notice.

        Raises ``LookupError`` with a user-facing message for an id the provider cannot take.
        """
        provider = self.provider(provider_name)
        if not model_id:
            model_id = provider.default_model
        if found := provider.model(model_id):
            return ResolvedModel(found)
        if (
            provider.dialect != "demo"
            and provider.name != _GROQ
            and (new_id := modern_id(model_id, provider.dialect))
        ):
            resolved = provider.model(new_id) or _m(provider.name, new_id, new_id)
            return ResolvedModel(
                resolved,
                f"model {model_id!r} is an old or retired id; using {new_id!r} on {provider.name}",
            )
        if "sonar" in model_id.lower() and provider.name == _GROQ:
            raise LookupError(
                f"Groq hosts no Perplexity Sonar model ({model_id!r}); use --provider "
                "perplexity or openrouter, or one of Groq's models (pplx models --provider groq)"
            )
        if provider.accepts_any_model:
            return ResolvedModel(_m(provider.name, model_id, model_id))
        known = ", ".join(m.id for m in provider.models)
        raise LookupError(f"unknown model {model_id!r} for {provider.name}; choose one of {known}")


def build_catalog(settings: Settings | None = None) -> Catalog:
    """Built-in providers, with base-URL overrides and custom gateways from the config."""
    providers = {p.name: p for p in BUILTIN_PROVIDERS}
    if settings is None:
        return Catalog(providers)
    for name, configured in settings.providers.items():
        existing = providers.get(name)
        models = tuple(_m(name, model_id, model_id) for model_id in configured.models)
        if existing is not None:
            providers[name] = replace(
                existing,
                base_url=configured.base_url or existing.base_url,
                api_key_env=configured.api_key_env or existing.api_key_env,
                models=existing.models + tuple(m for m in models if not existing.model(m.id)),
            )
        elif configured.base_url:
            providers[name] = ProviderInfo(
                name=name,
                label=configured.label or name,
                base_url=configured.base_url,
                dialect=configured.dialect,
                api_key_env=configured.api_key_env,
                models=models,
                default_model=configured.models[0] if configured.models else "perplexity/sonar",
                key_help=f"Set {configured.api_key_env} or add api_key under [providers.{name}]."
                if configured.api_key_env
                else f"Add api_key under [providers.{name}] in config.toml.",
            )
    return Catalog(providers)
