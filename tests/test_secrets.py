"""Keys stay secret: a whole CLI session, then every file and every output line is searched.

Servers echo keys back (in a 401 body, in an HTML error page, in an in-band error event), so
the session provokes exactly that. Afterwards no file under the temporary XDG folders (chats,
index, exports, log, config, cache) and no captured stdout/stderr may hold either key or even
its first 12 characters.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import stat
import subprocess
from pathlib import Path

import pytest

from pplx_tui import redact as key_redaction
from pplx_tui.client.errors import redact, remember_secret
from pplx_tui.client.http_errors import error_for_status
from pplx_tui.providers import build_catalog
from tests.support.cli import KEY, answer_frames, chunk, pplx, saved_chat, saved_id
from tests.support.loopback import LoopbackServer, Reply, json_reply, sse

PPLX_KEY = "pplx-" + "S3cr3tAgentKey0123456789abcdefghijklmnop"
SECRETS = [KEY, KEY[:12], PPLX_KEY, PPLX_KEY[:12]]


def agent_answer() -> list[bytes]:
    text = {"type": "response.output_text.delta", "delta": "Two moons.", "sequence_number": 1}
    done = {
        "type": "response.completed",
        "sequence_number": 2,
        "response": {"status": "completed", "usage": {"input_tokens": 3, "output_tokens": 2}},
    }
    return sse(text, done)


@pytest.mark.usefixtures("model_lists_unread")  # `pplx models` reads them
def test_a_whole_session_never_writes_or_prints_a_key(
    loopback: LoopbackServer, isolated_home: Path, tmp_path: Path
) -> None:
    outputs: list[subprocess.CompletedProcess[str]] = []

    def run(*args: str, code: int = 0, **kwargs: object) -> subprocess.CompletedProcess[str]:
        result = pplx(*args, PERPLEXITY_API_KEY=PPLX_KEY, **kwargs)  # type: ignore[arg-type]
        outputs.append(result)
        assert result.returncode == code, (args, result.stderr)
        assert "Traceback" not in result.stderr
        return result

    # Answers, saved and continued (debug logging on for the second one).
    loopback.queue(Reply(chunks=answer_frames(["Mars has ", "two moons [1]."])))
    chat_id = saved_id(run("ask", "--save", "How many moons?", server=loopback).stderr)
    loopback.queue(Reply(chunks=answer_frames(["Phobos is larger."])))
    run("--debug", "ask", "--chat", chat_id, "--save", "Which is larger?", server=loopback)
    assert loopback.requests[0].headers["authorization"] == f"Bearer {KEY}"  # it was used

    # Servers echoing the key: a 401 (JSON, whole key and a masked one), a 500 HTML page.
    for message in (f"Invalid API key provided: {KEY}", f"Invalid key {KEY[:14]}...{KEY[-4:]}"):
        loopback.queue(json_reply(401, {"error": {"message": message, "code": 401}}))
        run("ask", "--json", "q", server=loopback, code=3)
    page = f"<html><title>Error for {KEY}</title><body>Authorization: Bearer {KEY}</body></html>"
    loopback.queue(*[json_reply(500, page, {"Retry-After": "0"})] * 3)
    run("--debug", "ask", "q", server=loopback, code=5)

    # An in-band error naming the key, after part of the answer, saved into the chat.
    in_band = {"error": {"code": 500, "message": f"upstream rejected key {KEY}"}}
    loopback.queue(Reply(chunks=[*sse(chunk("Partial ")), *sse(in_band)]))
    run("ask", "--chat", chat_id, "--save", "--json", "More?", server=loopback, code=5)

    # The Agent API with the Perplexity key: an answer, then a 401 that echoes it.
    agent = ["--provider", "perplexity", "--base-url", loopback.base_url]
    loopback.queue(Reply(chunks=agent_answer()))
    run("ask", *agent, "--save", "Agent question")
    echo = f"bad key {PPLX_KEY}; you sent {PPLX_KEY[:12]}…{PPLX_KEY[-4:]}"
    loopback.queue(json_reply(401, {"error": {"message": echo, "code": 401}}))
    run("ask", *agent, "q", code=3)

    # A bug whose message holds the key: logged with its traceback.
    loopback.queue(Reply(chunks=answer_frames(["x"])))
    run("ask", "q", server=loopback, fault="crash", code=5)

    # Everything that reads chats back, exports to files, the model list.
    exported = tmp_path / "exports"
    exported.mkdir()
    run("chats", "export", chat_id, "--format", "md", "-o", str(exported / "chat.md"))
    run("chats", "export", chat_id, "--format", "json", "-o", str(exported / "chat.json"))
    run("chats", "show", chat_id, "--json")
    run("chats", "show", chat_id)
    run("chats", "list", "--json")
    run("chats", "search", "moons")
    # The live model lists (read with both keys, then cached) come from the loopback server.
    from pplx_tui import paths

    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        f'[providers.perplexity]\nbase_url = "{loopback.base_url}"\n'
        f'[providers.openrouter]\nbase_url = "{loopback.base_url}/api/v1"\n'
    )
    config.chmod(0o600)
    listed = {"data": [{"id": "sonar", "name": "Sonar"}]}
    loopback.queue(json_reply(200, listed), json_reply(200, listed))
    models = run("models", "--json")
    assert [r.path for r in loopback.requests[-2:]] == ["/v1/models", "/api/v1/models"]
    assert {p["name"]: p["has_key"] for p in json.loads(models.stdout)}["openrouter"] is True

    # Then look everywhere.
    files = [p for p in [*isolated_home.rglob("*"), *exported.rglob("*")] if p.is_file()]
    names = {p.name for p in files}
    assert {"pplx.log", "chat.md", "chat.json", f"{chat_id}.json", "index.sqlite3"} <= names
    assert {"models-perplexity.json", "models-openrouter.json"} <= names  # the cached lists
    log = next(p for p in files if p.name == "pplx.log").read_text()
    assert "Traceback" in log and "the answer failed" in log
    saved = json.loads(next(p for p in files if p.name == f"{chat_id}.json").read_text())
    assert (
        saved["messages"][-1]["content"] == "Partial " and "***" in saved["messages"][-1]["error"]
    )
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, f"{path} is readable by others"
        data = path.read_bytes()
        for secret in SECRETS:
            assert secret.encode() not in data, f"{secret[:12]}… found in {path}"
    for result in outputs:
        for secret in SECRETS:
            assert secret not in result.stdout + result.stderr, (result.args, secret[:12])


# -- the pieces --------------------------------------------------------------------------------


def test_redact_removes_keys_in_use_their_first_characters_and_key_shapes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(key_redaction, "_KNOWN_SECRETS", set())
    remember_secret("custom-gateway-key-0123456789")

    text = redact(
        "a custom-gateway-key-0123456789, its start custom-gatew… and "
        "Bearer abc.def, pplx-0123456789abcdef, gsk_0123456789abc, sk-proj-0123456789"
    )

    assert text == "a ***, its start ***… and Bearer ***, ***, ***, ***"


@pytest.mark.parametrize("key", ["pplx-…", "pplx-abc def", "sk-or-v1-abc\ndef", "ключ-0123"])
def test_a_key_no_header_can_carry_is_a_clear_error_not_a_crash(
    loopback: LoopbackServer, key: str
) -> None:
    result = pplx("ask", "q", server=loopback, key=key)

    assert result.returncode == 3 and "Traceback" not in result.stderr
    assert "contains characters an API key cannot have" in result.stderr
    assert key not in result.stderr and loopback.requests == []


def test_an_error_body_never_carries_the_key_into_the_message() -> None:
    provider = build_catalog().provider("openrouter")
    bodies = [
        json.dumps({"error": {"message": f"key {KEY} is invalid"}}).encode(),
        f"<title>{KEY}</title>".encode(),
        f"plain text with {KEY}".encode(),
        json.dumps({"detail": [{"loc": ["body", KEY], "msg": KEY}]}).encode(),
    ]
    for status in (400, 401, 403, 404, 422, 429, 500, 502):
        for body in bodies:
            message = str(error_for_status(status, body, provider, api_key=KEY))
            assert KEY[:12] not in message, (status, body, message)


def test_the_log_stays_owner_only_after_it_rotates(monkeypatch: pytest.MonkeyPatch) -> None:
    from pplx_tui import paths
    from pplx_tui.logs import LOGGER_NAME, get_logger, setup_logging

    logger = logging.getLogger(LOGGER_NAME)
    monkeypatch.setattr(logger, "handlers", [])
    previous = os.umask(0o022)
    try:
        setup_logging()
        handler = logger.handlers[0]
        handler.maxBytes = 300  # type: ignore[attr-defined]
        for number in range(40):
            get_logger("test").warning("line %d with key %s", number, KEY)
        handler.close()
    finally:
        os.umask(previous)

    files = sorted(paths.log_file().parent.glob("pplx.log*"))
    assert len(files) == 4  # pplx.log and three rotated ones
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        assert KEY[:12].encode() not in path.read_bytes()


@pytest.mark.parametrize(
    "address",
    [
        "http://reader:Pa55word4Gateway@127.0.0.1:{port}/v1",
        "http://127.0.0.1:{port}?token=Pa55word4Gateway",
    ],
)
def test_a_base_url_s_password_or_token_stays_out_of_a_connection_error(
    address: str, isolated_home: Path
) -> None:
    """A gateway that could not be reached was named by everything between `//` and the next
    `/`: a `user:password@` (or a `?token=` right after the host) went to stderr, the chat file
    and the log."""
    with socket.socket() as probe:  # a port nothing listens on: the connection is refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base_url = address.format(port=port)

    result = pplx("ask", "--save", "q", "--provider", "openrouter", "--base-url", base_url)

    assert result.returncode == 5
    assert f"OpenRouter (127.0.0.1:{port}) could not be reached" in result.stderr
    for path in isolated_home.rglob("*"):
        if path.is_file():
            assert b"Pa55word4Gateway" not in path.read_bytes(), path
    assert "Pa55word4Gateway" not in result.stdout + result.stderr


def test_a_401_that_echoes_the_bearer_key_keeps_its_sentence_whole(
    loopback: LoopbackServer,
) -> None:
    """``Bearer ***`` (the key masked already) was masked again with what followed it: the
    message lost its closing ``).``, on stderr, in the chat file and under ``--json``."""
    echo = {"error": {"message": f"Invalid API key provided: Bearer {KEY}"}}
    expected = "(401: Invalid API key provided: Bearer ***). Create a key at"
    loopback.queue(json_reply(401, echo), json_reply(401, echo))

    shown = pplx("ask", "--save", "bad key", server=loopback)
    as_json = pplx("ask", "--json", "bad key", server=loopback)

    assert shown.returncode == as_json.returncode == 3
    assert expected in shown.stderr
    saved = saved_chat(saved_id(shown.stderr))["messages"][-1]["error"]
    assert expected in saved and expected in json.loads(as_json.stdout)["error"]
    assert KEY[:12] not in shown.stderr + saved + as_json.stdout


@pytest.mark.parametrize(
    "text",
    [
        "Missing Authentication header (expected Bearer token).",
        "Use Bearer auth, not Basic.",
        "Send Authorization: Bearer <token>; see the docs.",
        "Bearer authentication failed: Bearer ***).",
    ],
)
def test_words_after_bearer_are_not_taken_for_a_key(text: str) -> None:
    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Authorization: Bearer f00ba4c0ffee, then", "Authorization: Bearer ***, then"),
        ("bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl.", "bearer ***."),
        ("(Bearer QWxhZGRpbjpvcGVuc2VzYW1lQWxhZGRpbg==)", "(Bearer ***)"),
        ("Bearer abc.def_ghi, rest", "Bearer ***, rest"),
    ],
)
def test_a_token_after_bearer_is_masked_with_nothing_after_it(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_a_short_key_is_masked_where_it_stands_alone_not_inside_words_and_urls(
    loopback: LoopbackServer,
) -> None:
    """QA: with OPENROUTER_API_KEY=test (a local gateway's placeholder), the question "What is
    the latest contest result?" was saved as "What is the la*** con*** result?", a source's
    .../latest/... URL as .../la***/... (it no longer worked), in the chat file and every
    export. A key shorter than a key's start (:data:`~pplx_tui.redact.SECRET_PREFIX`) is
    masked where it stands alone; a long key as before, anywhere."""
    url = "https://www.kernel.org/doc/html/latest/networking/ip-sysctl.html"
    loopback.queue(
        Reply(chunks=answer_frames(["The latest result [1]; the key test echoed."], finished=True))
    )
    loopback.requests.clear()
    chat_id = saved_id(
        pplx(
            "ask", "--save", "What is the latest contest result?",
            server=loopback, key="test", OPENROUTER_API_KEY="test",
        ).stderr
    )  # fmt: skip
    saved = saved_chat(chat_id)

    assert saved["messages"][0]["content"] == "What is the latest contest result?"
    assert saved["messages"][1]["content"] == "The latest result [1]; the key *** echoed."
    assert key_redaction.redact_known(url, "test") == url
    assert key_redaction.redact_known("Bearer test, latest", "test") == "Bearer ***, latest"
    for name in ("https://test.example.org/a", "/docs/test/", "notes.test.md"):  # QA: a host
        assert key_redaction.redact_known(name, "test") == name
    assert key_redaction.redact_known("my key is test.", "test") == "my key is ***."


@pytest.mark.parametrize(
    ("pieces", "printed"),
    [
        (["the la", "test result"], "the latest result"),
        (["the la", "te", "st", " result"], "the latest result"),
        (["a ", "test", " run"], "a *** run"),
        (["a te", "st"], "a ***"),
        (["con", "tests"], "contests"),
    ],
)
def test_a_short_key_cut_between_pieces_of_a_stream_is_told_from_a_word(
    pieces: list[str], printed: str
) -> None:
    """``pplx ask`` prints the answer as it streams: a short key's letters at a piece's start
    are masked only if they stand alone with what was printed before them."""
    redactor = key_redaction.StreamRedactor("test")
    shown = "".join(redactor.feed(piece) for piece in pieces) + redactor.flush()
    assert shown == printed
