"""A saved chat that spent money today, for the header's totals and the daily budget."""

from __future__ import annotations

from pplx_tui.models import Chat, Message, Usage, utc_now
from pplx_tui.store import ChatStore


def spend_today(
    cost: float, *, provider: str = "openrouter", model: str = "perplexity/sonar"
) -> Chat:
    """A saved chat whose answer today, from ``provider``'s ``model``, cost ``cost``."""
    store = ChatStore()
    spent = store.new_chat()
    spent.add(Message(role="user", content="earlier"))
    spent.add(
        Message(
            role="assistant",
            content="…",
            provider=provider,
            model=model,
            usage=Usage(total_tokens=10, cost_usd=cost),
            finished_at=utc_now(),
        )
    )
    return store.save(spent)
