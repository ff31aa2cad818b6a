"""``pplx`` with no sub-command: build the app from the command line and run it.

A malformed config.toml is one line on stderr, then the app starts with the default settings
and says so again in a notification (the file is never rewritten while it does not parse).
An error that stops the app is logged with its traceback and reported in one line, like every
other unexpected error of ``pplx``; so is a chat the disk still refused when the app closed.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import TYPE_CHECKING

from pplx_tui.cli.common import (
    EXIT_FAILURE,
    EXIT_NETWORK,
    EXIT_OK,
    EXIT_USAGE,
    FileFailure,
    check_demo,
    file_failure_line,
    option,
    sampling_from,
    search_settings_from,
    stderr_line,
)

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from pplx_tui.ui.app import PplxApp

logger = logging.getLogger("pplx_tui.cli")


def run_tui(args: argparse.Namespace) -> int:
    """Run the TUI; returns the exit code (2 for bad options or no terminal, 3 for a key
    problem).

    The app reads keys from stdin and draws on stderr: without a terminal on both (a pipe,
    /dev/null, cron) it drew into a file, or waited for ever, so it says to use ``ask``."""
    check_demo(args)
    if not on_a_terminal():
        print(
            "pplx: the app needs a terminal (stdin and stderr); in a pipe or a script, "
            'ask with pplx ask "QUESTION"',
            file=sys.stderr,
        )
        return EXIT_USAGE
    from pplx_tui.config_plain import permission_warning
    from pplx_tui.config_read import config_notice, start_settings
    from pplx_tui.session import TargetError
    from pplx_tui.ui.factory import make_app

    notices: list[tuple[str, SeverityLevel]] = []
    settings, error = start_settings()
    if error is not None:
        print(f"pplx: {error.with_defaults()}", file=sys.stderr)
        notices.append((config_notice(error), "error"))
    if warning := permission_warning():
        # Printed before the TUI takes the screen; it is there again when the TUI exits.
        print(f"pplx: warning: {warning}", file=sys.stderr)
        notices.append((warning, "warning"))
    try:
        app = make_app(
            settings=settings,
            provider=option(args, "provider"),
            model=option(args, "model"),
            base_url=option(args, "base_url"),
            demo=bool(option(args, "demo")),
            chat_id=option(args, "chat"),
            search=search_settings_from(args, settings.search),
            sampling=sampling_from(args, settings.sampling),
            system_prompt=option(args, "system"),
            notices=notices,
        )
    except TargetError as error:
        print(stderr_line(error), file=sys.stderr)
        return error.exit_code
    except OSError as error:  # the --chat file is another user's, chmod 000…
        raise FileFailure(file_failure_line(error)) from None
    except Exception as error:
        if not _chat_not_opened(error):
            raise
        print(f"pplx: {error}", file=sys.stderr)
        return EXIT_USAGE
    return run_app(app)


def _chat_not_opened(error: Exception) -> bool:
    """Whether ``error`` is the store's (``--chat`` names a chat that cannot be opened). The
    store is imported only to tell: a new chat's app loads it after its first frame."""
    from pplx_tui.store import StoreError

    return isinstance(error, StoreError)


def run_app(app: PplxApp) -> int:
    """Run ``app`` to the end; report (log and one line) an error that stopped it."""
    app.run()
    code = app.return_code or EXIT_OK
    unsaved = getattr(app, "unsaved", ())
    for line in unsaved:
        print(f"pplx: {line}", file=sys.stderr)
    if report := getattr(app, "crash_report", ""):
        logger.error("the app stopped on an unexpected error:\n%s", report)
        print(f"pplx: {crash_line(report)}", file=sys.stderr)
        return EXIT_NETWORK
    return EXIT_FAILURE if unsaved and not code else code


def on_a_terminal() -> bool:
    """Whether stdin and stderr are terminals (where the app reads keys and draws)."""
    try:
        return sys.stdin.isatty() and sys.stderr.isatty()
    except (AttributeError, ValueError):  # a stream closed, or none
        return False


def crash_line(report: str) -> str:
    """One line for a traceback: its last line (the error, no key) and where the log is."""
    from pplx_tui.client.errors import redact
    from pplx_tui.paths import log_file
    from pplx_tui.sanitize import clean_line

    # Rich's traceback ends with "Type: message" after its boxes (and a "NOTE:" when there
    # were several errors).
    lines = [
        line.strip()
        for line in report.splitlines()
        if line.strip() and line.lstrip()[0] not in "│╭╰" and not line.startswith("NOTE:")
    ]
    detail = clean_line(redact(lines[-1])) if lines else ""
    if len(detail) > 200:
        detail = detail[:199] + "…"
    return f"unexpected error ({detail or 'see the log'}); the details are in {log_file()}"
