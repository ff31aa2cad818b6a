"""Read a provider's live model list (``GET /models``) into :class:`ModelInfo` entries.

OpenRouter (PROTOCOL §3) lists prices as strings of USD *per token*; the catalog keeps USD per
million tokens (and per 1,000 requests), so they are scaled here. Perplexity's and other
OpenAI-style lists are read with the same tolerant code: unknown fields are ignored and an
entry without an ``id`` is skipped.
"""

from __future__ import annotations

from typing import Any

from pplx_tui.providers import ModelInfo, ProviderInfo
from pplx_tui.sanitize import clean_line

_INPUT_KEYS = ("prompt", "input", "input_tokens", "input_token")
_OUTPUT_KEYS = ("completion", "output", "output_tokens", "output_token")
_REQUEST_KEYS = ("request", "web_search", "search", "requests")


def models_url(provider: ProviderInfo, base_url: str) -> str:
    base = base_url.rstrip("/")
    if provider.dialect == "agent" and not base.endswith("/v1"):
        return base + "/v1/models"
    return base + "/models"


def parse_models(provider: ProviderInfo, payload: Any) -> tuple[ModelInfo, ...]:
    """Models from ``{"data": [...]}`` (or ``{"models": [...]}``, or a bare list)."""
    entries = payload.get("data", payload.get("models")) if isinstance(payload, dict) else payload
    if not isinstance(entries, list):
        return ()
    models: list[ModelInfo] = []
    seen: set[str] = set()
    for entry in entries:
        model = _model(provider, entry)
        if model is not None and model.id not in seen:
            seen.add(model.id)
            models.append(model)
    return tuple(models)


def _model(provider: ProviderInfo, entry: Any) -> ModelInfo | None:
    if isinstance(entry, str):
        entry = {"id": entry}
    if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
        return None
    model_id = clean_line(entry["id"])
    if not model_id:
        return None
    name = entry.get("name") or entry.get("display_name")
    label = clean_line(name) if isinstance(name, str) and name else model_id
    parameters = entry.get("supported_parameters")
    parameters = parameters if isinstance(parameters, list) else []
    lowered = model_id.lower()
    pricing = entry.get("pricing")
    pricing = pricing if isinstance(pricing, dict) else {}
    per_token = provider.prices_per_token or any(isinstance(v, str) for v in pricing.values())
    return ModelInfo(
        id=model_id,
        label=label,
        provider=provider.name,
        web_search="sonar" in lowered
        or "web_search_options" in parameters
        or "compound" in lowered
        or provider.dialect == "agent",
        reasoning="reasoning" in parameters or "reasoning" in lowered or "deep-research" in lowered,
        context_length=_int(entry.get("context_length", entry.get("context_window"))),
        input_price=_price(pricing, _INPUT_KEYS, per_token, 1_000_000),
        output_price=_price(pricing, _OUTPUT_KEYS, per_token, 1_000_000),
        request_price=_price(pricing, _REQUEST_KEYS, per_token, 1_000, add=True),
    )


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and value > 0:
        return value
    return None


def _price(
    pricing: dict[str, Any],
    keys: tuple[str, ...],
    per_unit: bool,
    scale: int,
    *,
    add: bool = False,
) -> float | None:
    """A price in catalog units: per million tokens (or per 1,000 requests).

    ``per_unit`` prices (OpenRouter's strings) are USD per token/request and are scaled up;
    plain numbers elsewhere are taken to be in catalog units already. The first key present
    counts, or with ``add`` all of them (a request fee plus a web-search fee).
    """
    total: float | None = None
    for key in keys:
        value = pricing.get(key)
        if isinstance(value, bool) or value is None:
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            continue
        if number < 0 or number != number or number == float("inf"):
            return None  # OpenRouter uses "-1" for "varies"
        total = (total or 0.0) + number
        if not add:
            break
    if total is None:
        return None
    return round(total * scale, 6) if per_unit else total
