"""A start warning's paths as a user reads them in the toast: the home folder as ``~`` (QA:
at 80x24 ``/home/alice/.config/pplx-tui/config.toml`` took two rows each time it was named)
and a path too long for a row broken after a ``/``, never inside a name ("confi" / "g.toml")."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from textual.widgets._toast import Toast

from pplx_tui import paths
from pplx_tui.ui.factory import make_app
from tests.support.tui import screen_lines, until


def readable_config() -> Path:
    """config.toml (with a key) readable by other users."""
    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[providers.perplexity]\napi_key = "pplx-not-a-real-key-0123"\n')
    config.chmod(0o644)
    return config


async def toast_rows(size: tuple[int, int]) -> list[str]:
    """The rows of the start toast's text as the screen shows them."""
    app = make_app(demo=True)
    async with app.run_test(size=size, notifications=True) as pilot:
        await until(pilot, lambda: bool(app.screen.query(Toast)))
        await pilot.pause()
        (toast,) = app.screen.query(Toast)
        region = toast.content_region
        lines = screen_lines(app)
    rows = [line[region.x : region.right].strip() for line in lines[region.y : region.bottom]]
    return [row for row in rows if row]


def read_back(rows: list[str]) -> str:
    """The toast's words, its rows joined: a row ending in ``/`` goes on in the next."""
    return re.sub(r"/ ", "/", " ".join(rows))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_chmod_warning_names_the_home_folder_as_a_tilde(
    size: tuple[int, int], isolated_home: Path
) -> None:
    config = readable_config()
    shown = "~/" + str(config.relative_to(isolated_home))

    rows = await toast_rows(size)

    said = f"{shown} is readable by other users; run: chmod 600 {shown}"
    assert " ".join(rows) == said, rows
    assert Path(shown).expanduser() == config  # (the command still works as typed)
    assert not any("pplx-not-a-real-key" in row for row in rows)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_path_longer_than_a_row_is_broken_after_a_slash(
    size: tuple[int, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A config folder outside the home folder keeps its whole path (longer than the toast's
    rows, 36 columns at 80x24): its rows break between folders, the command whole."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "elsewhere"))
    config = readable_config()
    assert not str(config).startswith(os.path.expanduser("~"))
    assert len(str(config)) > 57  # (the toast's rows at 120x40)

    rows = await toast_rows(size)

    said = read_back(rows)
    assert said.endswith(f" is readable by other users; run: chmod 600 {config}"), rows
    assert said.startswith((f"{config} is", "config.toml is")), rows
    width = 36 if size == (80, 24) else 57
    assert all(len(row) <= width for row in rows), rows
