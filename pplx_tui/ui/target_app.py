"""The app's part that knows where questions go: the target, its clients, the model picker
and the key dialog.

The target the next question goes to is :attr:`TargetApp.target`; every change of it (a model
chosen in the picker, a key saved) is published on :attr:`TargetApp.target_changed_signal`.
A key read anywhere is remembered as a secret (kept out of every log line) at once.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from textual.app import App
from textual.screen import ModalScreen

from pplx_tui.client.errors import remember_secret
from pplx_tui.config_plain import ConfigError, key_variable
from pplx_tui.config_read import read_settings
from pplx_tui.live_models import ListToRead, LiveLists, read_list
from pplx_tui.providers import build_catalog
from pplx_tui.sanitize import clean_line
from pplx_tui.session import (
    DEMO,
    Target,
    TargetError,
    demo_gives_way,
    first_provider_with_key,
    is_no_key_notice,
    key_for,
    resolve_target,
)
from pplx_tui.ui.guarded_app import key_for_action, notify_replacing
from pplx_tui.ui.last_model import remember_model

if TYPE_CHECKING:
    from textual.signal import Signal

    from pplx_tui.client.chat_client import ChatClient
    from pplx_tui.config_read import AnySettings
    from pplx_tui.models import Chat, Message
    from pplx_tui.providers import Catalog
    from pplx_tui.ui.clients import ClientPool

__all__ = ["TargetApp", "no_key_for_chat"]

_WHERE_QUESTIONS_GO = "where-questions-go"
"""The key of the note saying which model the next questions go to: a later one (a model
chosen, a chat opened that goes on with its own) replaces it, as it makes it untrue."""


def no_key_for_chat(provider: str, staying: Target) -> str:
    """The one line saying a chat's ``provider`` has no key here, so it goes on with
    ``staying``'s (opened from the chat list, or with ``pplx --chat``)."""
    return f"This chat used {provider}, which has no key here; staying on {staying.provider.name}."


class TargetApp(App[None]):
    """Targets, clients and the dialogs that choose them (the app sets the attributes)."""

    settings: AnySettings
    catalog: Catalog
    target: Target
    """Where the next question goes; change it with :meth:`use_target`."""
    target_changed_signal: Signal[Target]
    """Published with the new target by :meth:`use_target`."""
    key_saved_signal: Signal[str]
    """Published with a provider's name when a key for it is saved in the key dialog."""
    _refused: dict[str, int]
    """A refused answer's id → the hash of the key in use when it was first shown."""
    base_urls: dict[str, str]
    """Provider name → the base URL given for it on the command line (``--base-url``): it
    stays that provider's whatever is asked meanwhile (a visit to the demo and back went to
    the catalog's URL, the real service, with the key)."""
    _clients: ClientPool
    live_lists: LiveLists
    """The providers' live model lists the catalog includes (read again by the picker)."""

    def client_for(self, target: Target) -> ChatClient:
        """One client per provider, base URL and key, reused across questions."""
        return self._clients.get(target)

    def prepare_client(self, target: Target) -> None:
        """Build ``target``'s client in a thread (httpx import, TLS set-up) before it is used."""
        self._clients.prepare(target)

    def use_target(self, target: Target) -> None:
        """Send the next questions to ``target`` (the workspace hears of it)."""
        self.target = target
        remember_secret(target.api_key)
        self.target_changed_signal.publish(target)

    def resolve(self, provider: str, model: str | None) -> Target:
        """A target for ``provider``/``model`` (re-reading config.toml for new keys).

        Another demo model while the app is on the demo for want of a key keeps the no-key
        notice: it goes once a key is added (or hidden), not with a model picked."""
        self._reload_settings()
        target = resolve_target(
            self.settings,
            self.catalog,
            provider=provider,
            model=model,
            base_url=self.base_urls.get(provider),
            require_key=False,
        )
        no_key = next((n for n in self.target.notices if is_no_key_notice(n)), None)
        if (
            target.provider.dialect == DEMO
            and no_key is not None
            and not any(is_no_key_notice(n) for n in target.notices)
            and first_provider_with_key(self.catalog, self.settings, os.environ) is None
        ):
            target = replace(target, notices=(no_key, *target.notices))
        return target

    def target_for_chat(self, chat: Chat) -> Target:
        """The target a saved chat asked with, if it can be used now, said in one line; else
        the current one. A chat asked on the demo goes on with a real provider in use (the
        demo stood in for a key the user has since added)."""
        current = self.target
        provider, model = chat.settings.provider, chat.settings.model
        if not provider or (provider, model) == (current.provider.name, current.model.id):
            return current
        if demo_gives_way(provider, current):
            return current
        try:
            target = self.resolve(provider, model)
        except TargetError as error:
            self.notify(clean_line(str(error)), severity="warning")
            return current
        if target.needs_key:
            self.notify(no_key_for_chat(provider, current), severity="warning")
            return current
        key = key_for_action(self, "pick_model")
        said = f"This chat goes on with {target.model.id} on {target.provider.name}, the model it "
        said += "used" + (f" ({key}: another)." if key else ".")
        notify_replacing(self, _WHERE_QUESTIONS_GO, said, timeout=5)
        return target

    def _reload_settings(self) -> None:
        """Read config.toml again, and the catalog with it: a base_url or a gateway added since
        start-up (a file fixed while the app ran on defaults) is where the next question goes,
        and what the picker and the key dialog offer. A file that cannot be read keeps both."""
        try:
            self.settings = read_settings()
        except ConfigError as error:
            self.notify(clean_line(error.shortened()), severity="error")
        else:
            self.catalog = self.live_lists.add_to(build_catalog(self.settings))
        self._remember_keys()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # No second dialog on top of one (the picker opens the key dialog itself).
        return not (action in ("pick_model", "add_key") and isinstance(self.screen, ModalScreen))

    def has_key(self, provider: str) -> bool:
        """Whether ``provider`` can be asked now (it has a key, or needs none)."""
        info = self.catalog.providers.get(provider)
        if info is None:
            return False
        return info.dialect == "demo" or bool(key_for(info, self.settings, os.environ))

    def key_of(self, provider: str) -> str | None:
        """The key ``provider`` is asked with now (its environment variable first)."""
        info = self.catalog.providers.get(provider)
        return key_for(info, self.settings, os.environ) if info is not None else None

    def key_still_refused(self, message: Message) -> bool:
        """Whether ``message`` failed on a refused key that is still the one in use: asking
        again cannot help until another key is saved (its button and ctrl+k offer one)."""
        if message.error_kind != "auth" or not message.provider:
            return False
        key = hash(self.key_of(message.provider))  # the refused one, when first asked here
        return self._refused.setdefault(message.id, key) == key

    def pick_target(
        self,
        then: Callable[[Target], object],
        title: str = "Choose a model",
        marked: tuple[str, str] | None = None,
        asks: str | None = None,
        note: str | None = None,
    ) -> None:
        """Open the model picker (titled ``title``, ``marked`` (provider, model) marked, the
        app's by default); ``then`` (may be async) gets the chosen target, which does not
        become the app's (the alternatives of an answer use this). ``asks``: choosing sends
        a new request, so it takes a second Enter; ``note``: a line on what else it does
        (see ``ModelPickerScreen``)."""
        from pplx_tui.ui.dialogs.model_picker import ModelPickerScreen

        current = self.target

        async def chosen(choice: tuple[str, str] | None) -> None:
            if choice is None:
                return
            try:
                target = self.resolve(*choice)
            except TargetError as error:
                self.notify(clean_line(error.shortened()), severity="error")
                return
            result = then(target)
            if inspect.isawaitable(result):
                await result

        picker = ModelPickerScreen(
            self.catalog,
            marked or (current.provider.name, current.model.id),
            self.has_key,
            title=title,
            asks=asks,
            note=note,
        )
        self.push_screen(picker, chosen)
        self._read_live_lists()

    def _read_live_lists(self) -> None:
        """Read the live model lists that are stale or missing (each provider's once a
        session), each in a worker; an open picker lists a provider's models once they are
        read. A list that cannot be read is logged and changes nothing."""
        for wanted in self.live_lists.to_read(
            self.catalog, self.settings, os.environ, self.base_urls
        ):
            self.run_worker(self._live_list_read(wanted), group="live-models", exit_on_error=False)

    async def _live_list_read(self, wanted: ListToRead) -> None:
        from pplx_tui.ui.dialogs.model_picker import ModelPickerScreen

        if (models := await read_list(wanted)) is None:
            return
        self.live_lists.read(wanted.provider.name, models)
        self.catalog = self.live_lists.add_to(self.catalog)
        for screen in self.screen_stack:
            if isinstance(screen, ModelPickerScreen):
                screen.show_catalog(self.catalog)

    def action_pick_model(self) -> None:
        def use(target: Target) -> None:
            self.use_target(target)
            timeout = 5 if target.finds_no_sources else 3
            notify_replacing(self, _WHERE_QUESTIONS_GO, target.goes_to(), timeout=timeout)
            if warning := remember_model(target):
                self.notify(clean_line(warning), severity="warning")

        self.pick_target(use)

    def action_add_key(self, chosen: str = "") -> None:
        """Open the API key dialog on ``chosen`` (a provider's name; by default the one in
        use, or one still without a key)."""
        from pplx_tui.ui.dialogs.api_key import ApiKeyScreen

        current = self.target
        # The screen's own choice first: after the retired Sonar endpoint, Perplexity, as the
        # failed answer's button (out of Tab's order: the key is the keyboard's way) has it.
        wanted = getattr(self.screen, "key_provider_wanted", None)
        chosen = chosen or (wanted() if wanted is not None else "")
        provider: str | None = chosen or current.provider.name
        if not chosen and current.provider.dialect == "demo":
            # config.toml's default_provider while it waits for its key, else the first
            # provider still without one (QA Q17), else the dialog's first.
            names = (self.settings.default_provider, *self.catalog.providers)
            provider = next(
                (n for n in names if n in self.catalog.providers and not self.has_key(n)), None
            )

        def saved(name: str | None) -> None:
            self._reload_settings()
            if name is None:
                return
            self.key_saved_signal.publish(name)  # ctrl+r may help a refused answer now
            current = self.target
            said = f"Key saved for {name} (config.toml, owner-only)."
            if variable := self._key_variable(name):  # (the dialog warned; the toast said not)
                self.notify(
                    f"{said} {variable} in the environment still wins: unset {variable} and "
                    "restart pplx to use the saved key.",
                    severity="warning",
                    timeout=8,
                )
                return
            if (
                current.provider.dialect == "demo"
                or current.needs_key
                or (name == current.provider.name)
            ):
                model = current.model.id if name == current.provider.name else None
                try:
                    target = self.resolve(name, model)
                except TargetError as error:
                    self.notify(clean_line(error.shortened()), severity="error")
                    return
                self.use_target(target)
                said += " " + target.goes_to()
            self.notify(said, timeout=5)

        guessed = not chosen and current.provider.dialect == "demo"
        self.push_screen(ApiKeyScreen(self.catalog, provider, guessed=guessed), saved)

    def _key_variable(self, provider: str) -> str | None:
        """The environment variable ``provider``'s key comes from, if one: it wins over
        config.toml's (README, "Keys")."""
        info = self.catalog.providers.get(provider)
        if info is None:
            return None
        return key_variable(provider, self.settings, info.api_key_env, os.environ)

    def _remember_keys(self) -> None:
        """Every key in use or in config.toml is removed from log records from now on."""
        for provider in self.settings.providers.values():
            if provider.api_key is not None:
                remember_secret(provider.api_key.get_secret_value())
        for provider in self.catalog.providers.values():
            if provider.api_key_env:
                remember_secret(os.environ.get(provider.api_key_env))
        remember_secret(self.target.api_key)
