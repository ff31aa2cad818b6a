"""What research costs, in the workspace: the open chat's cost and today's reported spend in
the header, and the daily budget's question before a new request is sent (a question, asking
again, comparing, an edit) once that spend reached ``daily_budget_usd``. Every new request
asks :meth:`Spending.allows_request` first, so that is also where a chat deleted elsewhere
stops it (:mod:`~pplx_tui.ui.screens.deleted_chat`): an answer nobody keeps is not paid for.

Only costs the providers reported count (see :mod:`pplx_tui.usage`); reading them goes through
every chat, so the header's figure is read in a thread.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from pplx_tui.models import Chat
    from pplx_tui.session import Target
    from pplx_tui.ui.app import PplxApp
    from pplx_tui.ui.widgets.prompt import PromptInput
    from pplx_tui.ui.widgets.status_header import StatusHeader

__all__ = ["Spending"]


class SpendingHost(Protocol):
    """The part of the workspace the spend and the budget use."""

    app: PplxApp
    header: StatusHeader
    prompt: PromptInput

    @property
    def chat(self) -> Chat:
        """The open chat."""
        ...

    @property
    def target(self) -> Target:
        """Where the next question goes."""
        ...

    def run_worker(self, work: Callable[[], None], **options: Any) -> object:
        """Run ``work`` as a worker of the screen."""
        ...


class Spending:
    """Today's spend and the daily budget for the workspace ``screen``."""

    def __init__(self, screen: SpendingHost) -> None:
        self.screen = screen

    @property
    def app(self) -> PplxApp:
        return self.screen.app

    def show_chat_cost(self, chat: Chat, *, so_far: float = 0.0) -> None:
        """Show what ``chat`` (the open one) cost, with ``so_far`` of the answer streaming."""
        self.screen.header.cost = chat.total_cost_usd + so_far

    def update_day_cost(self) -> None:
        """Read today's reported spend over every chat (in a thread) for the header."""
        self.screen.header.budget = self.app.settings.daily_budget_usd is not None
        self.screen.run_worker(
            self._read_day_cost,
            group="day-cost",
            thread=True,
            exclusive=True,
            exit_on_error=False,
        )

    def _read_day_cost(self) -> None:
        from pplx_tui.usage import spent_today

        spent = spent_today(self.app.store)
        self.app.call_from_thread(setattr, self.screen.header, "day_cost", spent)

    def allows(self, question: str, send: Callable[[str], Awaitable[None]]) -> bool:
        """Whether ``question`` may go now; past the budget a dialog asks first (``y``: ``send``
        is called with it, ``n``: it goes back into the prompt) and False is returned."""

        def back() -> None:
            self.screen.prompt.load_text(question)
            self.screen.prompt.focus()

        return self.allows_request(lambda: send(question), back)

    def allows_request(
        self,
        send: Callable[[], Awaitable[object]],
        back: Callable[[], None] | None = None,
        *,
        targets: Sequence[Target] = (),
    ) -> bool:
        """Whether a new request may go now (asking again, comparing, an edit); past the budget
        a dialog asks first (``y``: ``send`` is called, ``n``: ``back``) and False is returned.
        Nothing goes into a chat deleted elsewhere (``back`` is called, and False returned).
        ``targets``: where the requests go (none named: the next question's); requests that
        all go to the offline demo cost nothing, and go past the budget without a dialog."""
        from pplx_tui.session import DEMO
        from pplx_tui.ui.screens.deleted_chat import refuses_deleted_chat

        if refuses_deleted_chat(self.screen, back):
            return False
        budget = self.app.settings.daily_budget_usd
        if budget is None:
            return True
        if all(target.provider.dialect == DEMO for target in targets or [self.screen.target]):
            return True
        from pplx_tui.usage import over_budget, spent_today

        warning = over_budget(spent_today(self.app.store), budget)
        if warning is None:
            return True
        from pplx_tui.ui.dialogs.confirm import ConfirmScreen

        async def answered(yes: bool | None) -> None:
            if yes and not refuses_deleted_chat(self.screen, back):  # (deleted meanwhile)
                await send()
            elif back is not None:
                back()

        message = f"{warning[0].upper()}{warning[1:]}. Ask anyway?"
        dialog = ConfirmScreen(message, title="Daily budget", yes_label="Ask anyway")
        self.app.push_screen(dialog, answered)
        return False
