"""The key bar's keys in the order their nodes declare them, whatever keys a ``[keymap]`` gives.

Textual (8.2) applies a keymap by taking each remapped binding off its keys and adding it back
after all the others of its node, so the active bindings list it last: the key bar then showed
``j Next cite`` and ``x Open`` after the conversation's other keys (at the end of a 200-column
line) and, dropping the later of equal keys first, let them go first at 80 columns (QA).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from textual.binding import ActiveBinding
from textual.dom import DOMNode

__all__ = ["as_declared"]

_Place = tuple[int, int, int]
"""Where an active binding goes: (slot of the binding it goes by, before / at / after, the
declared position of the key among its node's)."""


def as_declared(active: Sequence[ActiveBinding], moved: Collection[str]) -> list[ActiveBinding]:
    """``active`` (in Textual's order) with each binding whose id is in ``moved`` (given keys
    by the keymap) back where its node declares it: before the first of the node's other keys
    declared after it, else after the node's last. Without ``moved``, ``active`` as it is."""
    if not moved:
        return list(active)
    declared: dict[DOMNode, tuple[dict[str, int], dict[str, int]]] = {}

    def positions(node: DOMNode) -> tuple[dict[str, int], dict[str, int]]:
        if node not in declared:
            declared[node] = _declared(node)
        return declared[node]

    anchors: dict[DOMNode, list[tuple[int, int]]] = {}  # a node's keys not moved: (position, slot)
    for slot, (node, binding, *_) in enumerate(active):
        if binding.id not in moved and (at := positions(node)[0].get(binding.key)) is not None:
            anchors.setdefault(node, []).append((at, slot))

    def place(slot: int, entry: ActiveBinding) -> _Place:
        node, binding_id = entry.node, entry.binding.id
        at = positions(node)[1].get(binding_id or "") if binding_id in moved else None
        kept = anchors.get(node)
        if at is None or not kept:
            return (slot, 0, 0)
        later = [anchor for position, anchor in kept if position > at]
        return (min(later), -1, at) if later else (max(anchor for _, anchor in kept), 1, at)

    places = [place(slot, entry) for slot, entry in enumerate(active)]
    return [entry for _, entry in sorted(zip(places, active, strict=True), key=lambda p: p[0])]


def _declared(node: DOMNode) -> tuple[dict[str, int], dict[str, int]]:
    """The position of each of ``node``'s keys among its bindings without a keymap, and of
    each of its binding ids (that of its first key)."""
    keys: dict[str, int] = {}
    ids: dict[str, int] = {}
    for n, (key, bindings) in enumerate(node._bindings.key_to_bindings.items()):
        keys[key] = n
        for binding in bindings:
            if binding.id is not None:
                ids.setdefault(binding.id, n)
    return keys, ids
