"""What the README tells a new user about the app is what the app does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pplx_tui.models import Chat
from pplx_tui.store import ChatNotFoundError, ChatStore, InvalidChatIdError
from pplx_tui.store.ids import new_chat_id
from pplx_tui.ui.commands import KEYED, UNKEYED
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.widgets.panes import CHATS_MIN_WIDTH, SOURCES_MIN_WIDTH

README = Path(__file__).resolve().parent.parent / "README.md"
# `ctrl+p` → "Theme", "Search settings" in the palette, the palette's "Export sources as …"
_NAMED = re.compile(r'(?:→ "([^"]+)"|"([^"]+)" in the palette|palette\'s "([^"]+)")')


def readme_palette_names() -> list[str]:
    names: list[str] = []
    for match in _NAMED.finditer(" ".join(README.read_text(encoding="utf-8").split())):
        first, *others = next(group for group in match.groups() if group).split(" / ")
        stem = first.rsplit(" ", 1)[0]
        names += [first, *(f"{stem} {other}" for other in others)]
    return names


async def test_every_palette_command_the_readme_names_exists() -> None:
    """QA: README said ctrl+p → "Change theme"; the palette found no such command."""
    names = readme_palette_names()
    assert len(names) >= 4, names
    app = make_app(demo=True)
    async with app.run_test():
        titles = {command.title for command in app.get_system_commands(app.screen)}
    titles |= set(KEYED.values()) | {title for title, _help, _action in UNKEYED}
    assert [name for name in names if name not in titles] == []


def test_the_app_section_says_when_panels_show_and_how_to_quit() -> None:
    """QA: README put "your chats on the left" with no word that they are hidden below 140
    columns (ctrl+b shows them), and named no quit key."""
    app_section = README.read_text(encoding="utf-8").split("## The app", 1)[1].split("\n## ", 1)[0]
    text = " ".join(app_section.split())
    assert f"{CHATS_MIN_WIDTH} columns" in text and f"{SOURCES_MIN_WIDTH} columns" in text
    assert "| `ctrl+q` | anywhere | quit" in text


def test_the_readme_says_what_a_shortened_chat_id_must_be() -> None:
    """QA: README said an id may be shortened to "any unique prefix"; ids begin with the time
    the chat was made, so chats made together share their first characters (``01m8tw``
    matched 6 chats). It says how many characters tell chats apart, and that only the start
    of an id is looked up; which is so."""
    text = " ".join(README.read_text(encoding="utf-8").split())
    assert "any unique prefix" not in text
    assert "eight characters tell apart chats made a second or more apart" in text
    assert "Only the start of an id is looked up, not its end" in text

    store = ChatStore()
    moment = 1_796_000_000_000  # ms
    ids = [new_chat_id(moment + offset) for offset in (0, 1_100, 40_000)]
    for chat_id in ids:
        store.save(Chat(id=chat_id))
    assert len({chat_id[:5] for chat_id in ids}) == 1  # made within a minute: five alike
    with pytest.raises(InvalidChatIdError, match="is the start of 3 chat ids"):
        store.resolve(ids[0][:5])
    assert [store.resolve(chat_id[:8].upper()) for chat_id in ids] == ids
    with pytest.raises(ChatNotFoundError):
        store.resolve(ids[0][-6:])  # the end of an id: not looked up
