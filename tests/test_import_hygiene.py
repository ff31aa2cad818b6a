"""The core never imports the UI, `pplx ask` never imports Textual (start-up time), and no
module imports itself through others. ``lint-imports`` (pyproject.toml) checks the layers."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

CORE = [
    "pplx_tui.models",
    "pplx_tui.config",
    "pplx_tui.providers",
    "pplx_tui.session",
    "pplx_tui.live_models",
    "pplx_tui.sanitize",
    "pplx_tui.client",
    "pplx_tui.client.chat_client",
    "pplx_tui.client.answer",
    "pplx_tui.client.demo",
    "pplx_tui.client.model_cache",
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


def test_pplx_ask_help_does_not_import_textual_or_the_client_nor_the_core_textual() -> None:
    """`pplx ask --help` loads neither Textual nor the client (httpx, pydantic); and the core
    modules, imported after it in the same interpreter, load no Textual (what `--help` loaded
    had none: any Textual then came from the core)."""
    code = (
        "import importlib, sys\n"
        "from pplx_tui.cli import main\n"
        "try:\n    main(['ask', '--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'httpx', 'pydantic'}))\n"
        f"for name in {CORE!r}: importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(leaked))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    *_, for_help, for_core = result.stdout.split("\n")[:-1]
    assert for_help == "[]"
    assert for_core == ""


@pytest.mark.parametrize("options", [[], ["--json"]], ids=["plain", "json"])
def test_pplx_ask_imports_only_what_one_answer_needs(loopback, tmp_path, options) -> None:
    """A whole `pplx ask` on loopback (plain or `--json`) loads no UI, no store, no pydantic
    (nor the chat file's models) and not httpx's own CLI (click, rich consoles, pygments):
    each costs start-up time a one-shot answer never uses."""
    from tests.support.cli import answer_frames
    from tests.support.loopback import Reply

    loopback.queue(Reply(chunks=answer_frames(["Two ", "moons."])))
    code = (
        "import sys\n"
        "from pplx_tui.cli import main\n"
        "code = main(['--provider', 'openrouter', '--base-url', sys.argv[1], 'ask', 'Moons?',"
        f" *{options!r}])\n"
        "heavy = {'textual', 'rich', 'click', 'pygments', 'markdown_it', 'pydantic'}\n"
        "loaded = sorted({m.split('.')[0] for m in sys.modules} & heavy)\n"
        "loaded += sorted(m for m in sys.modules if m.startswith('pplx_tui.store'))\n"
        "loaded += sorted({'pplx_tui.models', 'pplx_tui.config'} & set(sys.modules))\n"
        "print(code, loaded, file=sys.stderr)\n"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "OPENROUTER_API_KEY": "sk-or-test",
        "XDG_CONFIG_HOME": str(tmp_path / "c"),
        "XDG_DATA_HOME": str(tmp_path / "d"),
        "XDG_STATE_HOME": str(tmp_path / "s"),
        "HOME": str(tmp_path),
        **{k: v for k, v in __import__("os").environ.items() if k == "PYTHONPATH"},
    }
    result = subprocess.run(
        [sys.executable, "-c", code, f"{loopback.base_url}/api/v1"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )

    assert "Two moons." in result.stdout
    assert result.stderr.strip().splitlines()[-1] == "0 []"


def test_no_module_imports_itself_through_others() -> None:
    """No import cycle among pplx_tui's modules, a package and its own modules included.

    grimp (import-linter's graph) counts imports inside functions and under TYPE_CHECKING;
    the ``acyclic_siblings`` contract in pyproject.toml says the same for siblings only.
    """
    import grimp

    graph = grimp.build_graph("pplx_tui", cache_dir=None)
    cycles = [
        f"{module} -> {imported}"
        for module in sorted(graph.modules)
        for imported in sorted(graph.find_modules_directly_imported_by(module))
        if graph.chain_exists(importer=imported, imported=module)
    ]

    assert cycles == []


def test_the_import_contracts_hold() -> None:
    """The layers and the 'core never imports Textual' contracts of pyproject.toml."""
    from pathlib import Path

    result = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports"))],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
    )

    assert result.returncode == 0, result.stdout[-2000:]


def test_chats_list_and_search_load_no_pydantic_unless_a_chat_must_be_read_whole() -> None:
    """`pplx chats list` and `search` read an up-to-date index without the chat models
    (pydantic was most of their start-up), and a first listing reads the chats' heads with
    msgspec alone; a snippet without Markdown needs no Markdown parser; a chat changed since
    is read again."""
    import shutil

    from pplx_tui.models import Message
    from pplx_tui.store import ChatStore

    store = ChatStore()
    chat = store.new_chat()
    store.append_message(chat, Message(role="user", content="How many moons has Mars?"))
    store.append_message(chat, Message(role="assistant", content="Two: Phobos and Deimos."))
    shutil.rmtree(store.root / ".index", ignore_errors=True)
    code = (
        "import sys\n"
        "import pplx_tui.store.index as index\n"
        "index.TEXTS_NOW = int(sys.argv[1])\n"
        "from pplx_tui.cli import main\n"
        "codes = [main(['chats', *sys.argv[2:]])]\n"
        "heavy = {'pydantic', 'pydantic_core', 'textual', 'rich', 'msgspec', 'markdown_it'}\n"
        "print(codes, sorted({m.split('.')[0] for m in sys.modules} & heavy), file=sys.stderr)\n"
    )

    def run(*args: str, texts_now: int = 64) -> tuple[str, str]:
        result = subprocess.run(
            [sys.executable, "-c", code, str(texts_now), *args],
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout, result.stderr.strip().splitlines()[-1]

    listed, loaded = run("list", texts_now=0)  # a first listing of many chats: heads only
    assert chat.id in listed and loaded == "[0] ['msgspec']"
    store.search("phobos")  # the index is up to date, texts and all
    listed, loaded = run("list")
    assert chat.id in listed and loaded == "[0] []"
    found, loaded = run("search", "phobos")
    assert "Two: Phobos and Deimos." in found and loaded == "[0] []"
    store.rename(chat.id, "Mars")
    listed, loaded = run("list")
    assert "Mars" in listed and loaded.startswith("[0] ")


def test_the_apps_first_frame_loads_no_pydantic_httpx_or_markdown_it(tmp_path) -> None:
    """Building the app (all the first frame needs: ``pplx_tui.ui.factory``) leaves the HTTP
    client and the Markdown parser to a thread after the first frame: each is a tenth of a
    second of start-up. The first frame of the app on a new chat needs neither the chat
    models nor the store that reads and writes chats (pydantic: a fifth of start-up), nor the
    answering machinery: they load after it, and the new chat is made then. A config.toml
    that is plainly valid is read without pydantic."""
    config = tmp_path / "c" / "pplx-tui" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('theme = "pplx-light"\n[search]\nrecency = "week"\n')
    config.chmod(0o600)
    code = (
        "import sys\n"
        "import pplx_tui.ui.factory\n"
        "print(sorted(m for m in ('httpx', 'markdown_it') if m in sys.modules))\n"
        "from textual import events\n"
        "from pplx_tui.ui.factory import make_app\n"
        "from pplx_tui.ui.screens.research import ResearchScreen\n"
        "heavy = ('pydantic', 'pplx_tui.models', 'pplx_tui.config', 'pplx_tui.store.chat_store',"
        " 'pplx_tui.client.events', 'pplx_tui.ui.screens.answer_stream')\n"
        "at_first_frame = []\n"
        "def hook(message):\n"
        "    if isinstance(message, events.Ready):\n"
        "        at_first_frame.extend(m for m in heavy if m in sys.modules)\n"
        "async def run():\n"
        "    app = make_app(demo=True)\n"
        "    async with app.run_test(message_hook=hook) as pilot:\n"
        "        await pilot.app.workers.wait_for_complete()\n"
        "        screen = app.screen_stack[0]\n"
        "        assert isinstance(screen, ResearchScreen)\n"
        "        print(at_first_frame, screen.chat.settings.search.recency, app.theme)\n"
        "import asyncio\n"
        "asyncio.run(run())\n"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "XDG_CONFIG_HOME": str(tmp_path / "c"),
        "XDG_DATA_HOME": str(tmp_path / "d"),
        "XDG_STATE_HOME": str(tmp_path / "s"),
        "HOME": str(tmp_path),
        **{k: v for k, v in os.environ.items() if k == "PYTHONPATH"},
    }
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )

    *_, at_factory, at_first_frame = result.stdout.strip().splitlines()
    assert at_factory == "[]"
    assert at_first_frame == "[] week pplx-light"
