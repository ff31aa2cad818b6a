"""The ``pplx`` command line: the TUI by default, plus ``ask``, ``chats`` and ``models``.

Sub-command modules are imported lazily so that ``pplx ask`` never imports Textual and
``pplx --help`` starts fast. Each sub-command module exposes ``register(subparsers)``, which
adds its parser and sets ``handler`` to a ``(args) -> int`` function.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from pplx_tui import __version__
from pplx_tui.cli.common import EXIT_INTERRUPTED, EXIT_USAGE, UsageError, add_shared_options

SUBCOMMANDS = ("ask", "chats", "models")


def build_parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pplx",
        description="A keyboard-driven terminal research client for Perplexity's Sonar models.",
        epilog="With no sub-command, pplx opens the TUI. Exit codes: 0 ok, 2 usage, "
        "3 authentication, 4 rate limit or credits, 5 network/server, 130 interrupted.",
    )
    parser.add_argument("--version", action="version", version=f"pplx-tui {__version__}")
    parser.add_argument("--debug", action="store_true", help="log at debug level")
    add_shared_options(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="{ask,chats,models}")
    # Only the sub-command that is asked for is imported (start-up time).
    wanted = next((a for a in argv if a in SUBCOMMANDS), None)
    for name in SUBCOMMANDS:
        if wanted in (None, name) or "-h" in argv or "--help" in argv:
            module = __import__(f"pplx_tui.cli.{name}_command", fromlist=["register"])
            module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    from pplx_tui.logs import setup_logging

    setup_logging(debug=args.debug)
    handler = getattr(args, "handler", None)
    try:
        if handler is None:
            from pplx_tui.cli.tui_command import run_tui

            return run_tui(args)
        return int(handler(args))
    except UsageError as error:
        print(f"pplx: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("pplx: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
