"""Typed client errors, each carrying one sentence a person can act on and a CLI exit code.

Messages never contain an API key: they are built from the status, the provider's name and
the error body's message, which :func:`pplx_tui.client.errors` callers pass through
:func:`redact` first.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pplx_tui.redact import redact_known
from pplx_tui.redact import remember_secret as remember_secret  # the client's to call

if TYPE_CHECKING:
    from pplx_tui.values import ErrorKind


class ClientError(Exception):
    """Base class. ``str(error)`` is the user-facing sentence."""

    exit_code = 5
    retryable = False
    retry_after: str | None = None
    """The server's ``Retry-After`` header, when it sent one."""
    unsent = False
    """The request surely never reached the server (no connection was made)."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class AuthenticationError(ClientError):
    """Missing, wrong or revoked key (401), or a refused request (403)."""

    exit_code = 3


class RetiredEndpointError(ClientError):
    """Perplexity's Sonar chat-completions endpoint answered 403: it was retired on 2026-09-27.
    Not a bad key (exit 3): the request asked for what the provider no longer has, as an
    unknown model does (exit 2)."""

    exit_code = 2


class CreditsError(ClientError):
    """Out of credits or quota (402)."""

    exit_code = 4


class RateLimitError(ClientError):
    """Too many requests (429) after the retries ran out."""

    exit_code = 4
    retryable = True


class InvalidRequestError(ClientError):
    """The server rejected the request: unknown model, bad option (400, 404, 422)."""

    exit_code = 2


class ServerError(ClientError):
    """The provider failed (5xx, an in-band error event, a failed Agent API run)."""

    retryable = True


class NetworkError(ClientError):
    """Could not connect, or the connection failed before the answer began."""

    retryable = True


class StreamInterrupted(ClientError):
    """The connection ended mid-answer without a finish: the partial answer is all there is.

    ``reason`` is what happened; the message adds that the partial answer is kept, true where it
    is (the app's chat, a saved ``pplx ask``): ``pplx ask`` without ``--save`` says otherwise."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"{reason}; the partial answer is kept.")
        self.reason = reason


class ProtocolError(ClientError):
    """The server sent something that is not the expected stream."""


def error_kind(error: ClientError) -> ErrorKind:
    """Whose doing a failure was, as a saved answer and ``--json`` record it: the key's
    (``auth``), a limit's (``limit``) or the server's; so a failure is told from a stop."""
    return "auth" if error.exit_code == 3 else "limit" if error.exit_code == 4 else "server"


_CUT_SHORT = {
    "length": "it reached its length limit",
    "max_tokens": "it reached its length limit",
    "max_output_tokens": "it reached its length limit",
    "content_filter": "a content filter stopped it",
}
"""Finish reasons of an answer the provider ended before it was whole (the Agent API's
``response.incomplete`` is ``length``, or the reason it gives), and what the user is told."""


def cut_short(finish_reason: str | None, label: str) -> StreamInterrupted | None:
    """The error to end an answer with whose stream finished for ``finish_reason``, if that
    means the answer was cut short (QA: an answer cut at ``max_tokens`` was printed, saved and
    exported as whole, exit 0, where a background run cut so said it). The stream itself
    ended as it should: the answer is kept, marked as broken off, as after a dropped
    connection."""
    why = _CUT_SHORT.get((finish_reason or "").lower())
    if why is None:
        return None
    return StreamInterrupted(f"{label} ended the answer before it was whole: {why}")


def empty_answer(model: str) -> ServerError:
    """The error to end an answer with whose stream finished as it should but held no answer
    text (nothing but whitespace; a reasoning model's ``<think>`` part alone): QA saw one
    shown, printed and saved as a whole answer, exit 0. The provider failed to answer, as a
    5xx does: a server error (exit 5), worth asking again; what came (sources, usage) is kept."""
    return ServerError(f"{model} sent an empty answer.")


_KEY_PATTERN = re.compile(r"(pplx-|sk-or-v1-|sk-|gsk_)[A-Za-z0-9_\-]{8,}")
# A bearer token as RFC 6750 writes it (b64token); a full stop after it ends the sentence.
_BEARER_PATTERN = re.compile(r"(?i)(\bbearer\s+)([A-Za-z0-9._~+/-]*[A-Za-z0-9_~+/-]=*)")
_SECRET_SIGNS = re.compile(r"[0-9._~+/=]|.[A-Z]")


def _mask_bearer_token(match: re.Match[str]) -> str:
    """``Bearer ***`` where the word after "Bearer" looks like a token, not like a word of the
    sentence (``expected Bearer token``, ``Bearer auth``): six characters at least, holding a
    digit, a dot, an inner capital or base64's signs, or long enough to be one regardless."""
    token = match.group(2)
    looks_secret = len(token) >= 24 or (len(token) >= 6 and _SECRET_SIGNS.search(token))
    return match.group(1) + "***" if looks_secret else match.group()


def redact(text: str, *secrets: str | None) -> str:
    """Remove the given secrets, the keys in use and anything shaped like an API key."""
    text = redact_known(text, *secrets)
    text = _BEARER_PATTERN.sub(_mask_bearer_token, text)
    return _KEY_PATTERN.sub("***", text)
