"""A ``[keymap]`` value that is not text (``"research.retry" = 5``) is refused alone, with one
warning, as an unknown id is: QA saw the whole config.toml ignored for it (the app on the demo
saying "No API key yet" beside a key, and the keymap's other warnings gone)."""

from __future__ import annotations

from pplx_tui import paths
from pplx_tui.ui.factory import make_app
from tests.support.cli import KEY, pplx
from tests.support.tui import Notifications, until
from tests.test_keymap_in_force import key_bar, key_sheet, keys_for

CONFIG = f"""\
[providers.openrouter]
api_key = "{KEY}"

[keymap]
"research.retry" = 5
"research.toggle_sources" = ["f5"]
"research.new_chat" = "f9"
"app.pick_modle" = "f2"
"""


def write_config() -> None:
    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(CONFIG)
    config.chmod(0o600)


async def test_a_keymap_value_that_is_not_text_is_refused_alone() -> None:
    write_config()
    notes = Notifications()
    app = make_app()
    async with app.run_test(size=(120, 40), message_hook=notes) as pilot:
        await until(pilot, lambda: "f9 New" in key_bar(app))
        assert app.target.provider.name == "openrouter"
        assert not notes.texts("error"), notes
        warned = "\n".join(notes.texts("warning"))
        assert "'research.retry' (got 5), 'research.toggle_sources' (got [\"f5\"])" in warned
        assert "must be text in quotes" in warned, warned
        assert "'app.pick_modle'" in warned, warned  # the keymap's other warnings stay
        rows = await key_sheet(pilot)
        assert keys_for(rows, "Ask the last question again") == "^r"
        assert "^s Sources" in key_bar(app)


def test_pplx_ask_is_not_stopped_by_a_keymap_value_that_is_not_text() -> None:
    write_config()
    result = pplx("ask", "--demo", "What is TCP?", key=None)
    assert result.returncode == 0, result.stderr
