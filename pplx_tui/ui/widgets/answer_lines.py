"""The short lines around an answer's text, as :class:`~pplx_tui.ui.widgets.message_view.
AnswerView` shows them: the label above it (model · provider · place · status), the search
settings line, and the line under it (progress while streaming; sources, cited, tokens, cost and
how it ended once saved), and what its failure button offers.

Everything here is text from a message's fields: no widget, so each line can be checked alone.
Text from the network is cleaned here and returned as :class:`~textual.content.Content` or
plain text, never parsed as markup.
"""

from __future__ import annotations

from textual.content import Content

from pplx_tui.citations import unknown_note, unknown_numbers
from pplx_tui.client.http_errors import RETIRED_START
from pplx_tui.model_names import without_vendor
from pplx_tui.models import Message, MessageStatus, SearchSettings, Source
from pplx_tui.runs import LOST
from pplx_tui.sanitize import clean_line
from pplx_tui.search_support import summary as search_summary

__all__ = [
    "STOPPED_EARLY_NOTE",
    "STOPPED_NOTE",
    "action_label",
    "broke_off",
    "drops_vendor",
    "end_note",
    "fitted",
    "label",
    "retired",
    "retired_hint",
    "search_line",
    "sources_line",
    "stopped",
    "summary",
]

NAME_CELLS = 8
"""Cells of a cut model name, "…" included, worth keeping beside the rest of its label."""

STOPPED_NOTE = "Stopped here; the answer is unfinished."
"""What a stopped answer says under its text, where a failed one says why it failed."""
STOPPED_EARLY_NOTE = "Stopped before any of the answer arrived."
"""What an answer stopped before its first words says instead."""


def broke_off(message: Message) -> bool:
    """The answer stopped on an error after part of it arrived (not on the user's stop)."""
    return message.status == MessageStatus.INTERRUPTED and bool(message.error)


def stopped(message: Message) -> bool:
    """The answer was stopped before its end, not by an error (Escape, a new question, the app
    closing, its background run cancelled); a run still going is not."""
    return message.status == MessageStatus.INTERRUPTED and not message.error and not message.running


def _how_it_stopped(message: Message) -> str:
    """How a stopped answer ended, for its summary. Only text is a partial answer: a
    research run stopped after finding its sources has none ("3 sources, 0 cited · stopped:
    partial answer kept" sat over "Stopped before any of the answer arrived.")."""
    return "stopped: partial answer kept" if message.content else "stopped before the answer began"


def end_note(message: Message) -> str:
    """What the answer says under its text: that it was stopped there, or why it failed (as
    saved: its view names the keys in force, :func:`~pplx_tui.ui.keys_in_force.add_key_named`).
    An answer that broke off says so here only (QA: its label, the line under it and a toast
    said it too): what broke, and that the partial answer is kept."""
    if stopped(message):
        return STOPPED_NOTE if message.content else STOPPED_EARLY_NOTE
    note = clean_line(message.error or "")
    if broke_off(message) and message.content and "partial answer is kept" not in note:
        note += " The partial answer is kept."  # (an error event's message does not say it)
    return note


def retired(message: Message) -> bool:
    """The answer was refused by Perplexity's retired Sonar chat completions (through
    OpenRouter or a gateway): asking the same provider again cannot help, nor can another key
    for it."""
    return (message.error or "").startswith(RETIRED_START)


def retired_hint(has_key: bool, pick: str, add_key: str) -> str:
    """What the app offers after :func:`retired`'s refusal: a Perplexity model (the ``pick``
    key), or first a Perplexity key (the ``add_key`` key) where none is set (``has_key``)."""
    if has_key:
        return f"{pick} picks a Perplexity model."
    return f"{add_key} adds a key (choose Perplexity), then {pick} picks a Perplexity model."


def action_label(needs_key: bool, add_key: str, retry: str, pick: str | None = None) -> str:
    """What the failed answer's button offers, with its key: a model (the ``pick`` key, when
    given), a key where the one refused is still in use (the ``add_key`` key), else a retry
    (``retry``)."""
    if pick is not None:
        return f"Pick a model ({pick})"
    if needs_key:
        return f"Add a key ({add_key})"
    return f"Retry ({retry})"


def label(
    model: str,
    provider: str,
    place: tuple[int, int] | None,
    message: Message | None,
    tag: str = "",
) -> tuple[str, Content]:
    """The answer's label as its model's name and the rest: ``tag`` (a compared column's
    search settings, where its model is compared with itself: " (month)"), its provider, which
    alternative it is ("2/3"), and how it ended when that was not complete (``message``: the
    saved answer, if it ended), each after " · "."""
    rest = Content(f" ({clean_line(tag)})" if tag else "")
    rest += Content(f" · {clean_line(provider)}" if provider else "")
    if place is not None:
        rest += Content.styled(f" · {place[0]}/{place[1]}", "$text-accent")
    if message and message.running:
        rest += Content.styled(" · background run", "italic")
    elif message and message.status == MessageStatus.INTERRUPTED and not broke_off(message):
        rest += Content.styled(" · interrupted", "italic")
    elif message and message.run is not None and message.run.status == LOST:
        rest += Content.styled(" · lost", "italic")  # (as `pplx runs` says)
    elif message and message.status == MessageStatus.ERROR:
        rest += Content.styled(" · failed", "italic")
    return clean_line(model or "answer"), rest.stylize("not bold")


def fitted(name: str, rest: Content, room: int, *, short: bool = False) -> Content:
    """The label in ``room`` cells (0: any), cut only where it does not fit: a name too long
    loses its vendor ("perplexity/sonar-pro" reads "sonar-pro": the part that tells columns
    apart; :func:`drops_vendor`), then is cut with "…", so that the rest stays in view (in a
    narrow comparison column the place, "2/3", was cut off); with too little room beside a few
    letters of the name, the rest goes on a second row. ``short``: the name without its vendor
    even where it fits (a comparison's columns drop it alike)."""
    if short or drops_vendor(name, rest, room):
        name = without_vendor(name)
    bold = Content.styled(name, "bold")
    if not room or bold.cell_length + rest.cell_length <= room:
        return bold + rest
    if room - rest.cell_length >= min(NAME_CELLS, bold.cell_length):
        return bold.truncate(room - rest.cell_length, ellipsis=True) + rest
    return Content.assemble(
        bold.truncate(room, ellipsis=True), "\n", rest[3:].truncate(room, ellipsis=True)
    )


def drops_vendor(name: str, rest: Content, room: int) -> bool:
    """Whether :func:`fitted` shows the name without its vendor in ``room`` cells: it has one and
    does not fit beside the rest, and either a few letters of it without the vendor do, or the
    whole name does not fit a row of its own."""
    short = without_vendor(name)
    full = Content(name).cell_length
    if short == name or not room or full + rest.cell_length <= room:
        return False
    return room - rest.cell_length >= min(NAME_CELLS, Content(short).cell_length) or full > room


def search_line(search: SearchSettings | None, not_sent: dict[str, str]) -> str:
    """What the answer was searched with (empty for the defaults), then the settings its
    provider or model could not honour, as the search editor's summary says it:
    ``search: after 01/01/2020 · not sent: day`` (:func:`~pplx_tui.search_support.summary`)."""
    line = search_summary(search, not_sent) if search else ""
    return f"search: {line}" if line else ""


def sources_line(sources: tuple[Source, ...], cited: set[int]) -> str:
    """How many sources the answer has and how many of them it cites."""
    if not sources:
        return ""
    count = len(sources)
    number = len(cited & {s.index for s in sources})
    return f"{count:,} source{'s' if count != 1 else ''}, {number:,} cited"


def summary(
    message: Message | None,
    sources: tuple[Source, ...],
    cited: set[int],
    retry_key: str = "ctrl+r",
) -> str:
    """The line under a saved answer: sources, markers without a source, how it ended
    (background run, stopped; one that broke off says so under its text), tokens and cost
    (``retry_key``: the key that checks a run again)."""
    if message is None:
        return ""
    parts = [sources_line(sources, cited), unknown_note(unknown_numbers(message.content, sources))]
    if message.running and message.error:
        parts.append(f"not checked now: {retry_key} checks it again")
    elif message.running:
        parts.append("still working on the provider's side; it is filled in when it ends")
    elif stopped(message):
        parts.append(_how_it_stopped(message))
    usage = message.usage
    if usage and usage.total_tokens:
        parts.append(f"{usage.total_tokens:,} tokens")
    if usage and usage.cost_usd:
        parts.append(f"${usage.cost_usd:.4f}")
    return " · ".join(p for p in parts if p)
