"""Every test runs with its own config, data and state folders and no API key in sight."""

from __future__ import annotations

import gc
import json
import logging
import os
import socket
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

import pytest

from pplx_tui import paths
from pplx_tui.atomic import write_atomic
from pplx_tui.client.model_cache import CACHE_VERSION, cache_file
from pplx_tui.logs import LOGGER_NAME, setup_logging
from pplx_tui.providers import builtin_providers
from tests.support.agent_runs import AgentRunServer
from tests.support.cli import reset_process_state
from tests.support.loopback import LoopbackServer

pytest_plugins = ("tests.support.textual_once",)

KEY_VARIABLES = ("PERPLEXITY_API_KEY", "OPENROUTER_API_KEY", "GROQ_API_KEY")

_REWRITTEN_LIBRARIES = ("hypothesis", "syrupy", "anyio", "platformdirs")


def pytest_configure(config: pytest.Config) -> None:
    """pytest rewrites the asserts of every module of each package that ships a pytest plugin
    (the whole of hypothesis, syrupy, anyio...) as it is first imported, uncached under
    PYTHONDONTWRITEBYTECODE: hypothesis alone is ~1 s of each process's start (each xdist
    worker's), for asserts no test reads. What of them is imported from here on loads as plain
    modules; tests and conftest are rewritten as before."""
    # The tests keep their compiled code even where PYTHONDONTWRITEBYTECODE is set (as on the
    # development machine): else every run had each xdist worker rewrite and compile every test
    # module and most of pplx_tui again, 6.4 s of CPU a worker instead of 2.5 s. What is
    # written is __pycache__ in this checkout (git ignores it).
    sys.dont_write_bytecode = False
    hook = getattr(config.pluginmanager, "rewrite_hook", None)
    marked = getattr(hook, "_must_rewrite", None)
    if isinstance(marked, set):
        marked.difference_update(_REWRITTEN_LIBRARIES)
        hook._marked_for_rewrite_cache.clear()  # type: ignore[union-attr]


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point XDG folders (and HOME) at a temporary folder; remove real keys from the env (and
    after the test, any a test put there: :func:`tests.support.tui.use_key`) and the display a
    browser would open on; the demo answers without its pace; the terminal shows truecolor."""
    home = tmp_path / "home"
    for variable, folder in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        monkeypatch.setenv(variable, str(home / folder))
    monkeypatch.setenv("HOME", str(home))
    # The demo answers at once (its human pace is 8 ms a delta); a test of the pace sets it.
    monkeypatch.setenv("PPLX_DEMO_DELAY", "0")
    # A truecolor terminal, whatever runs the tests: the app keeps its colours readable in the
    # terminal's (theme_guard); a test of 256 or 16 colours sets TERM and unsets this.
    monkeypatch.setenv("COLORTERM", "truecolor")
    for variable in KEY_VARIABLES:
        monkeypatch.setenv(variable, "")  # recorded: whatever the test sets goes afterwards
        monkeypatch.delenv(variable)
    # No browser of the machine's opens: a source opened copies its URL instead (a test of
    # the browser names one of its own in $BROWSER).
    for variable in ("BROWSER", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(variable, raising=False)
    return home


@pytest.fixture
def model_lists_unread() -> None:
    """No live model list is cached when the test starts: a test of reading them asks for
    this (see :func:`model_lists_read_today`)."""


@pytest.fixture(autouse=True)
def model_lists_read_today(request: pytest.FixtureRequest, isolated_home: Path) -> None:
    """Each test starts as if the live model lists had been read today, with no new model in
    them: the app reads a missing or stale one when the picker opens, and no test opening it
    with a key reaches a provider's ``/models`` (or takes a reply queued for an answer) unless
    it asks for :func:`model_lists_unread`."""
    if "model_lists_unread" in request.fixturenames:
        return
    for provider in builtin_providers():
        if provider.live_model_list:
            listed = {
                "version": CACHE_VERSION,
                "provider": provider.name,
                "fetched_at": time.time(),
                "models": [asdict(model) for model in provider.models],
            }
            write_atomic(cache_file(provider.name), json.dumps(listed).encode(), make_folders=True)


@pytest.fixture(autouse=True, scope="session")
def writes_not_flushed_to_the_disk() -> Iterator[None]:
    """``os.fsync`` asks the disk to keep what was written through a power cut, which no test
    makes (a killed process's writes are in the kernel's cache either way): a no-op here. Each
    save syncs a file and its folder, 3-7 ms of waiting on a busy disk, thousands of saves a
    run. A test of a failing fsync still puts its own in place (``monkeypatch``)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "fsync", _not_flushed)
        yield


def _not_flushed(descriptor: int) -> None:
    os.fstat(descriptor)  # a closed or bad descriptor fails as fsync's would


@pytest.fixture(autouse=True, scope="session")
def start_up_frozen() -> Iterator[None]:
    """What is alive once the tests are collected (Textual, pydantic, the app's modules, the
    tests themselves) lives as long as the process: it goes to the collector's permanent
    generation (:func:`gc.freeze`), as ``pplx`` does with its start-up (``gc_hold``). Full
    collections (Python's own, and the app's once an answer is drawn) then walk what the tests
    made, not the whole process again: 0.2-0.6 s each here. What a test makes is collected as
    before (``gc.get_objects`` and leak checks see it).

    With the start-up frozen, Python's rule for a full pass (after 10 passes of generation 1,
    once the objects kept have grown by a quarter since the last full pass) counts only what
    the tests made: a quarter of a small heap, so a running app was walked whole every few
    hundred thousand allocations (24 full passes of 40-370 ms in 47 UI tests, a sixth of their
    CPU). Here a full pass comes after 100 passes of generation 1 (Python's default is 10): the
    same garbage is collected, later (a worker holds ~30 MB more at its peak); the app's own
    hold on full passes (``gc_quiet``) still works from whatever thresholds it finds."""
    gc.collect()
    gc.freeze()
    young, middle, full = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_PASS_AFTER)
    yield  # and frozen until the process ends (pytest's last collections are quick too)
    gc.set_threshold(young, middle, full)


FULL_PASS_AFTER = 100
"""Generation-1 passes between full passes in the test processes (Python's default is 10)."""


@pytest.fixture(autouse=True)
def no_widget_kept_by_textual() -> Iterator[None]:
    """Textual caches ``StylesCache.get_inner_outer`` with the cache object in the key (an
    ``lru_cache`` on a method), so the last 1,024 widgets' caches, every line they drew, stay
    alive after their app ends: the heap grew ~13,000 objects a test, and each full collection
    (Python's own, or the app's once an answer is drawn) walked them all, 0.3 s each by the
    end of a file. The cache is emptied after each test; what a test makes is collected."""
    yield
    from textual._styles_cache import StylesCache

    StylesCache.get_inner_outer.cache_clear()


@pytest.fixture(autouse=True)
def collector_thresholds_back() -> Iterator[None]:
    """An app that ends while its answer's full collections wait (:mod:`pplx_tui.ui.gc_quiet`:
    the pass is due a moment after the drawing, on a timer of that app) left the collector's
    generation-2 threshold at "never" for the tests after it: in a file run, their garbage
    piled up to 600,000 objects until a full pass walked them all (0.7 s). Each test starts,
    and leaves, with the suite's thresholds (:func:`start_up_frozen`)."""
    from pplx_tui.ui import gc_quiet

    gc_quiet.reset()
    yield
    gc_quiet.reset()


@pytest.fixture(autouse=True)
def no_full_pass_once_answers_are_drawn(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app's one full collection once an answer is drawn and the keys are idle
    (:mod:`pplx_tui.ui.gc_quiet`) waits past the test: in a test it walks only the test's own
    garbage, 50-300 ms with the event loop stopped, checking nothing (test_ui_gc_quiet, which
    checks it, sets its own wait). Held full passes come back with the thresholds after each
    test (:func:`collector_thresholds_back`). Seven UI test files: 40.3 -> 37.4 s CPU."""
    from pplx_tui.ui import gc_quiet

    monkeypatch.setattr(gc_quiet, "IDLE", 3600.0)


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text cursors stay lit (a blink would make frames depend on the clock)."""
    from textual.widgets import Input, TextArea

    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda self: None)


@pytest.fixture
def agent() -> Iterator[AgentRunServer]:
    """A loopback Agent API server that runs background answers (tests.support.agent_runs)."""
    server = AgentRunServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def debug_log(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """``pplx --debug``'s log, as ``pplx`` sets it up, in this test's state folder."""
    logger = logging.getLogger(LOGGER_NAME)
    monkeypatch.setattr(logger, "handlers", [])
    setup_logging(debug=True)
    yield paths.log_file()
    for handler in logger.handlers:
        handler.close()


@pytest.fixture
def steady_world(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """For snapshot tests: dates in UTC, and a working answer's elapsed time stays 0s (its
    progress clock stands still; a loaded machine would draw 1s)."""
    from pplx_tui.ui import answer_progress

    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setattr(answer_progress, "_source", lambda: 1000.0)
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


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


_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
_RESERVED_SUFFIXES = (".invalid", ".test", ".example", ".localhost")
"""Names that never resolve (RFC 2606): a test may look them up to see a failure."""


@pytest.fixture(autouse=True)
def no_internet(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test reaches past this machine: looking up another host fails the lookup and the test."""
    real_getaddrinfo = socket.getaddrinfo
    reached: list[str] = []

    def local_only(host: object, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        name = host.decode() if isinstance(host, bytes) else str(host)
        if host is None or name in _LOCAL_HOSTS:
            return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]
        if not name.endswith(_RESERVED_SUFFIXES):
            reached.append(name)
        raise socket.gaierror(socket.EAI_NONAME, f"tests reach no other host ({name})")

    monkeypatch.setattr(socket, "getaddrinfo", local_only)
    yield
    assert not reached, f"the test tried to reach {sorted(set(reached))}"
