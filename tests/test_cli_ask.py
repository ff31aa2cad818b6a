"""`pplx ask` as a script sees it: the real command talking to the loopback server.

In-process (``tests.support.cli.pplx``), except the entry point's smoke test, a real process.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
from pathlib import Path
from typing import IO

import pytest

from tests.support.cli import (
    KEY,
    SOURCES,
    answer_frames,
    chunk,
    pplx,
    pplx_process,
    saved_chat,
    saved_id,
)
from tests.support.loopback import LoopbackServer, Reply, json_reply, sse

ANSWER_PARTS = ["Mars has ", "two moons", ", Phobos and Deimos [1]", "[2]."]


def answer_stream() -> list[bytes]:
    return answer_frames(ANSWER_PARTS)


def run_ask(
    *args: str, server: LoopbackServer | None = None, stdin: str | None = None, key: bool = True
) -> subprocess.CompletedProcess[str]:
    return pplx("ask", *args, server=server, stdin=stdin, key=KEY if key else None)


def test_demo_prints_a_cited_answer_with_sources() -> None:
    """The entry point: ``python -m pplx_tui`` as a process, exit code and streams."""
    result = pplx_process("ask", "--demo", "How many moons does Mars have?", key=None)

    assert result.returncode == 0, result.stderr
    assert "Phobos" in result.stdout and "[1]" in result.stdout
    assert "\nSources:\n[1] " in result.stdout


def test_plain_output_is_the_answer_then_numbered_sources(loopback: LoopbackServer) -> None:
    loopback.queue(Reply(chunks=answer_stream()))

    result = run_ask("How many moons?", server=loopback)

    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Mars has two moons, Phobos and Deimos [1][2].\n\nSources:\n"
        "[1] Mars moons — NASA — https://science.nasa.gov/mars/moons/\n"
        "[2] Phobos (moon) — https://en.wikipedia.org/wiki/Phobos_(moon)\n"
    )
    sent = loopback.requests[0]
    assert sent.path == "/api/v1/chat/completions"
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert sent.json["model"] == "perplexity/sonar" and sent.json["stream"] is True
    assert sent.json["messages"][-1] == {"role": "user", "content": "How many moons?"}


@pytest.mark.parametrize("tty", [(), ("stdout",)])
def test_a_source_without_a_title_is_its_url_once(
    loopback: LoopbackServer, tty: tuple[str, ...]
) -> None:
    """QA-31: sources given as bare citation URLs (OpenRouter's Sonar answers, no
    search_results) were listed "[1] https://a.example/x — https://a.example/x"."""
    urls = ["https://a.example/x", "https://b.example/y"]
    frames = [
        chunk("Two [1][2].", citations=urls, search_results=[]),
        chunk("", finish="stop", citations=urls, search_results=[]),
    ]
    loopback.queue(Reply(chunks=sse(*frames, done=True)))

    result = pplx("ask", "question", server=loopback, tty=tty)

    assert result.returncode == 0, result.stderr
    shown = re.sub(r"\x1b\]8;[^\x1b]*\x1b\\|\x1b\[[0-9;]*m", "", result.stdout)  # links, styles
    assert "[1] https://a.example/x\n" in shown, shown
    assert "[2] https://b.example/y\n" in shown, shown
    assert "—" not in shown


def test_json_output_has_the_documented_shape(loopback: LoopbackServer) -> None:
    loopback.queue(Reply(chunks=answer_stream()))

    result = run_ask("--json", "How many moons?", server=loopback)

    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["provider"] == "openrouter" and data["model"] == "perplexity/sonar"
    assert data["answer"] == "Mars has two moons, Phobos and Deimos [1][2]."
    assert data["sources"][0] == {"index": 1, **SOURCES[0]}
    assert data["sources"][1]["index"] == 2 and data["sources"][1]["date"] is None
    assert data["usage"] == {
        "prompt_tokens": 11,
        "completion_tokens": 9,
        "total_tokens": 20,
        "cost_usd": 0.0051,
    }
    assert KEY not in result.stdout


def test_json_names_the_chat_it_was_saved_in() -> None:
    """`pplx ask --save --json` gave the chat's id on stderr only: a script had to parse
    `pplx: saved chat ID` next to the JSON it read."""
    saved = pplx("ask", "--demo", "--save", "--json", "How many moons does Mars have?")
    chat_id = saved_id(saved.stderr)
    continued = pplx("ask", "--demo", "--chat", chat_id[:10], "--json", "And Deimos?")
    unsaved = pplx("ask", "--demo", "--json", "How many moons does Mars have?")

    assert json.loads(saved.stdout)["chat_id"] == chat_id
    assert json.loads(continued.stdout)["chat_id"] == chat_id
    assert "chat_id" not in json.loads(unsaved.stdout)


def test_question_from_stdin_and_search_options_are_sent(loopback: LoopbackServer) -> None:
    loopback.queue(Reply(chunks=answer_stream()))

    result = run_ask(
        "-",
        "--recency",
        "week",
        "--domain",
        "nasa.gov",
        "--domain",
        "esa.int",
        "--mode",
        "academic",
        "--context-size",
        "high",
        "--temperature",
        "0.2",
        "--max-tokens",
        "300",
        "--related",
        server=loopback,
        stdin="  moons of Mars?\n",
    )

    assert result.returncode == 0, result.stderr
    body = loopback.requests[0].json
    assert body["messages"][-1]["content"] == "moons of Mars?"
    assert body["search_recency_filter"] == "week"
    assert body["search_domain_filter"] == ["nasa.gov", "esa.int"]
    assert body["search_mode"] == "academic"
    assert body["web_search_options"]["search_context_size"] == "high"
    assert body["temperature"] == 0.2 and body["max_tokens"] == 300
    assert body["return_related_questions"] is True


def test_a_domain_given_twice_in_any_case_is_sent_once(loopback: LoopbackServer) -> None:
    """QA: `--domain a.com --domain A.COM` sent both, and both counted to the 20 allowed."""
    loopback.queue(Reply(chunks=answer_stream()))
    twice = [word for n in range(15) for word in ("--domain", f"site{n}.org", "-d", f"SITE{n}.ORG")]

    result = run_ask(*twice, "Moons?", server=loopback)

    assert result.returncode == 0, result.stderr
    sent = loopback.requests[0].json["search_domain_filter"]
    assert sent == [f"site{n}.org" for n in range(15)]


def stdin_of(kind: str, data: bytes, folder: Path) -> IO[str]:
    """``data`` as stdin of ``kind`` ("pipe", "file", "devnull" or "socket"), its writer gone."""
    if kind == "file":
        (folder / "stdin.txt").write_bytes(data)
        return open(folder / "stdin.txt", encoding="utf-8")
    if kind == "devnull":
        return open(os.devnull, encoding="utf-8")
    if kind == "socket":  # as ssh may leave it
        ours, theirs = socket.socketpair()
        with theirs:
            theirs.sendall(data)
        return open(ours.detach(), encoding="utf-8")
    read, write = os.pipe()
    os.write(write, data)
    os.close(write)
    return open(read, encoding="utf-8")


@pytest.mark.parametrize(
    ("words", "sent"),
    [
        ((), "line one\nline two"),
        (("-",), "line one\nline two"),
        # QA: sent "line one…\n\n- and q": the `-` that marks stdin is no word of the question.
        (("-", "and", "q"), "line one\nline two\n\nand q"),
        (("and", "q", "-"), "line one\nline two\n\nand q"),
    ],
)
def test_piped_text_is_sent_with_plain_line_breaks_and_without_the_dash(
    loopback: LoopbackServer, tmp_path: Path, words: tuple[str, ...], sent: str
) -> None:
    """QA: text piped from a Windows file was sent with its \\r\\n line breaks."""
    loopback.queue(Reply(chunks=answer_stream()))

    with stdin_of("pipe", b"line one\r\nline two\r\n", tmp_path) as stdin:
        result = pplx("ask", *words, server=loopback, stdin=stdin)

    assert result.returncode == 0, result.stderr
    assert loopback.requests[0].json["messages"][-1]["content"] == sent


@pytest.mark.parametrize("kind", ["pipe", "file"])
def test_text_piped_beside_a_question_is_sent_before_it(
    loopback: LoopbackServer, tmp_path: Path, kind: str
) -> None:
    """QA-42: `cat notes.md | pplx ask "summarise this"` sent the question alone."""
    loopback.queue(Reply(chunks=answer_stream()))

    with stdin_of(kind, b"\n# Notes\n\nPhobos is caf\xe9-sized.\n\n", tmp_path) as stdin:
        result = pplx("ask", "summarise this", server=loopback, stdin=stdin)

    assert result.returncode == 0, result.stderr
    sent = loopback.requests[0].json["messages"][-1]["content"]
    assert sent == "# Notes\n\nPhobos is caf\ufffd-sized.\n\nsummarise this"


def test_a_saved_chat_with_piped_text_is_titled_by_the_question(
    loopback: LoopbackServer, tmp_path: Path
) -> None:
    """`cat report.md | pplx ask --save "what are the risks?"` was titled "# Quarterly
    report", the document's first line: the piped text is context, the question names it."""
    loopback.queue(Reply(chunks=answer_stream()))

    with stdin_of("pipe", b"# Quarterly report\n\nRevenue fell.\n", tmp_path) as stdin:
        result = pplx("ask", "--save", "what are the risks?", server=loopback, stdin=stdin)

    assert result.returncode == 0, result.stderr
    chat = saved_chat(saved_id(result.stderr))
    assert chat["title"] == "what are the risks?"
    assert chat["messages"][0]["content"].startswith("# Quarterly report")


@pytest.mark.parametrize(
    ("kind", "data"), [("devnull", b""), ("pipe", b""), ("socket", b"not piped text\n")]
)
def test_a_question_is_sent_alone_when_no_text_is_piped(
    loopback: LoopbackServer, tmp_path: Path, kind: str, data: bytes
) -> None:
    """/dev/null (cron, launchers) and an empty pipe add nothing; a socket left open is never
    read (ssh: reading it could wait for ever)."""
    loopback.queue(Reply(chunks=answer_stream()))

    with stdin_of(kind, data, tmp_path) as stdin:
        result = pplx("ask", "How many moons?", server=loopback, stdin=stdin)

    assert result.returncode == 0, result.stderr
    assert loopback.requests[0].json["messages"][-1]["content"] == "How many moons?"


def test_a_question_typed_without_quotes_is_its_words(loopback: LoopbackServer) -> None:
    """`pplx ask how many moons does Mars have` was "unrecognized arguments: many moons does
    Mars have", where `pplx chats search` and `rename` take their words as one."""
    loopback.queue(Reply(chunks=answer_stream()))

    result = pplx("ask", "--save", "how", "many", "moons", "-", "two?", server=loopback)

    assert result.returncode == 0, result.stderr
    assert loopback.requests[0].json["messages"][-1]["content"] == "how many moons - two?"
    assert saved_chat(saved_id(result.stderr))["title"] == "how many moons - two?"


def test_a_question_read_from_the_terminal_says_how_to_end_it() -> None:
    """`pplx ask -` at a terminal waited for the question without a word: it looked hung."""
    typed = pplx("ask", "--demo", "-", stdin="Mars moons?\n", tty=("stdin", "stderr"))
    piped = pplx("ask", "--demo", "-", stdin="Mars moons?\n", tty=("stderr",))

    assert typed.returncode == 0 and "Phobos" in typed.stdout
    assert typed.stderr.startswith(
        "pplx: type the question, then Ctrl-D at the start of a line to send it\n"
    )
    assert "Ctrl-D" not in piped.stderr


def test_an_empty_system_prompt_clears_the_configured_one(loopback: LoopbackServer) -> None:
    """`--system ""` fell back to config.toml's system_prompt, where the app (`pplx --system
    ""`) asks with none: both ask with none now."""
    from pplx_tui import paths

    paths.config_file().parent.mkdir(parents=True)
    paths.config_file().write_text('system_prompt = "Answer in French."\n')
    paths.config_file().chmod(0o600)
    for _ in range(2):
        loopback.queue(Reply(chunks=answer_stream()))

    configured = pplx("ask", "q", server=loopback)
    cleared = pplx("ask", "--system", "", "q", server=loopback)

    assert (configured.returncode, cleared.returncode) == (0, 0)
    first, second = (request.json["messages"] for request in loopback.requests)
    assert first[0] == {"role": "system", "content": "Answer in French."}
    assert [m["role"] for m in second] == ["user"]


def test_text_piped_beside_a_question_over_1_mb_is_refused(
    loopback: LoopbackServer, tmp_path: Path
) -> None:
    with stdin_of("file", b"x" * 1_000_001, tmp_path) as stdin:
        result = pplx("ask", "summarise this", server=loopback, stdin=stdin)

    assert result.returncode == 2
    assert result.stderr == "pplx: the question is over 1 MB; shorten it\n"
    assert loopback.requests == []


def test_no_key_exits_3_and_suggests_demo() -> None:
    result = run_ask("question", key=False)

    assert result.returncode == 3
    assert "--demo" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_no_key_for_a_background_run_does_not_suggest_the_demo() -> None:
    """The demo runs nothing in the background: the hint led to an exit 2."""
    result = run_ask("--provider", "perplexity", "--background", "question", key=False)

    assert result.returncode == 3
    assert result.stderr.startswith("pplx: no API key for perplexity.")
    assert "--demo" not in result.stderr and len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    "reply",
    [
        json_reply(
            401,
            {
                "error": {
                    "message": "Invalid API key provided",
                    "type": "invalid_api_key",
                    "code": 401,
                }
            },
        ),
        json_reply(401, "<html><head><title>401 Authorization Required</title></head></html>"),
    ],
)
def test_bad_key_exits_3_with_one_line_and_no_key(loopback: LoopbackServer, reply: Reply) -> None:
    loopback.queue(reply)

    result = run_ask("question", server=loopback)

    assert result.returncode == 3
    assert len(result.stderr.strip().splitlines()) == 1
    assert "OPENROUTER_API_KEY" in result.stderr
    assert KEY not in result.stderr + result.stdout and "Traceback" not in result.stderr


def test_out_of_credits_exits_4(loopback: LoopbackServer) -> None:
    loopback.queue(json_reply(402, {"error": {"message": "Insufficient credits", "code": 402}}))

    assert run_ask("question", server=loopback).returncode == 4


def test_dropped_stream_keeps_the_partial_answer_on_stdout(loopback: LoopbackServer) -> None:
    loopback.queue(Reply(chunks=sse(*(chunk(p) for p in ANSWER_PARTS[:2]))))

    result = run_ask("question", server=loopback)

    assert result.returncode == 5
    assert result.stdout.startswith("Mars has two moons")
    assert "Sources:" in result.stdout
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_process_ends_with_its_output_and_log_written(loopback: LoopbackServer) -> None:
    """As the program, `pplx ask` ends its process itself once everything is written (no
    interpreter teardown): exit code, the partial answer, the error line and the log's
    warning all arrive."""
    from pplx_tui import paths

    loopback.queue(Reply(chunks=sse(*(chunk(p) for p in ANSWER_PARTS[:2]))))

    result = pplx_process("ask", "question", server=loopback)

    assert result.returncode == 5
    assert result.stdout.startswith("Mars has two moons") and "Sources:" in result.stdout
    assert len(result.stderr.strip().splitlines()) == 1
    assert "the answer failed" in paths.log_file().read_text(encoding="utf-8")


def test_on_a_terminal_rich_loads_while_the_server_works(
    loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The terminal printer loads Rich and its parsers once the question is sent (the
    request does not wait for them), and before the first piece of the answer is drawn."""
    import time

    from pplx_tui.cli.ask_render import RichPrinter

    seen: list[str] = []
    prepare, write = RichPrinter.prepare, RichPrinter.write

    def prepared(printer: RichPrinter) -> None:
        deadline = time.monotonic() + 10  # the request reaches the server's thread
        while not loopback.requests and time.monotonic() < deadline:
            time.sleep(0.005)
        seen.append(f"prepare after {len(loopback.requests)} request(s)")
        prepare(printer)

    def written(printer: RichPrinter, text: str) -> None:
        seen.append("write")
        write(printer, text)

    monkeypatch.setattr(RichPrinter, "prepare", prepared)
    monkeypatch.setattr(RichPrinter, "write", written)
    loopback.queue(Reply(chunks=answer_stream()))

    result = pplx("ask", "question", server=loopback, tty=["stdout"])

    assert result.returncode == 0, result.stderr
    assert seen[0] == "prepare after 1 request(s)" and seen.count(seen[0]) == 1
    assert seen[1:] and set(seen[1:]) == {"write"}
    assert "Phobos" in result.stdout


def test_control_sequences_in_the_answer_never_reach_stdout(loopback: LoopbackServer) -> None:
    evil = [
        chunk("safe \x1b]52;c;ZXZpbA==\x07text\x1b[2J"),
        chunk("", choices=[{"index": 0, "delta": {"content": ""}, "finish_reason": "stop"}]),
    ]
    loopback.queue(Reply(chunks=sse(*evil, done=True)))

    result = run_ask("question", server=loopback)

    assert result.stdout.startswith("safe text")
    assert "\x1b" not in result.stdout


def test_save_then_continue_sends_the_earlier_exchange(loopback: LoopbackServer) -> None:
    loopback.queue(Reply(chunks=answer_stream()), Reply(chunks=answer_stream()))

    first = run_ask("--save", "How many moons?", server=loopback)
    chat_id = saved_id(first.stderr)
    second = run_ask("--chat", chat_id, "--save", "Which is larger?", server=loopback)

    assert second.returncode == 0, second.stderr
    messages = loopback.requests[1].json["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant", "user"]
    assert messages[0]["content"] == "How many moons?"
    assert messages[1]["content"].startswith("Mars has two moons")
    from pplx_tui.store import ChatStore

    chat = ChatStore().load(chat_id)
    assert [m.role for m in chat.messages] == ["user", "assistant", "user", "assistant"]
    assert (
        chat.messages[1].model == "perplexity/sonar" and chat.messages[1].provider == "openrouter"
    )
    assert chat.messages[1].sources[0].url == SOURCES[0]["url"]


def test_unknown_chat_id_is_a_usage_error() -> None:
    result = run_ask("--demo", "--chat", "../../etc/passwd", "q", key=False)

    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_related_questions_and_images_follow_the_sources(loopback: LoopbackServer) -> None:
    extra = {
        "related_questions": ["How big is Phobos?", "Will Phobos crash?"],
        "images": [
            {"image_url": "https://img.example/phobos.jpg", "origin_url": "https://nasa.gov/p"},
            {"image_url": "javascript:alert(1)", "title": "bad"},
        ],
    }
    frames = sse(chunk("Two [1]."), chunk("", finish="stop", **extra), done=True)
    loopback.queue(Reply(chunks=frames))

    result = run_ask("--related", "--images", "How many moons?", server=loopback)

    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith(
        "\nRelated questions:\n- How big is Phobos?\n- Will Phobos crash?\n\n"
        "Images:\n- https://img.example/phobos.jpg (from https://nasa.gov/p)\n"
    )
    sent = loopback.requests[0].json
    assert sent["return_related_questions"] is True and sent["return_images"] is True
