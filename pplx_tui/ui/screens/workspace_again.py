"""The workspace's keys and requests to ask again: ctrl+r (retry the last question, or check
again a background run nobody checks), an answer's retry button (and the provider ctrl+k
offers after a refusal), ``v`` (ask an answer's question again), the actions on an answer,
and compare. Each hands the work to the part that
does it (:class:`~pplx_tui.ui.screens.alternatives.Alternatives`,
:class:`~pplx_tui.ui.screens.earlier_runs.EarlierRuns`).

Mixed into the workspace screen (handlers by name: ``@on`` is not seen on a mixin).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pplx_tui.session import PERPLEXITY
from pplx_tui.values import MessageStatus

if TYPE_CHECKING:
    from pplx_tui.models import Message
    from pplx_tui.ui.widgets.conversation_messages import AnswerActionRequested, AskAgainRequested
    from pplx_tui.ui.widgets.message_view import AnswerView

__all__ = ["WorkspaceAgain"]


class WorkspaceAgain:
    """Mixed into the workspace screen before ``Screen`` (``self: Any``: the screen's parts)."""

    def binding_description(self: Any, action: str) -> str | None:
        """The key bar offers ctrl+r only when the last answer failed or stopped, and not
        after a refused key while that key is still the one in use (the answer's button and
        ctrl+k offer a key), nor after the retired Sonar endpoint (it offers a Perplexity model
        or key): "" hides it there; the key works anyway."""
        if action != "retry":
            return None
        last = self.conversation.last_message()  # the chat's last, shown: not a walk of it
        failed = last is not None and (last.role == "user" or last.status != MessageStatus.COMPLETE)
        if not failed or last is None or self.pending is not None:
            return ""
        from pplx_tui.ui.widgets.answer_lines import retired  # (it loads pydantic: not at start)

        return "" if self.app.key_still_refused(last) or retired(last) else "Retry"

    def key_provider_wanted(self: Any) -> str:
        """The provider ctrl+k opens the key dialog on (``""``: the one in use): Perplexity
        after the retired Sonar endpoint's refusal, as the answer's button does (QA: ctrl+k
        opened on the provider refused)."""
        from pplx_tui.ui.widgets.answer_lines import retired  # (it loads pydantic: not at start)

        last = self.conversation.last_message()
        return PERPLEXITY if last is not None and retired(last) else ""

    async def action_retry(self: Any) -> None:
        """Ask the last question again (the earlier answer stays an alternative); an answer
        waiting on a background run that nobody checks now is checked again instead."""
        if _still_written(self):
            return
        last = self.conversation.last_message()
        if last is not None and _refused_again(self, last):
            return
        if not await self.runs.check_again(self.chat):
            await self.alternatives.retry()

    async def on_answer_view_retry_requested(self: Any, event: AnswerView.RetryRequested) -> None:
        event.stop()
        message = event.view.message
        if message is None or not await self.runs.check_again(self.chat, message):
            await self.alternatives.regenerate(event.view)

    def on_conversation_ask_again_requested(self: Any, event: AskAgainRequested) -> None:
        event.stop()
        message = event.view.message
        if message is not None and self.app.key_still_refused(message):
            self.alternatives.say_refused_again(message)
            return
        self.alternatives.ask_again_if_sure(event.view, event.text)

    async def on_conversation_answer_action_requested(
        self: Any, event: AnswerActionRequested
    ) -> None:
        event.stop()
        await self.alternatives.run(event.action, event.view)

    def action_compare(self: Any) -> None:
        self.alternatives.compare_prompt()


def _still_written(screen: Any) -> bool:
    """Whether the open chat's answer (or comparison) is still being written: ctrl+r then asks
    nothing again and says how to (QA: pressed 5 times, it stopped the answer and sent the
    question again each time: key repeat became paid requests). A background run followed is
    left to its own word (ctrl+r checks a run: "being checked already")."""
    from pplx_tui.ui.keys_in_force import key_named
    from pplx_tui.ui.screens.run_follower import RunFollower

    if screen.pending is None and not screen.alternatives.comparing:
        return False
    if isinstance(screen.pending, RunFollower):
        return False
    stop, retry = key_named(screen.app, "research.stop"), key_named(screen.app, "research.retry")
    screen.notify(
        f"The answer is still being written: {stop} stops it, then {retry} asks again.",
        timeout=4,
        markup=False,
    )
    return True


def _refused_again(screen: Any, last: Message) -> bool:
    """Whether ``last`` was refused by the retired Sonar endpoint and the model in use is still
    the one refused: asked again, it is refused again (QA: ctrl+r sent it, and added a second
    failed try). Says so, and what to do instead."""
    from pplx_tui.ui.keys_in_force import key_named
    from pplx_tui.ui.widgets.answer_lines import retired, retired_hint

    target = screen.app.target
    if not retired(last) or (last.provider, last.model) != (target.provider.name, target.model.id):
        return False
    has_key = getattr(screen.app, "has_key", None)  # (TargetApp's)
    hint = retired_hint(
        has_key is not None and has_key(PERPLEXITY),
        key_named(screen.app, "app.pick_model"),
        key_named(screen.app, "app.add_key"),
    )
    screen.notify(f"{target.model.id} would be refused again. {hint}", severity="warning")
    return True
