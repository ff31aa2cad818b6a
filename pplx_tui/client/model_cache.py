"""A day-long cache of each provider's live model list: ``cache_dir()/models-<provider>.json``.

:func:`refresh_models` asks the provider (unless a fresh cache exists) and writes the cache
atomically, owner-only. :func:`cached_models` (and :func:`cached_list`, which tells an empty
fresh list from none) reads it synchronously for start-up paths and never raises: a missing,
stale or corrupt cache is simply empty.
"""

from __future__ import annotations

import json
import logging
import re
import time
from dataclasses import asdict, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pplx_tui import paths
from pplx_tui.atomic import write_atomic
from pplx_tui.providers import ModelInfo

if TYPE_CHECKING:
    from pplx_tui.client.chat_client import ChatClient

TTL_SECONDS = 24 * 60 * 60
CACHE_VERSION = 1
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")
_FIELDS = {f.name for f in fields(ModelInfo)}
log = logging.getLogger(__name__)


def cache_file(provider_name: str) -> Path:
    """Where ``provider_name``'s list is cached (the name is made safe for a file name)."""
    safe = _UNSAFE.sub("_", provider_name).strip(".") or "provider"
    return paths.cache_dir() / f"models-{safe}.json"


def cached_models(provider_name: str) -> tuple[ModelInfo, ...]:
    """The cached list if it is younger than :data:`TTL_SECONDS`, else ``()``. Never raises."""
    return cached_list(provider_name) or ()


def cached_list(provider_name: str, prefix: str = "") -> tuple[ModelInfo, ...] | None:
    """The cached list's models whose id starts with ``prefix`` (the others are not even
    read: OpenRouter's list has hundreds, read as the app starts) if it is younger than
    :data:`TTL_SECONDS`, else ``None``. Never raises."""
    try:
        raw = json.loads(cache_file(provider_name).read_text(encoding="utf-8"))
        if not isinstance(raw, dict) or raw.get("version") != CACHE_VERSION:
            return None
        fetched = raw.get("fetched_at")
        if not isinstance(fetched, (int, float)) or not 0 <= time.time() - fetched <= TTL_SECONDS:
            return None
        entries = raw.get("models", [])
        if prefix:
            entries = [e for e in entries if isinstance(e, dict) and _id(e).startswith(prefix)]
        return tuple(_model(entry, provider_name) for entry in entries)
    except FileNotFoundError:  # not read yet: nothing to say
        return None
    except Exception:  # a corrupt or unreadable cache is as good as none
        log.debug("ignoring the model cache for %s", provider_name, exc_info=True)
        return None


def _id(entry: dict[str, Any]) -> str:
    model_id = entry.get("id")
    return model_id if isinstance(model_id, str) else ""


async def refresh_models(client: ChatClient, provider_name: str) -> tuple[ModelInfo, ...]:
    """The live list (from a fresh cache, if there is one); fetched lists are cached.

    Errors from the provider (:class:`ClientError`) propagate; a cache that cannot be written
    is logged and ignored.
    """
    if cached := cached_models(provider_name):
        return cached
    models = await client.list_models()
    payload: dict[str, Any] = {
        "version": CACHE_VERSION,
        "provider": provider_name,
        "fetched_at": time.time(),
        "models": [asdict(m) for m in models],
    }
    target = cache_file(provider_name)
    try:
        write_atomic(target, json.dumps(payload, indent=1).encode(), make_folders=True)
    except OSError as error:  # (a full disk, a read-only folder: foreseen, no traceback)
        log.warning("could not write the model cache %s: %s", target, error.strerror or error)
    return models


def _model(entry: Any, provider_name: str) -> ModelInfo:
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
        raise ValueError("bad cache entry")
    values = {k: v for k, v in entry.items() if k in _FIELDS}
    values.setdefault("label", entry["id"])
    values["provider"] = provider_name
    return ModelInfo(**values)
