"""An export written in a thread, its outcome told when it is done.

BibTeX of an answer with 10,000 sources took a minute on the app's thread: the dialog stayed
and no key was handled until it was written. Now the dialog waits for the outcome while the
app takes keys; closed meanwhile, it no longer hears it, and a toast says what came of it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, Protocol

__all__ = ["ExportHost", "write_in_thread"]


class ExportHost(Protocol):
    """The screen whose chat is exported."""

    app: Any

    def notify(self, message: str, **kwargs: Any) -> Any: ...

    def run_worker(self, work: Any, **options: Any) -> object: ...


def write_in_thread(
    host: ExportHost, write: Callable[[], str], path_text: str
) -> asyncio.Future[str | None]:
    """Run ``write`` (it writes the export to ``path_text`` and returns what the toast says
    of it) in a thread worker of ``host``. The future is ``None`` once written, else why not;
    if it was cancelled (the dialog that waited for it closed), a failure is a toast too.

    ``write`` must read only what the app's thread no longer changes (a copy of the chat)."""
    told: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()

    def settle(done: str | None, reason: str | None) -> None:
        if done:
            host.notify(done, timeout=5)
        if not told.done():
            told.set_result(reason)
        elif reason:
            host.notify(reason, severity="error", timeout=8)

    def work() -> None:
        done, reason = None, "Could not write the export: see the log."
        try:
            done, reason = write(), None
        except OSError as error:
            reason = f"Could not write {error.filename or path_text}: "
            reason += f"{error.strerror or type(error).__name__}."
        finally:  # whatever happened, the dialog stops waiting (a bug is logged by the worker)
            host.app.call_from_thread(settle, done, reason)

    host.run_worker(work, group="export", thread=True, exit_on_error=False)
    return told
