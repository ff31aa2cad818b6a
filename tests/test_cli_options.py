"""Every CLI option is validated: exit 2 and one line saying what is accepted."""

from __future__ import annotations

import os

import pytest

from pplx_tui import paths
from pplx_tui.cli import main
from tests.support.cli import pplx, saved_chat, saved_id


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--recency", "fortnight"], "recency must be one of hour, day, week, month, year"),
        (["--domain", "https://nature.com"], "bare host name"),
        (["--domain", "not_a_domain"], "host name such as nature.com"),
        (["--mode", "images"], "mode must be one of web, academic, sec"),
        (["--context-size", "huge"], "context-size must be one of low, medium, high"),
        (["--after", "2025-13-45"], "MM/DD/YYYY"),
        (["--temperature", "3"], "temperature must be a number from 0 to 2"),
        (["--top-p", "x"], "top-p must be a number from 0 to 1"),
        (["--max-tokens", "8"], "max-tokens must be a whole number from 16 to"),
        (["--max-tokens", "\u00b2"], "max-tokens must be a whole number"),  # "²": int() fails
        # QA: sent as "stop": [""] and "max_tokens": 99999999999999999999.
        (["--stop", ""], "stop is empty (a stop sequence is text such as '###'"),
        (["--max-tokens", "99999999999999999999"], "max-tokens must be a whole number from 16 to"),
    ],
)
def test_bad_option_exits_2_with_what_is_accepted(
    args: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["ask", "--demo", *args, "question"])

    assert raised.value.code == 2
    assert expected in capsys.readouterr().err


def test_recency_with_date_range_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["ask", "--demo", "--recency", "week", "--after", "01/01/2025", "q"])

    assert code == 2
    assert "--recency cannot be combined" in capsys.readouterr().err


def test_an_after_date_later_than_the_before_date_is_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["ask", "--demo", "--after", "01/01/2025", "--before", "2020-01-01", "q"])

    assert code == 2
    assert "--after 01/01/2025 is later than --before 01/01/2020" in capsys.readouterr().err


def test_unknown_provider_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["ask", "--provider", "nope", "q"])

    assert code == 2
    err = capsys.readouterr().err
    assert "unknown provider 'nope'" in err and "openrouter" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["ask", "--demo", "--model", "nope", "q"], "unknown model 'nope' for demo; choose one of"),
        (["ask", "--demo", "--chat", "0nosuchchat", "q"], "no saved chat has the id 0nosuchchat"),
        (["ask", "--demo", "--chat", "Not An Id!", "q"], "is not a chat id"),
        (
            ["ask", "--base-url", "ftp://example.org", "q"],
            "base-url must be an http:// or https://",
        ),
        (["ask", "--base-url", "http://", "q"], "base-url must be an http:// or https://"),
        (
            ["ask", "--base-url", "http://x:99999/v1", "q"],
            "base-url must be an http:// or https://",
        ),
        (["ask", "--demo", "--idle-timeout", "0", "q"], "idle-timeout must be a number of seconds"),
        (["ask", "--demo", "--before", "31/12/2025", "q"], "dates are written MM/DD/YYYY"),
        (["ask", "--demo", "--after", "2025-02-30", "q"], "or YYYY-MM-DD ('2025-02-30' is no such"),
        (["ask", "--demo", "--after", "yesterday", "q"], "or YYYY-MM-DD (got 'yesterday')"),
        (["ask", "--demo", "-D", "http://reddit.com", "q"], "bare host name"),
        (["ask", "--demo", "--reasoning-effort", "max", "q"], "minimal, low, medium, high"),
        (
            ["ask", "--demo", *[f"--stop=s{n}" for n in range(5)], "q"],
            "at most 4 stop sequences can be given with --stop (got 5)",
        ),
        # `--chat "$ID"` with $ID unset asked in no chat, and saved nothing; so for the others.
        (["ask", "--demo", "--chat", "", "q"], "--chat: chat is empty (a chat id from"),
        (["ask", "--model", " ", "q"], "--model: model is empty (see `pplx models`)"),
        (["ask", "--provider", "", "q"], "--provider: provider is empty (see `pplx models`)"),
        (["--chat", ""], "--chat: chat is empty"),
        (["models", "--provider", ""], "--provider: provider is empty"),
        (["chats", "export", "0abc", "--format", "pdf"], "invalid choice: 'pdf' (choose from"),
        (["chats", "import", "/no/such/export.json"], "cannot read /no/such/export.json"),
        (["chats", "show", "../../etc/passwd"], "is not a chat id"),
        (["chats"], "(one of: list, show, search, export, import, delete, rename)"),
        (["models", "--provider", "nope"], "unknown provider 'nope'"),
        (["nonsense"], "invalid choice: 'nonsense'"),
        (
            ["chats", "rename", "0abc", "-new-title"],
            "required: TITLE; see `pplx chats rename --help` (a TITLE that starts with '-' goes"
            " after '--': pplx chats rename … -- -new-title)",
        ),
        # A near miss says what was meant.
        (["chat", "list"], "invalid choice: 'chat' (did you mean 'chats'?"),
        (["chats", "lst"], "invalid choice: 'lst' (did you mean 'list'?"),
        (["chats", "export", "0abc", "--format", "bib"], "(did you mean 'bibtex'?"),
        # An unknown option points to the help that lists the sub-command's options.
        (["ask", "--foo", "q"], "unrecognized arguments: --foo; see `pplx ask --help`"),
        (["chats", "list", "--foo"], "unrecognized arguments: --foo; see `pplx chats list --help`"),
        (["--foo"], "unrecognized arguments: --foo; see `pplx --help`"),
        # QA: the unknown option's value was read as the sub-command ("invalid choice: 'http…'").
        (
            ["runs", "--base-url", "http://127.0.0.1:9"],
            "unrecognized arguments: --base-url http://127.0.0.1:9; see `pplx runs --help`",
        ),
        # A question that starts with a dash: argparse took it for an option.
        (
            ["ask", "--demo", "-what", "is", "this"],
            "unrecognized arguments: -what; see `pplx ask --help` (a question that starts with"
            " '-' goes after '--': pplx ask -- -what …)",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    args: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        code = main(args)
    except SystemExit as raised:  # argparse's own checks
        code = raised.code  # type: ignore[assignment]

    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("pplx"), err
    assert expected in err and "Traceback" not in err


def test_a_value_that_starts_with_a_dash_is_the_option_s_value() -> None:
    """`--domain -pinterest.com` (a denied domain, as the app writes it), `--system -x`: a
    value after an option that takes one was argparse's "expected one argument" when it
    began with a dash (only `--domain=-pinterest.com` worked)."""
    result = pplx(
        "ask",
        "--demo",
        "--save",
        "--domain",
        "-pinterest.com",
        "--system",
        "-terse",
        "--stop",
        "-x",
        "q",
    )

    assert result.returncode == 0, result.stderr
    settings = saved_chat(saved_id(result.stderr))["settings"]
    assert settings["search"]["domains"] == ["-pinterest.com"]
    assert (settings["system_prompt"], settings["sampling"]["stop"]) == ("-terse", ["-x"])


@pytest.mark.parametrize(
    "args",
    [["ask", "--model", "--json", "q"], ["ask", "--model", "-D", "x.com", "q"]],
    ids=["long option", "short option"],
)
def test_an_option_after_an_option_that_wants_a_value_is_still_an_option(
    args: list[str],
) -> None:
    """A forgotten value is still said to be missing, not taken from the next option."""
    result = pplx(*args)

    assert result.returncode == 2 and result.stdout == ""
    assert "argument --model: expected one argument" in result.stderr


def test_bytes_that_are_not_utf_8_in_the_arguments_are_replaced_not_a_crash(
    tmp_path,
) -> None:
    """`pplx ask $'caf\\xe9'` (a Latin-1 terminal) was an "unexpected error", exit 5: Python
    hands such bytes over as lone surrogates, which no JSON, file or request can hold. They
    are read as stdin is, as U+FFFD; a file name keeps its bytes."""
    asked = pplx("ask", "--demo", "--save", "caf\udce9 moons")
    chat_id = saved_id(asked.stderr)
    renamed = pplx("chats", "rename", chat_id, "caf\udce9")
    found = pplx("chats", "search", "caf\udce9")
    target = tmp_path / "caf\udce9.md"
    exported = pplx("chats", "export", chat_id, "-o", str(target))

    assert [r.returncode for r in (asked, renamed, found, exported)] == [0, 0, 0, 0]
    assert saved_chat(chat_id)["messages"][0]["content"] == "caf\ufffd moons"
    assert saved_chat(chat_id)["title"] == "caf\ufffd"
    assert found.stdout.startswith(chat_id)
    assert os.fsencode(target).endswith(b"caf\xe9.md") and target.read_text().startswith("#")


def test_debug_is_accepted_after_ask_and_lowers_the_log_level(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import logging

    from pplx_tui.logs import LOGGER_NAME

    logger = logging.getLogger(LOGGER_NAME)
    monkeypatch.setattr(logger, "level", logger.level)

    assert main(["ask", "--debug", "--demo", "How many moons does Mars have?"]) == 0
    assert logger.level == logging.DEBUG
    assert "Phobos" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args",
    [["chats", "list"], ["chats", "search", "moons"], ["models", "--offline"], ["usage"], ["runs"]],
    ids=" ".join,
)
def test_debug_is_accepted_after_any_command(
    args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`pplx chats list --debug` was "unrecognized arguments: --debug" (only ask took it)."""
    import logging

    from pplx_tui.logs import LOGGER_NAME

    logger = logging.getLogger(LOGGER_NAME)
    monkeypatch.setattr(logger, "level", logger.level)

    assert main([*args, "--debug"]) == 0
    assert logger.level == logging.DEBUG


def test_a_model_id_without_its_vendor_is_asked_as_that_model(loopback) -> None:
    """QA: on OpenRouter `--model sonar-pro` said "model 'sonar-pro' is an old or retired id";
    it is perplexity/sonar-pro without its vendor (ctrl+o takes it as that model too)."""
    from tests.support.cli import answer_frames
    from tests.support.loopback import Reply

    loopback.queue(Reply(chunks=answer_frames(["Two."])))

    result = pplx("ask", "--model", "sonar-pro", "Moons?", server=loopback)

    assert result.returncode == 0, result.stderr
    assert "retired" not in result.stderr and "note" not in result.stderr, result.stderr
    assert loopback.requests[0].json["model"] == "perplexity/sonar-pro"


@pytest.mark.parametrize("provider", [[], ["--provider", "openrouter"]])
@pytest.mark.parametrize("preset", ["high", "XHigh"])
def test_an_agent_api_preset_is_refused_on_a_chat_completions_provider(
    loopback, provider: list[str], preset: str
) -> None:
    """QA: with only an OpenRouter key, `--model high` (the README's example) sent
    `"model": "high"` to OpenRouter, without a word."""
    base_url = ["--base-url", loopback.base_url + "/api/v1"]

    result = pplx("ask", *provider, *base_url, "--model", preset, "Moons?")

    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert f"{preset!r} is a Perplexity Agent API preset" in result.stderr
    assert "--provider perplexity" in result.stderr and "PERPLEXITY_API_KEY" in result.stderr
    assert loopback.requests == []


@pytest.mark.parametrize("gateway", [False, True], ids=["openrouter", "gateway"])
def test_an_agent_api_preset_names_the_perplexity_key_only_when_it_is_missing(
    loopback, gateway: bool
) -> None:
    """QA: with PERPLEXITY_API_KEY set, `--provider openrouter --model high` (or a custom
    gateway's `--model fast`) still said "set PERPLEXITY_API_KEY or pass --provider perplexity"."""
    if gateway:
        config = paths.config_file()
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text(
            f'[providers.mygw]\nbase_url = "{loopback.base_url}/v1"\napi_key = "gw-key-0123"\n'
        )
        config.chmod(0o600)
        args = ["--provider", "mygw", "--model", "fast"]
    else:
        args = ["--provider", "openrouter", "--base-url", loopback.base_url, "--model", "high"]

    result = pplx("ask", *args, "Moons?", PERPLEXITY_API_KEY="pplx-" + "k" * 40)

    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "pass --provider perplexity" in result.stderr, result.stderr
    assert "PERPLEXITY_API_KEY" not in result.stderr, result.stderr
    assert loopback.requests == []


@pytest.mark.parametrize("model", ["sonar pro", " sonar", "sonar\tpro", "sonar\npro"])
def test_a_model_id_with_whitespace_is_refused(loopback, model: str) -> None:
    """QA: `--model "sonar pro"` sent `"model": "sonar pro"` to the provider."""
    result = pplx("ask", "--model", model, "Moons?", server=loopback)

    assert (result.returncode, result.stdout) == (2, "")
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("pplx: ") and "space" in result.stderr, result.stderr
    assert loopback.requests == []


@pytest.mark.parametrize(
    "args",
    [
        ["ask", "--bogus", "q"],
        ["ask", "--temperature", "9", "q"],
        ["chats", "show"],
        ["usage", "--since", "soon"],
        ["ask", "--demo", "--chat", "0nosuch", "q"],
    ],
    ids=" ".join,
)
def test_every_usage_error_starts_the_same_way(args: list[str]) -> None:
    """QA: `pplx ask --bogus` said "pplx: …" and `pplx ask --temperature 9` "pplx ask: …"; the
    help each points to names the command."""
    result = pplx(*args)

    assert result.returncode == 2
    assert result.stderr.startswith("pplx: "), result.stderr


@pytest.mark.parametrize("command", [["ask"], []], ids=["ask", "tui"])
def test_demo_with_another_provider_is_refused(command: list[str]) -> None:
    """QA: `--demo --provider openrouter` quietly asked the demo."""
    result = pplx(*command, "--demo", "--provider", "openrouter", *(["q"] if command else []))

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (
        "pplx: --demo and --provider openrouter name two providers; drop one\n"
    )


def test_demo_with_images_says_it_has_none() -> None:
    result = pplx("ask", "--demo", "--images", "Moons?", key=None)

    assert result.returncode == 0, result.stderr
    assert "pplx: note: --images is not sent: the offline demo has no images" in result.stderr
