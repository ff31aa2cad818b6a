"""config.toml's ``[search]`` and ``[sampling]`` values, checked and normalised as ``pplx ask``'s
options are (``--domain``, ``--after``, ``--temperature``…).

Their types are checked where the file is read; their values were not: a URL as a domain, a
month 13 or a temperature of 9 went to the server with every question, which refused each one.
Every value is checked, not only up to the first that cannot be used: the file's mistakes are
said all at once. Imports nothing heavy (``pplx ask`` reads the file before anything else is
loaded).
"""

from __future__ import annotations

from pplx_tui.search_input import (
    MAX_DOMAINS,
    check_date_range,
    check_domain_kinds,
    parse_date,
    parse_domain,
)
from pplx_tui.values import MAX_STOPS, MAX_TOKENS, SamplingOptions, SearchSettings

__all__ = ["BadValue", "BadValues", "checked_sampling", "checked_search"]

_RANGES = {
    "temperature": (0.0, 2.0),
    "top_p": (0.0, 1.0),
    "presence_penalty": (-2.0, 2.0),
    "frequency_penalty": (-2.0, 2.0),
}
"""As ``pplx ask``'s options take them."""


class BadValue(ValueError):
    """A value of config.toml that cannot be used: ``field`` is its dotted name."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class BadValues(ValueError):
    """Every value of a table that cannot be used, in the table's order."""

    def __init__(self, faults: list[BadValue]) -> None:
        super().__init__("; ".join(str(fault) for fault in faults))
        self.faults = faults


def checked_search(search: SearchSettings) -> SearchSettings:
    """``search`` with its domains and dates as Perplexity wants them (``nature.com``,
    ``MM/DD/YYYY``); :class:`BadValues` names each that cannot be."""
    faults: list[BadValue] = []
    domains: list[str] = []
    for domain in search.domains:
        try:
            domains.append(parse_domain(domain))
        except ValueError as error:
            faults.append(BadValue("search.domains", str(error)))
    domains = list(dict.fromkeys(domains))
    try:
        check_domain_kinds(domains)  # allowed and denied together: refused, as on the command line
    except ValueError as error:
        faults.append(BadValue("search.domains", str(error)))
    if len(domains) > MAX_DOMAINS:
        faults.append(
            BadValue("search.domains", f"at most {MAX_DOMAINS} domains (got {len(domains)})")
        )
    dates: dict[str, str | None] = {}
    for name in ("after_date", "before_date"):
        value = getattr(search, name)
        try:
            dates[name] = parse_date(value) if value else None
        except ValueError as error:
            faults.append(BadValue(f"search.{name}", str(error)))
            dates[name] = None
    try:
        check_date_range(dates["after_date"], dates["before_date"])
    except ValueError as error:
        faults.append(BadValue("search.after_date", str(error)))
    if faults:
        raise BadValues(faults)
    return search.model_copy(update={"domains": domains, **dates})


def checked_sampling(sampling: SamplingOptions) -> SamplingOptions:
    """``sampling`` unchanged if every value is in range; else :class:`BadValues` naming each
    that is not."""
    faults: list[BadValue] = []
    for name, (low, high) in _RANGES.items():
        value = getattr(sampling, name)
        if value is not None and not low <= value <= high:
            faults.append(
                BadValue(
                    f"sampling.{name}",
                    f"{name} must be a number from {low:g} to {high:g} (got {value:g})",
                )
            )
    if sampling.max_tokens is not None and not 16 <= sampling.max_tokens <= MAX_TOKENS:
        faults.append(
            BadValue(
                "sampling.max_tokens",
                f"max_tokens must be a whole number from 16 to {MAX_TOKENS} "
                f"(got {sampling.max_tokens})",
            )
        )
    if "" in sampling.stop:
        faults.append(
            BadValue("sampling.stop", "a stop sequence is empty (write text such as '###')")
        )
    if len(sampling.stop) > MAX_STOPS:
        faults.append(
            BadValue(
                "sampling.stop", f"at most {MAX_STOPS} stop sequences (got {len(sampling.stop)})"
            )
        )
    if faults:
        raise BadValues(faults)
    return sampling
