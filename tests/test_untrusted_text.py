"""Untrusted text is inert on every core and CLI path: stdout, stderr, exports, the log.

Text from the network (answers, reasoning, source titles, snippets and URLs, related
questions, error bodies) and from chat files someone else wrote (``pplx chats import``) is
full of escape sequences here; no control character but newline and tab may come out, and
only http(s) targets may stay Markdown links.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from pplx_tui import paths
from pplx_tui.sanitize import close_fence, defuse_links
from tests.support.cli import SOURCES, USAGE, chunk, pplx, saved_id
from tests.support.loopback import LoopbackServer, Reply, json_reply, sse

EVIL = "\x1b]52;c;ZXZpbA==\x07\x1b[2J\x1b]8;;https://evil.example\x1b\\\x9b31m\x9d0;t\x9c\x07\r\x00"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def assert_inert(text: str) -> None:
    found = CONTROL.search(text)
    assert found is None, (
        f"{found.group()!r} at {found.start()}: {text[max(0, found.start() - 40) :]!r}"
    )


# -- Markdown links --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("[NASA](https://nasa.gov/x_(y)) [1][2].", "[NASA](https://nasa.gov/x_(y)) [1][2]."),
        ("[click](javascript:alert(1))", "\\[click](javascript:alert(1))"),
        ("![pic](file:///etc/passwd)", "!\\[pic](file:///etc/passwd)"),
        ("[a [b] c](data:text/html,x)", "\\[a [b] c](data:text/html,x)"),
        ("[t](<javascript:x> 'title')", "\\[t](javascript:x 'title')"),
        ("\\\\[x](javascript:y)", "\\\\\\[x](javascript:y)"),  # an escaped backslash
        ("\\[x](javascript:y)", "\\[x](javascript:y)"),  # already literal
        ("<javascript:alert(1)> <https://ok.org>", "javascript:alert(1) <https://ok.org>"),
        (
            "[1]: javascript:evil\n[2]: https://ok.org",
            "\\[1]: javascript:evil\n[2]: https://ok.org",
        ),
        (
            "```\n[x](javascript:y)\n```\n[z](vbscript:x)",
            "```\n[x](javascript:y)\n```\n\\[z](vbscript:x)",
        ),
        ("[multi\nline](javascript:x)", "\\[multi\nline](javascript:x)"),
        # Code of every kind is shown as written (its text is no link).
        (
            "Code:\n\n    [x](javascript:y)\n\n[z](data:x)",
            "Code:\n\n    [x](javascript:y)\n\n\\[z](data:x)",
        ),
        ("```\n``` no end\n[x](javascript:y)\n```", "```\n``` no end\n[x](javascript:y)\n```"),
        ("Use <think> tags and a < b > c", "Use <think> tags and a < b > c"),
        # a web link's target has no invisible character and an ASCII host (as sources do)
        ("[x](https://exa\u200bmple.com/a) [x](x)", "[x](https://example.com/a) \\[x](x)"),
        ("<https://\u0430pple.com/\ufeff>", "<https://xn--pple-43d.com/>"),
        ("[1]: https://b\u00fccher.de/x", "[1]: https://xn--bcher-kva.de/x"),
    ],
)
def test_only_http_links_stay_links(markdown: str, expected: str) -> None:
    assert defuse_links(markdown) == expected


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("```\nx\n```", "```\nx\n```"),
        ("~~~~\nx\n~~~\n", "~~~~\nx\n~~~\n~~~~"),
        ("```\nx\n``` not its end\n", "```\nx\n``` not its end\n```"),
        ("    ```\nindented code\n", "    ```\nindented code\n"),
    ],
)
def test_a_fence_left_open_is_closed(markdown: str, expected: str) -> None:
    assert close_fence(markdown) == expected


# -- everything the CLI prints about a saved chat ------------------------------------------------


def evil_chat_export(tmp_path: Path) -> Path:
    """A chat export as a stranger might hand it over: escape sequences in every field."""
    source = {
        "index": 1,
        "url": f"javascript:alert(1){EVIL}",
        "title": f"Title{EVIL} [evil](javascript:alert(2))",
        "date": f"2024{EVIL}",
        "snippet": f"Snippet{EVIL}",
    }
    answer: dict[str, Any] = {
        "role": "assistant",
        "content": f"Answer{EVIL} with [a link](javascript:alert(1)) [1] and phobos",
        "reasoning": f"Thinking{EVIL}",
        "sources": [source, {**source, "index": 2, "url": f"https://ok.example/{EVIL}"}],
        "related_questions": [f"Related{EVIL}"],
        "provider": f"openrouter{EVIL}",
        "model": f"perplexity/sonar{EVIL}",
        "status": "error",
        "error": f"Failed{EVIL}",
        "search": {"domains": [f"d{EVIL}.org"], "after_date": f"01/01/2024{EVIL}"},
        "search_not_sent": {"domains": f"why{EVIL}"},
    }
    chat = {
        "schema_version": 1,
        "id": "0evilchat",
        "title": f"Phobos{EVIL} title",
        "messages": [{"role": "user", "content": f"Question{EVIL} phobos"}, answer],
        "settings": {"system_prompt": f"Prompt{EVIL}", "model": f"m{EVIL}"},
    }
    path = tmp_path / "evil.json"
    path.write_text(json.dumps(chat))
    return path


def test_every_chats_command_prints_inert_text(tmp_path: Path) -> None:
    imported = pplx("chats", "import", str(evil_chat_export(tmp_path)))
    assert imported.returncode == 0, imported.stderr
    chat_id = imported.stdout.strip()
    runs = {
        "list": pplx("chats", "list"),
        "list --json": pplx("chats", "list", "--json"),
        "search": pplx("chats", "search", "phobos"),
        "search --json": pplx("chats", "search", "phobos", "--json"),
        "show": pplx("chats", "show", chat_id, "--reasoning"),
        "show --json": pplx("chats", "show", chat_id, "--json"),
        "export md": pplx("chats", "export", chat_id, "--format", "md", "--reasoning"),
        "export json": pplx("chats", "export", chat_id, "--format", "json"),
    }
    for name, result in runs.items():
        assert result.returncode == 0, (name, result.stderr)
        assert_inert(imported.stderr + result.stdout + result.stderr)
        assert "Phobos" in result.stdout or "phobos" in result.stdout.lower(), name
    for name in ("list --json", "search --json", "show --json", "export json"):
        json.loads(runs[name].stdout)  # escaped, still JSON
    markdown = runs["export md"].stdout
    assert "\\[a link](javascript:alert(1))" in markdown
    assert "`javascript:alert(1)`" in markdown  # a source URL that is not http(s): no link
    assert "<https://ok.example/>" in markdown
    assert "Title [evil](javascript" not in markdown and "Title \\[evil\\](javascript" in markdown


def test_an_answer_from_the_network_is_inert_in_plain_json_and_saved_output(
    loopback: LoopbackServer,
) -> None:
    sources = [
        {
            **SOURCES[0],
            "title": f"NASA{EVIL}",
            "snippet": f"Two moons{EVIL}",
            "date": f"2024{EVIL}",
        },
        {**SOURCES[1], "url": f"https://en.wikipedia.org/wiki/Phobos{EVIL}"},
    ]
    events = [
        chunk(f"<think>Reasoning{EVIL}</think>", search_results=sources),
        chunk(f"Answer{EVIL} [1]", search_results=sources),
        chunk(
            "",
            finish=f"stop{EVIL}",
            usage=USAGE,
            search_results=sources,
            related_questions=[f"Related{EVIL}?"],
            images=[{"image_url": f"https://img.example/x.png{EVIL}", "title": f"Img{EVIL}"}],
        ),
    ]
    for flags in ((), ("--json",)):
        loopback.queue(Reply(chunks=sse(*events, done=True)))
        result = pplx("ask", "--save", "--related", "--images", *flags, "q", server=loopback)
        assert result.returncode == 0, result.stderr
        assert_inert(result.stdout + result.stderr)
        assert "Answer" in result.stdout
        chat_id = saved_id(result.stderr)
    data = json.loads(result.stdout)
    assert data["reasoning"].startswith("Reasoning") and data["related_questions"]
    assert data["images"][0]["image_url"].startswith("https://img.example/x.png")
    shown = pplx("chats", "show", chat_id, "--reasoning")
    assert_inert(shown.stdout + shown.stderr)
    assert "Reasoning" in shown.stdout and "NASA" in shown.stdout


def test_error_bodies_and_the_log_are_inert(loopback: LoopbackServer) -> None:
    loopback.queue(
        json_reply(400, {"error": {"message": f"Bad{EVIL} request\nsecond line", "code": 400}})
    )

    result = pplx("--debug", "ask", "q", server=loopback)

    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and "Bad" in result.stderr
    assert_inert(result.stderr)
    log = paths.log_file().read_text()
    assert "the answer failed: OpenRouter rejected the request" in log
    assert_inert(log)


# -- JSON: the data as it is, each control written as an escape ----------------------------------

BIDI = "\u202aa\u202bb\u202cc\u202dd\u202ee\u2066f\u2067g\u2068h\u2069"
"""Every bidirectional embedding, override and isolate ("Trojan Source"): raw on a terminal,
they turn the text around them."""
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def test_json_output_escapes_bidi_controls_and_keeps_the_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`pplx chats show/list/search --json`, `pplx usage --json` and `--format json` wrote the
    bidi controls of an imported chat raw: on a terminal `"title": "invoice‮fdp.exe"` showed
    reordered. Each is now a \\uXXXX escape (as C0 and C1 controls were), so the JSON reads
    back exactly what the chat holds."""
    from pplx_tui.cli.json_output import print_json

    title, model = f"Phobos {BIDI} invoice\u202efdp.exe", f"perplexity/sonar{BIDI}\x85"
    answer = {
        "role": "assistant",
        "content": f"Answer {BIDI} phobos",
        "sources": [{"index": 1, "url": "https://a.example/", "title": f"T{BIDI}"}],
        "provider": "openrouter",
        "model": model,
        "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3, "cost_usd": 0.5},
    }
    chat = {
        "schema_version": 1,
        "id": "0bidichat",
        "title": title,
        "messages": [{"role": "user", "content": f"Question {BIDI}"}, answer],
    }
    path = tmp_path / "bidi.json"
    path.write_text(json.dumps(chat))
    imported = pplx("chats", "import", str(path))
    assert imported.returncode == 0
    chat_id = imported.stdout.strip()  # (a new id: 0bidichat is not one pplx-tui makes)
    runs = {
        "list": pplx("chats", "list", "--json"),
        "search": pplx("chats", "search", "phobos", "--json"),
        "show": pplx("chats", "show", chat_id, "--json"),
        "export": pplx("chats", "export", chat_id, "--format", "json"),
        "usage": pplx("usage", "--json"),
    }
    for name, result in runs.items():
        assert result.returncode == 0, (name, result.stderr)
        assert RAW.search(result.stdout) is None, (name, result.stdout)
    assert json.loads(runs["list"].stdout)[0]["title"] == title
    assert json.loads(runs["search"].stdout)[0]["title"] == title
    for name in ("show", "export"):
        shown = json.loads(runs[name].stdout)
        assert shown["title"] == title and shown["messages"][1]["model"] == model, name
        assert shown["messages"][1]["sources"][0]["title"] == f"T{BIDI}", name
    assert json.loads(runs["usage"].stdout)["rows"][0]["model"] == model

    # Every other --json (ask, runs, models) is written by the same print_json.
    print_json({"text": f"{BIDI}\x00\x1b[2J\x9b\x7f"})
    out = capsys.readouterr().out
    assert RAW.search(out) is None and json.loads(out) == {"text": f"{BIDI}\x00\x1b[2J\x9b\x7f"}
