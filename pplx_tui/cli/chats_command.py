"""``pplx chats``: list, search, show, export, import, rename and delete saved chats.

Imports stay light (no Textual, and the store only once a command runs; ``list`` and
``search`` use a :class:`~pplx_tui.store.ChatFinder`, which loads no pydantic while the index
is up to date). Output for people goes to stdout, warnings and confirmations to stderr, one
line each; ``--json`` prints data for scripts. Unknown ids and bad input exit 2; a file that
cannot be written exits 1.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from pplx_tui.cli.chats_listing import list_chats, search_chats, shown_title
from pplx_tui.cli.common import (
    EXIT_OK,
    OUTPUT_ERRNOS,
    FileFailure,
    UsageError,
    file_failure_line,
)
from pplx_tui.cli.json_output import write_json

if TYPE_CHECKING:
    from pplx_tui.store import ChatFinder, ChatStore

EXIT_FAILURE = 1
ID_HELP = "a chat id from `pplx chats list` (a unique start of one is enough)"


def _positive(value: str) -> int:
    if not (value.isascii() and value.isdigit()) or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1 (got {value!r})")
    return min(int(value), sys.maxsize)  # more than SQLite counts to is "all of them"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "chats",
        help="list, search, show, export, import, rename or delete saved chats",
        description="Work with saved chats (kept in $XDG_DATA_HOME/pplx-tui/chats).",
    )
    actions = parser.add_subparsers(dest="chats_action", metavar="ACTION", required=True)

    listing = actions.add_parser(
        "list",
        help="saved chats, newest first",
        description="List saved chats, newest first: id, last change, messages (questions and "
        "answers), models, title. A value too long for its column ends with '…' (--json has "
        "it whole).",
    )
    listing.add_argument("--limit", type=_positive, metavar="N", help="show at most N chats")
    listing.add_argument("--json", action="store_true", help="print JSON")

    show = actions.add_parser(
        "show", help="print one chat", description="Print one chat as Markdown."
    )
    show.add_argument("chat_id", metavar="ID", help=ID_HELP)
    show.add_argument("--json", action="store_true", help="print the chat file (JSON) instead")
    show.add_argument(
        "--reasoning", action="store_true", help="include the models' reasoning (not with --json)"
    )

    search = actions.add_parser(
        "search",
        help="find chats by their words",
        description="Find chats whose title, questions, answers or source titles/urls hold "
        'every word of QUERY (case-insensitive; "a phrase" in quotes, prefix* for words that '
        "start so), best match first (ties newest first: all words in the title, then in the "
        "questions, then the answers, then anywhere), with a snippet of the match.",
    )
    search.add_argument("query", nargs="+", metavar="QUERY", help="words to look for")
    search.add_argument(
        "--limit", type=_positive, default=50, metavar="N", help="show at most N chats (default 50)"
    )
    search.add_argument("--json", action="store_true", help="print JSON")

    export = actions.add_parser(
        "export",
        help="write a chat as Markdown or JSON, or its sources for a reference manager",
        description="Write a chat as Markdown (answers with their numbered sources), as "
        "JSON (the chat file, which `pplx chats import` reads back), or its sources as "
        "references for Zotero, JabRef or pandoc (bibtex, csl-json, ris): cited ones first, "
        "each with a note naming the answers and models that cited it.",
    )
    export.add_argument("chat_id", metavar="ID", help=ID_HELP)
    export.add_argument(
        "--format",
        type=str.lower,  # as the other options' choices: MD is md
        choices=("md", "json", "bibtex", "csl-json", "ris"),
        default="md",
        help="md (default), json, bibtex, csl-json or ris",
    )
    export.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE (mode 0600; missing folders are made, 0700) instead of stdout",
    )
    export.add_argument(
        "--reasoning", action="store_true", help="include the models' reasoning (Markdown, folded)"
    )

    importing = actions.add_parser(
        "import",
        help="add a chat from a JSON export",
        description="Add a chat from a JSON export and print its id. An export saved "
        "already (the same messages) is not added again: the saved chat's id is printed. One "
        "whose id is taken by a chat with other messages, or is not one pplx-tui makes, is "
        "added under a new id.",
    )
    importing.add_argument(
        "file", metavar="FILE", help="a file written by `export --format json` ('-': stdin)"
    )

    delete = actions.add_parser(
        "delete",
        help="delete chats",
        description="Delete one chat or several (if an id is unknown, none is deleted).",
    )
    delete.add_argument("chat_id", nargs="+", metavar="ID", help=ID_HELP)

    rename = actions.add_parser(
        "rename",
        help="give a chat a title",
        description="Give a chat a title (its words are joined by spaces); an empty TITLE is "
        "refused.",
    )
    rename.add_argument("chat_id", metavar="ID", help=ID_HELP)
    rename.add_argument("title", nargs="+", metavar="TITLE", help="the new title")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from pplx_tui.store import ChatFinder, StoreBusyError, StoreError

    store: ChatFinder
    if args.chats_action in ("list", "search"):
        store = ChatFinder()  # loads no pydantic while the index is up to date
    else:
        from pplx_tui.store import ChatStore

        store = ChatStore()
    try:
        return _ACTIONS[args.chats_action](store, args)
    except StoreError as error:
        for notice in store.take_notices():  # what the error says already is not said twice
            if not ("read-only" in notice and "read-only" in str(error)):
                print(f"pplx: warning: {notice}", file=sys.stderr)
        # A lock held elsewhere: the chat could not be saved (exit 1, as `ask --chat`), not
        # a mistake of what was typed.
        failure = FileFailure if isinstance(error, StoreBusyError) else UsageError
        raise failure(str(error)) from None
    except BrokenPipeError:
        raise  # the reader went away: a quiet exit (see pplx_tui.cli.main)
    except OSError as error:
        if error.filename is None and error.errno in OUTPUT_ERRNOS:
            raise  # stdout: said as for every command (see pplx_tui.cli)
        print(f"pplx: {file_failure_line(error)}", file=sys.stderr)
        return EXIT_FAILURE
    finally:
        for notice in store.take_notices():
            print(f"pplx: warning: {notice}", file=sys.stderr)


def _show(store: ChatStore, args: argparse.Namespace) -> int:
    from pplx_tui.export import export_pieces, to_json

    if args.json and args.reasoning:  # as `export --format json --reasoning`
        raise UsageError(
            "--reasoning is for the Markdown view (the chat file's JSON, --json, holds the "
            "reasoning anyway)"
        )
    chat = store.load(args.chat_id)
    if args.json:
        write_json(to_json(chat).decode())  # the chat file's JSON
        return EXIT_OK
    # The Markdown export (no key in it), in pieces: a long chat is not joined.
    for piece in export_pieces(chat, "md", reasoning=args.reasoning):
        sys.stdout.write(piece.decode())
    return EXIT_OK


def _export(store: ChatStore, args: argparse.Namespace) -> int:
    """The export, the same bytes on stdout as in ``-o FILE``; a chat with no sources gives
    the reference format's empty list (nothing, or CSL-JSON's ``[]``) and says so on stderr."""
    from pplx_tui.export import export_pieces
    from pplx_tui.export_file import what_was_written, write_export
    from pplx_tui.sanitize import shown_name

    if args.output == "":  # Path("") is the current folder
        raise UsageError("the file name after -o is empty")
    if args.reasoning and args.format != "md":
        raise UsageError(
            "--reasoning is for --format md (a JSON export holds the reasoning anyway; "
            "bibtex, csl-json and ris hold only the sources)"
        )
    chat = store.load(args.chat_id)
    note, sources = "", 0
    if args.format not in ("md", "json"):
        from pplx_tui.references import collect

        sources = len(collect(chat))
        if not sources:
            note = f"chat {chat.id} has no sources to export"
    # In pieces: a long chat is written without being joined in memory first.
    pieces = export_pieces(chat, args.format, reasoning=args.reasoning)
    if args.output in (None, "-"):
        from pplx_tui.cli.closed_streams import write_bytes

        write_bytes(pieces)
        if note:
            print(f"pplx: {note}", file=sys.stderr)
        return EXIT_OK
    try:
        write_export(args.output, pieces)
    except IsADirectoryError as error:  # what to write was named wrong, not a failed write
        raise UsageError(f"cannot write {shown_name(error.filename)}: {error.strerror}") from None
    except OSError as error:
        if error.filename is None:
            raise  # stdout's (see run)
        print(f"pplx: {file_failure_line(error, 'write')}", file=sys.stderr)
        return EXIT_FAILURE
    written = what_was_written(args.format, sources, f"chat {chat.id}")
    done = f"{note}; wrote an empty list to" if note else f"wrote {written} to"
    print(f"pplx: {done} {shown_name(args.output)}", file=sys.stderr)
    return EXIT_OK


def _import(store: ChatStore, args: argparse.Namespace) -> int:
    from pathlib import Path

    if not args.file:  # Path("") is the current folder
        raise UsageError("the file name to import is empty")
    if args.file == "-":  # as `export` writes to `-`: `export … | import -`
        from pplx_tui.store.export_reading import MAX_IMPORT_BYTES

        nothing = UsageError("nothing is piped in to import: pplx chats import - < FILE")
        if sys.stdin.isatty():
            raise nothing
        data = sys.stdin.buffer.read(MAX_IMPORT_BYTES + 1)
        if not data:  # an empty pipe, /dev/null, or stdin closed (<&-: see closed_streams)
            raise nothing
        imported = store.import_data(data, "stdin")
    else:
        imported = store.import_file(Path(args.file))
    chat, title = imported.chat, _quoted(imported.chat.title)
    print(chat.id)
    if imported.already_saved:
        note = f"already saved as chat {chat.id}: {title} (nothing imported)"
    elif imported.beside:
        note = (
            f"imported {title} as new chat {chat.id}, beside chat {imported.beside} "
            "(the same id with other messages)"
        )
    else:
        note = f"imported {title} as chat {chat.id}"
    print(f"pplx: {note}", file=sys.stderr)
    return EXIT_OK


def _delete(store: ChatStore, args: argparse.Namespace) -> int:
    from pplx_tui.cli.runs_command import cancel_waiting_runs
    from pplx_tui.runs import RUN_NEEDLE

    chat_ids = dict.fromkeys(store.resolve(chat_id) for chat_id in args.chat_id)  # all first
    for chat_id in chat_ids:
        with_runs = store.chat_holding(chat_id, RUN_NEEDLE)
        store.delete(chat_id)
        print(f"pplx: deleted chat {chat_id}", file=sys.stderr)
        if with_runs is not None:  # its background runs, if still going: as the app's delete
            cancel_waiting_runs(with_runs)
    return EXIT_OK


def _rename(store: ChatStore, args: argparse.Namespace) -> int:
    title = " ".join(args.title)
    if not title.strip():  # as in the app: an empty name is refused, not "the first question"
        raise UsageError("the new title is empty")
    from pplx_tui.sanitize import clean_line
    from pplx_tui.store.text import MAX_TITLE_LENGTH

    chat = store.rename(args.chat_id, title)
    cut = len(clean_line(title)) > MAX_TITLE_LENGTH  # as the store cuts it
    note = f" (cut to its first {MAX_TITLE_LENGTH} characters)" if cut else ""
    print(f"pplx: chat {chat.id} is now titled {_quoted(chat.title)}{note}", file=sys.stderr)
    return EXIT_OK


def _quoted(title: str) -> str:
    """A title in a message, as written (cleaned, as listed) between quotes: its repr doubled
    every backslash."""
    return f"'{shown_title(title)}'"


_ACTIONS = {
    "list": list_chats,
    "show": _show,
    "search": search_chats,
    "export": _export,
    "import": _import,
    "delete": _delete,
    "rename": _rename,
}
