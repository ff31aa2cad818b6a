"""A deleted chat's background runs: cancelled at the provider, as ``pplx chats delete`` does.

Once the chat is gone nothing could ever fetch their answers, and they would go on costing.
Every run the chat waits on is cancelled, not only one this window follows: a run started by
``pplx ask --background``, one past those followed at start, one whose check failed.
"""

from __future__ import annotations

import dataclasses
from contextlib import nullcontext
from functools import partial
from typing import TYPE_CHECKING

from pplx_tui.runs import cancel_runs, run_base_url
from pplx_tui.sanitize import clean_line

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pplx_tui.models import Message
    from pplx_tui.session import Target
    from pplx_tui.ui.app import PplxApp

__all__ = ["cancel_deleted_runs", "run_target"]


def run_target(app: PplxApp, message: Message) -> Target:
    """Where ``message``'s run is asked about: its provider and model, at the base URL it was
    started at. Raises ``TargetError``."""
    assert message.run is not None
    target = app.resolve(message.provider or "", message.model)
    current = target.base_url or target.provider.base_url
    return dataclasses.replace(target, base_url=run_base_url(message.run.base_url, current))


async def cancel_deleted_runs(app: PplxApp, title: str, waiting: Sequence[Message]) -> None:
    """Cancel the runs ``waiting`` (the answers of the deleted chat ``title``) and say how it
    went: a run that goes on is a warning, it may cost."""
    outcomes = await cancel_runs(
        waiting, partial(run_target, app), lambda target: nullcontext(app.client_for(target))
    )
    name = clean_line(title) or "Untitled"
    for outcome in outcomes:
        if outcome.error is None:
            app.notify(f"The background run of “{name}” was cancelled.", timeout=4, markup=False)
            continue
        reason = outcome.error.rstrip()
        reason = reason if reason.endswith((".", "!", "?")) else reason + "."
        app.notify(
            f"The background run of the deleted chat “{name}” could not be stopped: {reason} "
            f"It may go on at {outcome.provider} until it ends, and cost.",
            severity="warning",
            timeout=10,
            markup=False,
        )
