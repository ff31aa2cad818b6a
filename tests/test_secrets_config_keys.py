"""A key kept only in config.toml (where ctrl+k saves it) is as secret as one in the
environment: every ``pplx chats`` command that prints or writes chat content, and ``pplx
chats import``, masks it (QA found ``chats export`` and ``show`` printing it 4-9 times, and
import keeping it in the chat file). So is a gateway's ``api_key_env`` key, and a cut copy of a
key is masked whole (``Bearer sk-or-v1-QAEXPORTSEC`` left ``***XPORTSEC``). The app's export
dialog suggests a file name without the key.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input

from pplx_tui import paths, redact
from pplx_tui.export import FORMATS
from pplx_tui.models import Chat, Message
from pplx_tui.store import ChatStore
from pplx_tui.values import Source
from tests.support.cli import pplx
from tests.support.tui import until, workspace

CONFIG_KEY = "sk-or-v1-" + "QAEXPORTSECRETKEY0123456789"
GATEWAY_KEY = "gw-" + "ConfigOnlyGatewayKey0123456789"
ENV_GATEWAY_KEY = "gwenv-" + "NamedByApiKeyEnv0123456789"
KEYS = [CONFIG_KEY, GATEWAY_KEY, ENV_GATEWAY_KEY]
CONFIG = f"""\
[providers.openrouter]
api_key = "{CONFIG_KEY}"

[providers.mygateway]
base_url = "https://llm.example.com/v1"
api_key = '{GATEWAY_KEY}'

[providers.envgateway]
base_url = "https://llm2.example.com/v1"
api_key_env = "ENVGATEWAY_KEY"
"""


def write_config(text: str = CONFIG) -> None:
    """config.toml as the app writes it: owner-only."""
    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(text)
    config.chmod(0o600)


def chat_with_keys(title: str) -> Chat:
    """QA's withkey.json: the keys in the title, the answer, a source and a related question."""
    chat = Chat(id="", title=title)
    chat.add(Message(role="user", content=f"How many moons? {CONFIG_KEY}"))
    source = Source(
        index=1,
        url=f"https://example.com/moons?key={CONFIG_KEY}",
        title=f"Moons {CONFIG_KEY}",
        snippet=f"Mars has two moons. {GATEWAY_KEY}",
    )
    answer = f"Two moons [1]. Keys: {CONFIG_KEY}, {GATEWAY_KEY}, {ENV_GATEWAY_KEY}."
    chat.add(
        Message(
            role="assistant",
            content=answer,
            provider="openrouter",
            model="perplexity/sonar",
            sources=[source],
            related_questions=[f"Is {CONFIG_KEY} mine?"],
        )
    )
    return chat


def assert_no_key(text: str, where: object) -> None:
    for key in KEYS:
        for part in (key, key[:12], key[12:]):
            assert part not in text, (where, part)


def test_keys_only_in_config_toml_are_in_no_chat_file_export_or_output(
    isolated_home: Path, tmp_path: Path
) -> None:
    write_config()
    withkey = tmp_path / "withkey.json"
    withkey.write_text(chat_with_keys(f"Key {CONFIG_KEY}").model_dump_json())
    env = {"ENVGATEWAY_KEY": ENV_GATEWAY_KEY}

    imported = pplx("chats", "import", str(withkey), key=None, **env)
    assert imported.returncode == 0, imported.stderr
    chat_id = imported.stdout.strip()
    outputs = [imported]
    exported = tmp_path / "exports"
    for fmt in FORMATS:
        outputs.append(pplx("chats", "export", chat_id, "--format", fmt, key=None, **env))
        target = str(exported / f"chat.{fmt}")
        outputs.append(
            pplx("chats", "export", chat_id, "--format", fmt, "-o", target, key=None, **env)
        )
    for args in (
        ("show", chat_id),
        ("show", chat_id, "--json"),
        ("search", "moons"),
        ("search", "moons", "--json"),
        ("list", "--json"),
        ("import", str(withkey)),  # the same chat again: saved already, not added beside
    ):
        outputs.append(pplx("chats", *args, key=None, **env))

    for result in outputs:
        assert result.returncode == 0, (result.args, result.stderr)
        assert_no_key(result.stdout + result.stderr, result.args)
    assert "# Key \\*\\*\\*\n" in outputs[1].stdout and "Keys: ***, ***, ***." in outputs[1].stdout
    assert f"already saved as chat {chat_id}" in outputs[-1].stderr
    saved = json.loads((paths.chats_dir() / f"{chat_id}.json").read_text())
    assert saved["title"] == "Key ***"
    assert saved["messages"][1]["related_questions"] == ["Is *** mine?"]
    files = [p for p in [*isolated_home.rglob("*"), *exported.rglob("*")] if p.is_file()]
    assert len([p for p in files if p.parent == exported]) == len(FORMATS)
    assert any(p.name == "index.sqlite3" for p in files)
    for path in files:
        if path != paths.config_file():
            assert_no_key(path.read_bytes().decode("utf-8", "replace"), path)


def saved_with_keys(monkeypatch: pytest.MonkeyPatch, title: str) -> Chat:
    """A chat file holding the keys as they are: saved before they were known (QA's import)."""
    monkeypatch.setattr(redact, "_KNOWN_SECRETS", set())
    store = ChatStore()
    chat = store.new_chat()
    chat.title, chat.messages = title, chat_with_keys("").messages
    store.save(chat)
    assert CONFIG_KEY in (paths.chats_dir() / f"{chat.id}.json").read_text()
    return chat


def test_a_chat_file_saved_with_a_key_before_is_printed_without_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every command that prints a chat file's content masks the keys it finds there."""
    chat = saved_with_keys(monkeypatch, f"Key {CONFIG_KEY}")
    write_config()
    env = {"ENVGATEWAY_KEY": ENV_GATEWAY_KEY}
    for args in (
        ("show", chat.id),
        ("show", chat.id, "--json"),
        ("show", chat.id, "--reasoning"),
        *(("export", chat.id, "--format", fmt) for fmt in FORMATS),
        ("list",),
        ("list", "--json"),
        ("search", "moons"),
        ("search", "moons", "--json"),
        ("search", "Key"),
        ("rename", chat.id, "Again", CONFIG_KEY),
    ):
        result = pplx("chats", *args, key=None, **env)
        assert result.returncode == 0, (args, result.stderr)
        assert "***" in result.stdout + result.stderr, args
        assert_no_key(result.stdout + result.stderr, args)


def test_a_key_in_a_config_toml_that_is_not_valid_toml_is_masked_too(tmp_path: Path) -> None:
    """The file may be broken (a hand edit): its keys are masked all the same."""
    write_config(f'theme = \n[providers.openrouter]\napi_key = "{CONFIG_KEY}"\n')
    withkey = tmp_path / "withkey.json"
    withkey.write_text(chat_with_keys("Moons").model_dump_json())
    chat_id = pplx("chats", "import", str(withkey), key=None).stdout.strip()

    shown = pplx("chats", "show", chat_id, key=None)

    assert shown.returncode == 0, shown.stderr
    assert "How many moons? \\*\\*\\*" in shown.stdout  # (a question is escaped as typed)
    assert CONFIG_KEY[:12] not in shown.stdout


@pytest.mark.parametrize(
    "cut", [CONFIG_KEY[:12], CONFIG_KEY[:20], CONFIG_KEY[:-1], CONFIG_KEY + "_more-chars9"]
)
def test_a_cut_copy_of_a_key_is_masked_whole_leaving_no_fragment(tmp_path: Path, cut: str) -> None:
    """A key's first 12 characters and the key characters after them are one ``***``:
    ``Bearer sk-or-v1-QAEXPORTSEC`` was exported as ``Bearer ***XPORTSEC``."""
    write_config()
    chat = Chat(id="", title=f"Bearer {cut}")
    chat.add(Message(role="user", content=f"Is ({cut}) a key?"))
    withkey = tmp_path / "withkey.json"
    withkey.write_text(chat.model_dump_json())
    chat_id = pplx("chats", "import", str(withkey), key=None).stdout.strip()

    shown = pplx("chats", "export", chat_id, key=None).stdout

    assert "# Bearer \\*\\*\\*\n" in shown and "Is (\\*\\*\\*) a key?" in shown
    assert cut[10:] not in shown


def test_the_stream_redactor_masks_a_cut_key_as_redacting_it_whole_does() -> None:
    """``pplx ask`` prints in pieces: a key's start followed by key characters is one ``***``
    however the text is cut, never ``***`` and then the rest of the characters."""
    redact.remember_secret(CONFIG_KEY)
    text = f"Bearer {CONFIG_KEY[:20]}. {CONFIG_KEY[:12]}x-y_z and {CONFIG_KEY}{CONFIG_KEY[:15]}"
    whole = redact.redact_known(text)
    assert whole == "Bearer ***. *** and ***"
    for first in range(len(text) + 1):
        for second in range(first, len(text) + 1, 5):
            redactor = redact.StreamRedactor()
            pieces = (text[:first], text[first:second], text[second:])
            printed = [redactor.feed(piece) for piece in pieces]
            assert "".join(printed) + redactor.flush() == whole, (first, second)


async def test_the_app_s_export_dialog_offers_a_file_name_without_the_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A chat titled with a key (saved before it was masked): the dialog offered
    ``key-sk-or-v1-qaexportsecretkey0123456789.md``."""
    chat = saved_with_keys(monkeypatch, f"Key {CONFIG_KEY}")
    write_config()
    from pplx_tui.ui.factory import make_app

    app = make_app(chat_id=chat.id)
    async with app.run_test(size=(120, 36)) as pilot:
        workspace(app).action_export_sources("md")
        await until(pilot, lambda: bool(app.screen.query("RenameScreen Input")))
        offered = app.screen.query_one(Input).value
    assert Path(offered).name == "key.md"
