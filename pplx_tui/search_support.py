"""Which search settings a provider and model honour, and how to say what a chat searches with.

The rules (PROTOCOL.md §1-§3, issue 10 item 1):

- **Agent API** (``perplexity``): domains, recency, after/before dates go inside the
  ``web_search`` tool's ``filters``, context size beside them. There is no search mode, no
  images and no related questions. "No web search" works with a bare model (the tool is not
  given); the presets search whatever they are sent.
- **Chat completions** (OpenRouter, custom gateways, the demo): everything, as Perplexity's
  top-level fields — on OpenRouter only for Perplexity's own models (``perplexity/…``); Groq
  hosts no Sonar model and takes none of them; the demo has no images.
- Everywhere: recency and dates exclude each other (the dates win); with "no web search" on,
  the filters do not apply; domains are all allowed or all denied (a chat saved with both
  before that was refused sends no domain filter).

An option that is not honoured is never sent (:func:`sendable`), and is shown as such: in the
settings editor (:func:`option_support`, with the reasons), and in the same words by
:func:`summary` in the editor's and the header's summary, under each answer (the options its
``Message.search_not_sent`` records) and in its exports.

Sampling options too: the Agent API's request has fields for ``max_tokens`` and
``reasoning_effort`` only (:func:`sampling_not_sent`). Core module: no Textual.
"""

from __future__ import annotations

from collections.abc import Collection

from pplx_tui.providers import AGENT_PRESETS, ProviderInfo
from pplx_tui.sanitize import clean_line
from pplx_tui.search_input import MIXED_DOMAINS, mixed_domains
from pplx_tui.values import SamplingOptions, SearchSettings

__all__ = [
    "AGENT_SAMPLING",
    "FLAGS",
    "LABELS",
    "OPTIONS",
    "none_taken",
    "not_honoured",
    "option_support",
    "sampling_not_sent",
    "sendable",
    "short_summary",
    "summary",
]

OPTIONS = (
    "recency",
    "after_date",
    "before_date",
    "domains",
    "mode",
    "context_size",
    "disable_search",
    "return_images",
    "return_related_questions",
)
"""The :class:`SearchSettings` fields, in the order they are shown."""
LABELS = {
    "recency": "recency",
    "after_date": "after date",
    "before_date": "before date",
    "domains": "domains",
    "mode": "search mode",
    "context_size": "context size",
    "disable_search": "no web search",
    "return_images": "images",
    "return_related_questions": "related questions",
}
FLAGS = {
    "recency": "--recency",
    "domains": "--domain/-D",
    "after_date": "--after",
    "before_date": "--before",
    "mode": "--mode",
    "context_size": "--context-size",
    "disable_search": "--no-search",
    "return_images": "--images",
    "return_related_questions": "--related",
}
"""The ``pplx ask`` option of each setting, for its notices, in the order README lists them."""
_FILTERS = ("recency", "after_date", "before_date", "domains", "mode", "context_size")


def option_support(provider: ProviderInfo, model_id: str) -> dict[str, str]:
    """Every option ``provider`` / ``model_id`` cannot honour, with the reason (set or not)."""
    if provider.dialect == "agent":
        reasons = {
            "mode": "the Agent API has no search mode",
            "return_images": "the Agent API returns no images",
            "return_related_questions": "the Agent API returns no related questions",
        }
        if model_id in AGENT_PRESETS:
            reasons["disable_search"] = "presets always search (pick a model to answer without)"
        return reasons
    if provider.dialect == "demo":  # it honours the rest, as a chat-completions server would
        return {"return_images": "the offline demo has no images"}
    if provider.dialect == "chat":
        if not provider.hosts_sonar:
            why = f"{provider.label} hosts no Perplexity model"
            return dict.fromkeys(OPTIONS, why)
        if _other_vendor(provider, model_id):
            return dict.fromkeys(OPTIONS, "only Perplexity's models take search options")
    return {}


def none_taken(provider: ProviderInfo, model_id: str) -> str | None:
    """The line saying once that ``provider`` / ``model_id`` takes none of the options (the
    editor's, in place of the same reason on every row); ``None`` where it takes some."""
    kept = "they are kept for other models."
    if provider.dialect != "chat":
        return None
    if not provider.hosts_sonar:
        label = clean_line(provider.label)
        return f"{label} takes none of these: it hosts no Perplexity model; {kept}"
    if _other_vendor(provider, model_id):
        only = "only Perplexity's models take search options"
        return f"{clean_line(model_id)} takes none of these: {only}; {kept}"
    return None


def _other_vendor(provider: ProviderInfo, model_id: str) -> bool:
    """Whether ``model_id`` is another vendor's on a gateway that hosts Perplexity's models."""
    return bool(provider.sonar_prefix) and not model_id.startswith(provider.sonar_prefix)


def not_honoured(search: SearchSettings, provider: ProviderInfo, model_id: str) -> dict[str, str]:
    """The options set in ``search`` that will not be sent, with the reason for each."""
    unsupported = option_support(provider, model_id)
    reasons = {name: unsupported[name] for name in _set(search) if name in unsupported}
    if search.disable_search and "disable_search" not in reasons:
        for name in _FILTERS:
            if name in _set(search) and name not in reasons:
                reasons[name] = "no web search is on"
    if search.recency and (search.after_date or search.before_date) and "recency" not in reasons:
        reasons["recency"] = "the dates win (recency and dates exclude each other)"
    if mixed_domains(search.domains) and "domains" not in reasons:  # saved before it was refused
        reasons["domains"] = MIXED_DOMAINS
    return reasons


AGENT_SAMPLING = "max_tokens and reasoning_effort"
"""The sampling options the Agent API takes (``client.agent_dialect``: ``max_output_tokens``
and ``reasoning``)."""
_NOT_ON_AGENT = ("temperature", "top_p", "stop", "presence_penalty", "frequency_penalty")


def sampling_not_sent(sampling: SamplingOptions, provider: ProviderInfo) -> list[str]:
    """The options set in ``sampling`` that ``provider``'s requests have no field for, in the
    order ``[sampling]`` lists them: on the Agent API all but :data:`AGENT_SAMPLING`."""
    if provider.dialect != "agent":
        return []
    return [name for name in _NOT_ON_AGENT if getattr(sampling, name) not in (None, [])]


def sendable(search: SearchSettings, provider: ProviderInfo, model_id: str) -> SearchSettings:
    """``search`` without the options :func:`not_honoured` names (each back to its default)."""
    dropped = not_honoured(search, provider, model_id)
    if not dropped:
        return search
    defaults = SearchSettings()
    return search.model_copy(update={name: getattr(defaults, name) for name in dropped})


def _set(search: SearchSettings) -> set[str]:
    defaults = SearchSettings()
    return {name for name in OPTIONS if getattr(search, name) != getattr(defaults, name)}


def _parts(search: SearchSettings, *, named: bool = False) -> list[tuple[str, str]]:
    """``(option, short text)`` for every option set. ``named``: every domain by name, not
    counted."""
    parts = [("disable_search", "no web search")] if search.disable_search else []
    if search.recency:
        parts.append(("recency", search.recency))
    if search.after_date and search.before_date:
        parts.append(("after_date", f"{search.after_date} to {search.before_date}"))
    elif search.after_date:
        parts.append(("after_date", f"after {search.after_date}"))
    elif search.before_date:
        parts.append(("before_date", f"before {search.before_date}"))
    if search.domains:
        domains = ", ".join(search.domains) if named else _domains(search.domains)
        parts.append(("domains", domains))
    if search.mode:
        parts.append(("mode", search.mode))
    if search.context_size:
        parts.append(("context_size", f"{search.context_size} context"))
    if search.return_images:
        parts.append(("return_images", "images"))
    if search.return_related_questions:
        parts.append(("return_related_questions", "related"))
    return parts


def _domains(domains: list[str]) -> str:
    denied = sum(d.startswith("-") for d in domains)
    allowed = len(domains) - denied
    if allowed and denied:
        return f"{allowed} {'domain' if allowed == 1 else 'domains'}, {denied} denied"
    if denied:
        return f"{denied} {'domain' if denied == 1 else 'domains'} denied"
    return domains[0] if allowed == 1 else f"{allowed} domains"


def summary(search: SearchSettings, not_sent: Collection[str] = (), *, named: bool = False) -> str:
    """A few words for the header, the editor, an answer and its export: ``month · 3 domains ·
    academic`` ("" for the defaults); the options in ``not_sent`` (the provider or model would
    not take them: see :func:`not_honoured`) last, as ``not sent: images, related``. ``named``
    (the export): every domain as written, ``nature.com, arxiv.org, -reddit.com``. Terminal
    controls are removed (a chat file is anyone's text: an import)."""
    sent, unsent = _split(search, not_sent, named=named)
    if unsent:
        sent.append("not sent: " + ", ".join(unsent))
    return clean_line(" · ".join(sent))


def short_summary(search: SearchSettings, not_sent: Collection[str] = ()) -> str:
    """The header's stand-in for :func:`summary` where its words do not fit: how many
    settings, ``search: 6 settings`` (``search: 2 settings, 1 not sent``); "" for the
    defaults."""
    sent, unsent = _split(search, not_sent)
    count = len(sent) + len(unsent)
    if not count:
        return ""
    words = f"search: {count} {'setting' if count == 1 else 'settings'}"
    return f"{words}, {len(unsent)} not sent" if unsent else words


def _split(
    search: SearchSettings, not_sent: Collection[str], *, named: bool = False
) -> tuple[list[str], list[str]]:
    """The short texts of the options set: those sent, those in ``not_sent``. Under "no web
    search" (where it was sent) the filters are never sent: they are named as such, also for
    a chat file that did not record them (``no web search · not sent: week``)."""
    no_search = search.disable_search and "disable_search" not in not_sent
    sent, unsent = [], []
    for name, text in _parts(search, named=named):
        dropped = (
            name in not_sent
            or (name == "after_date" and "before_date" in not_sent)
            or (no_search and name in _FILTERS)
        )
        (unsent if dropped else sent).append(text)
    return sent, unsent
