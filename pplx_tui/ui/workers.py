"""The one place a worker's failure is logged (the app, the workspace and widgets call it)."""

from __future__ import annotations

import logging

from textual.worker import Worker, WorkerState

__all__ = ["log_failed_worker"]

logger = logging.getLogger("pplx_tui.ui")


def log_failed_worker(event: Worker.StateChanged, what: str = "a background task") -> None:
    """Log the error of a worker that failed, as "``what`` failed" with its traceback."""
    if event.state == WorkerState.ERROR:
        logger.error("%s failed", what, exc_info=event.worker.error)
