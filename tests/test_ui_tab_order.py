"""What a narrow terminal's user meets walking the workspace.

Tab from the conversation reaches the selected answer's related questions and images, then
the sources panel — not every answer's lists, oldest first (found walking at 80x24: in a chat
whose answers all had related questions and images, Tab went to the first answer's list far
up the chat, and through two lists per answer before the sources panel)."""

from __future__ import annotations

from pplx_tui.store import ChatStore
from pplx_tui.ui.widgets.answer_extras import ImageList, RelatedQuestions
from pplx_tui.ui.widgets.sources_panel import SourcesPanel
from tests.support.chats import phobos_chat
from tests.support.loopback import LoopbackServer, json_reply
from tests.support.tui import ask, demo_app, loopback_app, on_screen, until, workspace


async def test_tab_goes_through_the_selected_answers_lists_to_the_sources() -> None:
    chat = phobos_chat(ChatStore(), [f"Question {n}" for n in range(6)])
    app = demo_app()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = workspace(app)
        await screen.open_chat(chat.id)
        conversation = screen.conversation
        await until(pilot, lambda: conversation.selected is not None)
        selected = conversation.selected
        conversation.focus()
        await pilot.press("tab")
        assert isinstance(app.focused, RelatedQuestions)
        assert selected in app.focused.ancestors  # the selected answer's, not the first's
        await pilot.press("tab")
        assert isinstance(app.focused, ImageList) and selected in app.focused.ancestors
        await pilot.press("tab")
        assert app.focused is not None and any(
            isinstance(node, SourcesPanel) for node in app.focused.ancestors_with_self
        )
        await pilot.press("shift+tab", "shift+tab", "shift+tab")  # and back the same way
        assert app.focused is conversation


async def test_a_failed_answers_reason_is_readable_beside_a_narrow_conversation(
    loopback: LoopbackServer,
) -> None:
    """At 80x24 with the sources shown, the reason of a refused answer stood in an 18-column
    strip beside its 'Add a key (ctrl+k)' button, its URL broken over two lines; in a narrow
    answer the button goes under the reason."""
    loopback.queue(json_reply(401, {"error": {"message": "Invalid API key provided"}}))
    app = loopback_app(loopback)
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(pilot, "How many moons?")
        screen = workspace(app)
        if not screen.query_one(SourcesPanel).display:
            await pilot.press("ctrl+s")
        await until(pilot, lambda: on_screen(app, "Add a key (ctrl+k)"))
        await pilot.pause()
        await until(pilot, lambda: on_screen(app, "https://openrouter.ai/keys"))


async def test_the_model_filter_highlights_a_model_that_can_be_asked_first() -> None:
    """'sonar pro' typed in the picker highlighted Perplexity's 'Preset low (Sonar Pro-class)'
    (no key) before OpenRouter's Sonar Pro (key set): Enter opened the key dialog."""
    from textual.app import App, ComposeResult
    from textual.widgets import OptionList, Static

    from pplx_tui.providers import build_catalog
    from pplx_tui.ui.dialogs.model_picker import ModelPickerScreen
    from tests.support.tui import type_text

    chosen: list[object] = []

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("host")

        def on_mount(self) -> None:
            picker = ModelPickerScreen(build_catalog(), None, lambda name: name == "openrouter")
            self.push_screen(picker, chosen.append)

    app = Host()
    async with app.run_test() as pilot:
        await pilot.pause()
        await type_text(pilot, "sonar pro")
        await pilot.pause()
        highlighted = app.screen.query_one(OptionList).highlighted_option
        assert highlighted is not None and "perplexity/sonar-pro" in str(highlighted.prompt)
        await pilot.press("enter")
        await until(pilot, lambda: bool(chosen))
    assert chosen == [("openrouter", "perplexity/sonar-pro")]
