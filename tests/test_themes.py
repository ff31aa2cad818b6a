"""Theme files: the bundled ones load, a bad user file is skipped with a warning, a user file
replaces a bundled one of its name, and the chosen theme is remembered in config.toml."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from textual.color import Color
from textual.theme import BUILTIN_THEMES, Theme

from pplx_tui import paths
from pplx_tui.config import load_settings
from pplx_tui.ui import theme_guard
from pplx_tui.ui.contrast import NORMAL, SECONDARY, contrast_ratio, readable
from pplx_tui.ui.theme_css import check_textual_variables
from pplx_tui.ui.theme_file import ThemeFile
from pplx_tui.ui.themes import (
    APP_VARIABLES,
    DEFAULT_THEME,
    app_variable_defaults,
    load_themes,
    remember_theme,
)
from tests.support.tui import (
    Notifications,
    ask,
    demo_app,
    on_screen,
    screen_lines,
    until,
    workspace,
)

BUNDLED = ("pplx-dark", "pplx-light", "pplx-high-contrast")

GOOD_USER_THEME = """
name = "my-theme"
primary = "#ff00aa"
background = "#101010"
[variables]
citation-marker = "#ff00aa"
"""


# -- loading ------------------------------------------------------------------------------------


def test_bundled_themes_parse_with_app_variables() -> None:
    themes, warnings = load_themes()  # the test's config folder has no user themes
    assert warnings == []
    by_name = {theme.name: theme for theme in themes}
    assert set(by_name) == set(BUNDLED)
    assert DEFAULT_THEME in by_name
    assert not by_name["pplx-light"].dark
    assert by_name["pplx-dark"].dark and by_name["pplx-high-contrast"].dark
    for theme in themes:
        assert isinstance(theme, Theme)
        for variable in APP_VARIABLES:
            Color.parse(theme.variables[variable])
        generated = theme.to_color_system().generate()
        assert generated["primary"]
        check_textual_variables(theme)  # (the app checks only the user's themes)


def test_bundled_dir_is_the_themes_folder() -> None:
    assert {p.stem for p in paths.bundled_themes_dir().glob("*.toml")} >= set(BUNDLED)


def test_high_contrast_text_is_full_strength() -> None:
    themes, _ = load_themes()
    theme = next(t for t in themes if t.name == "pplx-high-contrast")
    assert theme.text_alpha == 1.0
    assert Color.parse(theme.background or "").brightness < 0.05
    assert Color.parse(theme.foreground or "").brightness > 0.95


@pytest.mark.parametrize("name", BUNDLED)
def test_a_bundled_theme_s_highlight_is_readable(name: str) -> None:
    """The highlighted row's own colours (Textual's block cursor: every list, table and tree
    draws its highlight in them) at WCAG AA's 4.5:1: pplx-light's #fbfaf4 on its teal #20808d
    was 4.43:1."""
    theme = next(t for t in load_themes()[0] if t.name == name)
    colours = theme.to_color_system().generate()
    background = Color.parse(colours["block-cursor-background"])
    text = background + Color.parse(colours["block-cursor-foreground"])
    assert contrast_ratio(text, background) >= NORMAL


@pytest.mark.parametrize(
    ("file_text", "reason"),
    [
        ("name = 'broken\nprimary = '#fff'", "not valid TOML"),
        ("name = 'no-primary'", "'primary' is missing"),
        ("name = 'bad-colour'\nprimary = 'not-a-colour'", "not a colour"),
        ("name = 'bad'\nprimary = '#fff'\n[variables]\ncitation-marker = 'bold'", "not a colour"),
        (
            "name = 'extra'\nprimary = '#fff'\nprimry = '#000'",
            "unknown key 'primry' at the top level (did you mean 'primary'?)",
        ),
        (
            "name = 'extra'\nprimary = '#fff'\nshade = '#000'",
            "unknown key 'shade' at the top level (known: name, description",
        ),
        # QA: the reason was pydantic's "String should match pattern '^[A-Za-z][A-Za-z0-9_-]…'"
        ("name = 'has space'\nprimary = '#fff'", "'name': 'has space' is not a theme name: a"),
        (
            "name = 'alpha'\nprimary = '#fff'\ntext_alpha = 3",
            "'text_alpha' must be at most 1 (got 3)",
        ),
        # QA-24: only the first of several problems was named
        ("name = 'two bad'\nprimary = 'nope'", "(at most 64); 'primary': 'nope' is not a colour"),
        (b"\xff\xfe not utf-8", "cannot be read"),
        # QA: Textual's own variables were not checked: choosing the theme (or starting on it)
        # ended the app with "CSS parsing failed"
        (
            "name = 'style'\nprimary = '#fff'\n[variables]\nblock-cursor-text-style = 'wobbly'",
            "'block-cursor-text-style' in [variables]: 'wobbly' is not a text style",
        ),
        # QA: "'variables': 'notacolor' is not a colour" named the table, not the variable
        (
            "name = 'marker'\nprimary = '#fff'\n[variables]\ncitation-marker = 'notacolor'",
            "'citation-marker' in [variables]: 'notacolor' is not a colour",
        ),
        (
            "name = 'key'\nprimary = '#fff'\n[variables]\nfooter-key-foreground = 'nope'",
            "'footer-key-foreground' in [variables]: 'nope' is not a colour",
        ),
    ],
)
def test_bad_user_theme_warns_and_others_still_load(file_text: str | bytes, reason: str) -> None:
    user_dir = paths.user_themes_dir()
    user_dir.mkdir(parents=True)
    (user_dir / "good.toml").write_text(GOOD_USER_THEME)
    bad = user_dir / "bad.toml"
    if isinstance(file_text, bytes):
        bad.write_bytes(file_text)
    else:
        bad.write_text(file_text)
    (user_dir / "notes.txt").write_text("not a theme")

    themes, warnings = load_themes()

    assert {t.name for t in themes} == {*BUNDLED, "my-theme"}
    assert len(warnings) == 1
    assert "\n" not in warnings[0]
    assert str(bad) in warnings[0]
    assert reason in warnings[0]


def test_textual_variables_take_what_textual_css_takes() -> None:
    user_dir = paths.user_themes_dir()
    user_dir.mkdir(parents=True)
    (user_dir / "mine.toml").write_text(
        "name = 'mine'\nprimary = '#123456'\n[variables]\n"
        "footer-key-foreground = '$primary 50%'\nblock-cursor-text-style = 'bold not underline'\n"
        "input-selection-background = '#1fb8cd 35%'\nmy-own-note = 'anything'\n"
    )
    themes, warnings = load_themes()
    assert warnings == []
    assert "mine" in {t.name for t in themes}


def test_the_app_works_out_only_its_own_themes_colours_as_it_is_made(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Textual's ``__init__`` asks for the variables of its own default theme, which the app's
    theme replaces before anything is parsed or drawn: keeping those readable too was ~5 ms
    of start-up."""
    guarded: list[str] = []
    guard = theme_guard.guard

    def noted(variables: dict[str, str], **options: object) -> dict[str, str]:
        guarded.append(variables["primary"].lower())
        return guard(variables, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(theme_guard, "guard", noted)
    app = demo_app()
    assert app.theme == DEFAULT_THEME
    assert guarded == [app.get_theme(DEFAULT_THEME).primary.lower()]  # type: ignore[union-attr]


async def test_the_app_starts_on_the_default_theme_when_the_chosen_one_is_skipped() -> None:
    user_dir = paths.user_themes_dir()
    user_dir.mkdir(parents=True)
    (user_dir / "style.toml").write_text(
        "name = 'style'\nprimary = '#fff'\n[variables]\nblock-cursor-text-style = 'wobbly'\n"
    )
    paths.config_file().parent.mkdir(parents=True, exist_ok=True)
    paths.config_file().write_text('theme = "style"\n')
    paths.config_file().chmod(0o600)  # (else its warning shares the toast, this one left out)
    notes = Notifications()
    app = demo_app()
    async with app.run_test(size=(100, 30), message_hook=notes) as pilot:
        await until(pilot, lambda: any("style.toml: 'block-cursor" in t for t in notes.texts()))
        assert app.theme == DEFAULT_THEME


async def test_a_user_theme_with_unreadable_text_loads_with_a_warning() -> None:
    """QA: foreground, background and primary all #101010 loaded without a word, and the
    answer text was invisible. It still loads (a theme being made), with a one-line warning
    at start-up saying why its text cannot be read."""
    user_dir = paths.user_themes_dir()
    user_dir.mkdir(parents=True)
    same = user_dir / "same.toml"
    same.write_text(
        "name = 'same'\nprimary = '#101010'\nforeground = '#101010'\nbackground = '#101010'\n"
    )
    (user_dir / "good.toml").write_text(GOOD_USER_THEME)
    themes, warnings = load_themes()
    assert {"same", "my-theme"} <= {t.name for t in themes}
    assert warnings == [
        f"Theme {same}: its text (#101010) on its background (#101010) is 1.00:1, "
        "unreadable (at least 3:1 needed)"
    ]
    notes = Notifications()
    app = demo_app()
    async with app.run_test(size=(100, 30), message_hook=notes) as pilot:
        await until(pilot, lambda: any("same.toml: its text" in t for t in notes.texts()))


def test_a_broken_link_and_a_folder_in_the_themes_folder_are_each_said() -> None:
    """QA: ``dangling.toml -> /nonexistent`` and a folder ``dir.toml`` were left out without a
    word; each is skipped with a one-line warning, as a bad file is."""
    user_dir = paths.user_themes_dir()
    user_dir.mkdir(parents=True)
    (user_dir / "dangling.toml").symlink_to("/nonexistent")
    (user_dir / "dir.toml").mkdir()
    (user_dir / "good.toml").write_text(GOOD_USER_THEME)

    themes, warnings = load_themes()

    assert "my-theme" in {t.name for t in themes}
    assert warnings == [
        f"Theme {user_dir / 'dangling.toml'} skipped: a broken link (to /nonexistent)",
        f"Theme {user_dir / 'dir.toml'} skipped: a folder, not a file",
    ]


def test_a_second_file_with_a_name_names_the_file_that_is_used() -> None:
    """QA: "good.toml skipped: another file already names 'qa-good'" did not say which."""
    user_dir = paths.user_themes_dir()
    user_dir.mkdir(parents=True)
    (user_dir / "a-good.toml").write_text("name = 'qa-good'\nprimary = '#ff00aa'\n")
    (user_dir / "good.toml").write_text("name = 'qa-good'\nprimary = '#00ffaa'\n")

    themes, warnings = load_themes()

    assert next(t for t in themes if t.name == "qa-good").primary == "#ff00aa"
    assert warnings == [
        f"Theme {user_dir / 'good.toml'} skipped: a-good.toml already names 'qa-good' and is used"
    ]


@pytest.mark.parametrize("file_name", ["qa-missing.toml", "missing.toml"])
async def test_the_chosen_theme_s_skipped_file_is_said_first_with_why(file_name: str) -> None:
    """QA: with ``theme = "qa-missing"`` and the file naming it skipped ('primary' is missing),
    the warning was "config.toml: no theme is named 'qa-missing'", said last, after the theme
    files' own warnings, and so only counted ("and 3 more — see pplx.log"). It says the file
    was not used and why, on one line, before the others; the file is not said again."""
    user_dir = paths.user_themes_dir()
    user_dir.mkdir(parents=True)
    (user_dir / file_name).write_text("name = 'qa-missing'\n")
    (user_dir / "a-good.toml").write_text("name = 'qa-good'\nprimary = '#ff00aa'\n")
    (user_dir / "good.toml").write_text("name = 'qa-good'\nprimary = '#00ffaa'\n")
    for name in ("b", "c", "d", "e"):
        (user_dir / f"{name}.toml").write_text(f"name = '{name}'\n")
    paths.config_file().parent.mkdir(parents=True, exist_ok=True)
    paths.config_file().write_text('theme = "qa-missing"\n')
    paths.config_file().chmod(0o600)
    notes = Notifications()
    app = demo_app()
    async with app.run_test(size=(80, 24), message_hook=notes) as pilot:
        await until(pilot, lambda: bool(notes.texts()))
        assert app.theme == DEFAULT_THEME
    (toast,) = notes.texts()
    chosen = (
        f"• Theme 'qa-missing' not used: {file_name}: 'primary' is missing; using {DEFAULT_THEME}"
    )
    assert toast.startswith(chosen + "\n"), toast
    assert "no theme is named" not in toast
    assert toast.count(file_name) == 1, toast


def test_user_theme_replaces_bundled_one_of_the_same_name() -> None:
    user_dir = paths.user_themes_dir()
    user_dir.mkdir(parents=True)
    (user_dir / "mine.toml").write_text("name = 'pplx-dark'\nprimary = '#123456'\n")
    (user_dir / "zz-copy.toml").write_text("name = 'pplx-dark'\nprimary = '#654321'\n")
    themes, warnings = load_themes()
    assert [t.name for t in themes].count("pplx-dark") == 1
    assert next(t for t in themes if t.name == "pplx-dark").primary == "#123456"
    assert len(warnings) == 1 and "zz-copy.toml" in warnings[0]


def test_a_user_theme_replacing_a_bundled_one_is_said_in_the_log_not_a_warning(
    debug_log: Path,
) -> None:
    """QA: a user file named like a bundled theme replaced it without a word. It is used (a
    user may tweak the shipped theme on purpose), and the log says so once."""
    user_dir = paths.user_themes_dir()
    user_dir.mkdir(parents=True)
    (user_dir / "mine.toml").write_text("name = 'pplx-dark'\nprimary = '#123456'\n")
    (user_dir / "other.toml").write_text(GOOD_USER_THEME)

    themes, warnings = load_themes()

    assert warnings == []
    assert next(t for t in themes if t.name == "pplx-dark").primary == "#123456"
    (line,) = [line for line in debug_log.read_text().splitlines() if "bundled" in line]
    assert line.endswith(f"Theme {user_dir / 'mine.toml'} replaces the bundled pplx-dark")


def test_default_user_dir_is_under_xdg_config() -> None:
    user_dir = paths.user_themes_dir()
    user_dir.mkdir(parents=True)
    (user_dir / "mine.toml").write_text(GOOD_USER_THEME)
    themes, warnings = load_themes()
    assert "my-theme" in {t.name for t in themes}
    assert warnings == []


def test_theme_file_model_round_trip() -> None:
    theme = ThemeFile(name="x", primary="#fff", dark=False, variables={"source-cited": "red"})
    built = theme.to_theme()
    assert built.name == "x" and not built.dark and built.variables == {"source-cited": "red"}


def test_app_variable_defaults_for_builtin_themes() -> None:
    for theme in BUILTIN_THEMES.values():
        defaults = app_variable_defaults(theme)
        assert set(APP_VARIABLES) <= set(defaults)


@pytest.mark.parametrize("name", sorted(BUILTIN_THEMES))
def test_builtin_themes_get_a_citation_marker_readable_on_background_and_surface(
    name: str,
) -> None:
    """textual-light's markers were its orange accent on light grey, 1.49:1 (QA); the
    rendered answer is measured in test_ui_contrast."""
    theme = BUILTIN_THEMES[name]
    colours = theme.to_color_system().generate()
    if Color.parse(colours["background"]).ansi is not None:
        pytest.skip("the terminal's own colours (measured as shown in test_ui_contrast)")
    marker = Color.parse(app_variable_defaults(theme)["citation-marker"])
    for ground in ("background", "surface"):
        assert contrast_ratio(marker, Color.parse(colours[ground])) >= SECONDARY, ground
    accent = Color.parse(colours["accent"])
    grounds = (Color.parse(colours["background"]), Color.parse(colours["surface"]))
    if min(contrast_ratio(accent, ground) for ground in grounds) >= SECONDARY:
        assert marker == accent  # a readable accent is kept as it is


def test_contrast_ratio_is_wcag_s() -> None:
    white, black = Color(255, 255, 255), Color(0, 0, 0)
    assert contrast_ratio(white, black) == pytest.approx(21)
    assert contrast_ratio(black, white) == pytest.approx(21)
    assert contrast_ratio(white, Color(255, 255, 0)) == pytest.approx(1.07, abs=0.01)  # QA
    assert contrast_ratio(Color.parse("#777777"), white) == pytest.approx(4.48, abs=0.01)


def test_readable_moves_a_colour_only_as_far_as_it_must() -> None:
    paper, grey = Color.parse("#e0e0e0"), Color.parse("#404040")
    assert readable(grey, paper) == grey
    orange = Color.parse("#fea62b")
    darker = readable(orange, paper, SECONDARY)
    assert 3 <= contrast_ratio(darker, paper) < 3.5
    assert darker.r > darker.g > darker.b  # still an orange
    half_white = Color(255, 255, 255, 0.5)  # blended over the background first
    assert contrast_ratio(readable(half_white, Color(0, 0, 0)), Color(0, 0, 0)) >= NORMAL
    ansi = Color.parse("ansi_red")
    assert readable(ansi, paper) is ansi  # the terminal's colour: the terminal's to choose


# -- remembering --------------------------------------------------------------------------------


def test_remember_theme_writes_config_0600() -> None:
    assert remember_theme("pplx-light") is None
    config = paths.config_file()
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert load_settings().theme == "pplx-light"


def test_remember_theme_keeps_other_settings_and_skips_no_change() -> None:
    config = paths.config_file()
    config.parent.mkdir(parents=True)
    config.write_text('# my notes\ntheme = "pplx-light"\ndefault_provider = "groq"\n')
    assert remember_theme("pplx-light") is None
    assert config.read_text().startswith("# my notes")  # not rewritten
    assert remember_theme("pplx-high-contrast") is None
    settings = load_settings()
    assert settings.theme == "pplx-high-contrast"
    assert settings.default_provider == "groq"


def test_remember_default_theme_creates_no_file() -> None:
    assert remember_theme(DEFAULT_THEME) is None
    assert not paths.config_file().exists()


def test_remember_theme_with_broken_config_warns() -> None:
    config = paths.config_file()
    config.parent.mkdir(parents=True)
    config.write_text("theme = \n")
    warning = remember_theme("pplx-light")
    assert warning is not None and warning.startswith("Theme not saved")
    assert config.read_text() == "theme = \n"


async def test_without_colour_a_cited_answer_and_its_sources_are_drawn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """NO_COLOR (Textual's monochrome filter): the first answer stopped the app, a blank line
    of the sources panel having no style at all ('NoneType' object has no attribute 'color')."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = demo_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await ask(pilot, "How many moons does Mars have?")
        await until(pilot, lambda: on_screen(app, "Phobos"))
        # Every part a first session meets: the chat list, the reading cursor and a snippet,
        # each dialog, the palette.
        await pilot.press("ctrl+b")
        workspace(app).conversation.focus()
        await pilot.press("n", "space", "n")
        for key in ("ctrl+o", "ctrl+g", "ctrl+t", "question_mark", "ctrl+p", "ctrl+k"):
            await pilot.press(key)
            await until(pilot, lambda: len(app.screen_stack) > 1)
            screen_lines(app)  # drawn
            await pilot.press("escape")
            await until(pilot, lambda: len(app.screen_stack) == 1)
        screen_lines(app)
        assert app.no_color and app.is_running
