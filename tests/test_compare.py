"""What compared answers share: cited sources matched by URL."""

from __future__ import annotations

from pplx_tui.compare import overlap, same_url_key, short_url
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
