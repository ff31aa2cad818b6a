"""``pplx models``: the catalog with capabilities, prices and which providers have a key."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from typing import TYPE_CHECKING

from pplx_tui.cli.columns import terminal_width
from pplx_tui.cli.common import EXIT_OK, UsageError, given
from pplx_tui.cli.json_output import print_json
from pplx_tui.cli.models_table import ModelRow, provider_lines

if TYPE_CHECKING:
    from pplx_tui.providers import ProviderInfo


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "models",
        help="list providers and models",
        description="List providers and their models with capabilities and prices.",
    )
    parser.add_argument(
        "--provider",
        dest="models_provider",
        type=given("provider", "see `pplx models`"),
        metavar="NAME",
        help="only this provider",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument(
        "--offline", action="store_true", help="do not read the live model lists (cache only)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from pplx_tui.config import ConfigError, load_settings
    from pplx_tui.live_models import refresh_catalog, with_cached_models
    from pplx_tui.providers import UnknownProviderError, build_catalog
    from pplx_tui.session import key_for

    try:
        settings = load_settings()
    except ConfigError as error:
        raise UsageError(str(error)) from None
    catalog = build_catalog(settings)
    names = list(catalog.providers)
    if args.models_provider:
        try:
            names = [catalog.provider(args.models_provider).name]
        except UnknownProviderError as error:
            raise UsageError(str(error)) from None
    if args.offline:
        catalog = with_cached_models(catalog)
    else:
        catalog, notes = asyncio.run(refresh_catalog(catalog, settings, os.environ, names))
        for note in notes:
            print(f"pplx: note: {note}; showing the built-in list", file=sys.stderr)
    rows = []
    for name in names:
        provider = catalog.provider(name)
        has_key = provider.dialect == "demo" or bool(key_for(provider, settings, os.environ))
        rows.append((provider, has_key))
    if args.json:
        print_json([_provider_json(p, has_key) for p, has_key in rows])
        return EXIT_OK
    width = terminal_width(sys.stdout)
    for number, (provider, has_key) in enumerate(rows):
        if number:
            print()  # between providers, not after the last
        for line in provider_lines(*_provider_parts(provider, has_key), width):
            print(line)
    return EXIT_OK


def _provider_parts(provider: ProviderInfo, has_key: bool) -> tuple[str, list[str], list[ModelRow]]:
    """The provider's heading, notes and model rows for :func:`provider_lines`."""
    heading = f"{provider.name}  {provider.label}"
    notes = [f"note: {note}" for note in (provider.notice, provider.config_note) if note]
    if provider.dialect == "demo":
        heading += "  (no key needed)"
    elif has_key:
        heading += "  (key set)"
    else:
        notes.insert(0, _no_key(provider))
    rows = [
        ModelRow(
            id=model.id + (" (default)" if model.id == provider.default_model else ""),
            capabilities=model.capabilities,
            price=model.price_label,
        )
        for model in provider.models
    ]
    return heading, notes, rows


def _no_key(provider: ProviderInfo) -> str:
    """How to give the provider a key, in one plain sentence (its ``key_help`` says it with
    brackets inside the brackets this line once stood in)."""
    if provider.key_url and provider.api_key_env:
        return (
            f"no key: set {provider.api_key_env} or add one in the app (ctrl+k);"
            f" create one at {provider.key_url}"
        )
    help_text = (provider.key_help or "add one in config.toml").rstrip(".")
    return f"no key: {help_text[:1].lower()}{help_text[1:]}"


def _provider_json(provider: ProviderInfo, has_key: bool) -> dict:
    return {
        "name": provider.name,
        "label": provider.label,
        "dialect": provider.dialect,
        "has_key": has_key,
        "notice": provider.notice,
        "config_note": provider.config_note,
        "default_model": provider.default_model,
        "models": [
            {
                "id": m.id,
                "label": m.label,
                "web_search": m.web_search,
                "reasoning": m.reasoning,
                "context_length": m.context_length,
                "input_price_per_mtok": m.input_price,
                "output_price_per_mtok": m.output_price,
                "request_price_per_k": m.request_price,
            }
            for m in provider.models
        ],
    }
