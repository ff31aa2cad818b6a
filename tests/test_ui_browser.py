"""Opening a source goes to the browser the user named in ``$BROWSER`` (QA: a script, wslview)."""

from __future__ import annotations

import time
import webbrowser
from pathlib import Path

import pytest

from tests.support.tui import demo_app, until


def _fresh_browser_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """``webbrowser`` reads ``$BROWSER`` once per process: let it read this test's."""
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    monkeypatch.setattr(webbrowser, "_browsers", {})
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)


def _use_browser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, then: str = ""
) -> Path:
    """Name in ``$BROWSER`` a command ``name`` that writes the URL it is given to a log file
    (returned), then runs the shell lines ``then``."""
    log = tmp_path / "opened.log"
    script = tmp_path / name
    script.write_text(f'#!/bin/sh\necho "$1" >> {log}\n{then}')
    script.chmod(0o755)
    _fresh_browser_registry(monkeypatch)
    monkeypatch.setenv("BROWSER", str(script))
    return log


async def test_a_browser_named_in_BROWSER_opens_the_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = _use_browser(tmp_path, monkeypatch, "open-in-windows")
    app = demo_app()
    async with app.run_test(size=(120, 30)) as pilot:
        app.open_url("https://example.org/page")
        await until(pilot, lambda: log.exists(), what="the BROWSER command never ran")
        assert log.read_text() == "https://example.org/page\n"
        assert app.clipboard != "https://example.org/page"


async def test_a_console_browser_in_BROWSER_does_not_take_over_the_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = _use_browser(tmp_path, monkeypatch, "lynx")
    app = demo_app()
    async with app.run_test(size=(120, 30)) as pilot:
        app.open_url("https://example.org/page")
        await pilot.pause()
        assert app.clipboard == "https://example.org/page"
        assert not log.exists()


async def test_a_browser_command_that_waits_does_not_freeze_the_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A $BROWSER wrapper may wait for the browser it starts (``firefox "$1"`` when no Firefox
    runs yet): webbrowser waits for the command, and it ran on the app's event loop."""
    done = tmp_path / "done"
    wait = f"for i in $(seq 200); do [ -f {done} ] && exit 0; sleep 0.05; done\n"
    log = _use_browser(tmp_path, monkeypatch, "open-and-wait", then=wait)
    app = demo_app()
    async with app.run_test(size=(120, 30)) as pilot:
        started = time.monotonic()
        app.open_url("https://example.org/page")
        assert time.monotonic() - started < 5  # the command waits up to 10 s
        await until(pilot, lambda: log.exists(), what="the BROWSER command never ran")
        done.touch()
        await app.workers.wait_for_complete()


async def test_what_the_browser_prints_does_not_reach_the_screen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """Browsers write to the terminal they were started from (Chrome's "Opening in existing
    browser session.", GTK warnings; seen: a $BROWSER command's echo over the answer), which is
    the screen the app draws: they are started with their output going nowhere."""
    chatty = 'echo "BROWSER-OUT $1"\necho "BROWSER-ERR" >&2\n'
    log = _use_browser(tmp_path, monkeypatch, "chatty-browser", then=chatty)
    app = demo_app()
    async with app.run_test(size=(120, 30)) as pilot:
        app.open_url("https://example.org/page")
        await until(pilot, lambda: log.exists(), what="the BROWSER command never ran")
        await app.workers.wait_for_complete()
    assert log.read_text() == "https://example.org/page\n"
    printed = capfd.readouterr()
    assert "BROWSER-" not in printed.out + printed.err
