"""Typed settings read from ``config.toml``; keys from the environment or the config.

The app writes only the settings it owns (a key typed into the TUI, the chosen theme and
model) through :func:`update_config`, which edits the file with tomlkit: the user's comments,
order and layout stay as they were. Files are written atomically and owner-only (0600).
Keys are :class:`~pydantic.SecretStr`: a printed or logged ``Settings`` shows ``**********``.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import math
import os
import sys
import tomllib
from pathlib import Path
from typing import Any, Literal, NoReturn, get_type_hints

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    create_model,
    field_validator,
)

from pplx_tui import paths
from pplx_tui.atomic import write_atomic
from pplx_tui.base_urls import base_url_fault, shown_url
from pplx_tui.config_errors import Place, explain, line_of, said_at, unknown_keys

# Re-exported (but asks_in_background): they need no pydantic, so `pplx ask` imports them
# from config_plain.
from pplx_tui.config_plain import (
    BACKGROUND_DEFAULT,
    ConfigError,
    api_key_for,
    asks_in_background,
    permission_warning,
    read_config,
)
from pplx_tui.config_values import BadValues, checked_sampling, checked_search
from pplx_tui.values import SamplingOptions, SearchSettings

__all__ = [
    "BACKGROUND_DEFAULT",
    "ConfigError",
    "LimitSettings",
    "ProviderSettings",
    "Settings",
    "api_key_for",
    "load_settings",
    "permission_warning",
    "settings_from",
    "update_config",
]


class ProviderSettings(BaseModel):
    """A ``[providers.NAME]`` table: settings for a built-in provider or a custom gateway."""

    model_config = ConfigDict(extra="forbid")

    base_url: str | None = None
    """Override the built-in base URL, or the URL of a custom OpenAI-compatible gateway."""
    api_key: SecretStr | None = None
    """A key typed into the TUI. An environment variable, when set, wins over it."""
    api_key_env: str | None = None
    """Environment variable that holds this provider's key."""
    models: list[str] = Field(default_factory=list)
    """Model ids a custom gateway offers (first is the default)."""
    label: str | None = None
    dialect: Literal["chat", "agent"] = "chat"
    """Wire format: OpenAI-style chat completions, or Perplexity's Agent API."""

    @field_validator("base_url")
    @classmethod
    def _usable_url(cls, url: str | None) -> str | None:
        """A URL no request can go to is the file's mistake, named with its line (it stopped
        the app at start, or came back as a lost connection)."""
        if url is not None and (fault := base_url_fault(url)):
            raise ValueError(f"the base URL {shown_url(url)} {fault}")
        return url


class LimitSettings(BaseModel):
    """The ``[limits]`` table: what one answer may cost (see ``pplx_tui.client.limits``).

    Reaching one ends the answer with one line; the partial answer is kept. 0 for a time
    means no limit of that kind.
    """

    model_config = ConfigDict(extra="forbid")

    max_line_mib: float = Field(default=16, gt=0, le=1024)
    """One SSE line or event, in MiB."""
    max_reply_mib: float = Field(default=512, gt=0, le=65536)
    """One reply's bytes after decompression, in MiB."""
    max_answer_chars: int = Field(default=2_000_000, gt=0)
    """Characters of one answer plus its reasoning."""
    idle_timeout: float = 900
    """Seconds without new content (keep-alives do not count)."""
    long_idle_timeout: float = 3600
    """The same for deep research and the high/xhigh presets."""
    deadline: float = 600
    """Seconds for a whole answer."""
    long_deadline: float = 0
    """Seconds for a whole deep-research (or high/xhigh preset) answer; 0: none."""

    @field_validator("idle_timeout", "long_idle_timeout", "deadline", "long_deadline")
    @classmethod
    def _seconds(cls, value: float, info: ValidationInfo) -> float:
        """A time as ``--deadline`` takes one: ``inf`` passed ``ge=0`` (no limit said as
        none, where 0 is), and ``nan`` was said to be below 0."""
        if not (math.isfinite(value) and value >= 0):
            raise ValueError(
                f"{info.field_name} must be a number of seconds, 0 or more (0: no limit)"
                f" (got {value:g})"
            )
        return value


class Settings(BaseModel):
    """Everything config.toml can hold. Every field is optional."""

    model_config = ConfigDict(extra="forbid")

    default_provider: str | None = None
    """Provider used when none is given; with no key anywhere the TUI uses ``demo``."""
    default_model: str | None = None
    """Model used when none is given (the provider's default otherwise)."""
    last_model: object = None
    """``"provider:model"`` last chosen in the TUI's picker (the app writes it), where the
    next ``pplx`` starts. Any value is read: the TUI ignores a bad one with a notice, and
    ``pplx ask`` never reads it."""
    system_prompt: str | None = None
    theme: str = "pplx-dark"
    search: SearchSettings = Field(default_factory=SearchSettings)
    """Search defaults for new questions (recency, domains, mode, context size…)."""
    sampling: SamplingOptions = Field(default_factory=SamplingOptions)
    keymap: dict[str, object] = Field(default_factory=dict)
    """Binding id → keys, e.g. ``"app.pick_model" = "ctrl+o"``. Any value is read: the TUI
    refuses one that is not text with a warning, as it does an unknown id (the binding keeps
    its default keys), and ``pplx ask`` never reads it."""
    providers: dict[str, ProviderSettings] = Field(default_factory=dict)
    background_models: list[str] = Field(default_factory=lambda: list(BACKGROUND_DEFAULT))
    """Agent API presets or model ids the app asks as background runs (they survive a
    restart); ``["*"]`` for every Agent API question, ``[]`` to always stream."""
    daily_budget_usd: float | None = Field(default=None, gt=0, allow_inf_nan=False)
    """Once today's reported spend passes this, the app asks before sending a question."""
    limits: LimitSettings = Field(default_factory=LimitSettings)
    demo_notice: bool = True
    """Whether the app says "No API key yet" on the demo; hiding that line sets it false."""

    def runs_in_background(self, dialect: str, model: str) -> bool:
        """Whether a question to ``model`` over ``dialect`` is asked as a background run."""
        return asks_in_background(self.background_models, dialect, model)


def load_settings() -> Settings:
    """Read config.toml (missing file = defaults). Raises :class:`ConfigError` when malformed.

    ``pplx ask`` first tries :func:`pplx_tui.config_plain.read_plain_settings` (no pydantic
    in the common case)."""
    path = paths.config_file()
    read = read_config(path)
    return Settings() if read is None else settings_from(path, *read)


def settings_from(path: Path, text: str, data: dict[str, Any]) -> Settings:
    """``data`` (read from ``path``, whose ``text`` it is) validated as :class:`Settings`;
    :class:`ConfigError` says which key of which table is wrong, and what would do, a line
    for each mistake (:func:`_refuse`).

    Every mistake is found in one reading: the values of the right kind are checked (ranges,
    domains, dates) also when others are of the wrong kind, which are left out of that check.
    Values must be of the kind the key takes (``strict``): ``temperature = "1.5"`` or
    ``related = "yes"`` is said, as ``temperature = "hot"`` is, not read as meant."""
    problems = unknown_keys(data, _known_keys())
    unknown = {place for place, _ in problems}
    usable = copy.deepcopy(data)
    try:
        _strict_settings().model_validate(data, strict=True)
    except ValidationError as error:
        for detail in error.errors():
            place, message = explain(detail, data)
            if not (detail["type"] == "extra_forbidden" and place in unknown):
                problems.append((place, message))
            _leave_out(usable, place)
    try:
        settings = Settings.model_validate(usable)
    except ValidationError:  # (not expected: every value refused was left out)
        _refuse(path, text, problems)
    # The values pplx ask's options check (a domain, a date, a temperature).
    for check, name in ((checked_search, "search"), (checked_sampling, "sampling")):
        try:
            setattr(settings, name, check(getattr(settings, name)))
        except BadValues as error:
            for fault in error.faults:
                table, _, key = fault.field.rpartition(".")
                place = (tuple(table.split(".")) if table else (), key)
                problems.append((place, said_at(place, str(fault))))
    if problems:
        _refuse(path, text, problems)
    return settings


@functools.cache
def _strict_settings() -> type[Settings]:
    """:class:`Settings` whose ``[search]`` and ``[sampling]`` are pydantic models (made from
    their dataclasses): validated with ``strict=True``, every value of the wrong kind is an
    error (a dataclass takes only its own instances in strict mode)."""
    tables: dict[str, Any] = {
        name: (table, Field(default_factory=table))
        for name, table in (
            ("search", _strict_table(SearchSettings)),
            ("sampling", _strict_table(SamplingOptions)),
        )
    }
    return create_model("StrictSettings", __base__=Settings, **tables)


def _strict_table(kind: type) -> type[BaseModel]:
    """A pydantic model with the fields of ``kind`` (a dataclass), no other key allowed."""
    hints = get_type_hints(kind)
    fields: dict[str, Any] = {
        field.name: (
            hints[field.name],
            Field(default_factory=field.default_factory)
            if field.default is dataclasses.MISSING
            else field.default,
        )
        for field in dataclasses.fields(kind)
    }
    return create_model(kind.__name__, __config__=ConfigDict(extra="forbid"), **fields)


def _leave_out(data: dict[str, Any], place: Place) -> None:
    """``data`` without the key at ``place`` (a value pydantic refused: its default is used
    instead, so that the values beside it can still be checked)."""
    table, key = place
    node: Any = data
    for part in table:
        node = node.get(part) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node.pop(key, None)


def _refuse(path: Path, text: str, problems: list[tuple[Place, str]]) -> NoReturn:
    """:class:`ConfigError` for ``problems``: ``PATH (line 4): MESSAGE`` for one; for more,
    ``PATH has 3 mistakes:`` then one line each, ``  line 4: MESSAGE``, in the file's order
    (the app's notice names the first few: :meth:`ConfigError.with_defaults`)."""
    lines = [(line_of(text, place), message) for place, message in problems]
    if len(lines) == 1:
        line, message = lines[0]
        raise ConfigError(f"{path}{f' (line {line})' if line else ''}: {message}")
    lines.sort(key=lambda item: item[0] or sys.maxsize)
    said = [f"  {f'line {n}: ' if n else ''}{message}" for n, message in lines]
    raise ConfigError("\n".join([f"{path} has {len(lines)} mistakes:", *said]))


def _known_keys() -> dict[tuple[str, ...], list[str]]:
    """The keys each table of config.toml takes (``[keymap]`` takes any binding id)."""
    return {
        (): list(Settings.model_fields),
        ("search",): [f.name for f in dataclasses.fields(SearchSettings)],
        ("sampling",): [f.name for f in dataclasses.fields(SamplingOptions)],
        ("limits",): list(LimitSettings.model_fields),
        ("providers", "*"): list(ProviderSettings.model_fields),
    }


def update_config(changes: dict[str, Any]) -> None:
    """Set dotted keys (``"providers.openrouter.api_key"``) in config.toml, keeping the rest.

    A value of ``None`` removes the key. Everything else in the file (comments, order, blank
    lines, other tables) is kept. The result is validated before it is written.
    """
    import tomlkit  # only when writing: the first frame and `pplx ask` need no TOML writer
    from tomlkit.exceptions import TOMLKitError

    from pplx_tui.config_layout import add_after_keys, remove_key, set_value, under_new_table

    path = paths.config_file()
    try:
        document = tomlkit.parse(path.read_bytes().decode("utf-8"))  # CRLF kept
    except FileNotFoundError:
        document = tomlkit.document()
    except (OSError, UnicodeDecodeError, TOMLKitError) as error:
        raise ConfigError(f"{path}: not changed, it cannot be read ({error})") from None
    except RecursionError:
        raise ConfigError(f"{path}: not changed, it is nested too deeply") from None
    newline = "\r\n" if "\r\n" in document.as_string() else "\n"
    for dotted, value in changes.items():
        *parents, leaf = dotted.split(".")
        table: Any = document
        new: tuple[Any, str] | None = None  # the first table added: (its parent, its name)
        for part in parents:
            if part not in table:
                table[part] = tomlkit.table()
                new = new or (table, part)
            table = table[part]
        if value is None:
            remove_key(table, leaf)
        elif isinstance(value, dict):
            table[leaf] = value
        elif leaf in table:
            set_value(table, leaf, value)
        else:
            add_after_keys(table if parents else document, leaf, value, newline)
        if new is not None:
            under_new_table(document, *new, newline)
    text = tomlkit.dumps(document)
    data = tomllib.loads(text)
    try:
        _strict_settings().model_validate(data, strict=True)
    except ValidationError as error:
        _place, message = explain(error.errors()[0], data)
        raise ConfigError(f"{path}: not changed: {message}") from None
    # Through a link (config.toml kept in a dotfiles folder): the file it names is replaced,
    # from a temporary beside it, and the link stays. Made folders: owner-only.
    write_atomic(Path(os.path.realpath(path)), text.encode("utf-8"), make_folders=True)
