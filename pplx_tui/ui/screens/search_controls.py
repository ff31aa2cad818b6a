"""The research screen's search controls: edit the open chat's search settings (ctrl+g), and
export its sources for a reference manager (BibTeX, CSL-JSON, RIS) or the chat itself
(Markdown) from the command palette.

Settings edited here are the chat's (saved with it, sent from the next question, summed up
in the header); the editor is :class:`~pplx_tui.ui.dialogs.search_settings.SearchSettingsScreen`.
An export asks for the file name (by default in the current folder, named after the chat's
title; a file that exists is replaced on a second Enter) and says how many sources it wrote, or
why it could not, once written: it is written in a thread
(:mod:`~pplx_tui.ui.screens.export_writer`), the app taking keys meanwhile. An answer still
being written is exported as far as it came, with its sources so far (it says so, and so does
the toast).
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pplx_tui.search_support import not_honoured, short_summary, summary
from pplx_tui.session import Target
from pplx_tui.ui.screens.export_writer import write_in_thread
from pplx_tui.ui.widgets.status_header import StatusHeader
from pplx_tui.values import SearchSettings

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pplx_tui.models import Chat
    from pplx_tui.ui.screens.answer_stream import AnswerStream

__all__ = ["SearchControls", "SearchHost", "header_summary", "show_search"]


class SearchHost(Protocol):
    """What the controls need of the research screen."""

    chat: Chat
    app: Any

    @property
    def target(self) -> Target: ...

    @property
    def header(self) -> StatusHeader: ...

    @property
    def writing(self) -> Sequence[AnswerStream]: ...

    def save_chat(self) -> None: ...

    def notify(self, message: str, **kwargs: Any) -> Any: ...

    def run_worker(self, work: Any, **options: Any) -> object: ...


def header_summary(search: SearchSettings, target: Target) -> str:
    """What the header says of ``search`` asked of ``target`` (:func:`summary`)."""
    return summary(search, not_honoured(search, target.provider, target.model.id))


def show_search(header: StatusHeader, search: SearchSettings, target: Target) -> None:
    """Put ``search`` asked of ``target`` in ``header``: its few words, and the count that
    stands in for them where they do not fit."""
    not_sent = not_honoured(search, target.provider, target.model.id)
    header.search = summary(search, not_sent)
    header.search_short = short_summary(search, not_sent)


class SearchControls:
    """Search settings and source exports for ``screen``'s open chat."""

    def __init__(self, screen: SearchHost) -> None:
        self.screen = screen

    def show_summary(self) -> None:
        """Put the open chat's settings in the header (nothing for the defaults), those the
        current provider or model would not take marked "not sent"."""
        screen = self.screen
        show_search(screen.header, screen.chat.settings.search, screen.target)

    def edit(self) -> None:
        """Open the editor on the chat's settings, for the current provider and model."""
        from pplx_tui.ui.dialogs.search_settings import SearchSettingsScreen

        screen = self.screen
        target = screen.target
        editor = SearchSettingsScreen(
            screen.chat.settings.search, provider=target.provider, model_id=target.model.id
        )
        screen.app.push_screen(editor, self._edited)

    def _edited(self, settings: SearchSettings | None) -> None:
        if settings is None:
            return
        screen = self.screen
        screen.chat.settings.search = settings
        screen.save_chat()
        self.show_summary()
        words = header_summary(settings, screen.target) or "default search"
        screen.notify(f"Search settings: {words} (from the next question).", timeout=3)

    def export(self, fmt: str) -> None:
        """Ask where to write the chat's sources as ``fmt`` (``bibtex``, ``csl-json``, ``ris``),
        or (``md``, ``json``) the chat itself as Markdown or as its file's JSON."""
        from pplx_tui.export import SUFFIXES
        from pplx_tui.export_file import FORMAT_NAMES, file_name
        from pplx_tui.references import collect
        from pplx_tui.ui.dialogs.rename import RenameScreen

        screen = self.screen
        chat, _ = self._chat_now()
        if fmt in _WHOLE_CHAT:
            if not chat.messages:
                screen.notify("This chat is empty: ask something first.", timeout=3)
                return
            title = f"Export chat as {FORMAT_NAMES[fmt]}"
        elif not collect(chat):  # (a source with no http(s) link is no reference)
            screen.notify("This chat has no sources to export yet.", timeout=3)
            return
        else:
            title = f"Export sources as {FORMAT_NAMES[fmt]}"
        default = Path.cwd() / file_name(chat.title, chat.id, SUFFIXES[fmt])
        replacing: list[str] = []  # the file that exists, once said

        def accept(path_text: str) -> str | asyncio.Future[str | None]:
            # `$HOME/notes.md`, as a shell would have it (else a folder `$HOME` was made here).
            path_text = os.path.expandvars(path_text)
            if os.path.isfile(os.path.expanduser(path_text)) and replacing != [path_text]:
                replacing[:] = [path_text]  # a file of the chat's title may be the user's own
                return f"{path_text} exists: Enter again replaces it."
            return self._write(fmt, path_text)

        prompt = RenameScreen(
            str(default),
            title=title,
            placeholder="File to write",
            empty="The file name cannot be empty.",
            accept=accept,
            busy="writing… · esc closes this, the export goes on",
        )
        screen.app.push_screen(prompt)

    def _write(self, fmt: str, path_text: str) -> asyncio.Future[str | None]:
        """Write the export to ``path_text`` in a thread (the dialog still open): the future
        is ``None`` once written (and said in a toast), else why not, for the dialog to show."""
        chat, writing = self._chat_now()

        def write() -> str:
            from pplx_tui.export import export_chat
            from pplx_tui.export_file import what_was_written, write_export
            from pplx_tui.references import collect

            path = write_export(path_text, export_chat(chat, fmt, writing=writing))
            count = 0 if fmt in _WHOLE_CHAT else len(collect(chat))
            more = _writing_note(fmt, len(writing))
            return f"Wrote {what_was_written(fmt, count)} to {path}{more}."

        return write_in_thread(self.screen, write, path_text)

    def _chat_now(self) -> tuple[Chat, list[str]]:
        """The open chat as it is now, with what has arrived of the answers still being written,
        and their ids: a copy (the chat gets each answer when it ends), which an export's thread
        reads while answers go on (a message's fields are only ever replaced)."""
        chat, answers = self.screen.chat, self.screen.writing
        now = chat.model_copy(update={"messages": list(chat.messages), "chosen": dict(chat.chosen)})
        return now, [id_ for answer in answers if (id_ := answer.so_far(now))]


_WHOLE_CHAT = ("md", "json")
"""The formats that write the chat itself (the others, its sources)."""


def _writing_note(fmt: str, answers: int) -> str:
    """What the toast of an export adds when ``answers`` answers were still being written."""
    if not answers:
        return ""
    one = answers == 1
    which = "the answer" if one else f"the {answers} answers"
    came = "as far as it came" if one else "as far as they came"
    if fmt in _WHOLE_CHAT:
        return f"; {which} still being written {'is' if one else 'are'} in it {came}"
    return f", with those of {which} still being written {came}"
