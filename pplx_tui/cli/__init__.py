"""The ``pplx`` command line: the TUI by default, plus ``ask``, ``chats`` and ``models``.

Sub-command modules are imported lazily so that ``pplx ask`` never imports Textual and
``pplx --help`` starts fast. Each sub-command module exposes ``register(subparsers)``, which
adds its parser and sets ``handler`` to a ``(args) -> int`` function.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from pplx_tui import __version__, gc_hold
from pplx_tui.cli.common import (
    EXIT_CODES,
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_NETWORK,
    EXIT_USAGE,
    FileFailure,
    UsageError,
    add_shared_options,
    stderr_line,
)

SUBCOMMANDS = ("ask", "chats", "models", "runs", "usage")


class _Parser(argparse.ArgumentParser):
    """Bad command-line input is one line on stderr (what is wrong, where help is) and exit 2.

    Sub-command parsers are made with the same class (``add_subparsers`` uses ``type(self)``).
    """

    help_command = ""
    """Whose help the line points to, when not this parser's own: the top level reports a
    sub-command's unknown options (``pplx ask --foo``), whose help is ``pplx ask --help``."""

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        # Each parser (a sub-command's too) sees the words that are its own here.
        if args is not None:
            args = self._dash_values(list(args))
            self._words = args
        return super().parse_known_args(args, namespace)

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        """argparse's, but words left over (``pplx chats export ID ID``) point to the help of
        the command they were given to (``pplx chats export --help``), not its parent's."""
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            self.help_command = _command_parser(self, parsed).prog
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return parsed

    def _dash_values(self, args: list[str]) -> list[str]:
        """``--since -7d`` as ``--since=-7d``: a word that starts with one dash after an option
        that takes a value is that value (argparse read it as an unknown option: "expected one
        argument"), unless it is one of this parser's options (``--model -D x.com`` still says
        the model is missing). Words after ``--``, and a sub-command's words (its own parser
        sees them), are left alone."""
        takes_value = {
            name
            for action in self._actions
            if action.option_strings and action.nargs is None
            for name in action.option_strings
        }
        commands = {
            name
            for action in self._actions
            if isinstance(action, argparse._SubParsersAction)
            for name in action.choices or ()
        }
        out: list[str] = []
        at = 0
        while at < len(args):
            word = args[at]
            at += 1
            if word == "--" or word in commands:
                return [*out, word, *args[at:]]
            out.append(word)
            if word.startswith("--") and word not in self._option_string_actions:
                # --sin: argparse takes a unique start of a long option for the option
                named = [o for o in self._option_string_actions if o.startswith(word)]
                word = named[0] if len(named) == 1 and len(word) > 2 else word
            if word in takes_value and at < len(args):
                value = args[at]
                if (
                    value.startswith("-")
                    and not value.startswith("--")
                    and len(value) > 1
                    and value not in self._option_string_actions
                    and value[:2] not in self._option_string_actions  # -Dx.com: -D x.com
                ):
                    out[-1] = f"{word}={value}"
                    at += 1
                elif not value.startswith("-"):  # a value, even one named like a sub-command
                    out.append(value)
                    at += 1
        return out

    def error(self, message: str) -> NoReturn:
        for action in self._actions:
            if (
                isinstance(action, argparse._SubParsersAction)
                and action.choices
                and str(action.metavar or action.dest) in message
                and "choose from" not in message
            ):
                message += f" (one of: {', '.join(action.choices)})"
        message = _did_you_mean(self._unknown_option_before_choice(message))
        command = self.help_command or self.prog
        hint = ""
        if command == "pplx ask" and message.startswith("unrecognized arguments: -"):
            word = message.split()[2]
            if not word.startswith("--"):  # -what: a question, more likely than an option
                hint = f" (a question that starts with '-' goes after '--': pplx ask -- {word} …)"
        elif message.startswith("the following arguments are required: "):
            # `chats rename ID -x`: argparse read -x as an option, and missed the title.
            word = next((w for w in getattr(self, "_words", ()) if w[:1] == "-" != w[1:2]), "")
            if word and word not in self._option_string_actions and len(word) > 1:
                name = message.rsplit(": ", 1)[1].split(",")[0]
                hint = f" (a {name} that starts with '-' goes after '--': {self.prog} … -- {word})"
        # "pplx: …" as every other error line; the help named is the command's own.
        self.exit(EXIT_USAGE, f"pplx: {message}; see `{command} --help`{hint}\n")

    def _unknown_option_before_choice(self, message: str) -> str:
        """``pplx runs --base-url URL``: argparse skipped the unknown option and read its value as
        the sub-command ("invalid choice: 'http://…' (choose from 'wait')"); say the option."""
        import re

        found = re.search(r"invalid choice: '(.*?)' \(choose from", message)
        words = list(getattr(self, "_words", ()))
        if found and found[1] in words and (at := words.index(found[1])) > 0:
            option = words[at - 1]
            if option.startswith("-") and option not in self._option_string_actions:
                return f"unrecognized arguments: {option} {found[1]}"
        return message


def _command_parser(
    parser: argparse.ArgumentParser, parsed: argparse.Namespace
) -> argparse.ArgumentParser:
    """The parser of the innermost sub-command ``parsed`` names (``chats`` → ``export``)."""
    while True:
        commands = next(
            (a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None
        )
        name = getattr(parsed, commands.dest, None) if commands is not None else None
        if commands is None or not commands.choices or name not in commands.choices:
            return parser
        parser = commands.choices[name]


def _did_you_mean(message: str) -> str:
    """argparse's "invalid choice: 'chat' (choose from …)" with the choice meant, when one is
    near (``chat``: chats, ``lst``: list, ``csl``: csl-json)."""
    import re

    found = re.search(r"invalid choice: '(.*)' \(choose from (.*)\)", message)
    if not found:
        return message
    word, choices = found[1], re.findall(r"'([^']*)'", found[2])
    starting = [choice for choice in choices if word and choice.startswith(word)]
    if len(starting) != 1:
        import difflib

        starting = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not starting:
        return message
    return message.replace("(choose from ", f"(did you mean {starting[0]!r}? choose from ", 1)


def build_parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="pplx",
        description="A keyboard-driven terminal research client for Perplexity's Sonar models.",
        epilog=f"With no sub-command, pplx opens the TUI. {EXIT_CODES}",
    )
    parser.add_argument("--version", action="version", version=f"pplx-tui {__version__}")
    parser.add_argument("--debug", action="store_true", help="log at debug level")
    add_shared_options(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="{ask,chats,models,runs,usage}")
    # Only the sub-command that is asked for is imported (start-up time); all of them for the
    # top level's help (``pplx --help``, ``pplx -h ask``), which lists them. With none asked
    # for (the TUI), each is a bare name: enough for ``pplx nonsense`` to list the choices.
    wanted = next((a for a in argv if a in SUBCOMMANDS), None)
    before = argv[: argv.index(wanted)] if wanted else argv
    top_help = "-h" in before or "--help" in before
    if wanted:
        parser.help_command = f"pplx {wanted}"
    for name in SUBCOMMANDS:
        if wanted == name or top_help:
            module = __import__(f"pplx_tui.cli.{name}_command", fromlist=["register"])
            module.register(subparsers)
        elif wanted is None:
            subparsers.add_parser(name)
    _debug_everywhere(parser)
    return parser


def _debug_everywhere(parser: argparse.ArgumentParser) -> None:
    """``--debug`` after any command too (``pplx chats list --debug``), as after ``ask``."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):  # aliases: one parser
                if "--debug" not in child._option_string_actions:
                    child.add_argument(
                        "--debug",
                        action="store_true",
                        default=argparse.SUPPRESS,
                        help="log at debug level",
                    )
                _debug_everywhere(child)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``pplx ARGV`` (default: the process's arguments) and give its exit code.

    As the program itself (``argv`` is ``None``: the ``pplx`` script, ``python -m pplx_tui``),
    ``pplx ask`` ends the process once its output is written (:func:`_end_process`)."""
    if argv is None:  # the process: any of its standard streams may have been closed
        from pplx_tui.cli.closed_streams import fill_closed_streams

        fill_closed_streams()
    gc_hold.hold()  # released once the command has started (the app: at its first frame)
    try:
        code, command = _main(argv)
    finally:
        gc_hold.resume()
    if argv is None and command == "ask":
        _end_process(code)
    return code


def _end_process(code: int) -> NoReturn:
    """End the process without the interpreter's teardown (unloading some 400 modules and a
    last collection: about a tenth of a short ``pplx ask``'s CPU), once the log is closed and
    stdout and stderr are flushed. Only for ``ask``: it leaves no thread or pending work.
    A profiler that reports at exit (``pyinstrument -m pplx_tui ask …``) gets nothing: profile
    ``main(["ask", …])`` instead, which returns."""
    import logging

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def _main(argv: Sequence[str] | None) -> tuple[int, str | None]:
    """The exit code and the sub-command that ran (``None``: the TUI)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    for stream in (sys.stdout, sys.stderr):
        # A terminal that cannot show a character gets "?" rather than a crash.
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    for name, value in vars(args).items():
        if name not in _FILE_NAMES:
            setattr(args, name, _utf8(value))
    return _run(args), getattr(args, "command", None)


_FILE_NAMES = frozenset({"output", "file"})
"""Options that name files (``chats export -o``, ``chats import``): they keep their bytes."""


def _utf8(value: object) -> object:
    """Text with bytes that were not UTF-8 (Python hands them over as lone surrogates, which
    no chat file, JSON or request can hold) read as stdin is: each one U+FFFD."""
    if isinstance(value, list):
        return [_utf8(item) for item in value]
    if not isinstance(value, str) or value.isascii():
        return value
    try:
        data = value.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no byte made (main() called with it): "?"
        data = value.encode("utf-8", "replace")
    return data.decode("utf-8", "replace")


def _run(args: argparse.Namespace) -> int:
    from pplx_tui.config_keys import remember_config_keys
    from pplx_tui.logs import setup_logging

    # Every command: any may print or write a chat, or log a message, holding such a key.
    remember_config_keys()
    setup_logging(debug=bool(getattr(args, "debug", False)))
    handler = getattr(args, "handler", None)
    try:
        if handler is None:
            from pplx_tui.cli.tui_command import run_tui

            return run_tui(args)
        code = int(handler(args))
        sys.stdout.flush()  # inside the try: a reader gone by now is a quiet exit too
        return code
    except UsageError as error:
        print(stderr_line(error), file=sys.stderr)
        return EXIT_USAGE
    except FileFailure as error:
        print(stderr_line(error), file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("pplx: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as error:
        from pplx_tui.cli.closed_streams import output_failed

        # The reader went away (``pplx … | head``: quietly, like other tools), or the disk
        # under ``> FILE`` is full.
        return EXIT_FAILURE if output_failed(error) else _unexpected(args, error)
    except Exception as error:
        return _unexpected(args, error)


def _unexpected(args: argparse.Namespace, error: Exception) -> int:
    # A bug, or a fault nobody foresaw: the traceback goes to the log, one line to stderr.
    from pplx_tui.logs import get_logger

    get_logger("cli").exception("pplx %s failed", getattr(args, "command", None) or "tui")
    print(f"pplx: {unexpected_error_line(error)}", file=sys.stderr)
    return EXIT_NETWORK


def unexpected_error_line(error: BaseException) -> str:
    """One line for an unexpected error: its kind and message (no key), and where the log is."""
    from pplx_tui.client.errors import redact
    from pplx_tui.paths import log_file
    from pplx_tui.sanitize import clean_line

    detail = clean_line(redact(str(error)))
    if len(detail) > 200:
        detail = detail[:199] + "…"
    kind = type(error).__name__
    return (
        f"unexpected error ({kind}{': ' + detail if detail else ''}); "
        f"the details are in {log_file()}"
    )
