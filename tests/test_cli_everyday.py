"""The command line on the everyday path: continuing a chat saves, closed pipes, search wording."""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.support.cli import (
    ROOT,
    answer_frames,
    assert_indented_json,
    command,
    environment,
    pplx,
    saved_id,
)
from tests.support.loopback import LoopbackServer, Reply

PARTS = ["Mars has ", "two moons [1]."]


def _seed(loopback: LoopbackServer) -> str:
    loopback.queue(Reply(chunks=answer_frames(PARTS)))
    first = pplx("ask", "--save", "How many moons?", server=loopback)
    assert first.returncode == 0, first.stderr
    return saved_id(first.stderr)


def test_chat_option_appends_the_follow_up_without_save(loopback: LoopbackServer) -> None:
    from pplx_tui.store import ChatStore

    chat_id = _seed(loopback)
    loopback.queue(Reply(chunks=answer_frames(PARTS)))

    second = pplx("ask", "--chat", chat_id, "Which is larger?", server=loopback)

    assert second.returncode == 0, second.stderr
    assert saved_id(second.stderr) == chat_id
    chat = ChatStore().load(chat_id)
    assert [m.content for m in chat.messages if m.role == "user"] == [
        "How many moons?",
        "Which is larger?",
    ]


def test_no_save_keeps_the_chat_as_it_was(loopback: LoopbackServer) -> None:
    from pplx_tui.store import ChatStore

    chat_id = _seed(loopback)
    loopback.queue(Reply(chunks=answer_frames(PARTS)))

    second = pplx("ask", "--chat", chat_id, "--no-save", "Which is larger?", server=loopback)

    assert second.returncode == 0, second.stderr
    assert "saved chat" not in second.stderr
    assert len(ChatStore().load(chat_id).messages) == 2


def test_a_chat_from_a_newer_version_is_refused_before_asking(
    loopback: LoopbackServer,
) -> None:
    """`--chat ID` on a chat saved by a newer pplx-tui asked (and paid), then could not save:
    it is refused first, in one line; `--no-save` asks without keeping the answer."""
    import json

    from pplx_tui.store import ChatStore

    chat_id = _seed(loopback)
    path = ChatStore().root / f"{chat_id}.json"
    data = json.loads(path.read_bytes())
    path.write_text(json.dumps({**data, "schema_version": 99}), encoding="utf-8")
    before = path.read_bytes()

    refused = pplx("ask", "--chat", chat_id, "Which is larger?", server=loopback)
    loopback.queue(Reply(chunks=answer_frames(PARTS)))
    unsaved = pplx("ask", "--chat", chat_id, "--no-save", "Which is larger?", server=loopback)

    assert (refused.returncode, refused.stdout) == (2, "")
    assert refused.stderr == (
        f"pplx: chat {chat_id} was saved by a newer pplx-tui and is read-only here; upgrade "
        "pplx-tui, or add --no-save to ask without keeping the answer\n"
    )
    assert len(loopback.requests) == 2  # the seed and the --no-save question: none refused
    assert unsaved.returncode == 0 and unsaved.stdout.startswith("Mars has two moons")
    assert path.read_bytes() == before


def test_a_chat_whose_provider_is_gone_says_so_and_what_to_do(loopback: LoopbackServer) -> None:
    """A chat asked of a gateway since removed from config.toml: "unknown provider 'mygw'"
    named nothing the user had typed."""
    import json

    from pplx_tui.store import ChatStore

    chat_id = _seed(loopback)
    path = ChatStore().root / f"{chat_id}.json"
    data = json.loads(path.read_bytes())
    data["settings"]["provider"] = "mygw"
    path.write_text(json.dumps(data), encoding="utf-8")

    result = pplx("ask", "--chat", chat_id, "Which is larger?")

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("pplx: unknown provider 'mygw'; known providers: ")
    assert result.stderr.endswith(
        f" (chat {chat_id} was asked of it; choose another with --provider)\n"
    )


def test_another_provider_continues_a_chat_with_its_own_default_model(
    loopback: LoopbackServer,
) -> None:
    """`--demo --chat ID` on a perplexity/sonar chat said "unknown model 'perplexity/sonar'
    for demo" (exit 2): the chat's model was kept though the provider changed."""
    from pplx_tui.store import ChatStore

    chat_id = _seed(loopback)

    offline = pplx("ask", "--demo", "--chat", chat_id, "Which is larger?", key=None)

    assert offline.returncode == 0, offline.stderr
    answer = ChatStore().load(chat_id).messages[-1]
    assert (answer.provider, answer.model) == ("demo", "demo/sonar")


def test_a_base_url_the_demo_cannot_use_is_noted(loopback: LoopbackServer) -> None:
    """`--demo --base-url URL` (or --chat of a demo chat) answered from the demo, URL unused,
    without a word."""
    result = pplx("ask", "--demo", "--base-url", loopback.base_url + "/v1", "Q?", key=None)

    assert result.returncode == 0, result.stderr
    assert "pplx: note: --base-url http://" in result.stderr
    assert "is not used: the demo answers offline" in result.stderr
    assert not loopback.requests


@pytest.mark.parametrize("args", [("chats", "list"), ("models",), ("chats", "show", "ID")])
def test_a_closed_pipe_is_a_quiet_exit(loopback: LoopbackServer, args: tuple[str, ...]) -> None:
    chat_id = _seed(loopback)
    for _ in range(3):  # enough lines that the reader goes away before the end
        loopback.queue(Reply(chunks=answer_frames(["word " * 3000])))
        pplx("ask", "--save", "more", server=loopback)
    argv = command(*(chat_id if a == "ID" else a for a in args))
    process = subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(key=None),
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read(1)
    process.stdout.close()  # as `| head -c1` does
    stderr = process.stderr.read().decode()
    code = process.wait(timeout=30)

    assert stderr == ""
    assert code in (0, 1)


def test_search_names_the_field_of_the_message(loopback: LoopbackServer) -> None:
    _seed(loopback)

    result = pplx("chats", "search", "nasa.gov")

    assert result.returncode == 0, result.stderr
    detail = result.stdout.splitlines()[1]
    assert "source 2" not in detail
    assert detail.strip().startswith("sources of answer 1:")


@pytest.mark.parametrize("args", [["--help"], ["ask", "--help"]])
def test_help_names_every_exit_code(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    """QA: `pplx --help` left out exit 1 (chat not saved, stdout closed); `ask --help` had none."""
    from pplx_tui.cli import main

    with pytest.raises(SystemExit):
        main(args)
    out = " ".join(capsys.readouterr().out.split())
    for code in ("0 ok", "1 the chat could not be saved", "2 usage", "3 auth", "4 rate", "5 net"):
        assert code in out, code
    assert "130 interrupted" in out


def test_help_lists_the_exit_codes_as_readme_does() -> None:
    """QA: the help said "3 authentication", "5 network/server" where README said
    "authentication/permission" and "network/server/protocol"."""
    from pplx_tui.cli.common import EXIT_CODES

    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    listed = readme.split("Exit codes: ", 1)[1].split(" 130 interrupted", 1)[0]
    assert EXIT_CODES.startswith(f"Exit codes: {listed} 130 interrupted"), listed


def test_every_sampling_option_has_help_and_a_short_placeholder(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """QA: `--temperature TEMPERATURE` and `--top-p TOP_P` had no help, unlike `--max-tokens N`."""
    from pplx_tui.cli import main

    with pytest.raises(SystemExit):
        main(["ask", "--help"])
    sampling = capsys.readouterr().out.split("sampling:\n", 1)[1].split("\n\n", 1)[0]
    options = [entry.split() for entry in re.split(r"\n(?=  --)", sampling)]
    assert len(options) == 7, sampling
    for name, placeholder, *described in options:
        assert len(placeholder) <= 4 and described, (name, placeholder)


def test_models_says_the_demo_needs_no_key() -> None:
    """QA: `pplx models` listed the demo as ``(key set)`` though no key exists or is needed."""
    result = pplx("models", "--offline", "--provider", "demo", key=None)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "demo  Demo (offline)  (no key needed)"


def test_models_puts_a_blank_line_between_providers_only() -> None:
    """The list ended with a blank line (`pplx models | tail -1` printed nothing)."""
    result = pplx("models", "--offline", key=None)

    assert result.returncode == 0 and not result.stdout.endswith("\n\n")
    assert "\n\ngroq  Groq" in result.stdout


def test_models_prices_nothing_for_the_demo(capsys: pytest.CaptureFixture[str]) -> None:
    """QA Q13: ``pplx models`` priced the offline demo (``$1/$1 per M tok + $5/1k req``); its
    answers cost nothing (9ca881e)."""
    from pplx_tui.cli import main

    assert main(["models", "--provider", "demo", "--offline"]) == 0
    out = capsys.readouterr().out
    assert "demo/sonar" in out and "$" not in out


@pytest.mark.parametrize(
    "args",
    [
        ("ask", "--demo", "--json", "How many moons does Mars have?"),
        ("usage", "--json"),
        ("models", "--json"),
        ("chats", "list", "--json"),
        ("chats", "search", "moons", "--json"),
        ("chats", "show", "CHAT", "--json"),
    ],
    ids=lambda args: " ".join(a for a in args if not a.startswith("-")),
)
def test_every_json_output_has_one_style(args: tuple[str, ...]) -> None:
    asked = pplx("ask", "--demo", "--save", "How many moons does Mars have? Ünïcode", key=None)
    chat_id = saved_id(asked.stderr)

    result = pplx(*(chat_id if arg == "CHAT" else arg for arg in args), key=None)  # no live list

    assert result.returncode == 0, result.stderr
    assert_indented_json(result.stdout)


@pytest.mark.parametrize(
    "tty", [(), ("stdin",), ("stderr",)], ids=["pipes", "stdin only", "stderr only"]
)
def test_the_app_without_a_terminal_says_to_use_ask(tty: tuple[str, ...]) -> None:
    """`echo q | pplx --demo` drew the app into the pipe's reader and sent the piped "q" as a
    question; `pplx </dev/null` in a script or cron never returned. The app reads keys from
    stdin and draws on stderr: both must be a terminal."""
    result = pplx("--demo", stdin="How many moons?\n", tty=tty, key=None)

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "pplx: the app needs a terminal (stdin and stderr); in a pipe or a script, "
        'ask with pplx ask "QUESTION"\n'
    )
