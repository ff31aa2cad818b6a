"""Opening a source goes to the browser the user named in ``$BROWSER`` (QA: a script, wslview)."""

from __future__ import annotations

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


def _logging_browser(tmp_path: Path, name: str) -> tuple[Path, Path]:
    """A browser command ``name`` that writes the URL it is given to a log file."""
    log = tmp_path / "opened.log"
    script = tmp_path / name
    script.write_text(f'#!/bin/sh\necho "$1" >> {log}\n')
    script.chmod(0o755)
    return script, log


async def test_a_browser_named_in_BROWSER_opens_the_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script, log = _logging_browser(tmp_path, "open-in-windows")
    _fresh_browser_registry(monkeypatch)
    monkeypatch.setenv("BROWSER", str(script))
    app = demo_app()
    async with app.run_test(size=(120, 30)) as pilot:
        app.open_url("https://example.org/page")
        await until(pilot, lambda: log.exists(), what="the BROWSER command never ran")
        assert log.read_text() == "https://example.org/page\n"
        assert app.clipboard != "https://example.org/page"


async def test_a_console_browser_in_BROWSER_does_not_take_over_the_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script, log = _logging_browser(tmp_path, "lynx")
    _fresh_browser_registry(monkeypatch)
    monkeypatch.setenv("BROWSER", str(script))
    app = demo_app()
    async with app.run_test(size=(120, 30)) as pilot:
        app.open_url("https://example.org/page")
        await pilot.pause()
        assert app.clipboard == "https://example.org/page"
        assert not log.exists()
