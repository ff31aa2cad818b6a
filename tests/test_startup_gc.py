"""Start-up holds the cyclic garbage collector (issue 12: ~80 ms of a start-up were full
collections over the freshly imported modules) and always hands it back."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from pplx_tui import gc_hold
from tests.support.cli import pplx


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    """Nothing frozen while the test runs (conftest freezes the test process's start-up: it is
    given back, and frozen again after), and the collector enabled after."""
    frozen = gc.get_freeze_count()
    gc.unfreeze()
    yield
    gc_hold.resume()
    gc.enable()
    gc.unfreeze()
    if frozen:
        gc.collect()
        gc.freeze()


def test_hold_pauses_and_release_freezes_what_start_up_made() -> None:
    gc_hold.hold()
    assert not gc.isenabled()
    made = [[] for _ in range(10)]
    gc_hold.release()
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(made)


def test_release_without_hold_changes_nothing() -> None:
    gc.disable()  # someone else's choice (a profiler, a test) is left alone
    gc_hold.release()
    assert not gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_a_command_hands_the_collector_back_unfrozen() -> None:
    result = pplx("chats", "list")
    assert result.returncode == 0
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
