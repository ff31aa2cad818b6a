"""The app's HTTP clients: one per provider, base URL and key, reused across questions.

Building a client imports httpx and sets up TLS, which costs a noticeable moment; the research
screen asks for its target's client to be prepared in a thread after the first frame, so the
first question does not wait for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from pplx_tui.client import import_connection_modules
from pplx_tui.ui.keys_in_force import key_named

if TYPE_CHECKING:
    from textual.app import App

    from pplx_tui.client.chat_client import ChatClient
    from pplx_tui.session import Target

__all__ = ["ClientPool"]

ClientKey = tuple[str, str, str, str | None]


def _key(target: Target) -> ClientKey:
    """What a client is made for: the URL it asks (``--base-url``, else the provider's, which
    config.toml may have changed since the last question), the wire format and the key."""
    provider = target.provider
    return (provider.name, target.base_url or provider.base_url, provider.dialect, target.api_key)


class ClientPool:
    """Clients made by ``factory``, kept per target; :meth:`aclose` closes them all."""

    def __init__(self, app: App[object], factory: Callable[[Target, str], ChatClient]) -> None:
        self._app = app
        self._factory = factory
        self._clients: dict[ClientKey, ChatClient] = {}

    def get(self, target: Target) -> ChatClient:
        """``target``'s client (made now if it was not prepared)."""
        key = _key(target)
        if key not in self._clients:
            self._clients[key] = self._make(target)
        return self._clients[key]

    def _make(self, target: Target) -> ChatClient:
        """``target``'s client, told the key in force that adds an API key."""
        return self._factory(target, key_named(self._app, "app.add_key"))

    def prepare(self, target: Target) -> None:
        """Build ``target``'s client in a thread, before it is used."""
        key = _key(target)
        if key not in self._clients:
            self._app.run_worker(
                lambda: self._build(target, key),
                group="prepare",
                thread=True,
                exit_on_error=False,
            )

    def _build(self, target: Target, key: ClientKey) -> None:
        client = self._make(target)
        import_connection_modules()
        if self._app.is_running:
            self._app.call_from_thread(self._adopt, key, client)

    async def _adopt(self, key: ClientKey, client: ChatClient) -> None:
        if key in self._clients:  # a question was asked before the thread finished
            await client.aclose()
        else:
            self._clients[key] = client

    async def aclose(self) -> None:
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()
