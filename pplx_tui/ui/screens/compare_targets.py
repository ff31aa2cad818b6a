"""Which models a comparison asks: the compare picker, then, for one model asked twice, the
second column's search settings (:func:`pick_targets`, for
:class:`~pplx_tui.ui.screens.comparisons.Comparisons`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import TYPE_CHECKING

from pplx_tui.sanitize import clean_line
from pplx_tui.ui.dialogs.spend_guard import quoted

if TYPE_CHECKING:
    from pplx_tui.session import Target
    from pplx_tui.ui.screens.answer_host import AnswerHost
    from pplx_tui.values import SearchSettings

__all__ = ["pick_targets"]


def pick_targets(
    screen: AnswerHost,
    then: Callable[[list[Target], list[SearchSettings | None]], Awaitable[None]],
    question: str,
    again: bool = False,
    note: str | None = None,
) -> None:
    """On ``screen``, the compare picker, then (for one model asked twice) the second column's
    search settings, both naming ``question`` (the selected answer's, asked ``again``) and
    saying ``note`` (the later questions that stay behind); ``then`` gets the targets and each
    column's search settings."""
    from pplx_tui.ui.dialogs.compare_picker import ComparePickerScreen
    from pplx_tui.ui.dialogs.search_settings import SearchSettingsScreen

    asks = f"Ask {quoted(question)}{' again' if again else ''}"
    app = screen.app
    usable = [name for name in app.catalog.providers if app.has_key(name)]

    async def ask(targets: list[Target], searches: list[SearchSettings | None]) -> None:
        # The budget (not for the offline demo's):
        if screen.spending.allows_request(partial(then, targets, searches), targets=targets):
            await then(targets, searches)

    async def chosen(choices: list[tuple[str, str]] | None) -> None:
        if not choices:
            return
        try:
            targets = [app.resolve(provider, model) for provider, model in choices]
        except Exception as error:  # a model gone from the catalog meanwhile
            app.notify(clean_line(str(error)), severity="error")
            return
        if len(set(choices)) > 1:
            await ask(targets, [None] * len(targets))
            return
        first = screen.chat.settings.search
        editor = SearchSettingsScreen(
            first.model_copy(deep=True),
            provider=targets[1].provider,
            model_id=targets[1].model.id,
            title="Search settings of the second column",
            asks=f"{asks} of {targets[0].model.id} twice, the second",
            requests=2,
            note=note,
        )

        async def second(search: SearchSettings | None) -> None:
            if search is not None:
                await ask(targets, [first, search])

        app.push_screen(editor, second)

    marked = (app.target.provider.name, app.target.model.id)
    picker = ComparePickerScreen(
        app.catalog, usable, marked, asks, question, selected=again, note=note
    )
    app.push_screen(picker, chosen)
