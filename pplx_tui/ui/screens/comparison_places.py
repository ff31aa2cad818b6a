"""The places ("6/7") a comparison's columns will have among their question's answers once it
has ended, for the labels and the switcher while its answers still stream (QA: a comparison of
a question with 5 answers said "[1 sonar]  2 sonar-pro" while streaming, "[6 sonar]  7
sonar-pro" once ended).

An answer joins the chat when it ends; once all have, :class:`~.comparisons.Comparisons` puts
them in the order of their columns, the answers of columns asked again after them, and a try
set aside there (:attr:`~pplx_tui.models.Message.retired`) is no longer numbered. This says the
same ahead of time.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from pplx_tui.models import Chat

__all__ = ["places_to_come"]


def places_to_come(
    chat: Chat,
    question: str,
    columns: Sequence[str | None],
    replaced: Sequence[str] = (),
    set_aside: Collection[str] = (),
) -> list[tuple[int, int]] | None:
    """Each column's place among the answers to ``question`` once the comparison has ended:
    ``columns`` its answers' ids, ``None`` for one still streaming; ``replaced`` the answers of
    columns asked again (in the order they are kept), ``set_aside`` those of them that will
    not be numbered. ``None`` when that cannot be told (an answer no longer in the chat)."""
    retired = {message.id for message in chat.messages if message.retired}
    order: list[str | int] = [m.id for m in chat.children(question) if m.id not in retired]
    keys: list[str | int] = [n if key is None else key for n, key in enumerate(columns)]
    order += [n for n, key in enumerate(columns) if key is None]
    ids = [*keys, *replaced]
    if any(key not in order for key in ids):
        return None
    for slot, key in zip(sorted(order.index(key) for key in ids), ids, strict=True):
        order[slot] = key
    numbered = [key for key in order if key not in set_aside]
    return [(numbered.index(key) + 1, len(numbered)) for key in keys]
