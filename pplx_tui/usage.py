"""What research cost: spend and tokens per day, provider and model, from the saved chats.

Costs are what the providers reported with each answer (the Agent API's ``usage.cost`` in USD,
search and fetch tools included; OpenRouter's ``usage.cost`` in credits, one credit a dollar);
nothing is estimated. An answer whose provider reported no cost counts its tokens only. Days
are local calendar days of when the answer finished. An answer held by two chats (an imported
copy beside its original) counts once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from pplx_tui.models import Chat, Message
from pplx_tui.values import local_time

if TYPE_CHECKING:
    from pplx_tui.store import ChatStore

USAGE_NEEDLE = b'"cost_usd"'
"""A key only a saved :class:`~pplx_tui.models.Usage` has (cheap file pre-filter)."""


@dataclass(frozen=True, slots=True)
class UsageRow:
    """One day's answers from one provider's model, summed."""

    day: date
    provider: str
    model: str
    answers: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    cost_usd: float | None = None
    """``None`` when no answer in the row reported a cost."""
    unpriced: int = 0
    """Answers whose provider reported no cost."""

    def plus(self, message: Message) -> UsageRow:
        usage = message.usage
        assert usage is not None
        cost = usage.cost_usd
        total = usage.total_tokens
        if total is None:
            total = (usage.prompt_tokens or 0) + (usage.completion_tokens or 0)
        return UsageRow(
            self.day,
            self.provider,
            self.model,
            self.answers + 1,
            self.prompt_tokens + (usage.prompt_tokens or 0),
            self.completion_tokens + (usage.completion_tokens or 0),
            self.total_tokens + total,
            self.cost_usd if cost is None else (self.cost_usd or 0.0) + cost,
            self.unpriced + (cost is None),
        )


def day_of(message: Message) -> date:
    """The local calendar day an answer finished (or was asked, if it never finished)."""
    return local_time(message.finished_at or message.created_at).date()


def start_of(day: date) -> float:
    """The Unix time of local midnight starting ``day``."""
    return datetime.combine(day, time.min).astimezone().timestamp()


def answers_with_usage(chats: Iterable[Chat], since: date | None = None) -> Iterable[Message]:
    """The answers with usage in ``chats`` (finished on ``since`` or later, and not after
    today: an imported chat can hold answers dated in the future, spent on no day yet), each
    once.

    An answer is its message id: a chat imported from an export of one saved here, then
    continued (``pplx chats import`` adds it beside the original), holds the same answers
    again, and money spent once counts once. Answers asked elsewhere have their own ids and
    count (the first copy read is the one counted).
    """
    today = datetime.now().astimezone().date()
    seen: set[str] = set()
    for chat in chats:
        for message in chat.messages:
            if message.role != "assistant" or message.usage is None or message.id in seen:
                continue
            day = day_of(message)
            if (since is None or day >= since) and day <= today:
                seen.add(message.id)
                yield message


def usage_rows(store: ChatStore, since: date | None = None) -> list[UsageRow]:
    """Rows per (day, provider, model) since ``since`` (local days), oldest day first."""
    modified = start_of(since) if since else None
    rows: dict[tuple[date, str, str], UsageRow] = {}
    chats = store.chats_holding(USAGE_NEEDLE, modified_since=modified)
    for message in answers_with_usage(chats, since):
        key = (day_of(message), message.provider or "?", message.model or "?")
        rows[key] = rows.get(key, UsageRow(*key)).plus(message)
    return [rows[key] for key in sorted(rows)]


def total(rows: Iterable[UsageRow]) -> UsageRow:
    """All rows summed into one (``provider``/``model`` empty)."""
    result = UsageRow(date.min, "", "")
    for row in rows:
        result = UsageRow(
            result.day,
            "",
            "",
            result.answers + row.answers,
            result.prompt_tokens + row.prompt_tokens,
            result.completion_tokens + row.completion_tokens,
            result.total_tokens + row.total_tokens,
            result.cost_usd if row.cost_usd is None else (result.cost_usd or 0.0) + row.cost_usd,
            result.unpriced + row.unpriced,
        )
    return result


def spent_today(store: ChatStore) -> float:
    """USD (or credits) the providers reported for answers finished today."""
    return total(usage_rows(store, datetime.now().astimezone().date())).cost_usd or 0.0


def over_budget(spent: float, budget: float | None) -> str | None:
    """The warning once today's spend reached ``budget`` (``None`` below it or without one)."""
    if budget is None or spent < budget:
        return None
    return (
        f"today's spend ({format_usd(spent)}) has reached the daily budget of {format_usd(budget)}"
    )


def format_usd(cost: float | None) -> str:
    """``$0.0281`` below a dollar, ``$12.40`` above; ``—`` when nothing was reported."""
    if cost is None:
        return "—"
    return f"${cost:.4f}" if cost < 1 else f"${cost:.2f}"
