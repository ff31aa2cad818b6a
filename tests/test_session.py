"""Where a question goes: provider/model/key resolution and the request built from history."""

from __future__ import annotations

import pytest

from pplx_tui.config import Settings
from pplx_tui.models import Message, MessageStatus
from pplx_tui.providers import build_catalog
from pplx_tui.session import TargetError, build_request, resolve_target


def resolve(settings: Settings | None = None, environ: dict[str, str] | None = None, **kw):
    """``resolve_target`` with the keys of ``environ`` in the environment (and no others)."""
    settings = settings or Settings()
    with pytest.MonkeyPatch.context() as patch:
        for variable, value in (environ or {}).items():
            patch.setenv(variable, value)
        return resolve_target(settings, build_catalog(settings), **kw)


def test_no_key_anywhere_is_exit_3_for_ask() -> None:
    with pytest.raises(TargetError, match="--demo") as raised:
        resolve()
    assert raised.value.exit_code == 3


def test_no_key_anywhere_falls_back_to_demo_for_the_tui_with_a_notice() -> None:
    target = resolve(require_key=False)

    assert target.provider.name == "demo"
    assert any("ctrl+k" in notice for notice in target.notices)


def test_first_provider_with_a_key_is_chosen() -> None:
    target = resolve(environ={"OPENROUTER_API_KEY": "sk-or-v1-zzsecret"})

    assert (target.provider.name, target.model.id, target.api_key) == (
        "openrouter",
        "perplexity/sonar",
        "sk-or-v1-zzsecret",
    )
    assert "zzsecret" not in repr(target)


def test_named_provider_without_key_says_where_to_set_it() -> None:
    with pytest.raises(TargetError, match="OPENROUTER_API_KEY") as raised:
        resolve(provider="openrouter")
    assert raised.value.exit_code == 3


def test_unknown_provider_and_model_are_usage_errors() -> None:
    with pytest.raises(TargetError) as raised:
        resolve(provider="nope", demo=False)
    assert raised.value.exit_code == 2
    with pytest.raises(TargetError) as raised:
        resolve(demo=True, model="gpt-4")
    assert raised.value.exit_code == 2


def test_an_unknown_default_from_config_toml_says_it_came_from_there() -> None:
    """`pplx ask q` said "unknown provider 'nope'" with no provider on its command line."""
    with pytest.raises(TargetError) as raised:
        resolve(Settings(default_provider="nope"))
    assert str(raised.value) == (
        "unknown provider 'nope'; known providers: perplexity, openrouter, groq, demo "
        "(default_provider in config.toml)"
    )
    with pytest.raises(TargetError) as raised:
        resolve(Settings(default_provider="demo", default_model="nope-model"))
    assert str(raised.value).endswith("(default_model in config.toml)")
    with pytest.raises(TargetError) as raised:
        resolve(Settings(default_provider="nope"), provider="nope")
    assert "config.toml" not in str(raised.value)  # typed: the command line says where


def test_config_default_model_applies_only_to_its_provider() -> None:
    settings = Settings(default_provider="openrouter", default_model="perplexity/sonar-pro")
    env = {"OPENROUTER_API_KEY": "k", "GROQ_API_KEY": "g"}

    assert resolve(settings, env).model.id == "perplexity/sonar-pro"
    assert resolve(settings, env, provider="groq").model.id == "llama-3.3-70b-versatile"


def test_legacy_model_notice_is_carried() -> None:
    target = resolve(environ={"PERPLEXITY_API_KEY": "p"}, model="pplx-70b-online")

    assert target.model.id == "fast"
    assert target.notices and "pplx-70b-online" in target.notices[0]


def test_request_carries_history_but_not_an_exchange_that_failed_before_any_text() -> None:
    history = [
        Message(role="user", content="first"),
        Message(role="assistant", content="answer one"),
        Message(role="user", content="second"),
        Message(role="assistant", content="", status=MessageStatus.ERROR, error="boom"),
    ]
    request = build_request(history, "third", "perplexity/sonar", system_prompt="be brief")

    assert [(t.role, t.content) for t in request.turns] == [
        ("user", "first"),
        ("assistant", "answer one"),
        ("user", "third"),
    ]
    assert request.system_prompt == "be brief"
