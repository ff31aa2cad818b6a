"""The open chat exported as Markdown from the app (a new researcher found only the sources'
reference formats in the palette; the conversation itself needed `pplx chats export`)."""

from __future__ import annotations

import stat
import threading
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Static

from pplx_tui.models import Message, Source
from pplx_tui.store import ChatStore
from pplx_tui.ui.factory import make_app
from tests.support.answers import reply
from tests.support.loopback import LoopbackServer
from tests.support.tui import (
    Notifications,
    ask,
    loopback_app,
    on_screen,
    palette_text,
    type_text,
    until,
    workspace,
)
from tests.support.waits import TIMEOUT


async def export_dialog(pilot: Pilot[Any], fmt: str = "md") -> Screen[Any]:
    """Ask a question, then open the export dialog for ``fmt``: the dialog."""
    app = pilot.app
    await ask(pilot, "How many moons?")
    workspace(app).action_export_sources(fmt)
    await until(pilot, lambda: bool(app.screen.query("RenameScreen Input")))
    return app.screen


async def refused(pilot: Pilot[Any], dialog: Screen[Any], name: str) -> str:
    """Enter ``name`` as the file in ``dialog``: why it is refused (the dialog stays open)."""
    dialog.query_one(Input).value = name
    await pilot.press("enter")
    error = dialog.query_one("#rename-error", Static)
    await until(pilot, lambda: error.display)
    assert pilot.app.screen is dialog
    return str(error.content)


async def test_the_palette_exports_the_chat_as_markdown(
    loopback: LoopbackServer, tmp_path: Path
) -> None:
    loopback.queue(reply("Two moons [1].", "https://nasa.gov/mars"))
    app = loopback_app(loopback)
    target = tmp_path / "exports" / "mars" / "moons.md"  # folders made as needed, owner-only
    notes = Notifications()
    async with app.run_test(size=(150, 40), message_hook=notes) as pilot:
        screen = workspace(app)
        listed = await palette_text(pilot, "export chat", "every alternative answer and branch")
        assert "Export chat as Markdown" in listed
        await ask(pilot, "How many moons?")
        screen.action_export_sources("md")
        await until(pilot, lambda: bool(app.screen.query("RenameScreen Input")))
        field = app.screen.query_one(Input)
        assert field.value == str(Path.cwd() / "how-many-moons.md")
        field.value = str(target)
        await pilot.press("enter")
        await until(pilot, target.exists)
        await until(
            pilot, lambda: any(f"Wrote the chat (Markdown) to {target}" in t for t in notes.texts())
        )
    text = target.read_text(encoding="utf-8")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    assert (
        "How many moons?" in text and "Two moons [1]." in text and "https://nasa.gov/mars" in text
    )


async def test_the_palette_exports_the_chat_as_json_that_imports_back(
    loopback: LoopbackServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """QA: the palette had Markdown and the reference formats, not the chat file's JSON that
    `pplx chats export --format json` writes (and `pplx chats import` reads)."""
    from pplx_tui.store import ChatStore
    from tests.support.cli import chats_main

    loopback.queue(reply("Two moons [1].", "https://nasa.gov/mars"))
    app = loopback_app(loopback)
    target = tmp_path / "moons.json"
    notes = Notifications()
    async with app.run_test(size=(150, 40), message_hook=notes) as pilot:
        listed = await palette_text(pilot, "export chat as json", "pplx chats import")
        assert "Export chat as JSON" in listed
        dialog = await export_dialog(pilot, "json")
        field = dialog.query_one(Input)
        assert field.value == str(Path.cwd() / "how-many-moons.json")
        field.value = str(target)
        await pilot.press("enter")
        await until(
            pilot, lambda: any(f"Wrote the chat (JSON) to {target}" in t for t in notes.texts())
        )
        chat = workspace(app).chat
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert chats_main(capsys, "export", chat.id, "--format", "json")[1].encode() == (
        target.read_bytes()
    )
    ChatStore().delete(chat.id)
    assert chats_main(capsys, "import", str(target))[:2] == (0, f"{chat.id}\n")


async def test_a_path_that_cannot_be_written_keeps_the_dialog_open_with_the_reason(
    loopback: LoopbackServer, tmp_path: Path
) -> None:
    """QA-38: the dialog closed before the file was written; a bad folder lost the typed path
    to a toast. The write is tried on Enter: a failure stays in the dialog, with why."""
    loopback.queue(reply("Two moons [1].", "https://nasa.gov/mars"))
    app = loopback_app(loopback)
    blocker = tmp_path / "notes.txt"  # a file where the folder would be: no folder made
    blocker.write_text("mine", encoding="utf-8")
    missing = blocker / "moons.md"
    target = tmp_path / "moons.md"
    notes = Notifications()
    async with app.run_test(size=(150, 40), message_hook=notes) as pilot:
        screen = workspace(app)
        dialog = await export_dialog(pilot)
        await type_text(pilot, str(missing))
        await pilot.press("enter")
        error = dialog.query_one("#rename-error", Static)
        await until(pilot, lambda: error.display)
        assert app.screen is dialog
        assert dialog.query_one(Input).value == str(missing)
        assert str(error.content) == f"Could not write {missing}: Not a directory."
        await until(pilot, lambda: on_screen(app, "Not a directory."))
        assert blocker.read_text(encoding="utf-8") == "mine"
        assert notes.texts("error") == []

        dialog.query_one(Input).value = str(target)
        await until(pilot, lambda: not error.display)  # an edit clears the reason
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is screen)
        assert target.exists()
        await until(
            pilot, lambda: any(f"Wrote the chat (Markdown) to {target}" in t for t in notes.texts())
        )


async def test_a_file_name_ending_in_a_slash_is_refused_not_written_as_a_file(
    loopback: LoopbackServer, tmp_path: Path
) -> None:
    """`~/exports/` wrote a file named `exports` (the slash was dropped)."""
    loopback.queue(reply("Two moons [1].", "https://nasa.gov/mars"))
    app = loopback_app(loopback)
    folder = f"{tmp_path / 'exports'}/"
    async with app.run_test(size=(150, 40)) as pilot:
        dialog = await export_dialog(pilot)
        reason = await refused(pilot, dialog, folder)
        assert reason == f"Could not write {folder}: it names a folder, not a file."
    assert not (tmp_path / "exports").exists()


async def test_a_variable_in_the_file_name_is_expanded_as_a_shell_would(
    loopback: LoopbackServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`$NOTES/moons.md` made a folder named `$NOTES` in the current folder (missing folders
    are made), while the toast named the path as typed."""
    loopback.queue(reply("Two moons [1].", "https://nasa.gov/mars"))
    notes = tmp_path / "notes"
    notes.mkdir()
    monkeypatch.setenv("PPLX_QA_NOTES", str(notes))
    monkeypatch.chdir(tmp_path)
    app = loopback_app(loopback)
    async with app.run_test(size=(150, 40)) as pilot:
        screen = workspace(app)
        dialog = await export_dialog(pilot)
        dialog.query_one(Input).value = "$PPLX_QA_NOTES/moons.md"
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is screen)
    assert (notes / "moons.md").exists()
    assert not (tmp_path / "$PPLX_QA_NOTES").exists()


async def test_an_empty_file_name_is_refused_in_words_that_fit_an_export(
    loopback: LoopbackServer,
) -> None:
    loopback.queue(reply("Two moons [1].", "https://nasa.gov/mars"))
    app = loopback_app(loopback)
    async with app.run_test(size=(150, 40)) as pilot:
        dialog = await export_dialog(pilot, "bibtex")
        assert await refused(pilot, dialog, "  ") == "The file name cannot be empty."


@pytest.mark.parametrize(
    ("fmt", "name"), [("md", "how-many-moons.md"), ("ris", "how-many-moons.ris")]
)
async def test_the_file_offered_is_named_after_the_chat_title(
    loopback: LoopbackServer, fmt: str, name: str
) -> None:
    """QA: the file offered was named by the chat's id (01m8sp6hhd8dxrn4.md), which says
    nothing in a folder of exports; the chat's title does."""
    loopback.queue(reply("Two moons [1].", "https://nasa.gov/mars"))
    app = loopback_app(loopback)
    async with app.run_test(size=(150, 40)) as pilot:
        dialog = await export_dialog(pilot, fmt)
        assert dialog.query_one(Input).value == str(Path.cwd() / name)


async def test_a_file_that_exists_is_replaced_only_after_a_second_enter(
    loopback: LoopbackServer, tmp_path: Path
) -> None:
    """QA: the file offered is named after the chat's title (notes.md for a chat titled
    "Notes"), and Enter replaced a file of that name without a word."""
    loopback.queue(reply("Two moons [1].", "https://nasa.gov/mars"))
    mine = tmp_path / "how-many-moons.md"
    mine.write_text("my own notes", encoding="utf-8")
    app = loopback_app(loopback)
    async with app.run_test(size=(150, 40)) as pilot:
        screen = workspace(app)
        dialog = await export_dialog(pilot)
        field = dialog.query_one(Input)
        field.value = str(mine)
        reason = await refused(pilot, dialog, str(mine))
        assert reason == f"{mine} exists: Enter again replaces it."
        assert mine.read_text(encoding="utf-8") == "my own notes"
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is screen)
    assert "Two moons [1]." in mine.read_text(encoding="utf-8")


async def test_an_export_is_written_in_a_worker_while_the_app_takes_keys(
    loopback: LoopbackServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QA: BibTeX of an answer with 10,000 sources took a minute on the app's thread: the
    dialog stayed and ctrl+n was ignored until it was written. The export is written in a
    thread worker: held there (by a gate), the dialog says it is writing, Escape closes it,
    ctrl+n opens a new chat; released, the chat that was open is written and a toast says so."""
    from pplx_tui import export_file

    gate = threading.Event()
    writers: list[threading.Thread] = []
    write = export_file.write_export

    def held(typed: str, data: bytes) -> Path:
        writers.append(threading.current_thread())
        if writers[-1] is not threading.main_thread():  # (the app's thread would never wake)
            gate.wait(timeout=TIMEOUT)
        return write(typed, data)

    monkeypatch.setattr(export_file, "write_export", held)
    loopback.queue(reply("Two moons [1].", "https://nasa.gov/mars"))
    target = tmp_path / "moons.bib"
    notes = Notifications()
    app = loopback_app(loopback)
    async with app.run_test(size=(150, 40), message_hook=notes) as pilot:
        screen = workspace(app)
        dialog = await export_dialog(pilot, "bibtex")
        dialog.query_one(Input).value = str(target)
        await pilot.press("enter")
        await until(pilot, lambda: bool(writers))
        assert writers[0] is not threading.main_thread()
        await until(pilot, lambda: on_screen(app, "writing… · esc closes this"))
        assert app.screen is dialog

        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)
        await pilot.press("ctrl+n")
        await until(pilot, lambda: screen.chat.messages == [])
        assert not target.exists() and notes.texts() == []

        gate.set()
        await until(pilot, lambda: any("Wrote 1 source (BibTeX)" in t for t in notes.texts()))
    assert "https://nasa.gov/mars" in target.read_text(encoding="utf-8")


async def test_a_chat_whose_sources_have_no_web_link_has_no_references_to_export() -> None:
    """A source whose link is not http(s) (``mailto:``) is no reference: the chat holding only
    such has none to export, as ``pplx chats export`` says (the dialog wrote an empty file)."""
    store = ChatStore()
    chat = store.new_chat()
    chat.add(Message(role="user", content="Who wrote it?"))
    mail = Source(index=1, url="mailto:author@example.org", title="The author")
    chat.add(Message(role="assistant", content="The author [1].", sources=[mail]))
    store.save(chat)
    notes = Notifications()
    app = make_app(chat_id=chat.id)
    async with app.run_test(size=(120, 30), message_hook=notes) as pilot:
        workspace(app).action_export_sources("bibtex")
        await until(pilot, lambda: any("no sources to export yet" in t for t in notes.texts()))
        assert len(app.screen_stack) == 1  # no dialog asks where to write nothing


async def test_the_export_dialogs_key_bar_offers_enter_to_save(
    loopback: LoopbackServer, tmp_path: Path
) -> None:
    """QA: the key bar under the export dialog showed only ``esc Cancel`` while the dialog said
    ``enter save · esc cancel``: it offers Enter too, and a click on it saves."""
    from pplx_tui.ui.widgets.key_bar import KeyBar
    from tests.support.tui import screen_lines

    loopback.queue(reply("Two moons [1].", "https://nasa.gov/mars"))
    app = loopback_app(loopback)
    target = tmp_path / "moons.bib"
    async with app.run_test(size=(100, 30)) as pilot:
        screen = workspace(app)
        dialog = await export_dialog(pilot, "bibtex")
        await pilot.pause()
        assert on_screen(app, "enter save · esc cancel")
        bar = screen_lines(app)[-1]
        assert bar.strip() == "⏎ Save  esc Cancel"

        dialog.query_one(Input).value = str(target)
        await pilot.click(dialog.query_one(KeyBar), offset=(bar.index("⏎") + 1, 0))
        await until(pilot, lambda: app.screen is screen)
        assert target.read_text(encoding="utf-8").startswith("% Sources of the pplx-tui chat")
