"""The async streaming client: requests, SSE parsing, typed events and errors, the demo.

``make_client(provider, key).stream(request)`` (a :class:`~pplx_tui.client.chat_client.
ChatClient`; the request is a :class:`~pplx_tui.client.request.ChatRequest`) yields
:mod:`pplx_tui.client.events` objects; :class:`~pplx_tui.client.answer.AnswerBuilder` folds them
into a :class:`~pplx_tui.models.Message`. Failures are raised as
:class:`~pplx_tui.client.errors.ClientError` subclasses whose ``str()`` is one sentence for the
user. Import each name from the module it lives in; this package only builds clients.

The heavy parts (httpx) are imported on first use, so ``import pplx_tui.client.errors`` stays
cheap for start-up paths such as logging.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

# ``import httpx`` also imports httpx's own command-line tool (``httpx._main``: click, rich
# consoles, pygments lexers; ~0.15 CPU s here) whenever click happens to be installed. We never
# run that tool, so its module is marked absent and httpx defines a stub ``main`` instead. Every
# module that imports httpx lives in this package, so this line runs before the first of them
# (this package imports nothing else at its top).
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

if TYPE_CHECKING:
    from pplx_tui.client.chat_client import ChatClient
    from pplx_tui.client.limits import StreamLimits
    from pplx_tui.providers import ProviderInfo

__all__ = ["import_connection_modules", "make_client"]

READ_TIMEOUT_MARGIN = 10.0


def make_client(
    provider: ProviderInfo,
    api_key: str | None,
    base_url: str | None = None,
    *,
    limits: StreamLimits | None = None,
    add_key: str = "ctrl+k",
) -> ChatClient:
    """The client for ``provider``; the offline demo gets its in-process transport, whose
    answers name ``add_key`` as the app's key to add an API key (the app passes the one in
    force).

    ``limits`` (see :mod:`pplx_tui.client.limits`) bound every answer: line, reply and answer
    sizes, the idle timeout (no new content; default 900 s, as deep research can think for
    minutes) and the overall deadline, both kept by the client before the reply's headers as
    after them. The connection's read timeout (no byte at all) is only a backstop, a little
    longer than the longest idle timeout, so the idle timeout's clearer message wins.
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
            transport=DemoTransport(provider=provider, add_key=add_key),
            timeout=timeout,
            limits=limits,
        )
    return ChatClient(provider, api_key, base_url=base_url, timeout=timeout, limits=limits)


def import_connection_modules() -> None:
    """What httpx imports on its first connection (httpcore's anyio backend: ~0.1 s): a
    thread calls this so that no event loop waits for it."""
    import anyio._backends._asyncio
    import anyio.streams.tls
    import anyio.to_thread  # noqa: F401
    import httpcore._backends.anyio  # noqa: F401
