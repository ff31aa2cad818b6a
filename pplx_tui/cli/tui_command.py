"""``pplx`` with no sub-command: build the app from the command line and run it."""

from __future__ import annotations

import argparse
import sys

from pplx_tui.cli.common import EXIT_OK, EXIT_USAGE, option, sampling_from, search_settings_from


def run_tui(args: argparse.Namespace) -> int:
    """Run the TUI; returns the exit code (2 for bad config or options, 3 for a key problem)."""
    from pplx_tui.config import ConfigError, load_settings, permission_warning
    from pplx_tui.session import TargetError
    from pplx_tui.store import StoreError
    from pplx_tui.ui.app import make_app

    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"pplx: {error}", file=sys.stderr)
        return EXIT_USAGE
    if warning := permission_warning():
        # Printed before the TUI takes the screen; it is there again when the TUI exits.
        print(f"pplx: warning: {warning}", file=sys.stderr)
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
        )
    except TargetError as error:
        print(f"pplx: {error}", file=sys.stderr)
        return error.exit_code
    except StoreError as error:
        print(f"pplx: {error}", file=sys.stderr)
        return EXIT_USAGE
    app.run()
    return app.return_code or EXIT_OK
