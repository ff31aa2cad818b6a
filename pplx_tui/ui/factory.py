"""Building the app from options: :func:`make_app`, shared by ``pplx`` and the tests.

Here the app meets its workspace: :class:`~pplx_tui.ui.screens.research.ResearchScreen` is
added as the app's :data:`~pplx_tui.ui.app.WORKSPACE` mode (the app itself names no screen).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pplx_tui.config_plain import permission_warning
from pplx_tui.config_read import config_notice, start_settings
from pplx_tui.live_models import LiveLists
from pplx_tui.providers import build_catalog
from pplx_tui.session import (
    DEMO,
    Target,
    TargetError,
    demo_gives_way,
    resolve_target,
    stream_limits,
)
from pplx_tui.ui.app import (
    WORKSPACE,
    ClientFactory,
    PplxApp,
)
from pplx_tui.ui.last_model import gone_notice, last_choice, offered, refused_notice
from pplx_tui.ui.screens.research import ResearchScreen
from pplx_tui.ui.target_app import no_key_for_chat
from pplx_tui.values import ChatDefaults, SamplingOptions, SearchSettings

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from pplx_tui.client.chat_client import ChatClient
    from pplx_tui.config_read import AnySettings
    from pplx_tui.models import Chat
    from pplx_tui.providers import Catalog
    from pplx_tui.store.chat_store import ChatStore

__all__ = ["make_app"]


def _client_factory(settings: AnySettings) -> ClientFactory:
    """Clients bounded by config.toml's ``[limits]``."""
    limits = stream_limits(settings)

    def make(target: Target, add_key: str) -> ChatClient:
        from pplx_tui.client import make_client

        return make_client(
            target.provider, target.api_key, target.base_url, limits=limits, add_key=add_key
        )

    return make


def _start_target(
    settings: AnySettings,
    catalog: Catalog,
    base_url: str | None,
    notices: list[tuple[str, SeverityLevel]],
) -> Target:
    """Where the app starts when the command line names no target: the model last chosen in
    the picker while it can be asked (its provider is there, has a key, knows the model),
    else config.toml's default (the first provider with a key, the demo with none). A
    remembered model no longer offered, or refused here, adds a notice saying so to
    ``notices``."""
    try:
        choice = last_choice(settings)
    except ValueError as error:
        notices.append((str(error), "warning"))
        choice = None
    if choice is not None and not offered(catalog, *choice):
        target = resolve_target(settings, catalog, base_url=base_url, require_key=False)
        notices.append((gone_notice(*choice, target), "warning"))
        return target
    if choice is not None:
        provider, model = choice
        try:
            target = resolve_target(
                settings,
                catalog,
                provider=provider,
                model=model,
                base_url=base_url,
                require_key=False,
            )
        except TargetError as error:  # listed, yet refused here (its base URL)
            target = resolve_target(settings, catalog, base_url=base_url, require_key=False)
            notices.append((refused_notice(provider, model, str(error), target), "warning"))
            return target
        if not target.needs_key:
            return target
    return resolve_target(settings, catalog, base_url=base_url, require_key=False)


def make_app(
    *,
    settings: AnySettings | None = None,
    provider: str | None = None,
    model: str | None = None,
    base_url: str | None = None,
    demo: bool = False,
    chat_id: str | None = None,
    search: SearchSettings | None = None,
    sampling: SamplingOptions | None = None,
    system_prompt: str | None = None,
    notices: Sequence[tuple[str, SeverityLevel]] = (),
) -> PplxApp:
    """The app for the given options (the CLI's and the tests' one way to build it).

    Without ``settings``, config.toml is read here: a malformed file means the default
    settings and a notification, a file others can read a warning. ``notices`` are shown as
    notifications when the app starts (``pplx`` passes what it found itself).

    Raises :class:`~pplx_tui.session.TargetError` for an unknown provider or model, and
    :class:`~pplx_tui.store.StoreError` for a ``chat_id`` that cannot be opened.
    """
    notices = list(notices)
    if settings is None:
        settings, error = start_settings()
        if error is not None:
            notices.append((config_notice(error), "error"))
        if warning := permission_warning():
            notices.append((warning, "warning"))
    # The live model lists cached (a moment: no network) are offered at once, and a model
    # chosen from one is where the next start begins.
    live_lists = LiveLists(catalog := build_catalog(settings))
    catalog = live_lists.add_to(catalog)
    # A saved chat is read now (a bad id stops here); a new one is made once the first frame
    # is on screen, with the store (the app's, made then): both load the chat models.
    store: ChatStore | None = None
    chat: Chat | None = None
    if chat_id:
        from pplx_tui.store import ChatStore

        store = ChatStore()
        chat = store.load(chat_id)
    from_chat = chat is not None and not (provider or model or demo)
    target: Target | None = None
    if from_chat and chat.settings.provider == DEMO:
        said: list[tuple[str, SeverityLevel]] = []
        start = _start_target(settings, catalog, base_url, said)
        if demo_gives_way(chat.settings.provider, start):
            # A key added since: it goes on with the provider in use, as from the chat list.
            target, from_chat = start, False
            notices.extend(said)
    if from_chat:
        provider, model = chat.settings.provider, chat.settings.model
    if provider or model or demo:
        target = resolve_target(
            settings,
            catalog,
            provider=provider,
            model=model,
            base_url=base_url,
            demo=demo,
            require_key=False,
        )
    if target is None or (from_chat and target.needs_key):
        # Nothing named, or the chat's provider has no key here: continue it where keys are.
        no_key = target.provider.name if target is not None else None
        target = _start_target(settings, catalog, base_url, notices)
        if no_key:  # said as when the chat is opened from the list (QA: said nothing)
            notices.append((no_key_for_chat(no_key, target), "warning"))
    defaults = ChatDefaults(
        system_prompt=system_prompt if system_prompt is not None else settings.system_prompt,
        search=search if search is not None else settings.search,
        sampling=sampling if sampling is not None else settings.sampling,
    )
    if chat is not None:
        chat.settings.provider, chat.settings.model = target.provider.name, target.model.id
    app = PplxApp(
        settings,
        catalog,
        target,
        store,
        defaults=defaults,
        client_factory=_client_factory(settings),
        live_lists=live_lists,
        notices=notices,
    )
    opened = chat
    app.add_mode(WORKSPACE, lambda: ResearchScreen(opened))
    return app
