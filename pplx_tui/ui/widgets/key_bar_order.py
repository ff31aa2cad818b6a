"""The key bar's keys in the order they have without a keymap, whatever keys a ``[keymap]`` gives.

Textual (8.2) lists the active bindings by key, each key where the binding chain (the focused
widget first, the app last) first has it. A remapped binding takes its node's copy off its
default key and adds it back with the new one after all the others, so the key bar showed
``j Next cite`` and ``x Open`` after the conversation's other keys (at the end of a 200-column
line) and, dropping the later of equal keys first, let them go first at 80 columns (QA). An
app binding moved the same way (``f4 API key``, ``f9 Model``) lost its place among the
workspace's keys, where its default key put it (the question box's own ``ctrl+k``, QA).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from textual.binding import ActiveBinding
from textual.dom import DOMNode
from textual.keys import key_to_character

__all__ = ["as_declared"]


def as_declared(
    active: Sequence[ActiveBinding], moved: Collection[str], chain: Sequence[DOMNode]
) -> list[ActiveBinding]:
    """``active`` (in Textual's order, from the binding ``chain``) with each binding whose id
    is in ``moved`` (given keys by the keymap) where its default key would be: before the
    first other binding whose key the chain has later. Without ``moved``, ``active`` as it is."""
    if not moved:
        return list(active)
    order = _key_order(chain)
    last = len(order)
    kept: list[ActiveBinding] = []
    pending: list[tuple[int, int, ActiveBinding]] = []  # (default key's place, slot, binding)
    for slot, entry in enumerate(active):
        if entry.binding.id in moved:
            key = _default_key(entry.node, entry.binding.id or "")
            pending.append((order.get(key, last) if key else last, slot, entry))
        else:
            kept.append(entry)
    pending.sort(key=lambda p: p[:2])
    result: list[ActiveBinding] = []
    for entry in kept:
        at = order.get(entry.binding.key, -1)
        while pending and pending[0][0] < at:
            result.append(pending.pop(0)[2])
        result.append(entry)
    result.extend(entry for *_, entry in pending)
    return result


def _key_order(chain: Sequence[DOMNode]) -> dict[str, int]:
    """Each key the nodes of ``chain`` bind without a keymap, by where Textual lists it: the
    first node that binds it and does not lose it to an earlier node consuming it (a typed
    character in the question box)."""
    order: dict[str, int] = {}
    for n, node in enumerate(chain):
        earlier = chain[:n]
        for key in node._bindings.key_to_bindings:
            if key in order:
                continue
            character = key_to_character(key)
            if not any(other.check_consume_key(key, character) for other in earlier):
                order[key] = len(order)
    return order


def _default_key(node: DOMNode, binding_id: str) -> str | None:
    """The first key ``node`` binds ``binding_id`` to without a keymap."""
    for key, bindings in node._bindings.key_to_bindings.items():
        if any(binding.id == binding_id for binding in bindings):
            return key
    return None
