"""Search filter values as people type them: domains and dates, checked and normalised.

Shared by ``pplx ask``'s options and the app's settings editor. Imports nothing heavy: the CLI
reads it to parse its arguments before anything else is loaded.
"""

from __future__ import annotations

import re
from datetime import datetime

__all__ = ["MAX_DOMAINS", "check_date_range", "parse_date", "parse_domain", "parse_domains"]

MAX_DOMAINS = 20
"""Perplexity's limit on ``search_domain_filter``."""
_DOMAIN = re.compile(r"^-?(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_FORMATS = ("%m/%d/%Y", "%Y-%m-%d")


def parse_domain(value: str) -> str:
    """``nature.com`` or ``-pinterest.com`` (denied), lower-cased; ``ValueError`` otherwise."""
    cleaned = value.strip().lower()
    if cleaned.lstrip("-").startswith(("https://", "http://")):
        raise ValueError(
            f"domain must be a bare host name such as nature.com, not a URL (got {value!r})"
        )
    if not _DOMAIN.match(cleaned):
        raise ValueError(
            f"domain must be a host name such as nature.com or -reddit.com (got {value!r})"
        )
    return cleaned


def parse_domains(text: str) -> list[str]:
    """Domains separated by commas or spaces, each checked, duplicates dropped, at most 20."""
    domains = list(dict.fromkeys(parse_domain(p) for p in re.split(r"[\s,]+", text) if p))
    if len(domains) > MAX_DOMAINS:
        raise ValueError(f"at most {MAX_DOMAINS} domains (got {len(domains)})")
    return domains


def parse_date(value: str) -> str:
    """``MM/DD/YYYY`` (as Perplexity wants it) from ``MM/DD/YYYY`` or ``YYYY-MM-DD``."""
    for form in _FORMATS:
        try:
            return datetime.strptime(value.strip(), form).strftime("%m/%d/%Y")
        except ValueError:
            continue
    # "2025-02-30" is written the accepted way but is no day: saying only "MM/DD/YYYY" sent
    # users to rewrite a date whose form was fine.
    shaped = re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{1,2}-\d{1,2}", value.strip())
    got = f"{value!r} is no such day" if shaped else f"got {value!r}"
    raise ValueError(
        f"dates are written MM/DD/YYYY (month first), for example 03/15/2025, or YYYY-MM-DD ({got})"
    )


def check_date_range(after: str | None, before: str | None) -> None:
    """``ValueError`` when the after date (``MM/DD/YYYY``) is later than the before date: no
    page can match such a search."""
    if after and before:
        first, last = (datetime.strptime(d, "%m/%d/%Y") for d in (after, before))
        if first > last:
            raise ValueError(f"the after date ({after}) is later than the before date ({before})")
