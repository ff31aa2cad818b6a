"""A comparison still working, drawn again when its chat is shown again.

Its chat was left while its columns streamed (or its background run was polled): they went on
without views (:class:`~pplx_tui.ui.screens.live_comparison.LiveComparison`). Shown again, the
chat's line ends at the compared question (:meth:`~pplx_tui.ui.screens.comparisons.Comparisons.
line_to_show`); :func:`show_again` puts the comparison under it, each column as it is: an
answer kept is shown as saved, one still working gets a new view with everything so far and
goes on in it. The turns that follow the column later questions follow come after it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pplx_tui.search_support import not_honoured

if TYPE_CHECKING:
    from pplx_tui.ui.screens.live_comparison import LiveComparison
    from pplx_tui.ui.widgets.comparison import Comparison
    from pplx_tui.ui.widgets.conversation import Conversation
    from pplx_tui.ui.widgets.message_view import AnswerView

__all__ = ["show_again"]


async def show_again(conversation: Conversation, live: LiveComparison) -> Comparison:
    """Mount ``live``'s comparison at the end of ``conversation`` (showing its chat's line down
    to its question), with the turns after the column followed, and select that column."""
    from pplx_tui.ui.widgets.comparison import Comparison
    from pplx_tui.ui.widgets.conversation_turns import turn_for
    from pplx_tui.ui.widgets.message_view import AnswerView

    chat = live.chat
    places = chat.places()
    answers = live.answers()
    views: list[AnswerView] = []
    for column, message in enumerate(answers):
        working = live.working_in(column)
        if working is not None:
            target = working.target
            views.append(AnswerView(provider=target.provider.name, model=target.model.id))
        else:
            views.append(AnswerView(message, place=places.get(message.id) if message else None))
    comparison = Comparison(views, live.current)
    await conversation.mount(comparison)
    followed = answers[live.current]
    if followed is not None and live.working_in(live.current) is None:
        later = chat.path_from(followed.id)
        await conversation.mount_all([turn_for(message, chat, places) for message in later])
    for column, view in enumerate(views):
        if (working := live.working_in(column)) is not None:
            view.begin()
            request, target = working.request, working.target
            if request is not None:
                not_sent = not_honoured(request.search, target.provider, target.model.id)
                view.show_search_settings(request.search, not_sent)
            await working.attach(view)
    comparison.update_common()
    conversation.select(views[live.current])
    conversation.anchor()
    return comparison
