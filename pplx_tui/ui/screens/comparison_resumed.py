"""A comparison whose columns wait on several background runs, followed again as one.

The app closed while two (or three) compared columns were background runs: their answers wait
in the chat, each on its run. Followed again (at the next start, when another app's runs are
seen, ctrl+r), they are followed together, as the comparison that asked them followed them: a
:class:`~pplx_tui.ui.screens.live_comparison.LiveComparison` of one
:class:`~pplx_tui.ui.screens.run_follower.RunFollower` per waiting column. A chat has one
working answer (QA: the first run took that place and the other column stayed "checking" for
good); a comparison has a stream per column, each filled in as its own run ends, and it ends
as one asked in this session does (:meth:`~pplx_tui.ui.screens.comparisons.Comparisons.ended`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pplx_tui.ui.screens.comparisons import COMPARING
from pplx_tui.ui.screens.live_comparison import LiveComparison

if TYPE_CHECKING:
    from pplx_tui.models import Chat, Message
    from pplx_tui.ui.screens.run_follower import RunFollower

__all__ = ["resumed_comparison", "waiting_columns"]


def waiting_columns(chat: Chat, message: Message) -> list[Message]:
    """The answers of ``message``'s comparison that wait on their runs (``message`` among
    them), in column order; ``[message]`` when it waits alone: not compared, the only column
    waiting, or a column of a file that did not number them (nothing to draw them in)."""
    if message.comparison is None:
        return [message]
    waiting = [m for m in chat.messages if m.comparison == message.comparison and m.running]
    if len(waiting) < 2 or any(m.column is None for m in waiting):
        return [message]
    return sorted(waiting, key=lambda m: m.column or 0)


def resumed_comparison(chat: Chat, followers: list[RunFollower]) -> LiveComparison:
    """The comparison of ``chat`` whose waiting columns ``followers`` follow (not started yet;
    each with its answer, of one comparison): its question, its columns, the one later
    questions follow (the chosen answer's) and the earlier tries its columns replaced."""
    first = followers[0].message
    assert first is not None and first.comparison is not None
    comparison_id = first.comparison
    for follower in followers:
        assert follower.message is not None
        follower.comparison, follower.column = comparison_id, follower.message.column
    compared = [m for m in chat.messages if m.comparison == comparison_id]
    columns = max([len(compared), *(m.column + 1 for m in compared if m.column is not None)])
    chosen = next((m for m in chat.active_path() if m.comparison == comparison_id), None)
    current = chosen.column if chosen is not None and chosen.column is not None else 0
    waiting = {follower.message.id for follower in followers if follower.message is not None}
    replaced = [m for m in chat.messages if m.replaced_by in waiting]
    return LiveComparison(
        chat,
        chat.parent_key(first),
        list(followers),
        columns,
        COMPARING.format(count=columns),
        current=current,
        replaced=replaced,
        set_aside=frozenset(m.id for m in replaced if m.retired),
    )
