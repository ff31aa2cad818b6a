"""Every mistake of config.toml is found in one reading: type mistakes, values out of range,
unknown keys and checks across keys, each with its line, the same list in `pplx ask` and in the
app's start notice (QA: 17 mistakes took five rounds of fixing to see)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.widgets._toast import Toast

from pplx_tui import paths
from pplx_tui.config import ConfigError, load_settings
from pplx_tui.config_read import read_settings
from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.factory import make_app
from tests.support.tui import Notifications, screen_lines, until

SEVENTEEN = """\
theme = 3                                    # wrong
searhc = 1                                   # wrong
foo = 1                                      # wrong
default_model = "sonar"

[search]
recency = "fortnight"                        # wrong
domains = ["nature.com", "-reddit.com"]      # wrong
after_date = "2025-13-01"                    # wrong
return_related_questions = "yes"             # wrong

[sampling]
temperature = "hot"                          # wrong
top_p = 5                                    # wrong
max_tokens = 3                               # wrong
stop = "END"                                 # wrong
presence_penalty = 9                         # wrong

[limits]
max_line_mib = 0                             # wrong

[providers.gw]
base_url = "ftp://x.example"                 # wrong
api_kye = "x"                                # wrong
models = "sonar"                             # wrong

[providers.gw2]
base_url = "http://a b.example/v1"           # wrong
"""
WRONG = [n for n, line in enumerate(SEVENTEEN.splitlines(), 1) if line.endswith("# wrong")]


def write_config(text: str) -> Path:
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


def named_lines(message: str) -> list[int]:
    return [int(n) for n in re.findall(r"^(?:pplx: )?  line (\d+): ", message, re.MULTILINE)]


def test_seventeen_mistakes_are_said_in_one_run_of_pplx_ask() -> None:
    from tests.support.cli import pplx

    path = write_config(SEVENTEEN)

    result = pplx("ask", "--demo", "x")

    assert result.returncode == 2
    assert len(WRONG) == 17
    assert result.stderr.startswith(f"pplx: {path} has 17 mistakes:\n")
    assert named_lines(result.stderr) == WRONG, result.stderr
    assert "more" not in result.stderr
    for said in (
        "'top_p' in [sampling] must be a number from 0 to 1 (got 5)",
        "'max_tokens' in [sampling] must be a whole number from 16 to 1000000",
        "'domains' in [search]: ",
        "'return_related_questions' in [search] must be true or false (got \"yes\")",
        "unknown key 'api_kye' in [providers.gw]",
    ):
        assert said in result.stderr


def test_every_value_out_of_range_is_said_beside_the_other_mistakes() -> None:
    """QA: only the first range mistake of [sampling] was said, and none while a type was
    wrong."""
    path = write_config(
        'theme = 3\n[sampling]\ntop_p = 5\nmax_tokens = 3\ntemperature = 9\nstop = ["", "x"]\n'
        '[search]\ndomains = ["https://a.example", "nature.com", "-reddit.com"]\n'
        'after_date = "01/01/2025"\nbefore_date = "01/01/2020"\n'
    )

    for read in (load_settings, read_settings):
        with pytest.raises(ConfigError) as raised:
            read()
        lines = str(raised.value).splitlines()
        assert lines[0] == f"{path} has 8 mistakes:"
        assert named_lines(str(raised.value)) == [1, 3, 4, 5, 6, 8, 8, 9], lines


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[sampling]\ntemperature = "1.5"\n', "'temperature' in [sampling] must be a number"),
        ('[search]\nreturn_images = "yes"\n', "'return_images' in [search] must be true or false"),
        ("demo_notice = 1\n", "'demo_notice' must be true or false (got 1)"),
        ('daily_budget_usd = "2"\n', "'daily_budget_usd' must be a number"),
        ("[limits]\nmax_answer_chars = 10.0\n", "'max_answer_chars' in [limits] must be a whole"),
    ],
)
def test_a_quoted_number_or_yes_is_a_mistake_not_taken_as_meant(text: str, expected: str) -> None:
    """A demanding user wants `temperature = "hot"` and `related = "yes"` both said: a value of
    the wrong kind is said, whether or not it could be read as meant."""
    write_config(text)

    with pytest.raises(ConfigError, match=re.escape(expected)):
        load_settings()


@pytest.mark.parametrize("value", ["inf", "nan", "-inf"])
def test_a_daily_budget_that_is_no_amount_is_a_mistake(value: str) -> None:
    """QA: ``daily_budget_usd = inf`` was taken: no budget, said nowhere."""
    write_config(f"daily_budget_usd = {value}\n")

    with pytest.raises(ConfigError, match=re.escape("'daily_budget_usd' must be a number")):
        load_settings()


async def test_the_app_s_start_notice_counts_every_mistake_and_logs_them_all(
    debug_log: Path,
) -> None:
    path = write_config(SEVENTEEN)
    notes = Notifications()
    app = make_app(demo=True)
    async with app.run_test(size=(120, 40), message_hook=notes, notifications=True) as pilot:
        await until(pilot, lambda: bool(notes.texts("error")))
    (error,) = notes.texts("error")
    lines = error.splitlines()
    said = f"~/{path.relative_to(Path.home())}"  # (the home folder as ~; the log has it whole)
    assert lines[0] == f"{said} has 17 mistakes (using the default settings):"
    shown = named_lines(error)
    assert shown == WRONG[: len(shown)]
    assert lines[-1] == f"  and {17 - len(shown)} more mistakes — see pplx.log"
    assert named_lines(debug_log.read_text()) == WRONG


async def test_a_theme_no_one_has_is_said_with_the_file_s_other_mistakes() -> None:
    """QA: `theme = "no-such-theme"` in a file with other mistakes was not mentioned (the app
    started on the default settings and never looked at it)."""
    write_config('theme = "no-such-theme"\n[sampling]\ntop_p = 5\nmax_tokens = 3\n')
    notes = Notifications()
    app = make_app(demo=True)
    # (tall enough for both in the toast: the test's config.toml is under a long path)
    async with app.run_test(size=(160, 60), message_hook=notes, notifications=True) as pilot:
        await until(pilot, lambda: bool(notes.texts("error")))
        assert app.theme == "pplx-dark"
    (toast,) = notes.texts("error")
    assert "has 2 mistakes" in toast
    assert "no theme is named 'no-such-theme'" in toast


async def test_a_theme_that_exists_is_kept_when_the_file_has_other_mistakes() -> None:
    write_config('theme = "pplx-light"\n[sampling]\ntop_p = 5\n')
    app = make_app(demo=True)
    async with app.run_test(size=(80, 24), notifications=True):
        assert app.theme == "pplx-light"
        assert app.settings.sampling.top_p is None


def unhung(text: str) -> str:
    """The toast's text with each mistake whole again: its rows after the first (indented
    under its words) joined to it."""
    return text.replace("\n    ", " ")


def more(text: str) -> int:
    """N of the toast's "and N more mistakes — see pplx.log" for config.toml's list."""
    found = re.search(r"^  and (\d+) more mistakes? — see pplx\.log$", unhung(text), re.MULTILINE)
    return int(found[1]) if found else 0


async def shown_toast(app: PplxApp, size: tuple[int, int]) -> tuple[str, int]:
    """The start toast's text and its height on a screen of ``size``."""
    notes = Notifications()
    async with app.run_test(size=size, message_hook=notes, notifications=True) as pilot:
        await until(pilot, lambda: bool(app.screen.query(Toast)))
        await pilot.pause()
        (toast,) = app.screen.query(Toast)
        height = toast.region.height
    (text,) = notes.texts("error")
    return text, height


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60)])
async def test_the_config_list_is_cut_to_a_third_of_the_screen(size: tuple[int, int]) -> None:
    """QA: at 80x24 the list of mistakes took 22 of 24 rows, over the input box; it is cut to
    what fits in a third of the screen, the others counted (the log has them all)."""
    write_config(SEVENTEEN)

    text, height = await shown_toast(make_app(demo=True), size)

    assert height <= size[1] // 3, text
    assert len(named_lines(text)) + more(text) == 17, text
    assert len(named_lines(text)) <= 5


@pytest.mark.parametrize("size", [(120, 40), (200, 60)])
async def test_the_config_list_leaves_room_for_the_theme_warning(size: tuple[int, int]) -> None:
    """QA: the list took the toast's third of the screen and the unknown theme's warning was
    only counted ("and 1 more — see pplx.log"), even at 200x60."""
    write_config(SEVENTEEN.replace("theme = 3 ", 'theme = "nope"'))

    text, height = await shown_toast(make_app(demo=True), size)

    assert height <= size[1] // 3, text
    assert "no theme is named 'nope'" in text, text
    assert "\nand 1 more" not in text, text
    assert len(named_lines(text)) + more(text) == 16, text


async def test_a_value_out_of_range_names_its_key_once_in_the_app_s_notice() -> None:
    """QA: "'top_p' in [sampling]: top_p must be a number from 0 to 1" said the key twice."""
    write_config("[sampling]\ntop_p = 5\nmax_tokens = 3\n")
    notes = Notifications()
    app = make_app(demo=True)
    async with app.run_test(size=(120, 40), message_hook=notes, notifications=True) as pilot:
        await until(pilot, lambda: bool(notes.texts("error")))
    (hung,) = notes.texts("error")
    toast = unhung(hung)
    assert "  line 2: 'top_p' in [sampling] must be a number from 0 to 1 (got 5)\n" in toast
    assert "  line 3: 'max_tokens' in [sampling] must be a whole number from 16 to" in toast
    assert "]: " not in toast


async def test_at_80x24_the_list_shows_a_mistake_beside_an_unknown_theme() -> None:
    """QA: at 80x24 the whole path of config.toml took the toast's rows (its bullet alone on a
    row), no mistake was listed ("and 3 more") and the theme's warning was only counted. The
    toast names the file (the log keeps its path) and shows the theme's warning, the list
    cut to its count for it (QA: the chosen theme's warning was pushed out)."""
    path = write_config(
        'theme = "nope"\n[sampling]\ntop_p = 5\nmax_tokens = 3\ntemperature = "hot"\n'
    )

    text, height = await shown_toast(make_app(demo=True), (80, 24))

    assert height <= 24 // 3, text
    assert len(named_lines(text)) + more(text) in (0, 3), text
    assert not more(text) or named_lines(text), text  # ("and 3 more" after none listed)
    assert str(path) not in text, text
    assert "• config.toml has 3 mistakes" in text, text
    assert "no theme is named 'nope'" in text, text
    assert "more warning" not in text, text
    assert not re.search(r"^•\s*$", text, re.MULTILINE), text


async def test_at_80x24_the_list_shrinks_beside_the_permission_warning() -> None:
    """QA: at 80x24 the warning that config.toml is readable by others was only counted
    ("and 1 more — see pplx.log", under the list's own "and 1 more — see pplx.log"). The list
    shrinks to make room for the warning after it, and each count says what it counts."""
    path = write_config("theme = 3\nsearhc = 1\n")
    path.chmod(0o644)

    text, height = await shown_toast(make_app(demo=True), (80, 24))

    assert height <= 24 // 3, text
    listed, _, after = text.partition("\n• ")
    assert listed.startswith("• config.toml has 2 mistakes"), text
    assert len(named_lines(listed)) + more(listed) in (0, 2), text
    assert not more(listed) or named_lines(listed), text  # ("and 2 more" after none listed)
    assert "is readable by other users; run: chmod 600 " in after, text
    command = after.split("chmod 600 ")[1].split()
    assert command == [command[0]] and Path(command[0]).expanduser() == path, text
    assert "\nand 1 more" not in text, text  # (no warning left out)


async def test_a_mistake_wrapped_in_the_toast_keeps_its_indent() -> None:
    """QA: at 80x24 a mistake too long for a row went on at the toast's edge ("quotes (got
    3)" under "  line 1: 'theme' must be text in"), read as a line of its own."""
    write_config("theme = 3\nsearhc = 1\n")
    app = make_app(demo=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await until(pilot, lambda: bool(app.screen.query(Toast)))
        await pilot.pause()
        (toast,) = app.screen.query(Toast)
        region = toast.content_region
        rows = [line[region.x : region.right] for line in screen_lines(app)]
    rows = [row.rstrip() for row in rows[region.y : region.bottom]]
    first = next(n for n, row in enumerate(rows) if row.startswith("  line 1: "))
    assert rows[first + 1].startswith("    ") and rows[first + 1].strip(), rows
    assert rows[first + 2].startswith(("  line 2: ", "  and 1 more mistake — see")), rows
