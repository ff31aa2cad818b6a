"""The one-line header: the chat's title on the left; on the right whether an answer works
(here, and how many elsewhere), provider, model, the chat's search settings in a few words and
the running cost. A click on the provider or the model opens the model picker, as ctrl+o does
(QA clicked them, and nothing happened)."""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from pplx_tui.sanitize import clean_line

__all__ = ["StatusHeader"]

TITLE_ROOM = 24
"""Columns the chat title keeps before the search summary's words, the costs or the provider
give way (a narrow terminal)."""

TITLE_LEAST = 12
"""Columns the chat title keeps before the search settings' count goes too."""


def format_cost(cost: float | None) -> str:
    """``$0.0123`` style; ``""`` when nothing was billed yet."""
    if not cost:
        return ""
    return f"${cost:.4f}" if cost < 1 else f"${cost:.2f}"


class StatusHeader(Widget):
    """Shows where the next question goes. The model id is on screen from the first frame."""

    DEFAULT_CSS = """
    StatusHeader {
        height: 1;
        width: 1fr;
        background: $panel;
        color: $foreground;
    }
    """

    chat_title: reactive[str] = reactive("")
    """Title of the open chat (empty for a new one)."""
    provider: reactive[str] = reactive("")
    """Name of the provider the next question goes to."""
    model: reactive[str] = reactive("")
    """Model id the next question goes to."""
    cost: reactive[float | None] = reactive(None)
    """The chat's running cost in USD, as the providers reported it."""
    day_cost: reactive[float | None] = reactive(None)
    """Today's reported spend over every chat (shown beside the chat's when there is any)."""
    budget: reactive[bool] = reactive(False)
    """A daily budget is set: today's total is what is watched, and gives way last
    (:data:`_GIVE_WAY_WITH_BUDGET`)."""
    search: reactive[str] = reactive("")
    """A few words on the chat's search settings (``month · 3 domains``), "" for defaults."""
    search_short: reactive[str] = reactive("")
    """What stands in for :attr:`search` where it does not fit (``search: 6 settings``)."""
    busy: reactive[str] = reactive("")
    """A short state word while an answer streams (``answering…``), else empty."""
    elsewhere: reactive[int] = reactive(0)
    """How many other chats are answering (``⟳ 2 elsewhere``: the chat list may be hidden)."""

    _target_in_right = range(0)
    """Where the provider and the model are in the right part (:meth:`_right`)."""
    _target_cells = range(0)
    """The columns where the provider and the model were drawn (a click there picks a model)."""

    async def on_click(self, event: events.Click) -> None:
        if event.x in self._target_cells:
            event.stop()
            await self.run_action("app.pick_model")

    def render(self) -> Content:
        title = clean_line(self.chat_title) or "New chat"
        width = self.size.width
        # The title matters more than these, which give way in this order (the model stays).
        wanted = min(TITLE_ROOM, Content(title).cell_length)
        right = self._right(self._gone(width, wanted))
        left = Content.assemble((" pplx ", "bold reverse"), " ", title)
        room = width - right.cell_length - _GAP
        start = 0 if room < 8 else width - right.cell_length
        self._target_cells = range(
            start + self._target_in_right.start, min(width, start + self._target_in_right.stop)
        )
        if room < 8:
            return right.truncate(width, ellipsis=True)
        left = left.truncate(room, ellipsis=True)
        return left + " " * (width - left.cell_length - right.cell_length) + right

    def _gone(self, width: int, wanted: int) -> tuple[str, ...]:
        """What gives way so that the title keeps ``wanted`` columns (see :data:`_GIVE_WAY`);
        of what went before the last to go, what fits again comes back (QA: the provider went
        before the search settings' words, and stayed away beside their shorter count)."""
        order = _GIVE_WAY_WITH_BUDGET if self.budget else _GIVE_WAY

        def fits(gone: tuple[str, ...], least: int = wanted) -> bool:
            used = self._right(gone).cell_length + _GAP + len(" pplx  ")
            return width - used >= least

        for count in range(len(order) + 1):
            gone = order[:count]
            if fits(gone):
                for back in reversed(gone[:-1]):
                    if fits(without := tuple(name for name in gone if name != back)):
                        gone = without
                return gone
        # The title gives way, down to TITLE_LEAST, before the settings' count does.
        return order if fits(order, min(wanted, TITLE_LEAST)) else (*order, "search")

    def _right(self, gone: tuple[str, ...]) -> Content:
        parts: list[Content | str] = []
        if self.busy:
            parts.append(Content.styled(self.busy, "italic"))
        if self.elsewhere:
            parts.append(Content.styled(f"⟳ {self.elsewhere} elsewhere", "$text-accent"))
        before = Content(" · ").join([*parts, ""]).cell_length if parts else 0
        target: list[Content | str] = [] if "provider" in gone else [self.provider]
        target.append(Content.styled(self.model, "bold"))
        self._target_in_right = range(before, before + Content(" · ").join(target).cell_length)
        parts.extend(target)
        if search := self._search(gone):
            parts.append(Content.styled(f"({clean_line(search)})", "italic"))
        chat_cost = "" if "chat cost" in gone else format_cost(self.cost)
        day_cost = "" if "day cost" in gone else format_cost(self.day_cost)
        if chat_cost and day_cost:
            parts.append(f"{chat_cost} chat · {day_cost} today")
        elif day_cost:  # a chat that cost nothing (yet) shows no "$0"
            parts.append(f"{day_cost} today")
        elif chat_cost:  # (today's gave way: the word says whose it is)
            parts.append(f"{chat_cost} chat")
        return Content(" · ").join(parts) + " "

    def _search(self, gone: tuple[str, ...]) -> str:
        """The search settings' words, or once they gave way their count (if shorter)."""
        if "search" in gone:
            return ""
        short = self.search_short
        if "search words" in gone and short and len(short) < len(self.search):
            return short
        return self.search


_GAP = 2
"""Spaces at least between the title and what stands right of it (QA: "New chat openrouter")."""

_GIVE_WAY = ("day cost", "search words", "provider", "chat cost")
"""What the header leaves out, one more at a time, while the chat title has under
:data:`TITLE_ROOM` columns (QA: at 80 columns it read "Which …"). The search settings stay
longer than the provider's name: they say what the answer was narrowed to. Their words give
way to their count (:attr:`StatusHeader.search_short`), which says so too, before the provider
goes (QA: at 120 columns "gpt question", 14 blank columns and "openai/gpt-4o · (not sent:
month, 2 domains, academic, medium context)": the model does not say where the question goes).
The title gives way to the count, down to :data:`TITLE_LEAST` columns: whether the answers are
narrowed must not depend on the title's length (QA)."""

_GIVE_WAY_WITH_BUDGET = ("chat cost", "search words", "provider", "day cost")
"""The order with a daily budget set: today's total, which the budget counts, stays longest (QA:
at 80 columns it went as soon as the chat had a cost); the chat's total goes first."""
