"""Export a chat as Markdown (to read or share), JSON (the chat file itself, to import), or
its sources as references (BibTeX, CSL-JSON, RIS: :mod:`pplx_tui.references`).

Markdown keeps each answer's ``[n]`` citation markers (``[web:n]`` is written ``[n]``, see
:mod:`pplx_tui.citations`) and follows the answer with a numbered **Sources** list, footnote
style, so a reader can match every marker to its page (a marker that names no source is said
to, in the list; a source an ended answer does not cite is marked ``○ not cited``, as in the
sources panel); each answer names the model and provider that wrote it and the search it was
asked with (its domains by name). Reasoning (the ``<think>`` part) is left out by
default and, when asked for, folded into a ``<details>`` block above the answer. All text
passes through :func:`pplx_tui.sanitize.clean_text`, since exports are also printed on
terminals; only http(s) URLs become links (:func:`pplx_tui.sanitize.defuse_links` turns any
other Markdown link in the answer into literal text that shows its target). Questions, the
system prompt, reasoning, titles, related questions, image captions and model names are plain
text (:mod:`pplx_tui.markdown_plain`): their Markdown and HTML are escaped, so a question or a
page titled ``std::vector<int>`` keeps its ``<int>``, and reasoning cannot close its fold. An
answer's Markdown is kept, but its HTML outside code is escaped too
(:mod:`pplx_tui.markdown_html`): a ``<details>`` or ``<!--`` the model wrote hides nothing.
An answer still being written (exported from the app meanwhile) is written as far as it came,
and says so.

A chat with alternatives or branches exports the conversation shown (the chosen answer at
each fork, marked "chosen"), each answer's other alternatives right after it (answers compared
side by side one after the other under a line saying so, ``The next 2 answers were compared
side by side: sonar · sonar-pro (answers 1 and 2 of 3)``; a column asked again in its place
says by which answer, and its failed try comes last, "set aside"), and then, under
**Other branches**, every line that was left: the earlier versions of an edited question and
follow-ups asked after an answer that is not shown, each saying where it branches off.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import UTC, datetime

from pplx_tui.citations import normalize_markers
from pplx_tui.compare import column_names, common_line, left_out
from pplx_tui.markdown_html import inert_html
from pplx_tui.markdown_plain import (
    angle_link,
    cut_note,
    plain,
    plain_line,
    plain_lines,
    sources_list,
)
from pplx_tui.models import (
    ROOT,
    Chat,
    Image,
    Message,
    MessageStatus,
    is_alternative,
    reading_order,
)
from pplx_tui.redact import known_secrets, redact_known
from pplx_tui.sanitize import (
    clean_line,
    clean_text,
    close_fence,
    defuse_links,
    escape_controls,
    safe_url,
)
from pplx_tui.search_support import summary
from pplx_tui.store import dump_chat
from pplx_tui.store.chat_json import dump_pieces

UNTITLED = "Untitled chat"
FORMATS = ("md", "json", "bibtex", "csl-json", "ris")
"""What :func:`export_chat` writes (``pplx chats export --format``)."""
SUFFIXES = {"md": ".md", "json": ".json", "bibtex": ".bib", "csl-json": ".csl.json", "ris": ".ris"}


def export_chat(
    chat: Chat, fmt: str, *, reasoning: bool = False, writing: Collection[str] = ()
) -> bytes:
    """The chat in one of :data:`FORMATS`; ``reasoning`` only matters for Markdown, and
    ``writing``, the ids of answers still being written (what arrived so far is in ``chat``):
    Markdown says so under each.

    No key in use is written, wherever in the chat a server may have echoed it.
    """
    return b"".join(export_pieces(chat, fmt, reasoning=reasoning, writing=writing))


def export_pieces(
    chat: Chat, fmt: str, *, reasoning: bool = False, writing: Collection[str] = ()
) -> Iterator[bytes]:
    """:func:`export_chat` in pieces, to write a long chat without joining it first."""
    chat = _without_keys(chat)
    if fmt == "json":
        # The chat file's JSON, its bidi controls written as escapes too (as its C0 and C1
        # ones are): the same data, harmless when the export is printed on a terminal.
        for piece in dump_pieces(chat):
            yield escape_controls(piece.decode()).encode()
        yield b"\n"  # a text file ends with a line break (the chat file itself has none)
    elif fmt == "md":
        for line in markdown_lines(chat, reasoning=reasoning, writing=writing):
            yield line.encode() + b"\n"
    else:
        from pplx_tui.references.formats import export_references

        yield export_references(chat, fmt)


def _without_keys(chat: Chat) -> Chat:
    """``chat``, or a copy with the keys in use replaced (before any format escapes them).

    Looked for a message at a time: a long chat is copied only if a key is in it.
    """
    secrets = known_secrets()
    parts = [chat.model_copy(update={"messages": []}), *chat.messages]
    if not any(s in part.model_dump_json() for part in parts for s in secrets):
        return chat
    return Chat.model_validate_json(redact_known(chat.model_dump_json()))


def to_json(chat: Chat) -> bytes:
    """The chat file's bytes: ``pplx chats import`` reads them back."""
    return dump_chat(chat)


def markdown_lines(
    chat: Chat, *, reasoning: bool = False, writing: Collection[str] = ()
) -> list[str]:
    """The conversation as Markdown, line by line (a long chat is printed without being joined
    first); ``reasoning`` adds each answer's folded reasoning; the answers ``writing`` names
    are said to be still being written."""
    lines = [
        f"# {plain_line(chat.title) or UNTITLED}",
        "",
        f"*pplx-tui chat `{chat.id}` · started {_when(chat.created_at)} · "
        f"updated {_when(chat.updated_at)}*",
        "",
    ]
    if prompt := plain_lines(chat.settings.system_prompt or ""):
        lines += ["> **System prompt:**", *(f"> {line}".rstrip() for line in prompt.splitlines())]
        lines.append("")
    branches: list[tuple[str, list[Message]]] = []
    shown = chat.active_path()
    tree = _Tree(chat, writing)
    lines += _line_of(tree, shown, reasoning, branches)
    for other in tree.children(ROOT):
        if shown and other is not shown[0]:
            branches.append(("the start of the chat", [other, *chat.path_from(other.id)]))
    if branches:
        lines += ["---", "", "## Other branches", ""]
    number = 0
    while number < len(branches):  # a branch may add branches of its own
        where, messages = branches[number]
        number += 1
        lines += [f"### Branch {number}", "", f"*Follows {where}.*", ""]
        lines += _line_of(tree, messages, reasoning, branches)
    while lines and not lines[-1].strip():
        lines.pop()
    if lines:
        lines[-1] = lines[-1].rstrip()
    return lines


class _Tree:
    """The chat's forks, worked out once: ``Chat.children`` and ``Chat.alternatives`` walk
    the whole chat on each call, and an export asks for every message's (5,000 messages
    took minutes)."""

    def __init__(self, chat: Chat, writing: Collection[str] = ()) -> None:
        self.chat = chat
        self.writing = frozenset(writing)
        """The answers still being written when exported."""
        self.parents = chat.parent_keys()
        self._kids: dict[str, list[Message]] = {}
        for message in chat.messages:
            self._kids.setdefault(self.parents[message.id], []).append(message)

    def children(self, parent: str) -> list[Message]:
        return self._kids.get(parent, [])

    def alternatives(self, message: Message) -> list[Message]:
        """``message`` and its siblings of its role, but for the tries set aside
        (:func:`pplx_tui.models.is_alternative`)."""
        kids = self._kids[self.parents[message.id]]
        return [m for m in kids if m is message or is_alternative(m, message)]

    def set_aside(self, message: Message) -> list[Message]:
        """The tries set aside among ``message``'s siblings: asked again in their column."""
        kids = self._kids[self.parents[message.id]]
        return [m for m in kids if m is not message and m.retired]


def _line_of(
    tree: _Tree,
    messages: list[Message],
    reasoning: bool,
    branches: list[tuple[str, list[Message]]],
) -> list[str]:
    """One line of the conversation, each answer followed by its alternatives; the questions
    asked elsewhere after one of its messages are added to ``branches``."""
    chat = tree.chat
    lines: list[str] = []
    following = {m.id for m in messages}
    for message in messages:
        siblings = tree.alternatives(message)
        place = f"{siblings.index(message) + 1} of {len(siblings)}" if len(siblings) > 1 else ""
        if message.role == "user":
            label = f"**You** · version {place}" if place else "**You**"
            lines += ["---", "", label, "", plain_lines(message.content), ""]
        else:
            listed = reading_order(message, siblings)
            announced: set[str] = set()
            lines += _compared(message, listed, siblings, announced)
            label = f"answer {place} · chosen" if place else ""
            lines += _answer(tree, message, reasoning, label + _replaced(message, siblings))
            for other in listed[1:]:
                number = f"{siblings.index(other) + 1} of {len(siblings)}"
                lines += _compared(other, listed, siblings, announced)
                label = f"alternative {number}{_replaced(other, siblings)}"
                lines += _answer(tree, other, reasoning, label)
                _branch_off(tree, other, f"alternative answer {number}", branches)
            for earlier in tree.set_aside(message):
                lines += _answer(tree, earlier, reasoning, _set_aside(earlier, siblings))
                _branch_off(tree, earlier, "the earlier try set aside", branches)
        kids = tree.children(message.id)
        for child in kids:
            if child.id in following:
                continue
            # An answer off the line is listed with the one shown; but for a question that an
            # old version's question under it (see _Tree.alternatives) follows on the line.
            answered = any(m.role == "assistant" and m.id in following for m in kids)
            if child.role == "user" or (message.role == "user" and not answered):
                where = _where(chat, message, siblings)
                branches.append((where, [child, *chat.path_from(child.id)]))
    return lines


def _compared(
    answer: Message, listed: list[Message], siblings: list[Message], announced: set[str]
) -> list[str]:
    """``*The next 2 answers were compared side by side: sonar · sonar-pro (answers 1 and 2
    of 3).*`` and what their sources have in common (``*In common: nasa.gov · only sonar:
    …*``) before the first answer written of a comparison (once: its id goes in
    ``announced``), models and numbers in the order the answers follow; else nothing."""
    group = [m for m in listed if answer.comparison and m.comparison == answer.comparison]
    if len(group) < 2 or answer.comparison in announced:
        return []
    announced.add(answer.comparison or "")
    names = column_names(
        [clean_line(m.model or "answer") for m in group],
        [summary(m.search) if m.search else "" for m in group],
        [clean_line(m.provider or "") for m in group],
    )
    numbers = [str(siblings.index(m) + 1) for m in group]
    which = f"{', '.join(numbers[:-1])} and {numbers[-1]} of {len(siblings)}"
    lines = [
        f"*The next {len(group):,} answers were compared side by side: "
        f"{' · '.join(map(plain, names))} (answers {which}).*",
        "",
    ]
    ended = [(name, how) for m, name in zip(group, names, strict=True) if (how := left_out(m))]
    taking = [(m, name) for m, name in zip(group, names, strict=True) if not left_out(m)]
    if common := common_line([m for m, _ in taking], [name for _, name in taking], ended):
        lines += [f"*{plain(common)}*", ""]  # the app's line above the columns
    return lines


def _replaced(answer: Message, siblings: list[Message]) -> str:
    """`` · replaced in its column by answer 2`` for a compared answer asked again there."""
    later = next((m for m in siblings if m.id == answer.replaced_by), None)
    return f" · replaced in its column by answer {siblings.index(later) + 1}" if later else ""


def _set_aside(answer: Message, siblings: list[Message]) -> str:
    """The label of a try set aside (``Message.retired``): what took its place."""
    later = next((m for m in siblings if m.id == answer.replaced_by), None)
    took = f" as answer {siblings.index(later) + 1}" if later else ""
    return f"earlier try, set aside: asked again in its column{took}"


def _branch_off(
    tree: _Tree, answer: Message, label: str, branches: list[tuple[str, list[Message]]]
) -> None:
    """Follow-ups asked after ``answer`` (an alternative not shown) become branches."""
    for child in tree.children(answer.id):
        where = f"{label}{_by(answer)} to {_quote(tree.chat, answer)}"
        branches.append((where, [child, *tree.chat.path_from(child.id)]))


def _where(chat: Chat, message: Message, siblings: list[Message]) -> str:
    """Where a branch starts, in words: after this answer (numbered among its question's
    ``siblings`` where there are several, as its label numbers it), or question."""
    if message.role == "user":
        return f"the question {_quote(chat, message, own=True)}"
    which = f"answer {siblings.index(message) + 1} of {len(siblings)}"
    return (
        f"{which if len(siblings) > 1 else 'the answer'}{_by(message)} to {_quote(chat, message)}"
    )


def _by(message: Message) -> str:
    author = _author(message)
    return f", by {author}," if author else ""


def _quote(chat: Chat, message: Message, *, own: bool = False) -> str:
    """The (start of the) question ``message`` answers, in quotes."""
    parent = chat.parent_key(message)
    question = message if own or parent == ROOT else chat.message(parent)
    text = clean_line(question.content)
    return f"“{plain(text[:57])}…”" if len(text) > 60 else f"“{plain(text)}”"


def _answer(tree: _Tree, message: Message, reasoning: bool, place: str = "") -> list[str]:
    author = " · ".join(part for part in (_author(message), place) if part)
    lines = [f"**Assistant** · {author}" if author else "**Assistant**", ""]
    search = message.search
    if search and (searched := summary(search, message.search_not_sent, named=True)):
        lines += [f"*Search: {plain_line(searched)}*", ""]
    if reasoning and (thought := plain_lines(message.reasoning)):
        # Escaped as plain text: no "</details>" in it closes the fold.
        lines += ["<details>", "<summary>Reasoning</summary>", "", thought, "", "</details>", ""]
    known = {source.index for source in message.sources}
    if content := _text(normalize_markers(message.content, known)):
        lines += [content, ""]
    writing = message.id in tree.writing
    if ending := _ending(message, writing):
        lines += [ending, ""]
    settled = not (writing or message.running)
    lines += sources_list(message.content, message.sources, settled=settled)
    if questions := [q for q in (plain_line(q) for q in message.related_questions) if q]:
        lines += ["**Related questions**", "", *(f"- {q}" for q in questions), ""]
    if images := [line for line in map(_image, message.images) if line]:
        lines += ["**Images**", "", *images, ""]
    return lines


def _ending(message: Message, writing: bool) -> str:
    """The note under an answer that did not end in full (``writing``: it is still being
    written as it is exported); "" for one that did."""
    if writing and not message.content:
        return "*(Still being written when exported: none of it had arrived yet.)*"
    if writing:
        return "*(Still being written when exported: the answer as far as it had come.)*"
    if message.running:  # interrupted, to an older pplx-tui; its run goes on
        return "*(Still researching in the background: pplx runs wait fills it in.)*"
    if message.status is MessageStatus.INTERRUPTED:
        return cut_note(message.error, arrived=bool(message.content))
    if message.status is MessageStatus.ERROR:
        return f"*Error: {plain_line(message.error or 'the answer failed')}*"
    return ""


def _image(image: Image) -> str:
    """``- title — <url> (from <origin>)``; an image without an http(s) URL is left out."""
    url = safe_url(image.image_url)
    if not url:
        return ""
    line = (
        f"- {plain_line(image.title)} — {angle_link(url)}"
        if image.title
        else f"- {angle_link(url)}"
    )
    if image.origin_url and (origin := safe_url(image.origin_url)):
        line += f" (from {angle_link(origin)})"
    return line


def _text(text: str) -> str:
    """Untrusted Markdown made inert: no control characters, no link that is not http(s), no
    code fence left open (it would take in the rest of the document), no HTML (shown as
    written: :mod:`pplx_tui.markdown_html`)."""
    return inert_html(close_fence(defuse_links(clean_text(text)).strip()))


def _author(message: Message) -> str:
    model, provider = plain_line(message.model or ""), plain_line(message.provider or "")
    if model and provider:
        return f"{model} ({provider})"
    return model or provider


def _when(moment: datetime) -> str:
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%d %H:%M")
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
