"""What compared answers share: cited sources matched by URL."""

from __future__ import annotations

from pplx_tui.compare import column_names, common_line, left_out, overlap, same_url_key, short_url
from pplx_tui.models import Message, Source


def answer(text: str, *urls: str) -> Message:
    sources = [Source(index=n, url=url) for n, url in enumerate(urls, 1)]
    return Message(role="assistant", content=text, sources=sources)


def test_the_same_page_is_one_source_however_it_is_written() -> None:
    assert same_url_key("HTTPS://www.NASA.gov/mars/#moons") == same_url_key(
        "https://nasa.gov/mars/"
    )
    assert same_url_key("https://a.org/x?id=1") != same_url_key("https://a.org/x?id=2")
    assert short_url("https://www.nasa.gov/mars/moons/") == "nasa.gov/mars/moons"
    # read as the sources panel reads them: no invisible character, an ASCII host
    assert same_url_key("https://na\u200bsa.gov/mars") == same_url_key("https://nasa.gov/mars")
    assert short_url("https://www.\u0430pple.com/x") == "xn--pple-43d.com/x"
    # spaces percent-encoded, as the sources panel writes them (QA: "/path with space")
    assert short_url("https://a.org/path with space") == "a.org/path%20with%20space"
    assert same_url_key("https://a.org/a b") == same_url_key("https://a.org/a%20b")


def test_shared_and_only_one_are_by_cited_url() -> None:
    first = answer("A [1][2].", "https://nasa.gov/mars", "https://esa.int/deimos", "https://x.com")
    second = answer("B [2][3].", "https://x.com", "https://www.nasa.gov/mars/", "https://wiki.org")
    # An answer that cites nothing counts every source it listed.
    third = answer("C.", "https://nasa.gov/mars", "https://wiki.org", "https://only.net")

    result = overlap([first, second, third])

    assert result.shared == ("https://nasa.gov/mars",)
    assert result.only == (("https://esa.int/deimos",), (), ("https://only.net",))
    line = result.line(["sonar", "sonar-pro", "sonar-reasoning"])
    assert line == (
        "In common: nasa.gov/mars · only sonar: esa.int/deimos · only sonar-reasoning: only.net"
    )


def test_nothing_in_common_says_so_and_long_lists_are_cut() -> None:
    first = answer("", *(f"https://a{n}.org" for n in range(4)))
    second = answer("", "https://b.org")
    line = overlap([first, second]).line(["sonar", "sonar-pro"])
    assert line == "No source in common · only sonar: a0.org, a1.org, +2 · only sonar-pro: b.org"


def test_columns_that_ended_without_an_answer_take_no_part_and_are_named() -> None:
    """QA: a column that broke off before its sources made "In common" empty ("No source in
    common") beside two answers citing the same page; a failed one was listed as nothing."""
    first = answer("A [1].", "https://nasa.gov/mars")
    second = answer("B [1].", "https://www.nasa.gov/mars/")
    broke = Message(role="assistant", content="It is ", status="interrupted", error="gone")
    stopped = Message(role="assistant", content="", status="interrupted")
    failed = Message(role="assistant", status="error", error="model refused")
    searched = Message(
        role="assistant", status="interrupted", sources=[Source(index=1, url="https://x.org")]
    )
    assert [left_out(m) for m in (broke, stopped, failed, searched, first)] == [
        "broke off",
        "stopped",
        "failed",
        "",  # it stopped after its sources arrived: they are compared
        "",
    ]
    ended = [("sonar-pro", "broke off"), ("sonar-reasoning", "failed"), ("r1", "failed")]
    assert common_line([first, second], ["sonar", "sonar-deep"], ended) == (
        "In common: nasa.gov/mars · broke off: sonar-pro · failed: sonar-reasoning, r1"
    )
    assert (
        common_line([first], ["sonar"], ended[1:2])
        == "Nothing to compare · failed: sonar-reasoning"
    )
    assert common_line([first, second], ["sonar", "sonar-deep"]) == "In common: nasa.gov/mars"


def test_one_models_columns_are_named_by_the_settings_that_differ() -> None:
    """QA: ``sonar (month · nature.com · academic)`` beside ``sonar (year · …)``: only what
    differs tells them apart. Where that leaves one column with nothing, both are named whole."""
    models = ["sonar", "sonar", "sonar-pro"]
    hosts = ["openrouter"] * 3
    searches = ["month · nature.com · academic", "year · nature.com · academic", "month"]
    assert column_names(models, searches, hosts) == ["sonar (month)", "sonar (year)", "sonar-pro"]
    partly = ["month · academic", "month", ""]
    assert column_names(models, partly, hosts) == [
        "sonar (month · academic)",
        "sonar (month)",
        "sonar-pro",
    ]
    assert column_names(["sonar", "sonar"], ["month", ""], hosts[:2]) == [
        "sonar (month)",
        "sonar (default search)",
    ]
