"""What names a compared column: its label, cut only where it does not fit, and the switcher of
a narrow comparison, which numbers the answers as their labels do and says which one later
questions follow."""

from __future__ import annotations

import pytest

from pplx_tui.ui.app import PplxApp
from pplx_tui.ui.factory import make_app
from pplx_tui.ui.widgets.comparison import Comparison
from tests.support.answers import reply
from tests.support.loopback import LoopbackServer
from tests.support.tui import loopback_app, region_text, until, workspace
from tests.test_ui_comparison_switcher import MODELS, SHORT, show_sources, three_compared
from tests.test_ui_comparisons import AND_SONAR_PRO, compare


def switcher_text(app: PplxApp) -> str:
    comparison = workspace(app).query_one(Comparison)
    return str(comparison.query_one(".comparison--switcher").render())


FULL = ["perplexity/sonar · openrouter · 1/2", "perplexity/sonar-pro · openrouter · 2/2"]


@pytest.mark.parametrize(
    ("size", "labels"),
    [
        ((150, 30), FULL),
        # QA: "perplexity/sonar-… · openrouter · 2/2", the cut taking what tells the columns
        # apart, with 4 cells free: a cell short now, the name loses its vendor instead (and
        # the other column's with it).
        ((120, 30), ["sonar · openrouter · 1/2", "sonar-pro · openrouter · 2/2"]),
    ],
)
async def test_a_compared_columns_label_is_cut_only_where_it_does_not_fit(
    loopback: LoopbackServer, size: tuple[int, int], labels: list[str]
) -> None:
    loopback.default = lambda request: reply("Two moons.")
    app = loopback_app(loopback)
    async with app.run_test(size=size) as pilot:
        await compare(pilot, "How many moons?", *AND_SONAR_PRO)
        comparison = workspace(app).query_one(Comparison)
        assert not comparison.narrow
        shown = [region_text(app, v.query_one(".answer-view--label")) for v in comparison.views]
        assert shown == labels


async def test_a_narrow_comparisons_switcher_numbers_the_answers_and_names_the_one_followed(
    loopback: LoopbackServer,
) -> None:
    """QA: at 80 columns the switcher read "[perplexity/sonar]  perplexity/sonar-pro   (a / A:
    switch)": no numbers (the README showed "[1/3 sonar]  2 sonar-pro  3 …"), and unlike the
    wide view's line it did not say which answer later questions follow."""
    loopback.default = lambda request: reply("Two moons.")
    app = loopback_app(loopback)
    async with app.run_test(size=(80, 24)) as pilot:
        await compare(pilot, "How many moons?", *AND_SONAR_PRO)
        assert workspace(app).query_one(Comparison).narrow
        assert (
            switcher_text(app)
            == "[1 sonar]  2 sonar-pro · later questions follow 1 (a / A: switch)"
        )
        workspace(app).conversation.focus()
        await pilot.press("a")  # the next answer, shown and followed (a comparison drawn anew)
        wanted = "1 sonar  [2 sonar-pro] · later questions follow 2 (a / A: switch)"
        await until(pilot, lambda: switcher_text(app) == wanted, what=wanted)


async def test_a_comparisons_labels_all_drop_the_vendor_when_one_must() -> None:
    """QA: side by side, "perplexity/sonar · openrouter · 1/3" stood beside "sonar-reasoning-pro
    · openrouter · 3/3", each label fitted to its own column: where one name must lose its vendor
    to fit, every column's does, so the columns read alike; where every name fits, all keep it."""
    app = make_app(chat_id=three_compared().id)
    async with app.run_test(size=(200, 50)) as pilot:
        await show_sources(pilot)
        comparison = workspace(app).query_one(Comparison)
        assert not comparison.narrow

        def labels() -> list[str]:
            return [region_text(app, v.query_one(".answer-view--label")) for v in comparison.views]

        short = [f"{name} · openrouter · {n}/3" for n, name in enumerate(SHORT, 1)]
        await until(pilot, lambda: labels() == short, what=f"{short}: {labels()}")
        await pilot.resize_terminal(240, 50)  # each column room for the longest full name
        full = [f"{name} · openrouter · {n}/3" for n, name in enumerate(MODELS, 1)]
        await until(pilot, lambda: labels() == full, what=f"{full}: {labels()}")
