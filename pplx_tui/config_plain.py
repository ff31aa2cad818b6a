"""config.toml read without pydantic, for ``pplx ask``: plain dataclasses in the common case.

Importing pydantic and building :class:`pplx_tui.config.Settings` was most of a short
``pplx ask``. :func:`read_plain_settings` checks the file itself and gives :class:`PlainSettings`
(the same fields, defaults and values as ``Settings``) whenever every value already has the
exact type and range ``Settings`` wants. Anything else (a string where a number goes, an
unknown key, a value out of range, a domain to normalise) gives ``None``: the caller loads
``Settings``, with its normalising and its error messages. The check only accepts what ``Settings``
accepts unchanged, so both ways give the same settings (``tests/test_config_plain.py``
holds the two side by side).

Reading the file, :class:`ConfigError`, the key lookup and the permission warning live here
too (``pplx_tui.config`` re-exports them): they need no pydantic either.
"""

from __future__ import annotations

import math
import os
import stat
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pplx_tui import paths
from pplx_tui.base_urls import base_url_fault
from pplx_tui.config_values import checked_sampling, checked_search
from pplx_tui.values import SamplingOptions, SearchSettings

T = TypeVar("T")

BACKGROUND_DEFAULT = ("high", "xhigh")
"""The Agent API presets that take minutes (deep research): run them in the background."""


SHOWN_MISTAKES = 5
"""config.toml's mistakes a notice in the app lists; the others are counted."""


class ConfigError(Exception):
    """config.toml could not be read; the message names the file, line and field."""

    def shortened(self, shown: int = SHOWN_MISTAKES, *, logged: bool = False) -> str:
        """The message with its first ``shown`` mistakes listed and the others counted ("and
        12 more mistakes"; ``logged``: "and 12 more mistakes — see pplx.log"): for a notice,
        the whole list is for stderr and the log."""
        first, *listed = str(self).split("\n")
        if len(listed) <= shown:
            return str(self)
        hidden = len(listed) - shown
        more = f"  and {hidden} more mistake{'' if hidden == 1 else 's'}"
        return "\n".join([first, *listed[:shown], more + (" — see pplx.log" if logged else "")])

    def with_defaults(self, shown: int | None = None) -> str:
        """The message, saying the default settings are used instead: after it where it is
        one line, on its first line where it lists mistakes (after the last, it read as part
        of that one). ``shown``: the mistakes listed, the others counted, in the log
        (:meth:`shortened`)."""
        text = str(self) if shown is None else self.shortened(shown, logged=True)
        first, _, rest = text.partition("\n")
        if not rest:
            return f"{first}; using the default settings"
        return f"{first.removesuffix(':')} (using the default settings):\n{rest}"


class PlainSecret:
    """A key from config.toml, shown as stars (as pydantic's ``SecretStr``)."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "PlainSecret('**********')"

    def __len__(self) -> int:
        return len(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlainSecret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(slots=True)
class PlainProvider:
    """``config.ProviderSettings`` as plain data."""

    base_url: str | None = None
    api_key: PlainSecret | None = None
    api_key_env: str | None = None
    models: list[str] = field(default_factory=list)
    label: str | None = None
    dialect: str = "chat"


@dataclass(slots=True)
class PlainLimits:
    """``config.LimitSettings`` as plain data."""

    max_line_mib: float = 16
    max_reply_mib: float = 512
    max_answer_chars: int = 2_000_000
    idle_timeout: float = 900
    long_idle_timeout: float = 3600
    deadline: float = 600
    long_deadline: float = 0


@dataclass(slots=True)
class PlainSettings:
    """``config.Settings`` as plain data."""

    default_provider: str | None = None
    default_model: str | None = None
    last_model: object = None
    system_prompt: str | None = None
    theme: str = "pplx-dark"
    search: SearchSettings = field(default_factory=SearchSettings)
    sampling: SamplingOptions = field(default_factory=SamplingOptions)
    keymap: dict[str, object] = field(default_factory=dict)
    providers: dict[str, PlainProvider] = field(default_factory=dict)
    background_models: list[str] = field(default_factory=lambda: list(BACKGROUND_DEFAULT))
    daily_budget_usd: float | None = None
    limits: PlainLimits = field(default_factory=PlainLimits)
    demo_notice: bool = True

    def runs_in_background(self, dialect: str, model: str) -> bool:
        """Whether a question to ``model`` over ``dialect`` is asked as a background run."""
        return asks_in_background(self.background_models, dialect, model)


def asks_in_background(background_models: list[str], dialect: str, model: str) -> bool:
    """``background_models`` (config.toml's) says ``model`` over ``dialect`` runs in the
    background: only Agent API questions can."""
    if dialect != "agent":
        return False
    return "*" in background_models or model in background_models


def read_config(path: Path) -> tuple[str, dict[str, Any]] | None:
    """config.toml's text and TOML data; ``None`` when there is no file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot be read ({error})") from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(toml_mistake(path, str(error))) from None
    except RecursionError:
        raise ConfigError(f"{path}: arrays or tables are nested too deeply") from None


def toml_mistake(path: Path, message: str) -> str:
    """tomllib's error in config.toml's terms, its line named as other mistakes name theirs:
    "Cannot declare ('sampling',) twice (at line 15, column 10)" is "PATH (line 15):
    [sampling] is declared twice"."""
    import ast
    import re

    where = str(path)
    if found := re.fullmatch(r"(.*) \(at (?:line (\d+), column \d+|end of document)\)", message):
        message = found[1]
        where += f" (line {found[2]})" if found[2] else " (at its end)"
    if declared := re.fullmatch(r"Cannot declare (\(.*\)) twice", message):
        try:
            table = ".".join(ast.literal_eval(declared[1]))
        except (ValueError, SyntaxError, TypeError):
            table = declared[1]
        return f"{where}: [{table}] is declared twice"
    if message == "Cannot overwrite a value":
        return f"{where}: a key is set twice"
    return f"{where}: not valid TOML ({message[:1].lower()}{message[1:]})"


def read_plain_settings() -> PlainSettings | None:
    """The settings of config.toml when the file is plainly valid (or absent); ``None`` when
    it needs ``pplx_tui.config.load_settings`` (pydantic's checks, normalising, errors).
    Raises :class:`ConfigError` for a file that cannot be read or is not TOML."""
    read = read_config(paths.config_file())
    return PlainSettings() if read is None else plain_settings(read[1])


def permission_warning() -> str | None:
    """A warning when config.toml (which may hold keys) is readable by other users."""
    path = paths.config_file()
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        return f"{path} is readable by other users; run: chmod 600 {path}"
    return None


def api_key_for(
    provider: str,
    settings: Any,
    env_var: str | None,
    environ: Mapping[str, str] | None = None,
) -> str | None:
    """The key for ``provider``: its environment variable first, then config.toml.
    ``settings``: a ``pplx_tui.config.Settings`` or a :class:`PlainSettings`."""
    environ = os.environ if environ is None else environ
    if name := key_variable(provider, settings, env_var, environ):
        return environ[name].strip()
    configured = settings.providers.get(provider)
    if configured and configured.api_key:
        return configured.api_key.get_secret_value().strip() or None
    return None


def key_variable(
    provider: str, settings: Any, env_var: str | None, environ: Mapping[str, str]
) -> str | None:
    """The environment variable ``provider``'s key comes from, if one is set: it wins over
    the key config.toml holds (:func:`api_key_for`)."""
    configured = settings.providers.get(provider)
    for name in (configured.api_key_env if configured else None, env_var):
        if name and environ.get(name, "").strip():
            return name
    return None


# -- the check: exact types only; anything else goes to pydantic ------------------------------


class _NotPlain(Exception):
    """A value the plain check does not vouch for."""


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise _NotPlain
    return value


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise _NotPlain
    return value


def _strings(value: object) -> list[str]:
    if not isinstance(value, list):
        raise _NotPlain
    return [_str(item) for item in value]


def _number(
    low: float | None = None, high: float | None = None, *, above: bool = False
) -> Callable[[object], float]:
    """A finite int or float (as float) in range; ``above``: strictly greater than ``low``."""

    def check(value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _NotPlain
        number = float(value)
        if not math.isfinite(number) or (high is not None and number > high):
            raise _NotPlain
        if low is not None and (number <= low if above else number < low):
            raise _NotPlain
        return number

    return check


def _int(low: int) -> Callable[[object], int]:
    def check(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise _NotPlain
        return value

    return check


def _one_of(*allowed: str) -> Callable[[object], str]:
    def check(value: object) -> str:
        if value not in allowed:
            raise _NotPlain
        return value  # type: ignore[return-value]

    return check


def _same(value: T, check: Callable[[T], T]) -> T:
    """``value`` if ``check`` keeps it as it is (a value to normalise or refuse: pydantic's
    way, whose error names the line)."""
    try:
        if check(value) == value:
            return value
    except ValueError:
        pass
    raise _NotPlain


def _table(value: object, checks: dict[str, Callable[[object], Any]]) -> dict[str, Any]:
    if not isinstance(value, dict) or not set(value) <= set(checks):
        raise _NotPlain
    return {name: checks[name](item) for name, item in value.items()}


_SEARCH = {
    "recency": _one_of("hour", "day", "week", "month", "year"),
    "domains": _strings,
    "mode": _one_of("web", "academic", "sec"),
    "context_size": _one_of("low", "medium", "high"),
    "after_date": _str,
    "before_date": _str,
    "return_images": _bool,
    "return_related_questions": _bool,
    "disable_search": _bool,
}
_SAMPLING = {
    "temperature": _number(),
    "top_p": _number(),
    "max_tokens": _int(-(2**63)),
    "stop": _strings,
    "presence_penalty": _number(),
    "frequency_penalty": _number(),
    "reasoning_effort": _one_of("minimal", "low", "medium", "high"),
}


def _url(value: object) -> str:
    """A base URL a request can go to (another: pydantic's error names its line)."""
    if base_url_fault(_str(value)):
        raise _NotPlain
    return value  # type: ignore[return-value]


_PROVIDER = {
    "base_url": _url,
    "api_key": lambda value: PlainSecret(_str(value)),
    "api_key_env": _str,
    "models": _strings,
    "label": _str,
    "dialect": _one_of("chat", "agent"),
}
_LIMITS = {
    "max_line_mib": _number(0, 1024, above=True),
    "max_reply_mib": _number(0, 65536, above=True),
    "max_answer_chars": _int(1),
    "idle_timeout": _number(0),
    "long_idle_timeout": _number(0),
    "deadline": _number(0),
    "long_deadline": _number(0),
}


def _providers(value: object) -> dict[str, PlainProvider]:
    if not isinstance(value, dict):
        raise _NotPlain
    return {_str(name): PlainProvider(**_table(item, _PROVIDER)) for name, item in value.items()}


def _keymap(value: object) -> dict[str, object]:
    """Any value under an id: the TUI checks it (ui.binding_ids)."""
    if not isinstance(value, dict):
        raise _NotPlain
    return {_str(name): keys for name, keys in value.items()}


_SETTINGS: dict[str, Callable[[object], Any]] = {
    "default_provider": _str,
    "default_model": _str,
    "last_model": lambda value: value,  # any value: the TUI checks it (ui.last_model)
    "system_prompt": _str,
    "theme": _str,
    "search": lambda value: _same(SearchSettings(**_table(value, _SEARCH)), checked_search),
    "sampling": lambda value: _same(SamplingOptions(**_table(value, _SAMPLING)), checked_sampling),
    "keymap": _keymap,
    "providers": _providers,
    "background_models": _strings,
    "daily_budget_usd": _number(0, above=True),
    "limits": lambda value: PlainLimits(**_table(value, _LIMITS)),
    "demo_notice": _bool,
}


def plain_settings(data: dict[str, Any]) -> PlainSettings | None:
    """``data`` (config.toml's) as :class:`PlainSettings`, or ``None`` when any value needs
    normalising or an error message (``Settings``')."""
    try:
        return PlainSettings(**_table(data, _SETTINGS))
    except _NotPlain:
        return None
