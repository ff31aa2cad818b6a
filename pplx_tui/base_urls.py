"""Whether a text can be a provider's base URL: config.toml's check and the session's, alike."""

from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["base_url_fault", "shown_url"]


def base_url_fault(url: str) -> str | None:
    """Why ``url`` cannot be a provider's base URL, said after it (``None``: it can): it must
    be an absolute http(s) URL with a host, and hold no control character or space."""
    if any(not c.isprintable() or c.isspace() for c in url):
        return "holds a control character or a space"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - a bad port raises here
    except ValueError:
        return "is not a valid URL"
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return "must start with https:// (or http://) and a host"
    return None


def shown_url(url: str) -> str:
    """``url`` as a message quotes it, cut short: ``repr`` escapes what a terminal would act
    on, and keeps a space at either end in sight (the mistake, often)."""
    return repr(url[:100]) if url else "(empty)"
