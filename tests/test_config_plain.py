"""config.toml read without pydantic (``pplx ask``'s way) gives what pydantic's ``Settings``
gives, and leaves to ``Settings`` every file it cannot vouch for (so its errors stay)."""

from __future__ import annotations

import json
import tomllib
from dataclasses import fields, is_dataclass
from typing import Any

import pytest
from pydantic import BaseModel, SecretStr

from pplx_tui import paths
from pplx_tui.config import Settings
from pplx_tui.config_plain import PlainSecret, PlainSettings, plain_settings, read_plain_settings
from tests.support.cli import pplx

EVERY_FIELD = """
default_provider = "openrouter"
default_model = "perplexity/sonar-pro"
last_model = "perplexity:medium"
system_prompt = "Be brief."
theme = "pplx-light"
background_models = ["*"]
daily_budget_usd = 2
demo_notice = false

[search]
recency = "week"
domains = ["nature.com", "arxiv.org"]
mode = "academic"
context_size = "high"
after_date = "01/01/2025"
before_date = "02/01/2025"
return_images = true
return_related_questions = true
disable_search = false

[sampling]
temperature = 1
top_p = 0.5
max_tokens = 300
stop = ["END"]
presence_penalty = -1.5
frequency_penalty = 0
reasoning_effort = "low"

[keymap]
"app.pick_model" = "f2"

[limits]
max_line_mib = 1
max_reply_mib = 65536
max_answer_chars = 5000
idle_timeout = 0
long_idle_timeout = 7.5
deadline = 60
long_deadline = 0

[providers.openrouter]
api_key = "sk-or-v1-from-config"
api_key_env = "MY_OR_KEY"

[providers.mygate]
base_url = "http://127.0.0.1:9/v1"
models = ["m1", "m2"]
label = "My gateway"
dialect = "agent"
"""

PLAIN = [
    "",
    '[providers.openrouter]\napi_key = "sk-or-v1-abc"\n',
    'default_provider = "perplexity"\n[search]\nrecency = "day"\n',
    EVERY_FIELD,
    "last_model = 7\n",  # the TUI ignores it with a notice; it stops nothing else
]


def _data(value: Any) -> Any:
    """Both kinds of settings as the same JSON-able data: fields by name, secrets revealed."""
    if isinstance(value, SecretStr | PlainSecret):
        return {"secret": value.get_secret_value()}
    if isinstance(value, BaseModel):
        return {name: _data(getattr(value, name)) for name in type(value).model_fields}
    if is_dataclass(value):
        return {f.name: _data(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {key: _data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_data(item) for item in value]
    return value


@pytest.mark.parametrize("text", PLAIN)
def test_a_plainly_valid_file_reads_as_pydantic_reads_it(text: str) -> None:
    data = tomllib.loads(text)

    plain = plain_settings(data)

    assert isinstance(plain, PlainSettings)
    # json.dumps tells 16 from 16.0: a number comes out with the type pydantic gives it.
    assert json.dumps(_data(plain)) == json.dumps(_data(Settings.model_validate(data)))


@pytest.mark.parametrize(
    "text",
    [
        "theme = 3\n",
        'unknown = "key"\n',
        "[limits]\nmax_line_mib = 0\n",
        "[limits]\nmax_line_mib = 2000\n",
        "[limits]\nidle_timeout = nan\n",
        "[limits]\nmax_answer_chars = 10.0\n",
        '[sampling]\ntemperature = "0.5"\n',
        "[sampling]\ntemperature = true\n",
        '[search]\nrecency = "fortnight"\n',
        "[search]\nunknown = 1\n",
        "daily_budget_usd = 0\n",
        '[providers.x]\nbase_url = "http://h"\nextra = 1\n',
        '[providers.x]\ndialect = "rest"\n',
        'demo_notice = "no"\n',
    ],
)
def test_anything_that_needs_pydantic_is_left_to_it(text: str) -> None:
    assert plain_settings(tomllib.loads(text)) is None


def test_no_file_is_the_defaults() -> None:
    assert read_plain_settings() == PlainSettings()
    assert not paths.config_file().exists()


def test_a_secret_from_the_file_prints_as_stars() -> None:
    plain = plain_settings(tomllib.loads(PLAIN[1]))

    assert plain is not None
    assert "sk-or-v1-abc" not in repr(plain)
    assert plain.providers["openrouter"].api_key.get_secret_value() == "sk-or-v1-abc"  # type: ignore[union-attr]


def test_ask_still_says_which_field_is_wrong() -> None:
    """A file the plain reader leaves to pydantic: `pplx ask` fails as it always did."""
    config = paths.config_file()
    config.parent.mkdir(parents=True)
    config.write_text('theme = "x"\n\n[limits]\nmax_line_mib = 0\n', encoding="utf-8")
    config.chmod(0o600)

    result = pplx("ask", "--demo", "Moons?")

    assert result.returncode == 2
    assert "line 4): 'max_line_mib' in [limits] must be greater than 0 (got 0)" in result.stderr
    assert result.stdout == ""


def test_ask_uses_the_plain_files_settings(loopback) -> None:
    """Settings read the plain way reach the request: the model and the search options."""
    from tests.support.cli import answer_frames
    from tests.support.loopback import Reply

    config = paths.config_file()
    config.parent.mkdir(parents=True)
    config.write_text(
        'default_provider = "openrouter"\ndefault_model = "perplexity/sonar-pro"\n'
        '[search]\nrecency = "week"\n[sampling]\nmax_tokens = 300\n',
        encoding="utf-8",
    )
    config.chmod(0o600)
    loopback.queue(Reply(chunks=answer_frames(["Two moons."])))

    result = pplx("ask", "Moons?", server=loopback)

    assert result.returncode == 0, result.stderr
    body = loopback.requests[-1].json
    assert body["model"] == "perplexity/sonar-pro" and body["max_tokens"] == 300
    assert "week" in json.dumps(body)
