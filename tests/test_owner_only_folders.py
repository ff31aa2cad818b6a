"""Every folder the app makes for the user is owner-only (0700) from the moment it is made:
the data folder and its chats, the state folder (the log), the config folder, the cache folder,
and any missing folder above them (the XDG folders themselves, as the XDG spec asks). A folder
the user made is left as they made it: the app makes folders, it never changes one."""

from __future__ import annotations

import asyncio
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from pplx_tui import paths
from pplx_tui.client.model_cache import refresh_models
from pplx_tui.config import update_config
from pplx_tui.store import ChatStore
from tests.support.chat_client import client_for
from tests.support.chats import titled_chat
from tests.support.cli import pplx
from tests.support.loopback import LoopbackServer, json_reply


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The umask most systems give a user (022): a plain ``mkdir`` makes a folder 0755."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def modes(home: Path) -> dict[str, str]:
    folders = [home, *(p for p in home.rglob("*") if p.is_dir())]
    return {str(p.relative_to(home.parent)): oct(stat.S_IMODE(p.stat().st_mode)) for p in folders}


async def cache_models(loopback: LoopbackServer) -> None:
    async with client_for(loopback) as client:
        await refresh_models(client, "openrouter")


@pytest.mark.usefixtures("model_lists_unread")  # the home is made here
def test_every_folder_the_app_makes_is_owner_only(
    isolated_home: Path, loopback: LoopbackServer, usual_umask: None
) -> None:
    assert not isolated_home.exists()
    saved = pplx("ask", "--demo", "--save", "How many moons has Mars?", key=None)
    assert saved.returncode == 0, saved.stderr  # the data and chats folders, the log's folder
    update_config({"last_model": "demo:demo/sonar"})  # the config folder
    loopback.queue(json_reply(200, {"data": [{"id": "perplexity/sonar", "name": "Sonar"}]}))
    asyncio.run(cache_models(loopback))  # the cache folder

    made = modes(isolated_home)
    for folder in (paths.data_dir(), paths.chats_dir(), paths.state_dir(), paths.config_dir()):
        assert str(folder.relative_to(isolated_home.parent)) in made
    assert str(paths.cache_dir().relative_to(isolated_home.parent)) in made
    assert made == dict.fromkeys(made, "0o700"), made


def test_a_data_folder_the_user_made_keeps_its_mode(usual_umask: None) -> None:
    paths.data_dir().mkdir(parents=True)
    paths.data_dir().chmod(0o750)  # shared with a group on purpose

    store = ChatStore()
    titled_chat(store, "Moons")

    assert stat.S_IMODE(paths.data_dir().stat().st_mode) == 0o750
    assert stat.S_IMODE(paths.chats_dir().stat().st_mode) == 0o700
