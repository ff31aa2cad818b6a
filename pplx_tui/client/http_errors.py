"""Turn an HTTP error reply (or an in-band error event) into one typed, user-facing sentence.

Error bodies are JSON, HTML from a proxy, plain text or empty: nothing here assumes JSON.
An HTML page is never pasted into the message (at most its ``<title>``), and every message
passes through :func:`pplx_tui.client.errors.redact` so no key can leak.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from pplx_tui.client.errors import (
    AuthenticationError,
    ClientError,
    CreditsError,
    InvalidRequestError,
    NetworkError,
    RateLimitError,
    RetiredEndpointError,
    ServerError,
    redact,
)
from pplx_tui.providers import ProviderInfo
from pplx_tui.sanitize import clean_line

if TYPE_CHECKING:
    import httpx

RETIRED_START = "Perplexity retired Sonar chat completions on 2026-09-27 (the key itself is fine)"
"""How a refused retired endpoint's message begins, whoever words the rest."""
RETIRED_MESSAGE = (
    f"{RETIRED_START}: Perplexity's models now answer through the perplexity provider, "
    "which speaks the Agent API."
)
"""What the retired endpoint's error says (and a chat saves): the app adds the key that
acts on it (:mod:`pplx_tui.ui.widgets.answer_lines`)."""
RETIRED_FLAG_MESSAGE = f"{RETIRED_START}; use --provider perplexity, which speaks the Agent API."
"""The same, as ``pplx ask`` says it."""
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_MESSAGE_LIMIT = 300


def _payload(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None


def body_detail(body: bytes) -> tuple[str, str]:
    """``(message, type)`` from an error body: JSON ``error``/``detail``, an HTML title, text."""
    payload = _payload(body)
    if isinstance(payload, dict):
        return payload_detail(payload)
    stripped = body.strip()
    if stripped[:1] == b"<" or b"<html" in stripped[:512].lower():
        match = _TITLE.search(stripped[:4096])
        title = match.group(1).decode("utf-8", "replace") if match else ""
        return clean_line(title), ""
    if payload is not None:
        return "", ""
    return clean_line(stripped[:_MESSAGE_LIMIT].decode("utf-8", "replace")), ""


def payload_detail(payload: dict[str, Any]) -> tuple[str, str]:
    """``(message, type)`` from a decoded JSON error body or event."""
    error = payload.get("error", payload if "detail" not in payload else None)
    if isinstance(error, str):
        return clean_line(error), ""
    if isinstance(error, dict):
        message = error.get("message") or error.get("msg") or ""
        kind = error.get("type") or error.get("code") or ""
        if not isinstance(message, str):
            message = json.dumps(message)[:_MESSAGE_LIMIT]
        return clean_line(message), clean_line(kind) if isinstance(kind, str) else ""
    detail = payload.get("detail")
    if isinstance(detail, list):
        parts = []
        for item in detail[:3]:
            if isinstance(item, dict):
                where = ".".join(str(p) for p in item.get("loc", []) if p != "body")
                parts.append(f"{where}: {item.get('msg', '')}" if where else str(item.get("msg")))
        return clean_line("; ".join(parts)), "invalid_request"
    if isinstance(detail, str):
        return clean_line(detail), ""
    return "", ""


def _sentence(text: str) -> str:
    text = text.strip()
    if len(text) > _MESSAGE_LIMIT:
        text = text[: _MESSAGE_LIMIT - 1].rstrip() + "…"
    return text if not text or text[-1] in ".!?…" else text + "."


def _key_help(provider: ProviderInfo) -> str:
    if provider.key_help:
        return provider.key_help
    if provider.api_key_env:
        return f"Set {provider.api_key_env} (or add the key in the app with ctrl+k)."
    return "Add the key in the app with ctrl+k."


def missing_key_error(provider: ProviderInfo) -> AuthenticationError:
    return AuthenticationError(f"No API key for {provider.label}. {_key_help(provider)}")


def sendable_key(key: str) -> bool:
    """Whether ``key`` can go in a request header: printable ASCII without spaces (a pasted
    ``…`` or a Cyrillic letter cannot)."""
    return key.isascii() and key.isprintable() and " " not in key


def bad_key_error(provider: ProviderInfo) -> AuthenticationError:
    """The key holds characters no API key has (a pasted ``…``, a space, a line break)."""
    return AuthenticationError(
        f"The API key for {provider.label} contains characters an API key cannot have "
        f"(a space, a line break or a non-ASCII character such as '…'). {_key_help(provider)}"
    )


def is_retirement(status: int, message: str, kind: str) -> bool:
    lowered = message.lower()
    return status == 403 and (
        kind == "chat_completions_not_available"
        or "agent api" in lowered
        or "use /v1/responses" in lowered
    )


def error_for_status(
    status: int,
    body: bytes,
    provider: ProviderInfo,
    *,
    api_key: str | None = None,
    model: str | None = None,
) -> ClientError:
    """The typed error for an HTTP error reply, with one sentence a person can act on."""
    message, kind = body_detail(body)
    return _error(status, message, kind, provider, api_key=api_key, model=model)


def error_for_event(
    payload: dict[str, Any],
    provider: ProviderInfo,
    *,
    api_key: str | None = None,
    model: str | None = None,
) -> ClientError:
    """The typed error for an in-band ``error`` event (HTTP 200, stream already running)."""
    message, kind = payload_detail(payload)
    error = payload.get("error", payload)
    code = error.get("code") if isinstance(error, dict) else None
    status = code if isinstance(code, int) and 400 <= code < 600 else None
    if status is None and isinstance(code, str) and code.isascii() and code.isdigit():
        status = int(code)
    if status is not None and status < 500:
        return _error(status, message, kind, provider, api_key=api_key, model=model)
    text = f"{provider.label} reported an error mid-answer: {message or kind or 'no details'}"
    return ServerError(redact(_sentence(text), api_key), status=status)


def _error(
    status: int,
    message: str,
    kind: str,
    provider: ProviderInfo,
    *,
    api_key: str | None,
    model: str | None,
) -> ClientError:
    name = provider.label
    message = message.rstrip(".")
    # "(401: Invalid API key)", or "(502 Bad Gateway)" when the message starts with the code.
    tag = (
        f"({message})"
        if message.startswith(str(status))
        else (f"({status}: {message})" if message else f"({status})")
    )
    error: ClientError
    if status == 401:
        error = AuthenticationError(
            f"{name} rejected the API key {tag}. {_key_help(provider)}", status=status
        )
    elif is_retirement(status, message, kind):
        error = RetiredEndpointError(RETIRED_MESSAGE, status=status)
    elif status == 403:
        error = AuthenticationError(
            f"{name} refused the request {tag}; check the key's permissions.", status=status
        )
    elif status == 402:
        error = CreditsError(
            f"{name} says the account is out of credits {tag}; add credits and retry.",
            status=status,
        )
    elif status == 429:
        error = RateLimitError(
            f"{name} is rate limiting requests {tag}; wait a little and try again.",
            status=status,
        )
    elif status in (400, 404, 422) and _about_model(message, kind):
        what = f"model {model!r}" if model else "the model"
        error = InvalidRequestError(
            f"{name} does not accept {what} {tag}; list the models with `pplx models`.",
            status=status,
        )
    elif status == 404:
        error = InvalidRequestError(
            f"{name} has no such endpoint {tag}; check the base URL.", status=status
        )
    elif status in (408, 409):
        error = NetworkError(f"{name} timed out or conflicted {tag}; try again.", status=status)
    elif 400 <= status < 500:
        error = InvalidRequestError(f"{name} rejected the request {tag}.", status=status)
    else:
        error = ServerError(
            f"{name} had a server error {tag}; try again in a moment.", status=status
        )
    error.message = redact(_sentence(error.message), api_key)
    error.args = (error.message,)
    return error


_MODEL_PHRASES = (
    "invalid model",
    "unknown model",
    "model not found",
    "not a valid model",
    "no endpoints found",
    "model does not exist",
    "model_not_found",
)


def _about_model(message: str, kind: str) -> bool:
    lowered = message.lower()
    return kind in ("invalid_model", "model_not_found") or any(
        phrase in lowered for phrase in _MODEL_PHRASES
    )


def network_error(
    error: httpx.HTTPError, provider: ProviderInfo, base_url: str | None = None
) -> NetworkError:
    """A connection-level failure before the answer began."""
    import httpx  # here: the app's first frame imports this module, not httpx

    if isinstance(error, httpx.TimeoutException):
        what = "timed out"
    elif isinstance(error, httpx.ConnectError):
        what = "could not be reached"
    else:
        what = "dropped the connection"
    host = _host(base_url or provider.base_url)
    failure = NetworkError(f"{provider.label} ({host}) {what}; check your connection and retry.")
    failure.unsent = isinstance(error, (httpx.ConnectError, httpx.ConnectTimeout))
    return failure


def _host(url: str) -> str:
    """``host:port`` of ``url``: never a ``user:password@`` or a query it may carry."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port
    except ValueError:
        return "?"
    host = f"[{host}]" if ":" in host else host  # an IPv6 address keeps its brackets
    return clean_line(f"{host}:{port}" if port else host)
