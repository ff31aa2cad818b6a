"""A notification said again replaces the one shown (QA: a sentence typed while the
conversation had the focus set off its letter keys, and three identical "This answer has no
images…" toasts stacked)."""

from __future__ import annotations

from textual import events

from tests.support.tui import ask, demo_app, until, workspace


async def test_the_same_note_said_again_replaces_the_one_shown() -> None:
    app = demo_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ask(pilot, "Something")
        workspace(app).conversation.focus()
        await pilot.pause()
        await pilot.press("i")  # shown before the next
        await until(pilot, lambda: any("no images" in n.message for n in app._notifications))
        for key in "ii":  # a burst: said again before the first of them shows
            event = events.Key(key, key)
            event.set_sender(app)
            app.post_message(event)
        await pilot.pause()
        await pilot.pause()
        shown = [n.message for n in app._notifications if "no images" in n.message]
        assert len(shown) == 1, shown
        app.notify("Other words.")
        app.notify("Other words.", severity="warning")  # another severity is another note
        await pilot.pause()
        assert len(app._notifications) == 3, [n.message for n in app._notifications]
