"""Search filter values as people type them: domains and dates, checked and normalised.

Shared by ``pplx ask``'s options and the app's settings editor. Imports nothing heavy: the CLI
reads it to parse its arguments before anything else is loaded.
"""

from __future__ import annotations

import re
from datetime import date, datetime

__all__ = [
    "MAX_DOMAINS",
    "MIXED_DOMAINS",
    "check_date_range",
    "check_domain_kinds",
    "mixed_domains",
    "parse_date",
    "parse_domain",
    "parse_domains",
]

MAX_DOMAINS = 20
"""Perplexity's limit on ``search_domain_filter``."""
MIXED_DOMAINS = (
    "use allowed domains or denied ones (-domain), not both: Perplexity takes one kind a request"
)
"""Why a list of allowed and denied domains together is refused: Perplexity's domain filter is
an allowlist or a denylist (its search domain filter guide: "You cannot combine allowlisting
and denylisting in the same request")."""
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_TOP = r"(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})"
"""The last label: letters, or an internationalised one as DNS writes it (``xn--p1ai``)."""
_HOST = re.compile(rf"^(?=.{{1,253}}$)({_LABEL}\.)+{_TOP}$")
"""A host name (``nature.com``), the filter Perplexity matches with its subdomains."""
_SUFFIX = re.compile(rf"^(?=.{{1,253}}$)(\.{_LABEL})*\.{_TOP}$")
"""A top-level domain or another ending (``.gov``, ``.ac.uk``): every site under it."""
_PATH = re.compile(r"^(/[A-Za-z0-9._~!$&'()*+;=:@%-]+)+$")
"""A section of a site after its host (``/articles``): no query, no empty segment."""
_FORMATS = ("%m/%d/%Y", "%Y-%m-%d")


def _as_dns_writes(host: str) -> str:
    """``bücher.de`` as DNS writes it (``xn--bcher-kva.de``), what the filter matches; a host
    that cannot be written so is returned as it is (and refused)."""
    if host.isascii():
        return host
    dot = "." if host.startswith(".") else ""
    try:
        return dot + host.removeprefix(".").encode("idna").decode("ascii")
    except UnicodeError:
        return host


def _spaced(entry: str) -> str:
    return f"a domain has no spaces (got {entry!r})"


def parse_domain(value: str) -> str:
    """``nature.com``, a top-level domain (``.gov``) or a section of a site
    (``nature.com/articles``), ``-`` first to deny it; the host lower-cased (an
    internationalised one as DNS writes it), a trailing ``/`` dropped. ``ValueError``
    otherwise."""
    cleaned = value.strip()
    if re.search(r"\s", cleaned):
        raise ValueError(_spaced(cleaned))
    sign = "-" if cleaned.startswith("-") else ""
    host, slash, path = cleaned.removeprefix("-").partition("/")
    host, path = _as_dns_writes(host.lower()), (slash + path).removesuffix("/")
    if host.startswith(("https:", "http:")):
        raise ValueError(
            f"domain must be a bare host name such as nature.com, not a URL (got {value!r})"
        )
    if not (_HOST.match(host) or (_SUFFIX.match(host) and not path)):
        hint = (
            f"; for every site under it write .{host}" if re.fullmatch("[a-z]{2,63}", host) else ""
        )
        raise ValueError(
            f"domain must be a host name such as nature.com or -reddit.com, a top-level domain"
            f" such as .gov or a section such as nature.com/articles (got {value!r}){hint}"
        )
    if path and (not _PATH.match(path) or len(host + path) > 253):
        raise ValueError(
            f"a section of a site is a path such as nature.com/articles, with no query or"
            f" empty part, 253 characters at most (got {value!r})"
        )
    return sign + host + path


def parse_domains(text: str) -> list[str]:
    """Domains separated by commas or spaces, each checked, duplicates dropped, at most 20,
    all allowed or all denied."""
    domains = list(dict.fromkeys(d for entry in text.split(",") for d in _entry_domains(entry)))
    if len(domains) > MAX_DOMAINS:
        raise ValueError(f"at most {MAX_DOMAINS} domains (got {len(domains)})")
    check_domain_kinds(domains)
    return domains


def _entry_domains(entry: str) -> list[str]:
    """The domains of one comma-separated entry, which spaces may separate too (``nature.com
    arxiv.org``). A word there that is no domain and has no dot is taken for part of one typed
    with a space, and the whole entry is named: ``bad domain.com`` was refused as ``bad``, "for
    every site under it write .bad"."""
    words = entry.split()
    domains = []
    for word in words:
        try:
            domains.append(parse_domain(word))
        except ValueError:
            if len(words) > 1 and "." not in word:
                raise ValueError(_spaced(entry.strip())) from None
            raise
    return domains


def mixed_domains(domains: list[str]) -> bool:
    """``domains`` allows some and denies others (Perplexity takes one kind a request)."""
    denied = [domain.startswith("-") for domain in domains]
    return any(denied) and not all(denied)


def check_domain_kinds(domains: list[str]) -> None:
    """``ValueError`` naming an allowed and a denied domain when ``domains`` has both."""
    if mixed_domains(domains):
        allowed = next(d for d in domains if not d.startswith("-"))
        denied = next(d for d in domains if d.startswith("-"))
        raise ValueError(f"{MIXED_DOMAINS} (got {allowed} and {denied})")


def parse_date(value: str) -> str:
    """``MM/DD/YYYY`` (as Perplexity wants it) from ``MM/DD/YYYY`` or ``YYYY-MM-DD``."""
    for form in _FORMATS:
        try:
            return _api_date(datetime.strptime(value.strip(), form).date())
        except ValueError:
            continue
    # "2025-02-30" is written the accepted way but is no day: saying only "MM/DD/YYYY" sent
    # users to rewrite a date whose form was fine.
    shaped = re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{1,2}-\d{1,2}", value.strip())
    got = f"{value!r} is no such day" if shaped else f"got {value!r}"
    raise ValueError(
        f"dates are written MM/DD/YYYY (month first), for example 03/15/2025, or YYYY-MM-DD ({got})"
    )


def _api_date(day: date) -> str:
    """``day`` as ``MM/DD/YYYY``, the year in four digits also before 1000 (``strftime``'s
    ``%Y`` gives ``999`` there on glibc)."""
    return f"{day.month:02d}/{day.day:02d}/{day.year:04d}"


def _day(value: str) -> date:
    # Not strptime: its %Y wants four digits, and versions before this one saved "01/01/999".
    month, day, year = (int(part) for part in value.split("/"))
    return date(year, month, day)


def check_date_range(after: str | None, before: str | None) -> None:
    """``ValueError`` when the after date (``MM/DD/YYYY``) is later than the before date: no
    page can match such a search."""
    if after and before:
        first, last = _day(after), _day(before)
        if first > last:
            raise ValueError(f"the after date ({after}) is later than the before date ({before})")
