"""Every test runs with its own config, data and state folders and no API key in sight."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.cli import reset_process_state
from tests.support.loopback import LoopbackServer

KEY_VARIABLES = ("PERPLEXITY_API_KEY", "OPENROUTER_API_KEY", "GROQ_API_KEY")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point XDG folders (and HOME) at a temporary folder; remove real keys from the env."""
    home = tmp_path / "home"
    for variable, folder in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        monkeypatch.setenv(variable, str(home / folder))
    monkeypatch.setenv("HOME", str(home))
    for variable in KEY_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    return home


@pytest.fixture
def loopback() -> Iterator[LoopbackServer]:
    server = LoopbackServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def fresh_process_state() -> Iterator[None]:
    """Each test starts as a new process would: no log handler, no remembered key."""
    reset_process_state()
    yield
    reset_process_state()
