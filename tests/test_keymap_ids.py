"""``[keymap]`` ids: a typo is told in one warning (QA-23: "app.pick_modle" = "f6" was
ignored without a word), and the table of ids the app knows, kept without importing the
dialogs, is every binding id the app's classes declare, with its keys."""

from __future__ import annotations

import importlib
import logging
import pkgutil
import re

import pytest
from textual.binding import Binding
from textual.dom import DOMNode

import pplx_tui.ui
from pplx_tui.config import Settings
from pplx_tui.ui.binding_defaults import DEFAULT_KEYS, SHARED_KEYS
from pplx_tui.ui.binding_ids import (
    BINDING_IDS,
    shadowed_keys_line,
    unknown_ids_line,
    unsent_keys_line,
)
from pplx_tui.ui.factory import make_app
from tests.support.tui import Notifications, until


def app_classes() -> list[type[DOMNode]]:
    """Every class in pplx_tui.ui that may bind keys (each module imported)."""
    for module in pkgutil.walk_packages(pplx_tui.ui.__path__, "pplx_tui.ui."):
        importlib.import_module(module.name)
    found: list[type[DOMNode]] = []
    classes = [DOMNode]
    while classes:
        cls = classes.pop()
        classes.extend(cls.__subclasses__())
        if cls.__module__.startswith("pplx_tui."):
            found.append(cls)
    return found


def declared_keys() -> dict[str, str]:
    """The ids of the bindings every class in pplx_tui.ui declares, with their keys."""
    found: dict[str, str] = {}
    for cls in app_classes():
        bindings = cls.__dict__.get("BINDINGS", [])
        found |= {b.id: b.key for b in bindings if isinstance(b, Binding) and b.id}
    return found


def test_the_known_ids_are_the_declared_ones_with_their_keys() -> None:
    assert declared_keys() == DEFAULT_KEYS
    assert frozenset(DEFAULT_KEYS) == BINDING_IDS


def test_the_ids_sharing_a_key_are_the_ones_one_class_binds_to_one_key() -> None:
    """Textual's keymap takes every binding of a class off a remapped one's old key:
    :func:`~pplx_tui.ui.keys_in_force.textual_keymap` puts back those sharing it, and
    a binding without an id shares none (it could not be put back)."""
    shared = set()
    for cls in app_classes():
        merged = cls._merged_bindings
        for bindings in merged.key_to_bindings.values() if merged else ():
            ids = frozenset(b.id for b in bindings)
            if len(bindings) > 1 and any(ids):
                assert None not in ids, (cls, bindings)
                shared.add(ids)
    assert shared == set(SHARED_KEYS)


def test_a_tooltip_names_only_known_ids_keys() -> None:
    """A tooltip names another binding's key as ``{id}`` (the key sheet and the palette say
    the key in force there): a typo would show as written."""
    named = {
        name
        for cls in app_classes()
        for binding in cls.__dict__.get("BINDINGS", [])
        if isinstance(binding, Binding)
        for name in re.findall(r"\{([^}]*)\}", binding.tooltip)
    }
    assert named and named <= BINDING_IDS


async def the_warning(keymap: dict[str, str], about: str) -> str:
    """The one warning with ``about`` in it that the app shows when started with ``keymap``."""
    notes = Notifications()
    app = make_app(settings=Settings(keymap=keymap), demo=True)
    async with app.run_test(size=(120, 30), message_hook=notes) as pilot:
        await until(pilot, lambda: any(about in text for text in notes.texts()))
    [warning] = [text for text in notes.texts("warning") if about in text]
    return warning


async def test_an_unknown_keymap_id_is_one_warning_naming_it() -> None:
    keymap = {"app.pick_modle": "f6", "research.new_chat": "f3", "confirm.yes": "y"}
    warning = await the_warning(keymap, "keymap")
    assert "'app.pick_modle'" in warning and "app.pick_model" in warning
    assert "research.new_chat" not in warning and "confirm.yes" not in warning


async def test_a_keymap_of_known_ids_says_nothing() -> None:
    notes = Notifications()
    app = make_app(settings=Settings(keymap={"images.open": "O"}), demo=True)
    async with app.run_test(size=(120, 30), message_hook=notes) as pilot:
        await pilot.pause()
        assert not [text for text in notes.texts() if "keymap" in text]


async def test_a_key_the_question_box_keeps_is_one_warning_naming_it() -> None:
    """QA-41: "app.pick_model" = "f6" was shown in the palette, while f6 in the question box
    selected the line (TextArea's own key) and the key bar dropped "Model"."""
    keymap = {"app.pick_model": "f6", "research.new_chat": "ctrl+y", "research.keys": "f3"}
    warning = await the_warning(keymap, "question box")
    assert "f6 (Select line) for 'app.pick_model'" in warning
    assert "ctrl+y (Redo) for 'research.new_chat'" in warning
    assert "f3" not in warning


async def test_a_key_no_terminal_sends_is_one_warning_naming_it() -> None:
    """QA: "app.pick_model" = "ctrl+shift+alt+zz" (or "ctrl+0o") was taken without a word:
    ctrl+o no longer opened the model picker, and no key did."""
    keymap = {
        "app.pick_model": "ctrl+shift+alt+zz",
        "research.keys": "f3,ctrl+question_mark",
        "research.new_chat": "ctrl+y",
        "conversation.copy_answer": "W",
        "sources.open": "enter,space,slash",
    }
    warning = await the_warning(keymap, "no key")
    assert "'ctrl+shift+alt+zz' for 'app.pick_model'" in warning
    for fine in (
        "'f3'",
        "'ctrl+question_mark'",
        "'ctrl+y'",
        "'W'",
        "'space'",
        "'enter'",
        "'slash'",
    ):
        assert fine not in warning, fine


def test_thousands_of_unknown_ids_are_one_short_warning() -> None:
    """A keymap of 5,000 unknown ids (or one id of 100,000 characters) was one toast of them
    all: a few are named, each cut short, and the rest counted."""
    keymap = {"x" * 100_000: "f6", **{f"app.nothing_{n}": "f6" for n in range(5_000)}}
    line = unknown_ids_line(keymap)
    assert line is not None and len(line) < 400
    assert "and 4997 more" in line and "'app.nothing_0'" in line


def test_thousands_of_unsent_keys_are_one_short_warning() -> None:
    keymap = {"app.pick_model": ",".join(f"zz{n}" for n in range(5_000)), "app.add_key": "q" * 9999}
    line = unsent_keys_line(keymap)
    assert line is not None and len(line) < 400
    assert "'zz0' for 'app.pick_model'" in line and "and 4997 more" in line


def test_many_keys_the_question_box_keeps_are_one_short_warning() -> None:
    keymap = {name: "ctrl+y,ctrl+z,ctrl+a,ctrl+e,f6" for name in BINDING_IDS}
    line = shadowed_keys_line(keymap)
    assert line is not None and len(line) < 500 and "more" in line


async def test_an_empty_key_list_is_one_warning_naming_it() -> None:
    """`"app.pick_model" = ""` was taken without a word (Textual keeps the default key, ctrl+o,
    of a binding given none; `","` left it with no key at all): both keep it, and say so."""
    keymap = {"app.pick_model": "", "research.new_chat": ",", "research.keys": "f3"}
    warning = await the_warning(keymap, "no key listed")
    assert "'research.new_chat'" in warning
    assert "'app.pick_model'" in warning and "research.keys" not in warning
    assert "keeps its default" in warning


async def test_the_log_names_every_key_a_warning_only_counts(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """QA: five keys other actions have made a toast ending "and 1 more — see pplx.log", and
    the log's line ended "and 1 more" too: the fifth was named nowhere."""
    keymap = {
        "research.new_chat": "f8",
        "research.toggle_chats": "f8",
        "conversation.copy_answer": "m",
        "research.keys": "ctrl+p",
        "research.toggle_sources": "escape",
    }
    with caplog.at_level(logging.WARNING, logger="pplx_tui"):
        warning = await the_warning(keymap, "not taken")
    assert "and 1 more" in warning
    [logged] = [r.getMessage() for r in caplog.records if "not taken" in r.getMessage()]
    assert "more" not in logged
    for name, key in keymap.items():
        assert f"{key!r} for {name!r}" in logged, (key, name)
