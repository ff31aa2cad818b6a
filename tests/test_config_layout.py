"""Where the app's own writes go in a hand-written config.toml: a key after its table's keys,
a new table above the comment that leads into the next one, and a key set then removed leaves
the file as it was (pplx_tui.config_layout)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from pplx_tui import paths
from pplx_tui.config import update_config


def write_config(text: str, newline: str = "\n") -> Path:
    path = paths.config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.replace("\n", newline).encode())
    return path


HAND_WRITTEN = """\
# my settings
default_provider = "openrouter"   # the one I pay for
# theme = "pplx-light"

# search defaults
[search]
recency = "month"

[providers.openrouter]
base_url = "http://127.0.0.1:1/api/v1"

# my gateway
[providers.gw]
base_url = "http://127.0.0.1:2/v1"
"""


@pytest.mark.parametrize(
    ("key", "value", "line"),
    [
        ("last_model", "openrouter:perplexity/sonar", 'last_model = "openrouter:perplexity/sonar"'),
        ("theme", "pplx-light", 'theme = "pplx-light"'),
    ],
)
def test_a_top_level_key_the_app_writes_goes_after_the_top_level_keys(
    key: str, value: str, line: str
) -> None:
    """QA: ctrl+o's last_model went between `# search defaults` and `[search]`, so the comment
    described the wrong thing."""
    path = write_config(HAND_WRITTEN)

    update_config({key: value})

    expected = HAND_WRITTEN.replace(
        '"openrouter"   # the one I pay for\n', f'"openrouter"   # the one I pay for\n{line}\n'
    )
    assert path.read_text() == expected


def test_a_key_written_into_a_table_goes_after_its_keys_not_under_the_next_comment() -> None:
    path = write_config(HAND_WRITTEN)

    update_config({"providers.openrouter.api_key": "sk-or-v1-secret"})

    expected = HAND_WRITTEN.replace('1:1/api/v1"\n', '1:1/api/v1"\napi_key = "sk-or-v1-secret"\n')
    assert path.read_text() == expected


def test_a_top_level_key_in_a_file_of_tables_goes_above_the_first_tables_comment() -> None:
    path = write_config('# search defaults\n[search]\nrecency = "month"\n')

    update_config({"last_model": "demo:demo/sonar"})

    text = path.read_text()
    assert text.startswith('last_model = "demo:demo/sonar"\n')
    assert text.endswith('\n# search defaults\n[search]\nrecency = "month"\n')
    assert tomllib.loads(text)["last_model"] == "demo:demo/sonar"


TABLES_ONLY = '# search defaults\n[search]\nrecency = "month"\n'


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize(
    "text",
    [TABLES_ONLY, HAND_WRITTEN, "", 'theme = "pplx-dark"\n'],
    ids=["tables-only", "hand-written", "empty", "keys-only"],
)
def test_a_key_set_then_removed_leaves_the_file_as_it_was(text: str, newline: str) -> None:
    """QA: choosing a demo model after a real one (last_model set, then removed) left one more
    blank line in config.toml each time."""
    path = write_config(text, newline)
    before = path.read_bytes()

    for _ in range(3):
        update_config({"last_model": "openrouter:perplexity/sonar"})
        update_config({"last_model": None})

    assert path.read_bytes() == before


LEAD_IN = '[providers.openrouter]\napi_key = "x"\n# lead-in for search\n\n[search]\nmode = "web"\n'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            LEAD_IN,
            '[providers.openrouter]\napi_key = "x"\n\n[providers.groq]\napi_key = "g"\n'
            '\n# lead-in for search\n\n[search]\nmode = "web"\n',
        ),
        (
            HAND_WRITTEN,
            HAND_WRITTEN.replace('2/v1"\n', '2/v1"\n\n[providers.groq]\napi_key = "g"\n'),
        ),
        (
            '[providers.openrouter]\napi_key = "x"\n[search]\nmode = "web"\n',
            '[providers.openrouter]\napi_key = "x"\n\n[providers.groq]\napi_key = "g"\n'
            '\n[search]\nmode = "web"\n',
        ),
        (
            '[search]\nmode = "web"\n# idle_timeout = 60\n',
            '[search]\nmode = "web"\n# idle_timeout = 60\n\n[providers.groq]\napi_key = "g"\n',
        ),
    ],
    ids=["comment-then-blank", "hand-written", "no-blank-lines", "comment-at-the-end"],
)
def test_a_new_table_goes_above_the_comment_that_leads_into_the_next_table(
    text: str, expected: str
) -> None:
    """QA: a key for a new provider went between ``# lead-in for search`` and ``[search]``,
    and ``[search]`` followed it without a blank line. At the end of the file (no table
    follows) a comment stays where it is, above the new table."""
    path = write_config(text)

    update_config({"providers.groq.api_key": "g"})

    assert path.read_text() == expected
    assert tomllib.loads(expected)["providers"]["groq"] == {"api_key": "g"}
