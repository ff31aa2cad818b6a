"""Live model lists: new models appear in the catalog without a release.

Perplexity's and OpenRouter's ``/models`` lists are read when a key for them is set and cached
for a day (:mod:`pplx_tui.client.model_cache`). OpenRouter lists hundreds of models from every
vendor; only its ``perplexity/…`` ones join the catalog (any other id still works with
``--model``). Failures never stop anything: the built-in catalog stays.

``pplx models`` reads them with :func:`refresh_catalog`; the app keeps a :class:`LiveLists`:
the cached lists from its start (no network), a stale or missing one read again in the
background at most once a session.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pplx_tui.client.errors import ClientError
from pplx_tui.client.model_cache import cached_list, refresh_models
from pplx_tui.logs import get_logger
from pplx_tui.providers import Catalog, ModelInfo, ProviderInfo
from pplx_tui.session import key_for

if TYPE_CHECKING:
    from pplx_tui.client.chat_client import ChatClient
    from pplx_tui.config_read import AnySettings

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
    return LiveLists(catalog).add_to(catalog)


async def _read_list(client: ChatClient, provider: ProviderInfo) -> tuple[ModelInfo, ...]:
    """``provider``'s live list: a fresh cache, else its ``/models`` (then cached). Raises
    :class:`ClientError` or :class:`TimeoutError`; closes ``client``."""
    async with client:
        return await asyncio.wait_for(
            refresh_models(client, provider.name), timeout=REFRESH_TIMEOUT
        )


async def refresh_catalog(
    catalog: Catalog,
    settings: AnySettings,
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
            models = await _read_list(make_client(provider, key), provider)
        except (ClientError, TimeoutError) as error:
            log.info("live model list of %s not read: %s", name, error)
            notes.append(f"the live model list of {name} could not be read ({error or 'timeout'})")
            continue
        catalog = catalog.with_models(name, _relevant(provider, models))
    return catalog, notes


@dataclass(frozen=True, slots=True)
class ListToRead:
    """A provider whose live list is read again, with its key and the URL it is asked at."""

    provider: ProviderInfo
    key: str
    base_url: str | None = None


async def read_list(wanted: ListToRead) -> tuple[ModelInfo, ...] | None:
    """The live list of ``wanted``; ``None`` if it cannot be read (logged, never the key).

    The client is made in a thread, with the modules its first connection imports: httpx's
    import and TLS set-up are moments the app's event loop does not wait for."""
    from pplx_tui.client import import_connection_modules, make_client

    def client() -> ChatClient:
        import_connection_modules()
        return make_client(wanted.provider, wanted.key, wanted.base_url)

    try:
        return await _read_list(await asyncio.to_thread(client), wanted.provider)
    except (ClientError, TimeoutError) as error:
        log.info("live model list of %s not read: %s", wanted.provider.name, error or "timeout")
        return None


class LiveLists:
    """One session's live model lists: the cached ones when it started (no network), and
    those read since (:meth:`to_read`, :meth:`read`), each provider's at most once."""

    def __init__(self, catalog: Catalog) -> None:
        """Read the cached lists of ``catalog``'s live providers (a missing or stale one is
        left for :meth:`to_read`)."""
        self._lists: dict[str, tuple[ModelInfo, ...]] = {}
        for provider in _live(catalog):
            if (models := cached_list(provider.name, provider.sonar_prefix)) is not None:
                self._lists[provider.name] = models
        self._asked: set[str] = set()

    def add_to(self, catalog: Catalog) -> Catalog:
        """``catalog`` with the lists known (of the providers it has)."""
        for name, models in self._lists.items():
            if (provider := catalog.providers.get(name)) is not None:
                catalog = catalog.with_models(name, _relevant(provider, models))
        return catalog

    def to_read(
        self,
        catalog: Catalog,
        settings: AnySettings,
        environ: Mapping[str, str],
        base_urls: Mapping[str, str],
    ) -> list[ListToRead]:
        """The lists to read now: of the live providers with a key, those without a list
        from a fresh cache, not asked yet this session (each is marked asked). ``base_urls``:
        a provider's URL given on the command line, where its questions go."""
        wanted: list[ListToRead] = []
        for provider in _live(catalog):
            name = provider.name
            if name in self._lists or name in self._asked:
                continue
            if key := key_for(provider, settings, environ):
                self._asked.add(name)
                wanted.append(ListToRead(provider, key, base_urls.get(name)))
        return wanted

    def read(self, provider: str, models: tuple[ModelInfo, ...]) -> None:
        """Keep ``provider``'s list read (by :func:`read_list`) in place of the one known."""
        self._lists[provider] = models
