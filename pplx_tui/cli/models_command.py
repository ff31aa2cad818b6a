"""``pplx models``: the catalog with capabilities, prices and which providers have a key."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from typing import TYPE_CHECKING

from pplx_tui.cli.common import EXIT_OK, UsageError, given, print_json

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
    for number, (provider, has_key) in enumerate(rows):
        if number:
            print()  # between providers, not after the last
        if provider.dialect == "demo":
            key_state = "no key needed"
        elif has_key:
            key_state = "key set"
        else:
            key_state = f"no key — {provider.key_help or ''}".rstrip(" —")
        print(f"{provider.name}  {provider.label}  ({key_state})")
        for note in (provider.notice, provider.config_note):
            if note:
                print(f"  note: {note}")
        for model in provider.models:
            default = " (default)" if model.id == provider.default_model else ""
            price = f"  {model.price_label}" if model.price_label else ""
            print(f"  {model.id:<34} {model.capabilities}{price}{default}")
    return EXIT_OK


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
