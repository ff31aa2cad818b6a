"""Live model lists: new models appear in the catalog without a release.

Perplexity's and OpenRouter's ``/models`` lists are read when a key for them is set and cached
for a day (:mod:`pplx_tui.client.model_cache`). OpenRouter lists hundreds of models from every
vendor; only its ``perplexity/…`` ones join the catalog (any other id still works with
``--model``). Failures never stop anything: the built-in catalog stays.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Mapping

from pplx_tui.client.errors import ClientError
from pplx_tui.client.model_cache import cached_models, refresh_models
from pplx_tui.config import Settings
from pplx_tui.logs import get_logger
from pplx_tui.providers import Catalog, ModelInfo, ProviderInfo
from pplx_tui.session import key_for

REFRESH_TIMEOUT = 10.0
log = get_logger("live_models")


def _relevant(provider: ProviderInfo, models: tuple[ModelInfo, ...]) -> tuple[ModelInfo, ...]:
    """Of a gateway's live list, Perplexity's models (``sonar_prefix``); all of others'."""
    if provider.sonar_prefix:
        return tuple(m for m in models if m.id.startswith(provider.sonar_prefix))
    return models


def _live(catalog: Catalog) -> list[ProviderInfo]:
    """The providers whose ``/models`` list is read (``live_model_list`` in the catalog)."""
    return [p for p in catalog.providers.values() if p.live_model_list]


def with_cached_models(catalog: Catalog) -> Catalog:
    """The catalog plus whatever live lists are cached (no network)."""
    for provider in _live(catalog):
        if models := cached_models(provider.name):
            catalog = catalog.with_models(provider.name, _relevant(provider, models))
    return catalog


async def refresh_catalog(
    catalog: Catalog,
    settings: Settings,
    environ: Mapping[str, str],
    only: Collection[str] | None = None,
) -> tuple[Catalog, list[str]]:
    """Fetch stale live lists for providers with a key; returns the catalog and one-line notes.

    ``only`` names the providers that may be contacted (``pplx models --provider X``): no other
    is asked, so a key never goes to a provider the user did not ask about.
    """
    from pplx_tui.client import make_client

    notes: list[str] = []
    for provider in _live(catalog):
        name = provider.name
        if only is not None and name not in only:
            continue
        if not (key := key_for(provider, settings, environ)):
            continue
        try:
            async with make_client(provider, key) as client:
                models = await asyncio.wait_for(
                    refresh_models(client, name), timeout=REFRESH_TIMEOUT
                )
        except (ClientError, TimeoutError) as error:
            log.info("live model list of %s not read: %s", name, error)
            notes.append(f"the live model list of {name} could not be read ({error or 'timeout'})")
            continue
        catalog = catalog.with_models(name, _relevant(provider, models))
    return catalog, notes
