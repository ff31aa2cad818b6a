"""The model last chosen in the picker, kept in config.toml as ``last_model = "provider:model"``.

The next ``pplx`` starts on it when the command line names no target and it can still be
asked; one that is no longer offered (retired from the catalog, a gateway or a model gone from
config.toml) gives way to the default with one notice saying so (:func:`offered`,
:func:`gone_notice`), and so does one its provider cannot ask (a base URL no request can go
to: :func:`refused_notice`). ``pplx ask`` never reads it (scripts keep to
``default_provider``/``default_model``).
A demo model is not remembered: choosing one removes ``last_model``, so the next start is the
default one again (the demo, with no key anywhere; with a key, not the demo, as a demo model
remembered would have it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pplx_tui.sanitize import clean_line
from pplx_tui.session import DEMO, Target

if TYPE_CHECKING:
    from pplx_tui.config_read import AnySettings
    from pplx_tui.providers import Catalog

__all__ = ["gone_notice", "last_choice", "offered", "refused_notice", "remember_model"]


def last_choice(settings: AnySettings) -> tuple[str, str] | None:
    """The remembered ``(provider, model)``; ``None`` when there is none. Raises
    ``ValueError`` (a one-line reason) for a value that is not ``"provider:model"``."""
    value = settings.last_model
    if value is None:
        return None
    provider, _, model = value.partition(":") if isinstance(value, str) else ("", "", "")
    if not provider.strip() or not model.strip():
        shown = clean_line(repr(value))[:80]
        raise ValueError(
            f'last_model = {shown} in config.toml is not "provider:model"; it is ignored'
        )
    return provider.strip(), model.strip()


def offered(catalog: Catalog, provider: str, model: str) -> bool:
    """Whether ``catalog`` still lists ``model`` on ``provider``: the picker, where it was
    chosen, offers no other (a provider that passes any id on would take a retired one)."""
    found = catalog.providers.get(provider)
    return found is not None and found.model(model) is not None


def gone_notice(provider: str, model: str, used: Target) -> str:
    """The one line saying the remembered ``provider:model`` is gone and ``used`` is used."""
    remembered = clean_line(f"{provider}:{model}")[:80]
    return (
        f"The model used last, {remembered}, is no longer offered; starting on "
        f"{used.provider.name}:{used.model.id} instead."
    )


def refused_notice(provider: str, model: str, reason: str, used: Target) -> str:
    """The one line saying the remembered ``provider:model`` cannot be asked here, why (its
    base URL), and that ``used`` is used."""
    remembered = clean_line(f"{provider}:{model}")[:80]
    return (
        f"The model used last, {remembered}, cannot be used ({clean_line(reason)}); starting "
        f"on {used.provider.name}:{used.model.id} instead."
    )


def _value(target: Target) -> str | None:
    if target.provider.dialect == DEMO:
        return None
    return f"{target.provider.name}:{target.model.id}"


def remember_model(target: Target) -> str | None:
    """Save ``target`` as ``last_model`` in config.toml; a one-line warning if that failed.
    Writes nothing when the file already holds it."""
    from pplx_tui.config_read import remember_setting

    return remember_setting("last_model", _value(target), "Model not remembered for the next start")
