# ruff: noqa: RUF001  (typographic signs and dashes are wanted in the prose)
"""The offline demo's canned research answers, chosen by keywords of the question.

Each answer has ``[n]`` markers into its numbered sources, related questions, a reasoning
part for ``demo/sonar-reasoning``, and ends by saying it is a demo answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from pplx_tui.sanitize import clean_line

DEMO_FOOTER = "\n\n*Demo answer: canned offline text from pplx-tui, not a live web search.*"


@dataclass(frozen=True, slots=True)
class DemoSource:
    title: str
    url: str
    date: str
    snippet: str


@dataclass(frozen=True, slots=True)
class DemoAnswer:
    keywords: tuple[tuple[str, ...], ...]
    """Any group whose words all appear in the question selects this answer."""
    thinking: str
    text: str
    sources: tuple[DemoSource, ...]
    related: tuple[str, ...]

    def matches(self, question: str) -> bool:
        lowered = question.lower()
        return any(all(word in lowered for word in group) for group in self.keywords)


MARS = DemoAnswer(
    keywords=(("mars", "moon"), ("phobos",), ("deimos",)),
    thinking="The question is how many moons Mars has. NASA's Mars pages and the Phobos and "
    "Deimos fact pages agree: two small moons. I should give their names, sizes, orbits and "
    "discovery, and mention the open question of their origin.",
    text="Mars has **two moons**, **Phobos** and **Deimos** [1][4]. Both were discovered by the "
    "American astronomer Asaph Hall in August 1877 at the U.S. Naval Observatory, and are named "
    "after the sons of Ares, the Greek god of war: *Fear* and *Dread* [1].\n\n"
    "## Phobos\n"
    "- About 27 × 22 × 18 km across, heavily cratered, with the large Stickney crater [2].\n"
    "- Orbits only about 6,000 km above the surface, circling Mars three times a day [2].\n"
    "- It is slowly spiralling inward and is expected to crash into Mars or break up into a "
    "ring in roughly 50 million years [2][4].\n\n"
    "## Deimos\n"
    "- Smaller, about 15 × 12 × 11 km, with a smoother, dust-covered surface [3].\n"
    "- Orbits about 23,460 km from the centre of Mars, once every 30.3 hours [3].\n\n"
    "## Where they came from\n"
    "Both look like dark, carbon-rich asteroids, but their nearly circular, equatorial orbits "
    "suggest they may instead have formed from debris of a giant impact on Mars [4]. "
    "JAXA's Martian Moons eXploration (MMX) mission plans to return a sample from Phobos to "
    "help settle the question [5].",
    sources=(
        DemoSource(
            "Mars Moons - NASA Science",
            "https://science.nasa.gov/mars/moons/",
            "2024-03-12",
            "Mars has two small moons, Phobos and Deimos, discovered by Asaph Hall in 1877.",
        ),
        DemoSource(
            "Phobos - NASA Science",
            "https://science.nasa.gov/mars/moons/phobos/",
            "2024-02-08",
            "Phobos orbits about 6,000 km above Mars and is moving closer by about 1.8 m "
            "every hundred years.",
        ),
        DemoSource(
            "Deimos - NASA Science",
            "https://science.nasa.gov/mars/moons/deimos/",
            "2024-02-08",
            "Deimos is the smaller of the two moons, about 15 by 12 by 11 km, and takes 30.3 "
            "hours to orbit Mars.",
        ),
        DemoSource(
            "Moons of Mars - Wikipedia",
            "https://en.wikipedia.org/wiki/Moons_of_Mars",
            "2025-06-30",
            "The two moons of Mars are Phobos and Deimos. Their origin, as captured asteroids "
            "or impact debris, remains debated.",
        ),
        DemoSource(
            "MMX - Martian Moons eXploration - JAXA",
            "https://www.mmx.jaxa.jp/en/",
            "2025-01-15",
            "MMX will explore both Martian moons and bring a sample from Phobos back to Earth.",
        ),
    ),
    related=(
        "Will Phobos really crash into Mars?",
        "How were Phobos and Deimos discovered?",
        "What will the MMX mission do at Phobos?",
    ),
)

QUIC = DemoAnswer(
    keywords=(("quic",), ("tcp",), ("http/3",)),
    thinking="The user wants TCP compared with QUIC. Key points from the RFCs: QUIC runs over "
    "UDP, builds TLS 1.3 in, multiplexes streams without transport head-of-line blocking, and "
    "supports connection migration. HTTP/3 is HTTP over QUIC.",
    text="**TCP** is the kernel-implemented, byte-stream transport behind most of the "
    "internet (its current specification is RFC 9293) [3]. **QUIC** is a newer transport "
    "that runs over UDP in user space and is the basis of HTTP/3 [1][2].\n\n"
    "| | TCP (+ TLS) | QUIC |\n|---|---|---|\n"
    "| Handshake | TCP, then TLS: 2–3 round trips | one round trip, 0-RTT on resume [1] |\n"
    "| Encryption | optional, a separate layer | always on, TLS 1.3 built in [1] |\n"
    "| Streams | one ordered byte stream | many independent streams [1] |\n"
    "| Lost packet | stalls everything behind it | stalls only its own stream [4] |\n"
    "| Network change | connection breaks | migrates via connection IDs [1] |\n\n"
    "In practice QUIC helps most on lossy or mobile networks, while TCP remains simpler to "
    "inspect and is often faster in bulk transfer on clean links because it is offloaded to "
    "the kernel and hardware [4][5].",
    sources=(
        DemoSource(
            "RFC 9000: QUIC: A UDP-Based Multiplexed and Secure Transport",
            "https://www.rfc-editor.org/rfc/rfc9000",
            "2021-05-27",
            "QUIC provides applications with flow-controlled streams, low-latency connection "
            "establishment, and network path migration.",
        ),
        DemoSource(
            "RFC 9114: HTTP/3",
            "https://www.rfc-editor.org/rfc/rfc9114",
            "2022-06-06",
            "HTTP/3 maps HTTP semantics onto the QUIC transport protocol.",
        ),
        DemoSource(
            "RFC 9293: Transmission Control Protocol (TCP)",
            "https://www.rfc-editor.org/rfc/rfc9293",
            "2022-08-18",
            "This document specifies the Transmission Control Protocol (TCP), consolidating "
            "its earlier specifications.",
        ),
        DemoSource(
            "The Road to QUIC - The Cloudflare Blog",
            "https://blog.cloudflare.com/the-road-to-quic/",
            "2018-07-26",
            "QUIC eliminates head-of-line blocking between streams, since a lost packet only "
            "affects the stream it carries.",
        ),
        DemoSource(
            "QUIC, a multiplexed transport over UDP - The Chromium Projects",
            "https://www.chromium.org/quic/",
            "2023-09-01",
            "QUIC is a new transport which reduces latency compared to that of TCP.",
        ),
    ),
    related=(
        "Is HTTP/3 faster than HTTP/2?",
        "Why does QUIC run over UDP?",
        "How does QUIC connection migration work?",
    ),
)

COFFEE = DemoAnswer(
    keywords=(("coffee",), ("caffeine",), ("espresso",)),
    thinking="The question is about coffee and health. The FDA gives 400 mg of caffeine a day "
    "as generally safe for healthy adults; a large BMJ umbrella review links 3-4 cups a day to "
    "lower risks; pregnancy advice is 200 mg. Note that the studies are observational.",
    text="For most healthy adults, **moderate coffee drinking appears safe and may even be "
    "beneficial** [1][2].\n\n"
    "- **How much is too much:** the FDA cites about **400 mg of caffeine a day** (roughly "
    "four or five cups) as an amount not generally linked to negative effects [1].\n"
    "- **Possible benefits:** an umbrella review of over 200 meta-analyses found 3–4 cups a "
    "day associated with lower all-cause mortality, heart disease and type 2 diabetes risk — "
    "but these are observational associations, not proof of cause [2][4].\n"
    "- **Pregnancy:** limit caffeine to under **200 mg a day** [3].\n"
    "- **Preparation matters:** unfiltered coffee (French press, boiled) contains cafestol, "
    "which can raise LDL cholesterol; paper-filtered coffee mostly removes it [4].\n\n"
    "Sensitivity varies: anxiety, poor sleep or heart palpitations are signs to cut back [1].",
    sources=(
        DemoSource(
            "Spilling the Beans: How Much Caffeine is Too Much? - FDA",
            "https://www.fda.gov/consumers/consumer-updates/spilling-beans-how-much-caffeine-too-much",
            "2024-08-28",
            "For healthy adults, the FDA has cited 400 milligrams a day as an amount not "
            "generally associated with dangerous, negative effects.",
        ),
        DemoSource(
            "Coffee consumption and health: umbrella review of meta-analyses - The BMJ",
            "https://www.bmj.com/content/359/j5024",
            "2017-11-22",
            "Coffee consumption seems generally safe within usual levels of intake, with "
            "summary estimates indicating largest risk reduction at three to four cups a day.",
        ),
        DemoSource(
            "Moderate Caffeine Consumption During Pregnancy - ACOG",
            "https://www.acog.org/clinical/clinical-guidance/committee-opinion/articles/2010/08/"
            "moderate-caffeine-consumption-during-pregnancy",
            "2020-01-01",
            "Moderate caffeine consumption (less than 200 mg per day) does not appear to be a "
            "major contributing factor in miscarriage or preterm birth.",
        ),
        DemoSource(
            "Coffee - The Nutrition Source - Harvard T.H. Chan School of Public Health",
            "https://nutritionsource.hsph.harvard.edu/food-features/coffee/",
            "2023-05-03",
            "Unfiltered coffee contains cafestol and kahweol, which can raise LDL cholesterol.",
        ),
    ),
    related=(
        "Does coffee dehydrate you?",
        "Is decaf coffee healthy?",
        "How long does caffeine stay in the body?",
    ),
)

_GENERIC_SOURCES = (
    DemoSource(
        "Perplexity API settings - Perplexity",
        "https://www.perplexity.ai/settings/api",
        "2026-09-27",
        "Create an API key for the Perplexity Agent API.",
    ),
    DemoSource(
        "API Keys - OpenRouter",
        "https://openrouter.ai/keys",
        "2026-01-10",
        "Create an OpenRouter key to use Perplexity's Sonar models through OpenRouter.",
    ),
)

CANNED: tuple[DemoAnswer, ...] = (MARS, QUIC, COFFEE)


def choose(question: str, add_key: str = "ctrl+k") -> DemoAnswer:
    """The canned answer for ``question``, or a generic one that explains the demo (naming
    ``add_key``, the key that opens the app's API key dialog: the app passes the one in
    force)."""
    for answer in CANNED:
        if answer.matches(question):
            return answer
    shown = clean_line(question)[:80] or "your question"
    return DemoAnswer(
        keywords=(),
        thinking="This question has no canned demo answer, so I should explain the offline demo "
        "and how to add a real key.",
        text=f"This is pplx-tui's **offline demo**, so it cannot search the web for "
        f"“{shown}”.\n\n"
        "To get real answers with live sources, add an API key: set `PERPLEXITY_API_KEY` "
        "(Perplexity's Agent API) [1] or `OPENROUTER_API_KEY` (Sonar through OpenRouter) [2], "
        f"or press **{add_key}** in the app, then pick that provider.\n\n"
        "Meanwhile, try a question the demo knows: *How many moons does Mars have?*, "
        "*TCP vs QUIC?* or *Is coffee good for you?*",
        sources=_GENERIC_SOURCES,
        related=(
            "How many moons does Mars have?",
            "What is the difference between TCP and QUIC?",
            "Is coffee good for you?",
        ),
    )
