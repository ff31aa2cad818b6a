"""Choosing where a question goes and what is sent with it, for the CLI and the TUI alike.

:func:`resolve_target` picks provider, model and key from the command line, the config and the
environment; :func:`build_request` turns a chat's history plus a new question into a
:class:`~pplx_tui.client.request.ChatRequest`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pplx_tui.base_urls import base_url_fault, shown_url
from pplx_tui.client.http_errors import bad_key_error, sendable_key
from pplx_tui.client.limits import MIB, StreamLimits
from pplx_tui.client.request import ChatRequest, Turn
from pplx_tui.config_plain import api_key_for
from pplx_tui.providers import (
    Catalog,
    ModelInfo,
    PresetElsewhereError,
    ProviderInfo,
    UnknownProviderError,
)
from pplx_tui.sanitize import clean_line
from pplx_tui.values import SamplingOptions, SearchSettings

if TYPE_CHECKING:
    from pplx_tui.config_read import AnySettings
    from pplx_tui.models import Message

DEMO = "demo"
PERPLEXITY = "perplexity"
"""The provider that speaks the Agent API (its presets, and Sonar since chat completions went)."""


WAIT_NOTICE_VARIABLE = "PPLX_WAIT_NOTICE"
DEFAULT_WAIT_NOTICE = 10.0
"""Seconds without new content before "waiting for the server…" is said (app and ask)."""


def wait_notice_seconds() -> float | None:
    """``PPLX_WAIT_NOTICE`` (a bad value: the default; zero or less: ``None``, never say it)."""
    try:
        value = float(os.environ.get(WAIT_NOTICE_VARIABLE, DEFAULT_WAIT_NOTICE))
    except ValueError:
        return DEFAULT_WAIT_NOTICE
    return value if value > 0 else None


class TargetError(Exception):
    """The provider, model or key cannot be used; ``exit_code`` follows the CLI contract."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True, slots=True)
class Target:
    """Where questions go: a provider, one of its models, and the key to use."""

    provider: ProviderInfo
    model: ModelInfo
    api_key: str | None = field(repr=False)
    base_url: str | None = None
    notices: tuple[str, ...] = ()

    @property
    def needs_key(self) -> bool:
        """No key, or one no request can carry (a pasted ``…``): either way nothing is asked."""
        return self.provider.dialect != DEMO and not (self.api_key and sendable_key(self.api_key))

    @property
    def finds_no_sources(self) -> bool:
        """Whether its answers come without sources: a chat-completions model the catalog lists
        as not searching the web (Groq's Llama). A model it does not know may search (a
        gateway's, listed there or not), and the Agent API gives every model its web search
        tool."""
        listed = self.provider.model(self.model.id) is not None
        return self.provider.dialect == "chat" and listed and self.model.web_search is False

    def goes_to(self) -> str:
        """ "Next questions go to MODEL on PROVIDER.", and that it does not search where so."""
        said = f"Next questions go to {self.model.id} on {self.provider.name}"
        if self.finds_no_sources:
            said += " (it does not search the web: answers come without sources)"
        return said + "."


def key_for(
    provider: ProviderInfo, settings: AnySettings, environ: Mapping[str, str]
) -> str | None:
    if provider.dialect == DEMO:
        return None
    return api_key_for(provider.name, settings, provider.api_key_env, environ)


DEMO_HINT = " Or try the offline demo with --demo."
"""How a message about a missing key ends (``pplx ask --background`` drops it: the demo has no
background runs)."""


def no_key_message(provider: ProviderInfo) -> str:
    how = provider.key_help or f"set {provider.api_key_env}"
    return f"no API key for {provider.name}. {how}{DEMO_HINT}"


def first_provider_with_key(
    catalog: Catalog, settings: AnySettings, environ: Mapping[str, str], *, sendable: bool = False
) -> ProviderInfo | None:
    """The first provider of the catalog (its order) that has a key; with ``sendable``, a key
    a request can carry (:func:`~pplx_tui.client.http_errors.sendable_key`)."""
    for provider in catalog.providers.values():
        key = key_for(provider, settings, environ)
        if provider.dialect != DEMO and key and (sendable_key(key) or not sendable):
            return provider
    return None


def bad_key_notice(
    catalog: Catalog, settings: AnySettings, environ: Mapping[str, str]
) -> str | None:
    """The client's error for the first provider whose key no request can carry (a pasted
    ``…``), said as the app starts rather than at the first question; ``None`` if none."""
    for provider in catalog.providers.values():
        key = key_for(provider, settings, environ)
        if provider.dialect != DEMO and key and not sendable_key(key):
            return clean_line(str(bad_key_error(provider)))
    return None


_KEY_VARIABLES = "PERPLEXITY_API_KEY / OPENROUTER_API_KEY / GROQ_API_KEY"
NO_KEY_NOTICE = (
    f"No API key yet: you are on the offline demo. Press ctrl+k to add a key, or set "
    f"{_KEY_VARIABLES}."
)
"""What the TUI says when it falls back to the demo (a user can hide it for good)."""
_NO_KEY_START = "No API key yet: "


def is_no_key_notice(notice: str) -> bool:
    """Whether ``notice`` says the app is on the demo for want of a key (:data:`NO_KEY_NOTICE`,
    or :func:`no_key_waiting_notice`)."""
    return notice.startswith(_NO_KEY_START)


def no_key_waiting_notice(catalog: Catalog, model: str) -> str:
    """:data:`NO_KEY_NOTICE` and :func:`needs_key_notice` in one line: said one after the
    other they took four rows at 80 columns."""
    shown, where = _waiting(catalog, model)
    return (
        f"{_NO_KEY_START}on the offline demo; config.toml's default_model {shown!r} needs "
        f"{where}. Add one with ctrl+k, or set {_KEY_VARIABLES}."
    )


def no_key_provider_notice(provider: ProviderInfo) -> str:
    """:data:`NO_KEY_NOTICE` for config.toml's ``default_provider`` without a key (the app
    starts on the demo meanwhile), in one line as :func:`no_key_waiting_notice`."""
    variable = f", or set {provider.api_key_env}" if provider.api_key_env else ""
    return (
        f"{_NO_KEY_START}on the offline demo; config.toml's default_provider "
        f"{clean_line(provider.name)[:60]!r} needs a key. Add one with ctrl+k{variable}."
    )


def provider_needs_key_notice(provider: ProviderInfo) -> str:
    """:func:`no_key_provider_notice` once the no-key line is hidden for good."""
    shown = clean_line(provider.name)[:60]
    return f"default_provider {shown!r} in config.toml needs a key: add one with ctrl+k."


def named_provider_needs_key_notice(provider: ProviderInfo) -> str:
    """What the app says as it starts on a provider named for it (``--provider``) that has no
    key: it stays there, and said now rather than by the first question's failure."""
    variable = f", or set {provider.api_key_env}" if provider.api_key_env else ""
    return f"{clean_line(provider.label)[:60]} has no key: add one with ctrl+k{variable}."


def _listed_on(catalog: Catalog, provider: ProviderInfo, model: str) -> bool:
    """Whether ``provider``'s list holds ``model`` (by its id, or its name without the vendor);
    not a provider that passes any id on, or maps an old one to another model."""
    try:
        resolved = catalog.resolve_model(provider.name, model)
    except LookupError:
        return False
    return not resolved.notice and provider.model(resolved.model.id) is not None


def needs_key_notice(catalog: Catalog, model: str) -> str:
    """What the app says when config.toml's ``default_model`` waits for a key (it starts on
    the demo meanwhile), naming the provider that lists it; "with ctrl+k": the app names the
    key in force."""
    shown, where = _waiting(catalog, model)
    return f"default_model {shown!r} in config.toml needs {where}: add one with ctrl+k."


def _waiting(catalog: Catalog, model: str) -> tuple[str, str]:
    """``model`` as a notice shows it, and the key it waits for ("a key for OpenRouter")."""
    listed = [p.label for p in catalog.providers.values() if _listed_on(catalog, p, model)]
    return clean_line(model)[:60], f"a key for {listed[0]}" if listed else "an API key"


def demo_gives_way(chat_provider: str | None, in_use: Target) -> bool:
    """Whether a saved chat asked of ``chat_provider`` goes on with ``in_use`` instead: one
    asked on the offline demo goes on with a real provider in use (the demo stood in for a key
    the user has since added). The app's chat list, ``pplx --chat`` and ``pplx ask --chat``
    decide alike."""
    return chat_provider == DEMO and in_use.provider.dialect != DEMO


def resolve_target(
    settings: AnySettings,
    catalog: Catalog,
    *,
    provider: str | None = None,
    model: str | None = None,
    base_url: str | None = None,
    demo: bool = False,
    require_key: bool = True,
) -> Target:
    """Pick provider, model and key.

    With no provider named anywhere, the first provider that has a key is used; with no key at
    all, ``require_key=False`` (the TUI) falls back to the demo provider with a notice, while
    ``require_key=True`` (``pplx ask``) raises a :class:`TargetError` with exit code 3. So does
    config.toml's ``default_provider`` when no key is there at all and nothing is named.
    """
    notices: list[str] = []
    configured = None if demo else settings.default_model
    name = DEMO if demo else provider or settings.default_provider
    # The app does not start on a key no request can carry: as if it were missing, and said.
    bad_key = None if require_key else bad_key_notice(catalog, settings, os.environ)
    if name is None:
        found = first_provider_with_key(catalog, settings, os.environ, sendable=not require_key)
        if found is not None:
            name = found.name
            if bad_key:  # another provider's: said now, not when it is picked and asked
                notices.append(bad_key)
        elif require_key:
            raise TargetError(
                "no API key found. Set PERPLEXITY_API_KEY or OPENROUTER_API_KEY (or GROQ_API_KEY)."
                + DEMO_HINT,
                3,
            )
        else:
            name = DEMO
            if bad_key:
                notices.append(bad_key)
                if configured and not _listed_on(catalog, catalog.provider(DEMO), configured):
                    configured = None  # it waits for a key that can be sent: the demo's own
            elif configured and not _listed_on(catalog, catalog.provider(DEMO), configured):
                # One line; without the no-key one, hidden for good, the model's own.
                waits = no_key_waiting_notice if settings.demo_notice else needs_key_notice
                notices.append(waits(catalog, configured))
                configured = None  # it waits for a key: the demo's own default meanwhile
            else:
                notices.append(NO_KEY_NOTICE)
    try:
        chosen = catalog.provider(name)
    except UnknownProviderError as error:
        raise TargetError(str(error) + _from_config(provider, "default_provider"), 2) from None
    if (
        not (require_key or demo or provider or model)
        and chosen.dialect != DEMO
        and first_provider_with_key(catalog, settings, os.environ, sendable=True) is None
    ):
        # It waits for a key, as a default_model does: the demo meanwhile, said in one line.
        waits = no_key_provider_notice if settings.demo_notice else provider_needs_key_notice
        unsent = key_for(chosen, settings, os.environ)  # there, but no request can carry it
        notices.append(clean_line(str(bad_key_error(chosen))) if unsent else waits(chosen))
        chosen, configured = catalog.provider(DEMO), None
    typed_model = model
    if model is None and settings.default_provider in (None, chosen.name):
        model = configured
    try:
        resolved = catalog.resolve_model(chosen.name, model)
    except PresetElsewhereError as error:
        where = _from_config(typed_model, "default_model")
        raise TargetError(
            str(error.args[0]) + where + _preset_advice(catalog, settings), 2
        ) from None
    except LookupError as error:
        where = _from_config(typed_model, "default_model")
        raise TargetError(str(error.args[0]) + where, 2) from None
    if resolved.notice:
        notices.append(resolved.notice)
    if chosen.dialect == DEMO and chosen.config_note:  # config.toml's base_url, not used
        notices.append(chosen.config_note)
    if chosen.dialect == DEMO and base_url:  # (it was ignored without a word)
        notices.append(f"--base-url {base_url} is not used: the demo answers offline")
    if chosen.dialect != DEMO and (problem := base_url_problem(base_url or chosen.base_url)):
        raise TargetError(problem, 2)
    key = key_for(chosen, settings, os.environ)
    if require_key and chosen.dialect != DEMO and not key:
        raise TargetError(no_key_message(chosen), 3)
    if not require_key and key and not sendable_key(key):  # named: kept, as one without a key
        notices.append(clean_line(str(bad_key_error(chosen))))
    elif not (key or provider or demo) and chosen.name == settings.default_provider:
        # Another provider has a key (else the demo stands in, above): the file's choice is
        # kept, and said before a first question fails for want of its key.
        notices.append(
            f"config.toml's default_provider {clean_line(chosen.name)[:60]!r} has no key: "
            "add one with ctrl+k, or pick a model of a provider that has one."
        )
    elif not key and provider and chosen.dialect != DEMO:  # named (no key: the app, here)
        notices.append(named_provider_needs_key_notice(chosen))
    return Target(chosen, resolved.model, key, base_url, tuple(notices))


def _preset_advice(catalog: Catalog, settings: AnySettings) -> str:
    """How to ask an Agent API preset: the ``perplexity`` provider, and its key where none is
    set (QA: "set PERPLEXITY_API_KEY" was said with the variable set)."""
    perplexity = catalog.providers.get(PERPLEXITY)
    if perplexity is None or key_for(perplexity, settings, os.environ):
        return f": pass --provider {PERPLEXITY}"
    variable = perplexity.api_key_env or "its API key"
    return f": set {variable} and pass --provider {PERPLEXITY}"


def _from_config(typed: str | None, setting: str) -> str:
    """Where a name nobody typed came from, for its error (a bad one in config.toml was
    reported as if the command line had named it)."""
    return "" if typed else f" ({setting} in config.toml)"


def base_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a provider's base URL (``None``: it can)."""
    if fault := base_url_fault(url):
        return f"the base URL {shown_url(url)} (--base-url or base_url in config.toml) {fault}"
    return None


HISTORY_CHARS = 1_000_000
"""Context a question carries at most (~250,000 tokens, more than any model here reads): a
chat of hundreds of megabytes would otherwise be sent whole, and refused."""


def history_turns(messages: Sequence[Message]) -> list[Turn]:
    """Earlier messages as context: each question with its answer, if the answer has any
    text (one that broke off keeps its part); of a long chat the latest, up to
    :data:`HISTORY_CHARS` characters, starting with a question.

    A question whose answer failed before any text is left out when another question
    follows: sent, the two would be merged into one turn, and the model would answer both."""
    turns: list[Turn] = []
    for message in messages:
        if message.role == "user":
            if turns and turns[-1].role == "user":
                turns.pop()
            turns.append(Turn("user", message.content))
        elif message.content.strip():
            turns.append(Turn("assistant", message.content))
    start, total = len(turns), 0
    while start > 0 and total + len(turns[start - 1].content) <= HISTORY_CHARS:
        start -= 1
        total += len(turns[start].content)
    while start < len(turns) and turns[start].role != "user":
        start += 1
    return turns[start:]


def build_request(
    history: Sequence[Message],
    question: str,
    model_id: str,
    *,
    system_prompt: str | None = None,
    search: SearchSettings | None = None,
    sampling: SamplingOptions | None = None,
) -> ChatRequest:
    """The request for ``question`` with the chat's earlier messages as context."""
    turns = history_turns(history)
    if turns and turns[-1].role == "user":
        turns.pop()  # its answer failed before any text: ``question`` follows it
    turns.append(Turn("user", question))
    return ChatRequest(
        model=model_id,
        turns=tuple(turns),
        system_prompt=system_prompt,
        search=search or SearchSettings(),
        sampling=sampling or SamplingOptions(),
    )


def stream_limits(
    settings: AnySettings,
    *,
    idle_timeout: float | None = None,
    deadline: float | None = None,
    flags: bool = False,
) -> StreamLimits:
    """The limits of config.toml's ``[limits]``; ``pplx ask`` options win for that run
    (and then apply to every model, deep research included). 0 means no limit. ``flags``:
    the front end takes those options, so a limit's message names them too."""
    table = settings.limits
    return StreamLimits(
        max_line_bytes=int(table.max_line_mib * MIB),
        max_body_bytes=int(table.max_reply_mib * MIB),
        max_answer_chars=table.max_answer_chars,
        idle_timeout=(table.idle_timeout if idle_timeout is None else idle_timeout) or None,
        long_idle_timeout=(table.long_idle_timeout if idle_timeout is None else idle_timeout)
        or None,
        deadline=(table.deadline if deadline is None else deadline) or None,
        long_deadline=(table.long_deadline if deadline is None else deadline) or None,
        flags=flags,
    )
