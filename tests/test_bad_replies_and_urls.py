"""Clear lines for a redirect, a cut-short gzip body and a bad base URL (issue 13 items 11, 12)."""

from __future__ import annotations

import zlib

import pytest
import tomlkit
from pydantic import ValidationError

from pplx_tui import paths
from pplx_tui.client.chat_client import ChatClient
from pplx_tui.client.errors import ClientError
from pplx_tui.client.request import ChatRequest, Turn
from pplx_tui.config import Settings
from pplx_tui.config_plain import PlainProvider, PlainSettings
from pplx_tui.providers import build_catalog
from pplx_tui.session import TargetError, resolve_target
from tests.support.cli import KEY, pplx
from tests.support.loopback import LoopbackServer, Reply

OPENROUTER = build_catalog(Settings()).provider("openrouter")
REQUEST = ChatRequest(model="perplexity/sonar", turns=(Turn("user", "q"),))


async def failure(server: LoopbackServer) -> ClientError:
    async with ChatClient(OPENROUTER, KEY, base_url=server.base_url + "/api/v1") as client:
        with pytest.raises(ClientError) as caught:
            async for _ in client.stream(REQUEST):
                pass
    return caught.value


async def test_a_redirect_says_where_and_is_not_followed(loopback: LoopbackServer) -> None:
    loopback.queue(
        Reply(status=307, headers={"Location": "https://elsewhere.example/v1/chat"}, chunks=[])
    )
    error = await failure(loopback)
    assert "redirected the request to https://elsewhere.example/v1/chat (HTTP 307)" in str(error)
    assert "server error" not in str(error) and len(loopback.requests) == 1


async def test_a_cut_short_gzip_body_is_called_that(loopback: LoopbackServer) -> None:
    whole = zlib.compress(b'{"choices": []}' * 100, wbits=31)
    loopback.queue(
        Reply(
            chunks=[whole[: len(whole) // 2]],
            headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
        )
    )
    error = await failure(loopback)
    assert "compressed reply was cut short" in str(error) and "web page" not in str(error)


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://api.example\x07/v1", "control character"),
        ("file:///etc/passwd", "must start with https://"),
        ("https://host:99999/v1", "not a valid URL"),
        ("api.example.com/v1", "must start with https://"),
        ("https://", "must start with https://"),
    ],
)
def test_a_bad_base_url_is_refused_in_one_line(
    url: str, problem: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENROUTER_API_KEY", KEY)
    with pytest.raises(TargetError, match=problem):
        resolve_target(Settings(), build_catalog(Settings()), provider="openrouter", base_url=url)
    result = pplx("ask", "q", "--provider", "openrouter", "--base-url", url)
    assert result.returncode == 2 and "base-url" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "unexpected" not in result.stderr

    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(tomlkit.dumps({"providers": {"openrouter": {"base_url": url}}}))
    config.chmod(0o600)
    result = pplx("ask", "q", "--provider", "openrouter")
    assert result.returncode == 2 and problem in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "unexpected" not in result.stderr


def test_a_bad_base_url_in_config_is_refused_too() -> None:
    """config.toml's check refuses it first (tests/test_ui_start_config.py); settings made
    otherwise meet the same refusal here."""
    settings = PlainSettings(providers={"mine": PlainProvider(base_url="ftp://x", models=["m"])})
    with pytest.raises(ValidationError, match="must start with https://"):
        Settings.model_validate({"providers": {"mine": {"base_url": "ftp://x", "models": ["m"]}}})
    with pytest.raises(TargetError, match="must start with https://"):
        resolve_target(settings, build_catalog(settings), provider="mine", require_key=False)
