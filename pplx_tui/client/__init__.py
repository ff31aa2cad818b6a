"""The async streaming client: requests, SSE parsing, typed events and errors, the demo.

``make_client(provider, key).stream(request)`` yields :mod:`pplx_tui.client.events` objects;
:class:`AnswerBuilder` folds them into a :class:`~pplx_tui.models.Message`. Failures are raised
as :class:`ClientError` subclasses whose ``str()`` is one sentence for the user.

The heavy parts (httpx) are imported on first use, so ``import pplx_tui.client.errors`` stays
cheap for start-up paths such as logging.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from pplx_tui.client.errors import (
    AuthenticationError,
    ClientError,
    CreditsError,
    InvalidRequestError,
    NetworkError,
    ProtocolError,
    RateLimitError,
    RetiredEndpointError,
    ServerError,
    StreamInterrupted,
)
from pplx_tui.client.events import (
    Done,
    ImagesUpdate,
    KeepAlive,
    ReasoningDelta,
    RelatedQuestions,
    SearchNotSent,
    SearchProgress,
    SourcesUpdate,
    StreamEvent,
    TextDelta,
    UsageUpdate,
)
from pplx_tui.client.request import ChatRequest, Turn

# ``import httpx`` also imports httpx's own command-line tool (``httpx._main``: click, rich
# consoles, pygments lexers; ~0.15 CPU s here) whenever click happens to be installed. We never
# run that tool, so its module is marked absent and httpx defines a stub ``main`` instead. Every
# module that imports httpx lives in this package, so this line runs before the first of them
# (none of the imports above imports httpx).
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

if TYPE_CHECKING:
    from pplx_tui.client.answer import AnswerBuilder
    from pplx_tui.client.chat_client import ChatClient
    from pplx_tui.client.demo import DemoTransport
    from pplx_tui.client.limits import StreamLimits
    from pplx_tui.client.model_cache import cached_models, refresh_models
    from pplx_tui.client.retry import RetryPolicy
    from pplx_tui.providers import ProviderInfo

__all__ = [
    "AnswerBuilder",
    "AuthenticationError",
    "ChatClient",
    "ChatRequest",
    "ClientError",
    "CreditsError",
    "DemoTransport",
    "Done",
    "ImagesUpdate",
    "InvalidRequestError",
    "KeepAlive",
    "NetworkError",
    "ProtocolError",
    "RateLimitError",
    "ReasoningDelta",
    "RelatedQuestions",
    "RetiredEndpointError",
    "RetryPolicy",
    "SearchNotSent",
    "SearchProgress",
    "ServerError",
    "SourcesUpdate",
    "StreamEvent",
    "StreamInterrupted",
    "TextDelta",
    "Turn",
    "UsageUpdate",
    "cached_models",
    "make_client",
    "refresh_models",
]

_LAZY = {
    "AnswerBuilder": "pplx_tui.client.answer",
    "ChatClient": "pplx_tui.client.chat_client",
    "DemoTransport": "pplx_tui.client.demo",
    "RetryPolicy": "pplx_tui.client.retry",
    "cached_models": "pplx_tui.client.model_cache",
    "refresh_models": "pplx_tui.client.model_cache",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


READ_TIMEOUT_MARGIN = 10.0


def make_client(
    provider: ProviderInfo,
    api_key: str | None,
    base_url: str | None = None,
    *,
    limits: StreamLimits | None = None,
) -> ChatClient:
    """The client for ``provider``; the offline demo gets its in-process transport.

    ``limits`` (see :mod:`pplx_tui.client.limits`) bound every answer: line, reply and answer
    sizes, the idle timeout (no new content; default 900 s, as deep research can think for
    minutes) and the overall deadline. The connection's read timeout (no byte at all) is a
    little longer than the idle timeout, so the idle timeout's clearer message wins.
    """
    import httpx

    from pplx_tui.client.chat_client import DEFAULT_TIMEOUT, ChatClient
    from pplx_tui.client.limits import StreamLimits

    limits = limits or StreamLimits()
    timeout = httpx.Timeout(
        connect=DEFAULT_TIMEOUT.connect,
        read=limits.longest_idle + READ_TIMEOUT_MARGIN if limits.longest_idle else None,
        write=DEFAULT_TIMEOUT.write,
        pool=DEFAULT_TIMEOUT.pool,
    )
    if provider.dialect == "demo":
        from pplx_tui.client.demo import DemoTransport

        return ChatClient(
            provider,
            None,
            base_url=base_url,
            transport=DemoTransport(provider=provider),
            timeout=timeout,
            limits=limits,
        )
    return ChatClient(provider, api_key, base_url=base_url, timeout=timeout, limits=limits)
