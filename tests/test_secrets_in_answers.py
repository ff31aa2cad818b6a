"""A key the server echoes inside an answer is written nowhere (issue 13 item 10).

Error messages already drop keys; here the key arrives as answer text and in a source, so it
would be saved in the chat file, the index, exports and ``--json`` output. Only the keys in
use (and their first 12 characters) are replaced: anything merely shaped like a key stays,
since an answer may well explain what keys look like.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pplx_tui import redact
from pplx_tui.export import export_chat
from pplx_tui.models import Chat, Message, Source
from pplx_tui.redact import remember_secret
from tests.support.cli import KEY, answer_frames, chunk, pplx, saved_id
from tests.support.loopback import LoopbackServer, Reply, sse

SECRETS = [KEY, KEY[:12]]
SHAPED = "sk-proj-Example0123456789"


def test_a_key_echoed_in_an_answer_is_in_no_file_and_no_output(
    loopback: LoopbackServer, isolated_home: Path, tmp_path: Path
) -> None:
    echo = (
        f"Mars has two moons [1]. Your key is {KEY}; it starts {KEY[:12]}. Keys look like {SHAPED}."
    )
    loopback.queue(Reply(chunks=answer_frames(["Mars has ", echo[9:]])))
    asked = pplx("ask", "--save", "--json", "How many moons?", server=loopback)
    assert asked.returncode == 0, asked.stderr
    chat_id = saved_id(asked.stderr)
    outputs = [asked.stdout]
    exported = tmp_path / "exports"
    exported.mkdir()
    for args in (
        ("chats", "show", chat_id, "--json"),
        ("chats", "show", chat_id),
        ("chats", "export", chat_id, "--format", "md"),
        ("chats", "export", chat_id, "--format", "json", "-o", str(exported / "chat.json")),
        ("chats", "list", "--json"),
        ("chats", "search", "moons", "--json"),
    ):
        result = pplx(*args)
        assert result.returncode == 0, (args, result.stderr)
        outputs.append(result.stdout + result.stderr)

    saved = json.loads(
        (isolated_home / "data" / "pplx-tui" / "chats" / f"{chat_id}.json").read_text()
    )
    answer = saved["messages"][-1]["content"]
    assert answer.startswith("Mars has two moons [1]. Your key is ***;") and SHAPED in answer
    assert json.loads(asked.stdout)["answer"] == answer
    files = [p for p in [*isolated_home.rglob("*"), *exported.rglob("*")] if p.is_file()]
    assert any(p.name == "index.sqlite3" for p in files)  # the search index was written
    for path in files:
        data = path.read_bytes()
        for secret in SECRETS:
            assert secret.encode() not in data, f"{secret} found in {path}"
    for output in outputs:
        for secret in SECRETS:
            assert secret not in output


def test_exports_made_from_an_open_chat_leave_the_key_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key = "gw-Secret_0123456789abcdefXYZ"  # "_" is escaped in BibTeX: redact before formatting
    monkeypatch.setattr(redact, "_KNOWN_SECRETS", set())
    remember_secret(key)
    chat = Chat(id="c1", title="Keys")
    chat.add(Message(role="user", content="What is my key?"))
    source = Source(index=1, url=f"https://example.com/?k={key}", title=f"Key {key}")
    chat.add(Message(role="assistant", content=f"It is {key} [1].", sources=[source]))
    for fmt in ("md", "json", "bibtex", "csl-json", "ris"):
        data = export_chat(chat, fmt).decode()
        assert "It is ***" in data or fmt not in ("md", "json")
        assert key not in data and key[:12] not in data, fmt


@pytest.mark.parametrize("tty", [(), ("stdout",)], ids=["pipe", "terminal"])
def test_a_key_split_across_streamed_pieces_is_not_printed(
    loopback: LoopbackServer, tty: tuple[str, ...]
) -> None:
    """``pplx ask`` prints the answer as it streams: a key cut anywhere between two deltas
    (or between many, a character at a time) is still left out, and so is its start; the
    text around it is printed whole. A source titled with the key is printed without it."""
    text = f"Your key is {KEY} and it starts {KEY[:12]}.\n\nKeys look like {SHAPED}."
    pieces = [text[:20], text[20:40], *text[40:60], text[60:]]  # cuts inside both keys
    sources = {"search_results": [{"title": f"Echo {KEY}", "url": "https://example.org/echo"}]}
    events = [chunk(piece, citations=["https://example.org/echo"], **sources) for piece in pieces]
    loopback.queue(Reply(chunks=sse(*events, done=True)))
    asked = pplx("ask", "What is my key?", server=loopback, tty=tty)
    assert asked.returncode == 0, asked.stderr
    for secret in SECRETS:
        assert secret not in asked.stdout
        assert secret[4:20] not in asked.stdout  # nor the key's middle, printed piece by piece
    assert "Your key is *** and it starts ***." in asked.stdout
    assert SHAPED in asked.stdout
    assert "Echo ***" in asked.stdout


def test_the_stream_redactor_catches_a_key_however_the_text_is_cut() -> None:
    """Every way of cutting the text in three prints what redacting it whole gives."""
    remember_secret(KEY)
    text = f"a {KEY}{KEY[:12]} b {KEY[:11]}-{KEY[:12]}x {SHAPED} {KEY}"
    whole = redact.redact_known(text)
    assert KEY[:12] not in whole and SHAPED in whole
    for first in range(len(text) + 1):
        for second in range(first, len(text) + 1, 7):
            redactor = redact.StreamRedactor()
            pieces = (text[:first], text[first:second], text[second:])
            printed = [redactor.feed(piece) for piece in pieces]
            assert "".join(printed) + redactor.flush() == whole, (first, second)


def test_the_stream_redactor_holds_back_only_what_could_start_a_key() -> None:
    """A stalled stream shows what arrived: text that no key starts with is printed at once,
    and only an end that a key begins with waits for the next piece."""
    remember_secret(KEY)
    redactor = redact.StreamRedactor()
    assert redactor.feed("Mars has two moons [1]") == "Mars has two moons [1]"
    assert redactor.feed(f" see {KEY[:5]}") == " see "
    assert redactor.feed(f"{KEY[5:]} done") == "*** done"


async def test_an_answer_copied_in_the_app_leaves_the_key_out(loopback: LoopbackServer) -> None:
    """y copies the selected answer with its sources: the key it echoes is *** there too (the
    clipboard is one more place the answer is written to)."""
    from tests.support.tui import ask, loopback_app, until, workspace

    loopback.queue(Reply(chunks=answer_frames(["Your key is ", KEY[:20], KEY[20:], " ok."])))
    app = loopback_app(loopback)
    async with app.run_test(size=(120, 40)) as pilot:
        await ask(pilot, "What is my key?")
        workspace(app).conversation.focus()
        await pilot.press("y")
        await until(pilot, lambda: "Your key is" in app.clipboard)
        assert "Your key is *** ok." in app.clipboard
        assert KEY[:12] not in app.clipboard


@pytest.mark.parametrize("key", [KEY, "sk-or-TESTKEY123"])
def test_an_imported_chat_holding_the_key_leaves_it_out_of_the_index_at_once(
    key: str, isolated_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """QA saw `grep -rl TESTKEY ~` list `chats/.index/index.sqlite3` right after importing a
    chat holding the key in use (once, and not a minute later): the index file and its
    journal, looked at as soon as the import returns, and after a listing and a search."""
    from tests.support.cli import chats_main
    from tests.support.tui import use_key

    use_key("OPENROUTER_API_KEY", key)
    chat = {
        "schema_version": 2,
        "id": "01m8vm0ga7dkcxwc",
        "title": f"My key {key}",
        "messages": [
            {"role": "user", "content": f"Is {key} my key?"},
            {
                "role": "assistant",
                "content": f"My key is {key} and Bearer {key}abc [1]",
                "sources": [{"index": 1, "url": f"https://x.example/?k={key}", "title": key}],
            },
        ],
    }
    path = tmp_path / "chat.json"
    path.write_text(json.dumps(chat), encoding="utf-8")
    index = isolated_home / "data" / "pplx-tui" / "chats" / ".index"

    def index_bytes() -> bytes:
        return b"".join(p.read_bytes() for p in index.glob("index.sqlite3*") if p.is_file())

    assert chats_main(capsys, "list")[0] == 0  # an index to update, before the import
    seen = [index_bytes()]
    code, out, _ = chats_main(capsys, "import", str(path))
    seen.append(index_bytes())
    for args in (("list",), ("search", "key"), ("show", out.strip())):
        assert chats_main(capsys, *args)[0] == 0
        seen.append(index_bytes())

    assert code == 0
    assert b"***" in seen[-1]  # the texts were indexed, redacted
    for number, data in enumerate(seen):
        for secret in {key, key[:12]}:
            assert secret.encode() not in data, (number, secret)
