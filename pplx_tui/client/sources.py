"""Turn the providers' citation shapes into sanitized, numbered :class:`Source` objects.

Every string here comes from the web, so titles, dates and snippets pass through
:func:`pplx_tui.sanitize.clean_line` before they are kept, and URLs through
:func:`pplx_tui.sanitize.clean_url` (no invisible characters, an ASCII host).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from pplx_tui.sanitize import clean_line, clean_url
from pplx_tui.values import MAX_COST_USD, Image, Source, Usage

_SNIPPET_LIMIT = 2_000


def _text(value: Any) -> str:
    return clean_line(value) if isinstance(value, str) else ""


def _url(value: Any) -> str:
    return clean_url(value) if isinstance(value, str) else ""


def source_from(index: int, item: Any, url: str = "") -> Source | None:
    """A source numbered ``index`` from a ``search_results`` dict (or just a URL)."""
    if isinstance(item, dict):
        url = _url(item.get("url")) or url
        title = _text(item.get("title")) or _text(item.get("name"))
        date = _text(item.get("date")) or _text(item.get("last_updated")) or None
        snippet = _text(item.get("snippet") or item.get("content"))[:_SNIPPET_LIMIT]
    else:
        title, date, snippet = "", None, ""
    url = clean_url(url)
    if not url and not title:
        return None
    return Source(index=index, url=url, title=title, date=date, snippet=snippet)


def merge_results(citations: Any, results: Any) -> tuple[Source, ...]:
    """Perplexity's ``search_results[i]`` aligned with ``citations[i]``, numbered from 1.

    The list is never truncated or reordered: marker ``[n]`` is the n-th entry.
    """
    urls = (
        [c if isinstance(c, str) else "" for c in citations] if isinstance(citations, list) else []
    )
    items = results if isinstance(results, list) else []
    sources: list[Source] = []
    for position in range(max(len(urls), len(items))):
        item = items[position] if position < len(items) else None
        url = urls[position] if position < len(urls) else ""
        source = source_from(position + 1, item, url)
        # Keep the numbering even for an unusable entry: later markers must still line up.
        sources.append(source or Source(index=position + 1, url=""))
    return tuple(sources)


def annotation_urls(annotations: Any) -> list[tuple[str, str]]:
    """``(url, title)`` pairs from OpenRouter ``url_citation`` annotations."""
    pairs: list[tuple[str, str]] = []
    if not isinstance(annotations, list):
        return pairs
    for annotation in annotations:
        if not isinstance(annotation, dict):
            continue
        citation = annotation.get("url_citation")
        if not isinstance(citation, dict):
            citation = annotation
        url = _url(citation.get("url"))
        if url:
            pairs.append((url, _text(citation.get("title"))))
    return pairs


def number(pairs: Iterable[tuple[str, str]]) -> tuple[Source, ...]:
    return tuple(
        Source(index=i, url=url, title=title) for i, (url, title) in enumerate(pairs, start=1)
    )


def images_from(value: Any) -> tuple[Image, ...]:
    """Perplexity ``images``: dicts (``image_url``, ``origin_url``, …) or bare URL strings."""
    images: list[Image] = []
    if not isinstance(value, list):
        return ()
    for item in value:
        if isinstance(item, str):
            item = {"image_url": item}
        if not isinstance(item, dict) or not isinstance(item.get("image_url"), str):
            continue
        width, height = item.get("width"), item.get("height")
        images.append(
            Image(
                image_url=clean_url(item["image_url"]),
                origin_url=_url(item.get("origin_url")) or None,
                title=_text(item.get("title")) or None,
                width=width if isinstance(width, int) and not isinstance(width, bool) else None,
                height=height if isinstance(height, int) and not isinstance(height, bool) else None,
            )
        )
    return tuple(images)


def questions_from(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(q for q in (_text(item) for item in value) if q)


MAX_TOKENS = 2**53
"""Token counts above this are nonsense from a server (and would overflow a float)."""


def _int(value: Any) -> int | None:
    """A token count: a whole number from 0 to :data:`MAX_TOKENS`, else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and 0 <= value <= MAX_TOKENS:
        return value
    return None


def _number(value: Any) -> float | None:
    """A finite number (NaN or infinity would make ``--json`` output invalid JSON)."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value) if isinstance(value, (int, float, str)) else None
    except (ValueError, OverflowError):
        return None
    return number if number is not None and math.isfinite(number) else None


def cost_from(value: Any) -> float | None:
    """USD from Perplexity's ``cost`` dict (``total_cost``) or OpenRouter's plain number.

    No answer pays the user back: a negative cost is not a reported cost (it would lower
    today's spend under the daily budget), and a negative part is left out of a sum; nor is
    one of :data:`~pplx_tui.values.MAX_COST_USD` or more.
    """
    if isinstance(value, dict):
        total = _number(value.get("total_cost"))
        if total is not None:
            return _spent(total)
        parts = [_number(v) for k, v in value.items() if k.endswith("cost") and k != "total_cost"]
        known = [p for p in parts if p is not None and p >= 0]
        return _spent(_number(sum(known))) if known else None
    return _spent(_number(value))


def _spent(cost: float | None) -> float | None:
    return cost if cost is not None and 0 <= cost < MAX_COST_USD else None


def usage_from(value: Any) -> Usage | None:
    """Usage from chat (``prompt_tokens``…) or Agent (``input_tokens``…) shapes."""
    if not isinstance(value, dict):
        return None
    prompt = _int(value.get("prompt_tokens", value.get("input_tokens")))
    completion = _int(value.get("completion_tokens", value.get("output_tokens")))
    total = _int(value.get("total_tokens"))
    if total is None and prompt is not None and completion is not None:
        total = prompt + completion
    return Usage(
        prompt_tokens=prompt,
        completion_tokens=completion,
        total_tokens=total,
        cost_usd=cost_from(value.get("cost")),
    )
