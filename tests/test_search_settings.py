"""Search settings (issue 10 item 1), the core: which provider and model honour which option,
what reaches the server in each dialect (and what never does), what is recorded on the answer,
and the words the header and the answer's settings line use."""

from __future__ import annotations

import pytest

from pplx_tui import paths
from pplx_tui.models import SearchSettings
from pplx_tui.providers import build_catalog
from pplx_tui.search_input import parse_domains
from pplx_tui.search_support import not_honoured, option_support, sendable, short_summary, summary
from tests.support import recorded, recorded_agent
from tests.support.cli import pplx, saved_chat, saved_id
from tests.support.loopback import LoopbackServer, Reply, sse

CATALOG = build_catalog()
AGENT = CATALOG.provider("perplexity")
OPENROUTER = CATALOG.provider("openrouter")
GROQ = CATALOG.provider("groq")
DEMO = CATALOG.provider("demo")
PPLX_KEY = "pplx-searchsettings0123456789abcdef"
EVERYTHING = SearchSettings(
    recency="month",
    domains=["nature.com", "arxiv.org"],
    mode="academic",
    context_size="high",
    return_images=True,
    return_related_questions=True,
)


# -- the rules ---------------------------------------------------------------------------------


def test_the_agent_api_takes_filters_but_no_mode_images_or_related() -> None:
    assert not_honoured(EVERYTHING, AGENT, "medium") == {
        "mode": "the Agent API has no search mode",
        "return_images": "the Agent API returns no images",
        "return_related_questions": "the Agent API returns no related questions",
    }
    sent = sendable(EVERYTHING, AGENT, "medium")
    assert (sent.recency, sent.domains, sent.context_size) == ("month", EVERYTHING.domains, "high")
    assert (sent.mode, sent.return_images, sent.return_related_questions) == (None, False, False)


def test_no_web_search_works_on_a_bare_model_but_not_on_a_preset() -> None:
    off = SearchSettings(disable_search=True, recency="day")
    assert not_honoured(off, AGENT, "perplexity/sonar") == {"recency": "no web search is on"}
    assert set(not_honoured(off, AGENT, "fast")) == {"disable_search"}
    assert "disable_search" in option_support(AGENT, "high")


def test_chat_completions_honour_everything_for_perplexity_models_only() -> None:
    assert not_honoured(EVERYTHING, OPENROUTER, "perplexity/sonar-pro") == {}
    # The demo answers as they do, but it has no images to return.
    assert not_honoured(EVERYTHING, DEMO, "demo/sonar") == {
        "return_images": "the offline demo has no images"
    }
    other = not_honoured(EVERYTHING, OPENROUTER, "openai/gpt-5")
    assert set(other) == {
        "recency",
        "domains",
        "mode",
        "context_size",
        "return_images",
        "return_related_questions",
    }
    assert set(not_honoured(SearchSettings(recency="day"), GROQ, "llama-3.3-70b")) == {"recency"}
    assert sendable(EVERYTHING, GROQ, "llama-3.3-70b") == SearchSettings()


def test_recency_gives_way_to_dates_and_says_so() -> None:
    both = SearchSettings(recency="week", after_date="01/01/2025")
    assert not_honoured(both, OPENROUTER, "perplexity/sonar") == {
        "recency": "the dates win (recency and dates exclude each other)"
    }


MIXED = (
    "use allowed domains or denied ones (-domain), not both: Perplexity takes one kind a request"
)


def test_allowed_and_denied_domains_are_never_mixed_in_a_request() -> None:
    """QA: "nature.com, -pinterest.com" was taken and sent, but Perplexity's domain filter
    takes an allowlist or a denylist, never both (its search domain filter guide). Typed in
    the editor, on the command line or in config.toml the mix is refused; in a chat saved with
    one earlier, no domain filter is sent and the answer says why."""
    with pytest.raises(ValueError, match="not both"):
        parse_domains("nature.com, -pinterest.com")
    assert parse_domains("-pinterest.com -reddit.com") == ["-pinterest.com", "-reddit.com"]

    saved = SearchSettings(recency="week", domains=["nature.com", "-pinterest.com"])
    for provider, model in ((OPENROUTER, "perplexity/sonar"), (AGENT, "fast")):
        assert not_honoured(saved, provider, model) == {"domains": MIXED}
        assert sendable(saved, provider, model) == SearchSettings(recency="week")
    assert not_honoured(saved, GROQ, "llama-3.3-70b")["domains"] != MIXED  # no search at all


def test_top_level_domains_and_sections_of_a_site_are_filters_too() -> None:
    """QA: ".gov" (every government site) and "nature.com/articles" (one section) were refused
    as "not a host name"; Perplexity's domain filter takes both (its search domain filter
    guide: "specific domains, top-level domains (TLDs), or domain parts", paths such as
    nature.com/articles)."""
    assert parse_domains(".gov .EDU") == [".gov", ".edu"]
    assert parse_domains("-.ac.uk") == ["-.ac.uk"]
    assert parse_domains("Nature.com/Articles/ nature.com/") == [
        "nature.com/Articles",
        "nature.com",
    ]
    for wrong in ("gov", "https://nature.com/articles", "nature.com/a?b=1", "nature.com//x", "."):
        with pytest.raises(ValueError):
            parse_domains(wrong)
    with pytest.raises(ValueError, match=r"write \.gov"):
        parse_domains("gov")


def test_internationalised_domains_are_written_as_dns_writes_them() -> None:
    """``bücher.de`` was refused as not a host name; Perplexity's filter matches the host as
    DNS writes it."""
    assert parse_domains("Bücher.de 例え.jp .рф") == [
        "xn--bcher-kva.de",
        "xn--r8jz45g.jp",
        ".xn--p1ai",
    ]
    assert parse_domains("-bücher.de/neu") == ["-xn--bcher-kva.de/neu"]
    with pytest.raises(ValueError, match="host name"):
        parse_domains("bü..de")


def test_the_command_line_refuses_allowed_and_denied_domains_together() -> None:
    result = pplx("ask", "--demo", "-d", "nature.com", "-D", "pinterest.com", "q")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == f"pplx: {MIXED} (got nature.com and -pinterest.com)\n"


def test_a_config_with_allowed_and_denied_domains_is_refused_as_the_command_line_is(
    loopback: LoopbackServer,
) -> None:
    """QA: `domains = ["a.com", "-b.com"]` under [search] only printed a note and asked without
    them (exit 0), while `--domain a.com -D b.com` exits 2; the README says [search] values
    are checked as pplx ask's options are."""
    from pplx_tui import paths

    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[search]\ndomains = ["nature.com", "-pinterest.com"]\n', encoding="utf-8")
    config.chmod(0o600)

    result = pplx("ask", "Q?", server=loopback)

    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "config.toml (line 2)" in result.stderr and "domains" in result.stderr
    assert f"{MIXED} (got nature.com and -pinterest.com)" in result.stderr
    assert loopback.requests == []


def test_the_header_summary_is_a_few_words() -> None:
    assert summary(SearchSettings()) == ""
    assert summary(SearchSettings(recency="month", domains=["a.org", "b.org", "c.org"],
                                  mode="academic")) == "month · 3 domains · academic"  # fmt: skip
    assert summary(SearchSettings(domains=["nature.com"])) == "nature.com"
    assert summary(EVERYTHING) == ("month · 2 domains · academic · high context · images · related")
    assert summary(SearchSettings(after_date="01/01/2025", before_date="06/30/2025")) == (
        "01/01/2025 to 06/30/2025"
    )
    # The filters "no web search" leaves out are named, as the editor's rows name them (QA).
    off = SearchSettings(disable_search=True, recency="day", mode="academic", return_images=True)
    assert summary(off) == "no web search · images · not sent: day, academic"


def test_the_header_summary_puts_what_is_not_sent_last() -> None:
    dates = SearchSettings(mode="sec", after_date="01/01/2025", before_date="06/30/2025")
    assert summary(dates, {"before_date", "mode"}) == "not sent: 01/01/2025 to 06/30/2025, sec"
    no_search = SearchSettings(disable_search=True, recency="day")
    assert summary(no_search, {"disable_search"}) == "day · not sent: no web search"


def test_the_headers_short_form_counts_the_settings_as_the_summary_lists_them() -> None:
    """Where the summary does not fit, the header counts what it lists (a date range is one)."""
    assert short_summary(SearchSettings()) == ""
    assert short_summary(SearchSettings(recency="day")) == "search: 1 setting"
    assert short_summary(EVERYTHING) == "search: 6 settings"
    dates = SearchSettings(mode="sec", after_date="01/01/2025", before_date="06/30/2025")
    assert short_summary(dates, {"mode"}) == "search: 2 settings, 1 not sent"


def test_an_answer_and_its_export_say_what_was_not_sent_as_the_editor_does() -> None:
    """helper QA: the answer's line read ``search: day (not sent: the dates win (recency and
    dates exclude each other)) · after 01/01/2020`` (brackets nested, the unsent value first)
    where the editor's summary read ``after 01/01/2020 · not sent: day``. One wording now."""
    from pplx_tui.export import markdown_lines
    from pplx_tui.models import Chat, Message
    from pplx_tui.ui.widgets.answer_lines import search_line

    search = SearchSettings(recency="day", after_date="01/01/2020")
    not_sent = not_honoured(search, AGENT, "fast")
    assert summary(search, not_sent) == "after 01/01/2020 · not sent: day"
    assert search_line(search, not_sent) == "search: after 01/01/2020 · not sent: day"
    chat = Chat(id="c1", title="Dates")
    chat.add(Message(role="user", content="?"))
    answer = Message(role="assistant", content="!", search=search, search_not_sent=not_sent)
    chat.add(answer)
    assert "*Search: after 01/01/2020 · not sent: day*" in markdown_lines(chat)
    off = SearchSettings(disable_search=True, recency="day")
    # On a preset "no web search" was not sent, so the filters did apply: both are shown.
    assert search_line(off, not_honoured(off, AGENT, "fast")) == (
        "search: day · not sent: no web search"
    )
    assert search_line(None, {}) == "" and search_line(SearchSettings(), {}) == ""


# -- on the wire ------------------------------------------------------------------------------


def agent_ask(loopback: LoopbackServer, *args: str, model: str = "fast"):
    loopback.queue(Reply(chunks=recorded.frames(recorded_agent.agent_events())))
    return pplx(
        "ask", "--provider", "perplexity", "--model", model, "--base-url", loopback.base_url,
        "--save", *args, "Cafés?", key=None, PERPLEXITY_API_KEY=PPLX_KEY,
    )  # fmt: skip


def test_agent_request_carries_filters_in_the_tool_and_the_answer_records_the_rest(
    loopback: LoopbackServer,
) -> None:
    result = agent_ask(
        loopback, "--recency", "month", "-D", "nature.com", "-D", "pinterest.com",
        "--context-size", "high", "--mode", "academic", "--related",
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    body = loopback.requests[0].json
    assert body["tools"] == [
        {
            "type": "web_search",
            "filters": {
                "search_domain_filter": ["-nature.com", "-pinterest.com"],
                "search_recency_filter": "month",
            },
            "search_context_size": "high",
        }
    ]
    assert not {"search_mode", "return_related_questions", "web_search_options"} & set(body)
    assert "pplx: note: --mode is not sent: the Agent API has no search mode" in result.stderr
    assert "--related is not sent: the Agent API returns no related questions" in result.stderr
    chat_id = saved_id(result.stderr)
    shown = pplx("chats", "show", chat_id)
    assert (
        "*Search: month · -nature.com, -pinterest.com · high context · not sent: academic, related*"
    ) in shown.stdout
    answer = saved_chat(chat_id)["messages"][-1]
    assert answer["search"]["mode"] == "academic"  # asked for, and recorded as asked
    assert answer["search_not_sent"] == {
        "mode": "the Agent API has no search mode",
        "return_related_questions": "the Agent API returns no related questions",
    }


def test_a_background_run_records_what_was_not_sent_as_a_streamed_answer_does(agent) -> None:
    """QA: ``pplx ask --background --mode academic`` printed the note, but its saved answer
    read "academic" as if it had been sent (``pplx chats show``, the app's settings line)."""
    result = pplx(
        "ask", "--background", "--provider", "perplexity", "--model", "high", "--base-url",
        agent.base_url, "--mode", "academic", "--recency", "week", "Cafés?",
        key=None, PERPLEXITY_API_KEY=PPLX_KEY,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert "pplx: note: --mode is not sent: the Agent API has no search mode" in result.stderr
    answer = saved_chat(result.stdout.strip())["messages"][-1]
    assert answer["search_not_sent"] == {"mode": "the Agent API has no search mode"}
    shown = pplx("chats", "show", result.stdout.strip()).stdout
    assert "*Search: week · not sent: academic*" in shown


def test_no_search_on_a_bare_agent_model_sends_no_tool(loopback: LoopbackServer) -> None:
    result = agent_ask(loopback, "--no-search", "--recency", "day", model="perplexity/sonar")

    assert result.returncode == 0, result.stderr
    body = loopback.requests[0].json
    assert "tools" not in body and body["model"] == "perplexity/sonar"
    assert "--recency is not sent: no web search is on" in result.stderr


def test_chat_completions_get_top_level_fields_and_disable_search(
    loopback: LoopbackServer,
) -> None:
    frames = sse(*recorded.perplexity_2026_events()[:-1], done=True)
    loopback.queue(Reply(chunks=frames), Reply(chunks=frames), Reply(chunks=frames))

    searched = pplx(
        "ask", "--model", "perplexity/sonar", "--after", "01/01/2025",
        "-d", "nature.com", "--mode", "sec", "--context-size", "low", "Q?", server=loopback,
    )  # fmt: skip
    unsearched = pplx("ask", "--model", "perplexity/sonar", "--no-search", "Q?", server=loopback)
    other = pplx("ask", "--model", "openai/gpt-5", "--mode", "academic", "Q?", server=loopback)

    assert searched.returncode == unsearched.returncode == other.returncode == 0
    body = loopback.requests[0].json
    assert {k: v for k, v in body.items() if k.startswith(("search_", "web_search"))} == {
        "search_after_date_filter": "01/01/2025",
        "search_domain_filter": ["nature.com"],
        "search_mode": "sec",
        "web_search_options": {"search_context_size": "low"},
    }
    assert "not sent" not in searched.stderr
    assert loopback.requests[1].json["disable_search"] is True
    assert not any(k.startswith("search_") for k in loopback.requests[1].json)
    assert "search_mode" not in loopback.requests[2].json
    assert "--mode is not sent: only Perplexity's models take search options" in other.stderr


def test_a_setting_from_config_toml_not_sent_is_named_as_such(loopback: LoopbackServer) -> None:
    """A [search] mode in config.toml, not sent to a non-Perplexity model, was noted as
    "--mode is not sent" though no --mode had been typed."""
    from pplx_tui import paths

    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[search]\nmode = "academic"\n', encoding="utf-8")
    config.chmod(0o600)
    loopback.queue(Reply(chunks=sse(*recorded.perplexity_2026_events()[:-1], done=True)))

    result = pplx("ask", "--model", "openai/gpt-5", "--recency", "day", "Q?", server=loopback)

    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        "pplx: note: --recency and config.toml's [search] search mode are not sent: only "
        "Perplexity's models take search options\n"
    )
    assert "--mode" not in result.stderr


@pytest.mark.parametrize("model", ["llama-3.3-70b-versatile"])
def test_groq_gets_no_search_field(loopback: LoopbackServer, model: str) -> None:
    loopback.queue(Reply(chunks=sse(*recorded.perplexity_2026_events()[:-1], done=True)))
    result = pplx(
        "ask", "--provider", "groq", "--base-url", loopback.base_url, "--model", model,
        "--recency", "day", "Q?", key=None, GROQ_API_KEY="gsk_" + "x" * 40,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert not any(k.startswith(("search_", "web_search")) for k in loopback.requests[0].json)
    assert "--recency is not sent: Groq" in result.stderr


def test_options_not_sent_for_one_reason_are_one_note_in_the_readme_s_order(
    loopback: LoopbackServer,
) -> None:
    """QA: Groq and six search options printed six note lines, in an order neither the
    command line's nor README's."""
    loopback.queue(Reply(chunks=sse(*recorded.perplexity_2026_events()[:-1], done=True)))
    result = pplx(
        "ask", "--provider", "groq", "--base-url", loopback.base_url, "--related", "--images",
        "--mode", "academic", "-d", "nature.com", "--context-size",
        "high", "--recency", "day", "Q?", key=None, GROQ_API_KEY="gsk_" + "x" * 40,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "pplx: note: --recency, --domain/-D, --mode, --context-size, --images and "
        "--related are not sent: Groq hosts no Perplexity model"
    ]


def test_sampling_options_the_agent_api_drops_are_one_note(loopback: LoopbackServer) -> None:
    """QA: --temperature, --top-p, --stop and the penalties went unsent on the Agent API without
    a word, where a search option not sent gets a note."""
    result = agent_ask(
        loopback, "--temperature", "0.2", "--max-tokens", "300", "--stop", "###",
        "--top-p", "0.9", "--presence-penalty", "1", "--frequency-penalty", "1",
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if line.startswith("pplx: note:")]
    assert notes == [
        "pplx: note: --temperature, --top-p, --stop, --presence-penalty and --frequency-penalty "
        "are not sent: the Agent API takes only --max-tokens and --reasoning-effort"
    ]
    body = loopback.requests[0].json
    assert body["max_output_tokens"] == 300 and "temperature" not in body


def test_options_not_sent_for_different_reasons_are_a_note_each(loopback: LoopbackServer) -> None:
    result = agent_ask(loopback, "--related", "--mode", "academic", "--images")

    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if line.startswith("pplx: note:")]
    assert notes == [
        "pplx: note: --mode is not sent: the Agent API has no search mode",
        "pplx: note: --images is not sent: the Agent API returns no images",
        "pplx: note: --related is not sent: the Agent API returns no related questions",
    ]


def test_a_year_before_1000_is_sent_with_four_digits(loopback: LoopbackServer) -> None:
    """QA: `--after 01/01/0001` sent ``01/01/1``; `--after 0999-01-01 --before 01/01/2020` was
    refused as ``--after 01/01/999 is later than --before``."""
    frames = sse(*recorded.perplexity_2026_events()[:-1], done=True)
    loopback.queue(Reply(chunks=frames), Reply(chunks=frames))

    model = ("--model", "perplexity/sonar")
    first = pplx("ask", *model, "--after", "01/01/0001", "Q?", server=loopback)
    ranged = pplx(
        "ask", *model, "--after", "0999-01-01", "--before", "01/01/2020", "Q?", server=loopback
    )

    assert first.returncode == ranged.returncode == 0, ranged.stderr
    assert loopback.requests[0].json["search_after_date_filter"] == "01/01/0001"
    assert loopback.requests[1].json["search_after_date_filter"] == "01/01/0999"
    assert loopback.requests[1].json["search_before_date_filter"] == "01/01/2020"


def test_a_domain_typed_with_a_space_is_named_whole_wherever_it_is_typed() -> None:
    """QA: "nature.com, bad domain.com" in the editor was refused as 'bad', with "for every
    site under it write .bad". The editor, --domain and config.toml name the whole entry and
    say a domain has no spaces; spaces may still separate domains in the editor."""
    said = "a domain has no spaces (got 'bad domain.com')"
    with pytest.raises(ValueError) as typed:
        parse_domains("nature.com, bad domain.com")
    assert str(typed.value) == said
    assert parse_domains("nature.com arxiv.org, .gov") == ["nature.com", "arxiv.org", ".gov"]
    with pytest.raises(ValueError, match="not a URL"):  # a word that is no fragment: its own
        parse_domains("nature.com https://x.org")

    option = pplx("ask", "--demo", "--domain", "bad domain.com", "q")
    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[search]\ndomains = ["nature.com", "bad domain.com"]\n', encoding="utf-8")
    configured = pplx("ask", "--demo", "q")

    assert option.returncode == 2 and said in option.stderr and ".bad" not in option.stderr
    assert configured.returncode == 2 and said in configured.stderr, configured.stderr
