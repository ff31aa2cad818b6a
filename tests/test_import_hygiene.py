"""The core never imports the UI, and `pplx ask` never imports Textual (start-up time)."""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "pplx_tui.models",
    "pplx_tui.config",
    "pplx_tui.providers",
    "pplx_tui.session",
    "pplx_tui.live_models",
    "pplx_tui.sanitize",
    "pplx_tui.client",
    "pplx_tui.store",
    "pplx_tui.export",
    "pplx_tui.citations",
    "pplx_tui.references.bibtex",
    "pplx_tui.references.csl",
    "pplx_tui.references.ris",
    "pplx_tui.cli.ask_command",
    "pplx_tui.cli.chats_command",
    "pplx_tui.cli.models_command",
]


def test_core_modules_do_not_import_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {CORE!r}: importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(leaked))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == ""


def test_pplx_ask_help_does_not_import_textual_or_the_client() -> None:
    code = (
        "import sys\n"
        "from pplx_tui.cli import main\n"
        "try:\n    main(['ask', '--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'httpx', 'pydantic'}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip().splitlines()[-1] == "[]"
