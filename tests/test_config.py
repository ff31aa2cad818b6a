"""config.toml: typed, validated with clear errors, written owner-only keeping other tables."""

from __future__ import annotations

import stat
import tomllib
from pathlib import Path

import pytest

from pplx_tui import paths
from pplx_tui.config import (
    ConfigError,
    Settings,
    api_key_for,
    load_settings,
    permission_warning,
    update_config,
)
from pplx_tui.config_errors import line_of
from pplx_tui.config_read import read_settings
from tests.support.cli import pplx


def write_config(text: str) -> Path:
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_missing_file_gives_defaults_and_creates_nothing() -> None:
    assert load_settings() == Settings()
    assert not paths.config_dir().exists()


def test_paths_follow_xdg_variables(isolated_home: Path) -> None:
    assert paths.config_file() == isolated_home / "config" / "pplx-tui" / "config.toml"
    assert paths.chats_dir() == isolated_home / "data" / "pplx-tui" / "chats"
    assert paths.log_file() == isolated_home / "state" / "pplx-tui" / "pplx.log"


def test_full_config_is_read() -> None:
    write_config(
        """
default_provider = "openrouter"
default_model = "perplexity/sonar-pro"
theme = "pplx-light"

[search]
recency = "week"
domains = ["nature.com", "arxiv.org"]

[keymap]
"app.pick_model" = "ctrl+o"

[providers.gw]
base_url = "http://127.0.0.1:1/v1"
models = ["a"]
"""
    )
    settings = load_settings()

    assert settings.default_model == "perplexity/sonar-pro"
    assert settings.search.recency == "week"
    assert settings.search.domains == ["nature.com", "arxiv.org"]
    assert settings.keymap == {"app.pick_model": "ctrl+o"}
    assert settings.providers["gw"].models == ["a"]


def test_toml_syntax_error_names_file_and_line() -> None:
    write_config('theme = "x"\n[search\n')

    with pytest.raises(ConfigError, match=r"config\.toml.*line 2"):
        load_settings()


def test_bad_field_value_names_field_and_line() -> None:
    write_config('theme = "x"\n\n[search]\nrecency = "fortnight"\n')

    with pytest.raises(ConfigError, match=r"line 4\): 'recency' in \[search\] must be"):
        load_settings()


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ('[search]\ndomains = ["https://nature.com"]', r"line 2\): 'domains' in \[search\]: .*URL"),
        ('[search]\ndomains = ["not_a_domain"]', r"line 2\): 'domains' in \[search\]: .*host name"),
        ('[search]\nafter_date = "2025-13-01"', r"line 2\): 'after_date' in \[search\]: .*MM/DD"),
        (
            '[search]\nafter_date = "01/01/2025"\nbefore_date = "01/01/2020"',
            r"line 2\): 'after_date' in \[search\]: .*later than",
        ),
        ("[sampling]\ntemperature = 9", r"line 2\): 'temperature' in \[sampling\] must .*0 to 2"),
        ("[sampling]\ntop_p = 1.5", r"line 2\): 'top_p' in \[sampling\] must be .*0 to 1"),
        ("[sampling]\nmax_tokens = 8", r"line 2\): 'max_tokens' in \[sampling\] must .*16 to 10+"),
        # As --max-tokens 99999999999999999999, --stop "" and a fifth --stop are refused.
        (
            "[sampling]\nmax_tokens = 99999999999999999999",
            r"line 2\): 'max_tokens' in \[sampling\] must be .*16 to 1000000",
        ),
        ('[sampling]\nstop = ["###", ""]', r"line 2\): 'stop' in \[sampling\]: .*empty"),
        (
            '[sampling]\nstop = ["a", "b", "c", "d", "e"]',
            r"line 2\): 'stop' in \[sampling\]: .*at most 4",
        ),
    ],
)
def test_search_and_sampling_values_are_checked_as_the_command_line_checks_them(
    table: str, expected: str
) -> None:
    """QA: a bad domain, date or temperature in config.toml was sent with every question (the
    server refuses each one) while --domain, --after and --temperature are checked."""
    write_config(table + "\n")

    with pytest.raises(ConfigError, match=expected):
        load_settings()
    with pytest.raises(ConfigError, match=expected):
        read_settings()  # the plain, quick way gives the same error


def test_search_values_are_normalised_as_the_command_line_does() -> None:
    write_config(
        '[search]\ndomains = ["-Nature.com", "-pinterest.com"]\nafter_date = "2025-03-15"\n'
    )

    for settings in (load_settings(), read_settings()):
        assert settings.search.domains == ["-nature.com", "-pinterest.com"]
        assert settings.search.after_date == "03/15/2025"


def test_unknown_field_is_an_error_not_silently_ignored() -> None:
    write_config('them = "typo"\n')

    with pytest.raises(ConfigError, match="unknown key 'them'"):
        load_settings()


SEARCH_KEYS = (
    "recency, domains, mode, context_size, after_date, before_date, return_images,"
    " return_related_questions, disable_search"
)
TOP_KEYS = ", ".join(Settings.model_fields)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[search]\nrecency = "week"\nfoo = 1\n',
            f"(line 3): unknown key 'foo' in [search] (known: {SEARCH_KEYS})",
        ),
        (  # a typo of a known key is named (not the 13 known keys)
            'theme = "x"\nthem = "typo"\n',
            "(line 2): unknown key 'them' at the top level (did you mean 'theme'?)",
        ),
        (
            '[providers.gw]\nbase_url = "http://h/v1"\nmodel = ["a"]\n',
            "(line 3): unknown key 'model' in [providers.gw] (did you mean 'models'?)",
        ),
        (
            '[providers.gw]\nbase_url = "http://h/v1"\nurl = "x"\n',
            "(line 3): unknown key 'url' in [providers.gw] (known: base_url, api_key,"
            " api_key_env, models, label, dialect)",
        ),
        (
            'theme = "x"\nsearch = "month"\n',
            "(line 2): 'search' must be a table: [search] on a line of its own, its keys below"
            ' it (got "month")',
        ),
        (
            'keymap = "ctrl+o"\n',
            "(line 1): 'keymap' must be a table: [keymap] on a line of its own, its keys below"
            ' it (got "ctrl+o")',
        ),
        (
            '[search]\nrecency = "fortnight"\n',
            "(line 2): 'recency' in [search] must be 'hour', 'day', 'week', 'month' or 'year'"
            ' (got "fortnight")',
        ),
        (
            '[sampling]\ntemperature = "hot"\n',
            "(line 2): 'temperature' in [sampling] must be a number (got \"hot\")",
        ),
        (
            "[sampling]\nmax_tokens = 1.5\n",
            "(line 2): 'max_tokens' in [sampling] must be a whole number (got 1.5)",
        ),
        (
            "[limits]\nmax_line_mib = 0\n",
            "(line 2): 'max_line_mib' in [limits] must be greater than 0 (got 0)",
        ),
        (
            'background_models = "high"\n',
            '(line 1): \'background_models\' must be a list such as ["a", "b"] (got "high")',
        ),
        ("theme = 3\n", "(line 1): 'theme' must be text in quotes (got 3)"),
        (
            '[search]\ndomains = ["a.com", "-b.com"]\n',
            "(line 2): 'domains' in [search]: use allowed domains or denied ones (-domain), not"
            " both: Perplexity takes one kind a request (got a.com and -b.com)",
        ),
    ],
    ids=[
        "unknown-in-search",
        "typo-top-level",
        "typo-in-provider",
        "unknown-in-provider",
        "table-as-text",
        "dict-as-text",
        "literal",
        "number",
        "whole-number",
        "range",
        "list",
        "text",
        "value",
    ],
)
def test_config_errors_say_in_the_users_terms_what_is_wrong_and_what_is_allowed(
    text: str, expected: str
) -> None:
    """QA: a stray key said "Extra inputs are not permitted" (and a stray key in [search] was
    not noticed at all), a wrong type "Input should be a valid dictionary"."""
    path = write_config(text)

    for read in (load_settings, read_settings):
        with pytest.raises(ConfigError) as raised:
            read()
        assert str(raised.value) == f"{path} {expected}" or str(raised.value).startswith(
            f"{path} {expected}"
        ), str(raised.value)
        assert "\n" not in str(raised.value) and "Input should" not in str(raised.value)


def test_update_config_keeps_other_tables_and_is_owner_only() -> None:
    path = write_config('theme = "pplx-light"\n\n[providers.gw]\nbase_url = "http://x/v1"\n')
    path.chmod(0o644)

    update_config({"providers.openrouter.api_key": "sk-or-v1-secret"})

    data = tomllib.loads(path.read_text())
    assert data["theme"] == "pplx-light"
    assert data["providers"]["gw"]["base_url"] == "http://x/v1"
    assert data["providers"]["openrouter"]["api_key"] == "sk-or-v1-secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert permission_warning() is None


def test_update_config_refuses_to_write_an_invalid_result() -> None:
    path = write_config('theme = "pplx-light"\n')

    with pytest.raises(ConfigError, match="not changed"):
        update_config({"search.recency": "fortnight"})
    assert path.read_text() == 'theme = "pplx-light"\n'


def test_world_readable_config_gets_a_warning() -> None:
    path = write_config('theme = "x"\n')
    path.chmod(0o644)

    assert "chmod 600" in (permission_warning() or "")


def test_key_from_environment_wins_over_config() -> None:
    settings = Settings.model_validate({"providers": {"openrouter": {"api_key": "from-config"}}})

    env = {"OPENROUTER_API_KEY": "from-env"}
    assert api_key_for("openrouter", settings, "OPENROUTER_API_KEY", env) == "from-env"
    assert api_key_for("openrouter", settings, "OPENROUTER_API_KEY", {}) == "from-config"
    assert api_key_for("groq", settings, "GROQ_API_KEY", {}) is None


def test_settings_repr_never_shows_a_key() -> None:
    settings = Settings.model_validate({"providers": {"openrouter": {"api_key": "sk-or-v1-abc"}}})

    assert "sk-or-v1-abc" not in repr(settings)


def test_every_mistake_is_said_with_its_line() -> None:
    """helper QA: with three mistakes only ``unknown key 'searhc'`` was said, and without a
    line number (it opens a table, ``[searhc]``) where the others had one."""
    path = write_config(
        'theme = 3\n\n[searhc]\nrecency = "day"\n\n[sampling]\ntemperature = "hot"\n'
        '\n[search]\nrecency = "fortnight"\n'
    )

    for read in (load_settings, read_settings):
        with pytest.raises(ConfigError) as raised:
            read()
        assert str(raised.value).splitlines() == [
            f"{path} has 4 mistakes:",
            "  line 1: 'theme' must be text in quotes (got 3)",
            "  line 3: unknown key 'searhc' at the top level (did you mean the table [search]?)",
            "  line 7: 'temperature' in [sampling] must be a number (got \"hot\")",
            "  line 10: 'recency' in [search] must be 'hour', 'day', 'week', 'month' or 'year'"
            ' (got "fortnight")',
        ]


def test_many_mistakes_are_all_said_and_a_notice_counts_those_after_the_first_five() -> None:
    path = write_config("".join(f"typo{n} = 1\n" for n in range(1, 9)))

    with pytest.raises(ConfigError) as raised:
        load_settings()
    lines = str(raised.value).splitlines()
    assert lines[0] == f"{path} has 8 mistakes:"
    assert [line.split(":")[0] for line in lines[1:]] == [f"  line {n}" for n in range(1, 9)]
    notice = raised.value.with_defaults(shown=5).splitlines()
    assert notice[0] == f"{path} has 8 mistakes (using the default settings):"
    assert notice[1:6] == lines[1:6]
    assert notice[6:] == ["  and 3 more mistakes — see pplx.log"]


def test_a_mistaken_table_or_dotted_key_has_its_line() -> None:
    assert line_of('theme = "x"\n[searhc]\nrecency = "day"\n', ((), "searhc")) == 2
    assert line_of('theme = "x"\nsearhc.recency = "day"\n', ((), "searhc")) == 2
    assert (
        line_of(
            '[providers.gw]\nbase_url = "x"\n[providers.gw.extra]\n', (("providers", "gw"), "extra")
        )
        == 3
    )
    # A key of the same name in another table is not the one meant.
    assert line_of("[search]\ntheme = 1\n", ((), "theme")) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # QA: "Cannot declare ('sampling',) twice (at line 3, column 10)", Python's words.
        ("[sampling]\ntemperature = 1\n[sampling]\n", "(line 3): [sampling] is declared twice"),
        ("[providers.gw]\n[providers.gw]\n", "(line 2): [providers.gw] is declared twice"),
        ('theme = "x"\ntheme = "y"\n', "(line 2): a key is set twice"),
        (
            'theme = "x"\n[search\n',
            "(line 2): not valid TOML (expected ']' at the end of a table declaration)",
        ),
    ],
)
def test_toml_syntax_errors_are_said_in_config_toml_s_terms(text: str, expected: str) -> None:
    path = write_config(text)

    for read in (load_settings, read_settings):
        with pytest.raises(ConfigError) as raised:
            read()
        assert str(raised.value) == f"{path} {expected}"


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("idle_timeout = 1e999", "inf"),
        ("deadline = inf", "inf"),
        ("deadline = nan", "nan"),
        ("long_deadline = -inf", "-inf"),
        ("long_idle_timeout = -5", "-5"),
    ],
)
def test_a_time_limit_that_is_no_number_of_seconds_is_refused_as_the_option_is(
    line: str, shown: str
) -> None:
    """QA: ``idle_timeout = 1e999`` (inf) and ``deadline = inf`` were taken (``--deadline inf``
    is refused), and ``deadline = nan`` said "must be at least 0 (got nan)"."""
    path = write_config(f'theme = "pplx-dark"\n\n[limits]\n{line}\n')
    key = line.split(" ", 1)[0]

    result = pplx("ask", "--demo", "q")

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        f"pplx: {path} (line 4): '{key}' in [limits] must be a number of seconds, 0 or more"
        f" (0: no limit) (got {shown})\n"
    )
