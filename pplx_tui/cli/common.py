"""Options shared by the TUI and ``pplx ask``, their validation, and the exit codes.

Every option is checked here so that bad input exits 2 with one line saying what is
accepted, before any network traffic.
"""

from __future__ import annotations

import argparse
import errno
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from pplx_tui.values import MAX_STOPS, MAX_TOKENS

if TYPE_CHECKING:
    from collections.abc import Callable

    from pplx_tui.values import SamplingOptions, SearchSettings

EXIT_OK = 0
EXIT_FAILURE = 1
"""A file could not be written (a chat, an export, a closed output pipe)."""
EXIT_USAGE = 2
EXIT_NETWORK = 5
EXIT_INTERRUPTED = 130
EXIT_CODES = (
    "Exit codes: 0 ok, 1 the chat could not be saved (or the chats folder read) or stdout "
    "was closed, 2 usage or a request the provider cannot take (an unknown model, the retired "
    "Sonar chat completions), "
    "3 authentication/permission, 4 rate limit or credits, 5 network/server/protocol, "
    "130 interrupted (Ctrl-C, SIGTERM, SIGHUP)."
)

OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
"""What writing stdout into a file can fail with (a full disk or quota under ``>``): with no
file name on the error (the store's and the exports' errors name their file), it was stdout."""

RECENCIES = ("hour", "day", "week", "month", "year")
MODES = ("web", "academic", "sec")
CONTEXT_SIZES = ("low", "medium", "high")


class UsageError(Exception):
    """Bad command-line input; the message says what is accepted. Exit code 2."""


class FileFailure(Exception):
    """A chat file (or the chats folder) could not be read or written: one line saying which
    and why (:func:`file_failure_line`). Exit code 1."""


def file_failure_line(error: OSError, doing: str = "write or read") -> str:
    """``cannot write or read FILE: Permission denied`` (``doing``: what could not be done),
    the file named as :func:`~pplx_tui.sanitize.shown_name` names it."""
    from pplx_tui.sanitize import shown_name

    where = f" {shown_name(error.filename)}" if error.filename else ""
    return f"cannot {doing}{where}: {error.strerror or error}"


_OWN_STARTS = ("The ", "No ", "Stopped ")
"""How the client's own sentences begin (written for the app's notices, which keep them);
a sentence that begins with a name (``OpenRouter …``, ``API …``) keeps its capital."""


def stderr_line(text: object) -> str:
    """``pplx: TEXT``, its first letter lower-case as every other such line
    (``pplx: the connection to … ended``) when the sentence is the app's own."""
    line = str(text)
    if line.startswith(_OWN_STARTS):
        line = line[0].lower() + line[1:]
    return f"pplx: {line}"


def _choice(name: str, allowed: tuple[str, ...]) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value.lower() in allowed:
            return value.lower()
        raise argparse.ArgumentTypeError(
            f"{name} must be one of {', '.join(allowed)} (got {value!r})"
        )

    return parse


def _domain(value: str) -> str:
    from pplx_tui.search_input import parse_domain

    try:
        return parse_domain(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _date(value: str) -> str:
    from pplx_tui.search_input import parse_date

    try:
        return parse_date(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def given(name: str, where: str) -> Callable[[str], str]:
    """A value that is not empty (``--chat "$ID"`` with ``$ID`` unset is no chat at all)."""

    def parse(value: str) -> str:
        if not value.strip():
            raise argparse.ArgumentTypeError(f"{name} is empty ({where})")
        return value

    return parse


def _base_url(value: str) -> str:
    from pplx_tui.sanitize import is_web_url

    cleaned = value.strip()
    try:
        valid = is_web_url(cleaned) and urlsplit(cleaned).port != 0
    except ValueError:  # a port out of range
        valid = False
    if not valid or any(ch.isspace() or not ch.isprintable() for ch in cleaned):
        raise argparse.ArgumentTypeError(
            "base-url must be an http:// or https:// URL such as "
            f"https://openrouter.ai/api/v1 (got {value!r})"
        )
    return cleaned


def _bounded_float(name: str, low: float, high: float) -> Callable[[str], float]:
    def parse(value: str) -> float:
        try:
            number = float(value)
        except ValueError:
            number = float("nan")
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(
                f"{name} must be a number from {low:g} to {high:g} (got {value!r})"
            )
        return number

    return parse


def _max_tokens(value: str) -> int:
    if not (value.isascii() and value.isdigit()) or not 16 <= int(value) <= MAX_TOKENS:
        raise argparse.ArgumentTypeError(
            f"max-tokens must be a whole number from 16 to {MAX_TOKENS} (got {value!r})"
        )
    return int(value)


def _stop(value: str) -> str:
    """A stop sequence; whitespace is one (``--stop $'\\n'``), nothing is not."""
    if not value:
        raise argparse.ArgumentTypeError(
            "stop is empty (a stop sequence is text such as '###' the answer ends before)"
        )
    return value


def add_shared_options(parser: argparse.ArgumentParser, *, suppress: bool = False) -> None:
    """Add the options common to the TUI and ``ask``.

    ``suppress`` leaves unset options out of the namespace, so a sub-command's parser does not
    overwrite what the top-level parser already read.
    """
    default: Any = argparse.SUPPRESS if suppress else None
    many: Any = argparse.SUPPRESS if suppress else []
    flag: Any = argparse.SUPPRESS if suppress else False
    add = parser.add_argument
    add("--demo", action="store_true", default=flag, help="use the offline demo provider")
    add(
        "--provider",
        type=given("provider", "see `pplx models`"),
        default=default,
        metavar="NAME",
        help="perplexity, openrouter, groq, demo…",
    )
    add(
        "--model",
        type=given("model", "see `pplx models`"),
        default=default,
        metavar="ID",
        help="model id (see `pplx models`)",
    )
    add(
        "--base-url",
        type=_base_url,
        default=default,
        metavar="URL",
        help="override the provider's base URL",
    )
    add(
        "--chat",
        type=given("chat", "a chat id from `pplx chats list`"),
        default=default,
        metavar="ID",
        help="continue a saved chat",
    )
    add("--system", default=default, metavar="TEXT", help="system prompt")
    search = parser.add_argument_group("search")
    search.add_argument(
        "--recency",
        type=_choice("recency", RECENCIES),
        default=default,
        metavar="WHEN",
        help="hour, day, week, month or year",
    )
    search.add_argument(
        "--domain",
        "-d",
        dest="domains",
        action="append",
        type=_domain,
        default=many,
        metavar="D",
        help="search only this domain, top-level domain (.gov) or section (nature.com/articles);"
        " repeatable",
    )
    search.add_argument(
        "-D",
        "--exclude-domain",
        dest="excluded_domains",
        action="append",
        type=_domain,
        default=many,
        metavar="D",
        help="never search this domain (repeatable; not with --domain)",
    )
    search.add_argument(
        "--mode", type=_choice("mode", MODES), default=default, help="web, academic or sec"
    )
    search.add_argument(
        "--context-size",
        type=_choice("context-size", CONTEXT_SIZES),
        default=default,
        metavar="SIZE",
        help="low, medium or high",
    )
    search.add_argument(
        "--after",
        type=_date,
        default=default,
        metavar="MM/DD/YYYY",
        help="only sources published after this date",
    )
    search.add_argument(
        "--before",
        type=_date,
        default=default,
        metavar="MM/DD/YYYY",
        help="only sources published before this date",
    )
    search.add_argument(
        "--no-search",
        dest="disable_search",
        action="store_true",
        default=flag,
        help="answer without searching the web",
    )
    search.add_argument(
        "--images",
        action="store_true",
        default=flag,
        help="ask for images (chat-completions providers)",
    )
    search.add_argument(
        "--related",
        action="store_true",
        default=flag,
        help="ask for related questions (chat-completions providers)",
    )
    sampling = parser.add_argument_group("sampling")
    sampling.add_argument(
        "--temperature",
        type=_bounded_float("temperature", 0, 2),
        default=default,
        metavar="X",
        help="0 to 2: higher is more varied",
    )
    sampling.add_argument(
        "--top-p",
        type=_bounded_float("top-p", 0, 1),
        default=default,
        metavar="X",
        help="0 to 1: sample from the likeliest words only (nucleus sampling)",
    )
    sampling.add_argument(
        "--max-tokens",
        type=_max_tokens,
        default=default,
        metavar="N",
        help=f"at most N tokens of answer (16 to {MAX_TOKENS:,})",
    )
    sampling.add_argument(
        "--stop",
        action="append",
        type=_stop,
        default=many,
        metavar="TEXT",
        help=f"stop sequence (repeatable, up to {MAX_STOPS})",
    )
    sampling.add_argument(
        "--presence-penalty",
        type=_bounded_float("presence-penalty", -2, 2),
        default=default,
        metavar="X",
        help="-2 to 2: above 0, new topics over ones already in the answer",
    )
    sampling.add_argument(
        "--frequency-penalty",
        type=_bounded_float("frequency-penalty", -2, 2),
        default=default,
        metavar="X",
        help="-2 to 2: above 0, fewer repeated words",
    )
    sampling.add_argument(
        "--reasoning-effort",
        type=_choice("reasoning-effort", ("minimal", "low", "medium", "high")),
        default=default,
        metavar="E",
        help="minimal, low, medium or high",
    )


def option(args: argparse.Namespace, name: str) -> Any:
    """The option ``name``, or ``None`` where the command has no such option."""
    return getattr(args, name, None)


def check_demo(args: argparse.Namespace) -> None:
    """``--demo`` with ``--provider`` naming another provider: refused (the demo was asked,
    without a word); raises ``UsageError``."""
    from pplx_tui.sanitize import clean_line

    provider = option(args, "provider")
    if option(args, "demo") and provider and provider.strip().lower() != "demo":
        raise UsageError(
            f"--demo and --provider {clean_line(provider)} name two providers; drop one"
        )


def search_settings_from(
    args: argparse.Namespace, base: SearchSettings | None = None
) -> SearchSettings:
    """Search settings: ``base`` (config or chat) overridden by what the command line gives."""
    from pplx_tui.search_input import check_domain_kinds
    from pplx_tui.values import SearchSettings

    settings = (base or SearchSettings()).model_copy(deep=True)
    if (recency := option(args, "recency")) and (option(args, "after") or option(args, "before")):
        raise UsageError("--recency cannot be combined with --after/--before; use one or the other")
    # Each once: `--domain a.com --domain A.COM` is one domain (parse_domain lower-cased it).
    domains = list(
        dict.fromkeys(
            list(option(args, "domains") or [])
            + ["-" + d.lstrip("-") for d in option(args, "excluded_domains") or []]
        )
    )
    if len(domains) > 20:
        raise UsageError("at most 20 domains can be given with --domain/-D")
    try:
        check_domain_kinds(domains)
    except ValueError as error:
        raise UsageError(str(error)) from None
    updates: dict[str, Any] = {
        "recency": recency,
        "mode": option(args, "mode"),
        "context_size": option(args, "context_size"),
        "after_date": option(args, "after"),
        "before_date": option(args, "before"),
    }
    for name, value in updates.items():
        if value is not None:
            setattr(settings, name, value)
    if settings.after_date and settings.before_date:
        from pplx_tui.search_input import check_date_range

        try:
            check_date_range(settings.after_date, settings.before_date)
        except ValueError:
            raise UsageError(
                f"--after {settings.after_date} is later than --before {settings.before_date};"
                " no page can match"
            ) from None
    if domains:
        settings.domains = domains
    if option(args, "disable_search"):
        settings.disable_search = True
    if option(args, "images"):
        settings.return_images = True
    if option(args, "related"):
        settings.return_related_questions = True
    return settings


def sampling_from(args: argparse.Namespace, base: SamplingOptions | None = None) -> SamplingOptions:
    """Sampling options: ``base`` overridden by the command line."""
    from pplx_tui.values import SamplingOptions

    sampling = (base or SamplingOptions()).model_copy(deep=True)
    for name in (
        "temperature",
        "top_p",
        "max_tokens",
        "presence_penalty",
        "frequency_penalty",
        "reasoning_effort",
    ):
        if (value := option(args, name)) is not None:
            setattr(sampling, name, value)
    if stops := option(args, "stop"):
        if len(stops) > MAX_STOPS:
            raise UsageError(
                f"at most {MAX_STOPS} stop sequences can be given with --stop (got {len(stops)})"
            )
        sampling.stop = list(stops)
    return sampling
