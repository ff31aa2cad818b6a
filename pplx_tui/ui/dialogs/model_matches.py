"""What the model picker (:mod:`.model_picker`) lists and finds: an entry per model of the
catalog, with the text the filter looks in, and the model a query names exactly."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pplx_tui.providers import Catalog, ModelInfo, ProviderInfo

__all__ = ["ModelEntry", "model_entries", "named_exactly"]


@dataclass(frozen=True, slots=True)
class ModelEntry:
    """One choosable model, with the text the filter looks in."""

    option_id: str
    provider: ProviderInfo
    model: ModelInfo
    haystack: str

    def matches(self, words: list[str]) -> bool:
        """Whether every one of ``words`` (lower case) appears in the provider, the model id,
        its label or its capabilities."""
        return all(word in self.haystack for word in words)


def model_entries(
    catalog: Catalog, option_ids: dict[tuple[str, str], str] | None = None
) -> list[ModelEntry]:
    """Every model of ``catalog``, in its order, numbered as the list's options.

    ``option_ids`` ((provider, model id) → option id) keeps the numbers given before: a model
    listed again keeps its option (a highlight or a pending choice stays on it), a new one gets
    the next number (and is added). A model a provider lists twice is listed once."""
    ids = {} if option_ids is None else option_ids
    entries: list[ModelEntry] = []
    listed: set[tuple[str, str]] = set()
    for provider in catalog.providers.values():
        for model in provider.models:
            if (key := (provider.name, model.id)) in listed:
                continue
            listed.add(key)
            option_id = ids.setdefault(key, f"model-{len(ids)}")
            haystack = (provider.name, provider.label, model.id, model.label, model.capabilities)
            entries.append(ModelEntry(option_id, provider, model, " ".join(haystack).lower()))
    return entries


def named_exactly(
    entries: list[ModelEntry],
    query: str,
    current: str | None,
    usable: Callable[[ProviderInfo], bool],
) -> str | None:
    """The option of the model ``query`` names exactly: its full id, else its name or its
    id without the vendor (``sonar-pro`` for ``perplexity/sonar-pro``, as labels show it).

    A full id (``perplexity/sonar``, ``demo/sonar``) is an explicit choice and wins. A name
    or a vendorless id is ambiguous: the demo's ``sonar`` is Perplexity's "Sonar" by name,
    and ranking the name first picked Perplexity's (no key) on the demo, opening the key
    dialog. Among the models named alike: the ``current`` provider's, else one that can be
    asked now (``usable``), else a name over a vendorless id, else the first listed."""
    typed = " ".join(query.lower().split())
    if not typed:
        return None

    def rank(entry: ModelEntry) -> tuple[bool, bool, bool, bool] | None:
        model = entry.model
        full_id = typed == model.id.lower()
        by_label = typed == " ".join(model.label.lower().split())
        if not (full_id or by_label or typed == model.id.lower().rpartition("/")[2]):
            return None
        provider = entry.provider
        return full_id, provider.name == current, usable(provider), by_label

    ranked = [(key, entry) for entry in entries if (key := rank(entry)) is not None]
    if not ranked:
        return None
    best = max(key for key, _ in ranked)
    return next(entry.option_id for key, entry in ranked if key == best)  # first listed
