"""The provider and model catalog: built-in providers, custom gateways, legacy model ids.

Perplexity retired Sonar chat completions on 2026-09-27; the ``perplexity`` provider speaks the
Agent API. Tutorials still teach the old model ids, so :meth:`Catalog.resolve_model` maps them to
today's choice with a one-line notice instead of letting the server answer with an error.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pplx_tui.legacy_models import modern_id

if TYPE_CHECKING:
    from pplx_tui.config import Settings

CATALOG_FILE = "catalog.toml"
"""The bundled provider and model catalog (data, beside this module)."""
Dialect = Literal["chat", "agent", "demo"]
AGENT_PRESETS = ("fast", "low", "medium", "high", "xhigh")


class PresetElsewhereError(LookupError):
    """An Agent API preset (``high``) asked of a chat-completions provider: only the
    ``perplexity`` provider has it. The message says what it is; what to do depends on whether
    a Perplexity key is set, which the caller knows (:func:`pplx_tui.session.resolve_target`)."""


class UnknownProviderError(LookupError):
    """A provider name that is neither built in nor configured."""


@dataclass(frozen=True, slots=True)
class ModelInfo:
    id: str
    label: str
    provider: str
    web_search: bool | None = False
    """``None``: not known (a model named only in a gateway's ``models`` in config.toml)."""
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
        known = {True: "web search", False: "no search", None: "search unknown"}
        parts = [known[self.web_search]]
        if self.reasoning:
            parts.append("reasoning")
        if self.context_length:
            parts.append(f"{self.context_length // 1000}k ctx")
        return ", ".join(parts)


def _money(value: float | None) -> str:
    """Dollars with cents always (``0.10``, ``1.00``), and more decimals only where a price has
    them (``0.075``): ``$0.1`` beside ``$0.59`` read as two formats."""
    if value is None:
        return "?"
    text = f"{value:.6f}".rstrip("0")
    whole, _, cents = text.partition(".")
    return f"{whole}.{cents:0<2}"


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
    """Where to get a key and how to give it (the command line's and errors' hint)."""
    key_url: str | None = None
    """The page where a key is created (the ctrl+k dialog's hint: there, not "press ctrl+k")."""
    key_prefix: str | None = None
    """How its keys start (``gsk_``): the ctrl+k dialog picks the provider a pasted key is for."""
    extra_headers: dict[str, str] = field(default_factory=dict)
    accepts_any_model: bool = True
    """Whether ids outside ``models`` are passed through (gateways host more than we list)."""
    maps_legacy_ids: bool = True
    """Whether retired Sonar ids are mapped to today's (with a notice)."""
    hosts_sonar: bool = True
    """``False``: a Sonar id is refused with a pointer to the providers that host Sonar."""
    sonar_prefix: str = ""
    """The id prefix of Perplexity's models on this gateway (``perplexity/`` on OpenRouter)."""
    prices_per_token: bool = False
    """Whether its live ``/models`` list prices per token (else per million tokens)."""
    live_model_list: bool = False
    """Whether its ``/models`` list is read (with a key, cached a day) to add new models."""
    config_note: str | None = None
    """What its config.toml table sets that is not used, or lacks (shown in the picker and
    `pplx models`; the demo's also where it answers)."""

    def model(self, model_id: str) -> ModelInfo | None:
        return next((m for m in self.models if m.id == model_id), None)


@dataclass(frozen=True, slots=True)
class ResolvedModel:
    model: ModelInfo
    notice: str | None = None
    """One line to show when the requested id was mapped to another."""


def _m(provider: str, id: str, label: str, **kw: object) -> ModelInfo:
    return ModelInfo(id=id, label=label, provider=provider, **kw)  # type: ignore[arg-type]


_PRICES = ("input_price", "output_price", "request_price")


def _provider(table: dict[str, Any]) -> ProviderInfo:
    """One ``[[providers]]`` table of the catalog as a :class:`ProviderInfo`."""
    table = dict(table)
    name = table["name"]
    models = []
    for entry in table.pop("models", ()):
        prices = {k: float(entry[k]) for k in _PRICES if k in entry}
        models.append(ModelInfo(provider=name, **{**entry, **prices}))
    table.setdefault("api_key_env", None)
    return ProviderInfo(models=tuple(models), **table)


@cache
def builtin_providers() -> tuple[ProviderInfo, ...]:
    """The providers of the bundled ``catalog.toml`` (read once, on first use). Read beside
    this module, as the bundled themes are (``importlib.resources`` and the zipfile module it
    imports cost the app's start-up ~5 ms more)."""
    text = (Path(__file__).parent / CATALOG_FILE).read_text(encoding="utf-8")
    return tuple(_provider(table) for table in tomllib.loads(text)["providers"])


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
        if any(character.isspace() for character in model_id):
            # (it was sent as written: "model": "sonar pro")
            raise LookupError(
                f"model {model_id!r} contains whitespace (a space, a tab or a line break), "
                f"which no model id has; list {provider.name}'s models with "
                f"`pplx models --provider {provider.name}`"
            )
        if found := provider.model(model_id) or _without_vendor(provider, model_id):
            return ResolvedModel(found)
        if model_id.lower() in AGENT_PRESETS and provider.dialect == "chat":
            # (OpenRouter took `--model high`, the README's example, and answered an error)
            raise PresetElsewhereError(
                f"{model_id!r} is a Perplexity Agent API preset (not on {provider.label})"
            )
        if provider.maps_legacy_ids and (new_id := modern_id(model_id, provider.dialect)):
            resolved = provider.model(new_id) or _m(provider.name, new_id, new_id)
            if new_id.endswith("/" + model_id):  # the id without its vendor: not an old one
                notice = f"model {model_id!r} is written {new_id!r} on {provider.name}; using it"
            else:
                notice = f"model {model_id!r} is an old or retired id; using {new_id!r}"
                notice += f" on {provider.name}"
            return ResolvedModel(resolved, notice)
        if "sonar" in model_id.lower() and not provider.hosts_sonar:
            raise LookupError(
                f"{provider.label} hosts no Perplexity Sonar model ({model_id!r}); use --provider "
                f"perplexity or openrouter, or one of {provider.label}'s models "
                f"(pplx models --provider {provider.name})"
            )
        if provider.accepts_any_model:
            return ResolvedModel(_m(provider.name, model_id, model_id))
        known = ", ".join(m.id for m in provider.models)
        raise LookupError(f"unknown model {model_id!r} for {provider.name}; choose one of {known}")


def _without_vendor(provider: ProviderInfo, model_id: str) -> ModelInfo | None:
    """The one model ``model_id`` names without its vendor (``sonar-pro`` for
    ``perplexity/sonar-pro``), as the model picker takes it: not an old id, the same model."""
    if "/" in model_id:
        return None
    named = [m for m in provider.models if m.id.rpartition("/")[2] == model_id and "/" in m.id]
    return named[0] if len(named) == 1 else None


def _configured_model(provider: str, model_id: str, builtin: tuple[ProviderInfo, ...]) -> ModelInfo:
    """A model named in config.toml: one the catalog knows elsewhere (perplexity/sonar behind a
    gateway) searches and reasons as it does there; its prices are the gateway's, unknown. Of
    another the app does not know whether it searches (QA: the empty chat said a gateway's model
    did not, and its answers came with sources)."""
    known = next((m for p in builtin if p.dialect == "chat" and (m := p.model(model_id))), None)
    if known is None:
        return _m(provider, model_id, model_id, web_search=None)
    return replace(known, provider=provider, **dict.fromkeys(_PRICES))


def build_catalog(settings: Settings | None = None) -> Catalog:
    """Built-in providers, with base-URL overrides and custom gateways from the config (the
    offline demo keeps its own: it reaches no server, and a bad URL there broke its answers)."""
    providers = {p.name: p for p in builtin_providers()}
    if settings is None:
        return Catalog(providers)
    builtin = tuple(providers.values())
    for name, configured in settings.providers.items():
        existing = providers.get(name)
        models = tuple(_configured_model(name, model_id, builtin) for model_id in configured.models)
        if existing is not None:
            offline = existing.dialect == "demo"
            providers[name] = replace(
                existing,
                base_url=(not offline and configured.base_url) or existing.base_url,
                api_key_env=configured.api_key_env or existing.api_key_env,
                models=existing.models + tuple(m for m in models if not existing.model(m.id)),
                config_note=f"config.toml's [providers.{name}] base_url is not used: the demo"
                " answers offline"
                if offline and configured.base_url
                else None,
            )
        elif configured.base_url:
            providers[name] = ProviderInfo(
                config_note=None
                if models
                else f"config.toml's [providers.{name}] lists no models, so ctrl+o offers none:"
                f' add models = ["…"] there (pplx ask --provider {name} --model ID works without)',
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
