"""The saved data: chats, their messages, and each answer's sources, usage and settings.

These pydantic models are the JSON schema of a chat file (``schema_version`` at the top).
Unknown fields of a chat or a message are kept (read and written back as they were) so that a
file from a slightly newer minor release opens and loses nothing when saved here; a file with
a higher ``schema_version`` is treated as read-only by the store.

A chat is a tree kept as a flat list: each message names the message it follows
(``parent_id``), so a question can have several answers (alternatives: another model, other
search settings, a retry) and an answer several next questions (an edited question starts a
branch; the turns after the old one are kept). ``Chat.chosen`` records which child is shown at
each fork; what is shown, and what the next question carries as context, is
:meth:`Chat.active_path`. Files from schema 1 have no ``parent_id``: each message follows the
one before it, so they read as one straight line.
"""

from __future__ import annotations

import math
import secrets
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from pplx_tui.schema import SCHEMA_VERSION
from pplx_tui.values import (
    MAX_COST_USD,
    RUN_UNFINISHED,
    ContextSize,
    ErrorKind,
    Image,
    MessageStatus,
    Recency,
    Role,
    SamplingOptions,
    SearchMode,
    SearchSettings,
    Source,
    Usage,
    in_utc,
    utc_now,
)

ROOT = ""
"""The ``parent_id`` of a message that opens the chat (and the key of its fork in ``chosen``)."""
__all__ = [
    "ROOT",
    "RUN_UNFINISHED",
    "SCHEMA_VERSION",
    "BackgroundRun",
    "Chat",
    "ChatSettings",
    "ContextSize",
    "ErrorKind",
    "Image",
    "Message",
    "MessageStatus",
    "Recency",
    "Role",
    "SamplingOptions",
    "SearchMode",
    "SearchSettings",
    "Source",
    "Usage",
    "is_alternative",
    "new_message_id",
    "reading_order",
    "utc_now",
]


def new_message_id() -> str:
    """A random id that names a message across saves, so concurrent writers can be merged."""
    return secrets.token_hex(8)


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", validate_assignment=False, defer_build=True)


class BackgroundRun(_Model):
    """A provider-side run (Agent API ``background: true``) that this answer comes from.

    Saved the moment the provider accepted the question, so any later process (the app after
    a restart, ``pplx runs wait``) can poll it and fill the answer in. While it runs, the
    message's ``status`` stays ``interrupted`` (what an older pplx-tui shows for it) and
    :attr:`Message.running` is true.
    """

    id: str
    """The provider's response id (``resp_…``)."""
    status: str = "queued"
    """The provider's last reported status (``queued``, ``in_progress``, ``cancelling``,
    ``completed``, ``failed``, ``cancelled``, ``incomplete``), or ``lost`` when the provider no
    longer knows the run (404)."""
    base_url: str | None = None
    """The base URL it was started on when not the provider's own, so it is polled there."""
    started_at: datetime = Field(default_factory=utc_now)
    checked_at: datetime | None = None
    """When the provider was last asked about it."""
    took: float | None = None
    """Seconds it took by the provider's clock, once it ended (when the provider said)."""

    @field_validator("started_at", "checked_at")
    @classmethod
    def _in_utc(cls, moment: datetime | None) -> datetime | None:
        return None if moment is None else in_utc(moment)


class Message(_Model):
    model_config = ConfigDict(extra="allow")

    id: str = Field(default_factory=new_message_id)
    """Stable identity; the store merges two writers' versions of a chat by it."""
    role: Role
    parent_id: str | None = None
    """The message this one follows; :data:`ROOT` when it opens the chat. ``None`` (every
    message saved before branches existed): the message before it in the list."""
    content: str = ""
    reasoning: str = ""
    sources: list[Source] = Field(default_factory=list)
    related_questions: list[str] = Field(default_factory=list)
    images: list[Image] = Field(default_factory=list)
    provider: str | None = None
    """Provider that produced an assistant message (``None`` on user messages)."""
    model: str | None = None
    """Model id that produced an assistant message."""
    search: SearchSettings | None = None
    """The search settings the question was asked with."""
    search_not_sent: dict[str, str] = Field(default_factory=dict)
    """Settings (:class:`SearchSettings` field names) the provider or model could not honour,
    so they were not sent, each with the reason (``{"mode": "the Agent API has no search
    mode"}``)."""
    usage: Usage | None = None
    status: MessageStatus = MessageStatus.COMPLETE
    error: str | None = None
    """The one-line, user-facing error: why the answer failed (``error``) or broke off
    (``interrupted`` with an error; a user's stop has none)."""
    error_kind: ErrorKind | None = None
    """What kind of failure ``error`` is: ``auth`` (a key is missing or refused: add one),
    ``limit`` (rate limit or credits), else ``server`` (network, server, protocol)."""
    created_at: datetime = Field(default_factory=utc_now)
    finished_at: datetime | None = None
    comparison: str | None = None
    """Answers asked at once, side by side (several models, or one model with two search
    settings), share this id; they are alternatives of their question and reopen as columns."""
    column: int | None = None
    """Its column in its comparison (0: the first), as asked: the answers join the chat as they
    end (a background run's as it starts), and :meth:`Chat.add` keeps them in column order."""
    run: BackgroundRun | None = None
    """The background run this answer comes from (Agent API long presets), if any."""
    replaced_by: str | None = None
    """The answer asked again in this one's place, in its comparison's column (r, ctrl+r, m or
    s on a compared answer): this one is an earlier try, no longer in the comparison."""

    @field_validator("usage")
    @classmethod
    def _reported(cls, usage: Usage | None) -> Usage | None:
        """A cost no provider reports (infinite, not a number, negative, :data:`MAX_COST_USD`
        or more: a hand-edited or imported file) is no reported cost; it broke ``--json`` and
        today's total."""
        cost = usage.cost_usd if usage is not None else None
        if cost is not None and not (math.isfinite(cost) and 0 <= cost < MAX_COST_USD):
            usage.cost_usd = None  # type: ignore[union-attr]
        return usage

    @property
    def retired(self) -> bool:
        """An earlier try (``replaced_by``) that did not end well (it failed, broke off or was
        stopped; a finished answer asked again stays an alternative): kept in the file and the
        exports, but not one of the alternatives shown, numbered ("2/3") or stepped through."""
        unfinished = (MessageStatus.ERROR, MessageStatus.INTERRUPTED)
        return self.replaced_by is not None and self.status in unfinished and not self.running

    @property
    def running(self) -> bool:
        """A background run the provider has not finished (or not said it finished)."""
        return self.run is not None and self.run.status in RUN_UNFINISHED


class ChatSettings(_Model):
    """Per-chat settings: what the next question is sent with."""

    provider: str | None = None
    model: str | None = None
    system_prompt: str | None = None
    search: SearchSettings = Field(default_factory=SearchSettings)
    sampling: SamplingOptions = Field(default_factory=SamplingOptions)


class Chat(_Model):
    model_config = ConfigDict(extra="allow")

    schema_version: int = SCHEMA_VERSION
    """Read from the file; an older one is raised to :data:`SCHEMA_VERSION` on load (it has
    nothing this version lacks), a newer one is kept so the store knows not to write it."""
    id: str
    title: str = ""
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)
    messages: list[Message] = Field(default_factory=list)
    settings: ChatSettings = Field(default_factory=ChatSettings)
    chosen: dict[str, str] = Field(default_factory=dict)
    """The child shown at each fork: parent id (:data:`ROOT` for the chat's start) → child id.
    A fork not listed here (or naming a child that is gone) shows its newest child."""
    _merge_base: object = PrivateAttr(default=None)
    """What the store last read or wrote for this object (``store.merge.Base``), so a save
    knows which messages another writer added and which this side deleted."""

    @field_validator("schema_version")
    @classmethod
    def _upgrade(cls, version: int) -> int:
        return max(version, SCHEMA_VERSION)

    @property
    def total_cost_usd(self) -> float:
        return sum(
            m.usage.cost_usd for m in self.messages if m.usage and m.usage.cost_usd is not None
        )

    # -- branches ------------------------------------------------------------------------------

    def parent_keys(self) -> dict[str, str]:
        """Every message's :meth:`parent_key` at once (a walk over a long chat needs them
        all: one call each would walk the chat once per message)."""
        return self._parents()

    def parent_key(self, message: Message) -> str:
        """The id of the message ``message`` follows (:data:`ROOT` if it opens the chat)."""
        return self._parents()[message.id]

    def children(self, parent: str) -> list[Message]:
        """The messages that follow ``parent`` (a message id or :data:`ROOT`), oldest first."""
        parents = self._parents()
        return [m for m in self.messages if parents[m.id] == parent]

    def alternatives(self, message_id: str) -> list[Message]:
        """``message_id`` and its siblings (other answers to its question, other versions of
        a question), oldest first; just the message itself when it has none. Earlier tries
        without an answer (:attr:`Message.retired`) are left out, but for the message itself."""
        message = self.message(message_id)
        siblings = self.children(self.parent_key(message))
        return [m for m in siblings if m is message or is_alternative(m, message)]

    def compared_with(self, message_id: str) -> list[Message]:
        """The answers asked side by side with ``message_id`` (itself included, oldest first);
        just the message when it was not part of a comparison."""
        message = self.message(message_id)
        if message.comparison is None:
            return [message]
        return [m for m in self.alternatives(message_id) if m.comparison == message.comparison]

    def places(self) -> dict[str, tuple[int, int]]:
        """For every message that has alternatives: its number among them and their count
        (earlier tries without an answer, :attr:`Message.retired`, are not counted)."""
        roles = {m.id: m.role for m in self.messages if not m.retired}
        forks: dict[tuple[str, Role], list[str]] = {}
        for message_id, parent in self._parents().items():
            if message_id in roles:
                forks.setdefault((parent, roles[message_id]), []).append(message_id)
        return {
            child: (number, len(children))
            for children in forks.values()
            if len(children) > 1
            for number, child in enumerate(children, 1)
        }

    def active_path(self) -> list[Message]:
        """The conversation shown: from the start, the chosen child at every fork."""
        return self.path_from(ROOT)

    def path_from(self, parent: str) -> list[Message]:
        """The chosen line after ``parent`` (a message id or :data:`ROOT`), down to its end."""
        kids: dict[str, list[Message]] = {}
        parents = self._parents()
        for message in self.messages:
            kids.setdefault(parents[message.id], []).append(message)
        path: list[Message] = []
        seen: set[str] = set()
        while (options := kids.get(parent)) and parent not in seen:
            seen.add(parent)
            child = self._pick(parent, options)
            path.append(child)
            parent = child.id
        return path

    def questions_after(self, message_id: str) -> int:
        """How many questions the chosen line holds after ``message_id`` (asking its question
        again, they stay with it: the new answer starts a line of its own)."""
        return sum(m.role == "user" for m in self.path_from(message_id))

    def chosen_ids(self) -> set[str]:
        """The ids of the children shown at every fork (the answer an export marks "chosen"),
        on any line of the chat, worked out at once."""
        kids: dict[str, list[Message]] = {}
        parents = self._parents()
        for message in self.messages:
            kids.setdefault(parents[message.id], []).append(message)
        picked = ((self._pick(p, options), options) for p, options in kids.items())
        return {m.id for m, options in picked if sum(o.role == m.role for o in options) > 1}

    def _pick(self, parent: str, options: list[Message]) -> Message:
        """The child of ``parent`` shown: the one chosen, else the latest not set aside."""
        wanted = self.chosen.get(parent)
        return next((m for m in options if m.id == wanted), None) or next(
            (m for m in reversed(options) if not m.retired), options[-1]
        )

    def path_to(self, message_id: str) -> list[Message]:
        """The messages from the start down to ``message_id`` (included)."""
        by_id = {m.id: m for m in self.messages}
        parents = self._parents()
        path: list[Message] = []
        current: str = message_id
        while current != ROOT and current in by_id and len(path) <= len(by_id):
            path.append(by_id[current])
            current = parents[current]
        return path[::-1]

    def choose(self, message_id: str) -> None:
        """Show ``message_id`` at its fork, and every message before it at theirs."""
        parents = self._parents()  # once: per message, a long chat took seconds per add
        for message in self.path_to(message_id):
            self.chosen[parents[message.id]] = message.id

    def add(self, message: Message, after: str | None = None, *, choose: bool = True) -> Message:
        """Append ``message`` after ``after`` (a message id, :data:`ROOT`; default:
        :meth:`next_place` for it) and, unless ``choose`` is false, show it there. Returns it."""
        message.parent_id = self.next_place(message.role) if after is None else after
        self.messages.append(message)
        if message.comparison is not None and message.column is not None:
            self._in_columns(message.comparison)
        if choose:
            self.choose(message.id)
        return message

    def next_place(self, role: Role) -> str:
        """The id of the message a new ``role`` message follows (:data:`ROOT`: none): the end
        of the active path. A question never follows a question without an answer (another
        process still waits for it, or it never came): its request leaves that one out, so it
        goes beside it, after the answer both follow (an alternative there)."""
        path = self.active_path()
        if role == "user":
            while path and path[-1].role == "user":
                path.pop()
        return path[-1].id if path else ROOT

    def _in_columns(self, comparison: str) -> None:
        """Put the answers of ``comparison`` (in the order they joined the chat) in the order
        of their columns, in the places they hold: what numbers them ("1/3") and reopens them
        as columns, here and in the exports (QA: a background run's answer, in the chat from
        its start, came back as the first column and "1/3")."""
        slots = [n for n, m in enumerate(self.messages) if m.comparison == comparison]
        answers = [self.messages[n] for n in slots]
        # (one kept before columns were: where it stands)
        columns = [n if m.column is None else m.column for n, m in enumerate(answers)]
        ordered = [answers[n] for n in sorted(range(len(answers)), key=columns.__getitem__)]
        for slot, answer in zip(slots, ordered, strict=True):
            self.messages[slot] = answer

    def message(self, message_id: str) -> Message:
        """The message with ``message_id``; :class:`KeyError` if there is none."""
        for message in self.messages:
            if message.id == message_id:
                return message
        raise KeyError(message_id)

    def _parents(self) -> dict[str, str]:
        """Every message's parent key. A ``parent_id`` that names no message here (its parent
        was deleted by another writer) is read like a missing one: the message before it."""
        ids = {m.id for m in self.messages}
        parents: dict[str, str] = {}
        previous = ROOT
        for message in self.messages:
            parent = message.parent_id
            if parent is None or (parent != ROOT and parent not in ids) or parent == message.id:
                parent = previous
            parents[message.id] = parent
            previous = message.id
        return parents


def is_alternative(sibling: Message, message: Message) -> bool:
    """Whether ``sibling`` is an alternative of ``message``: not set aside, and of its role
    (versions before 80c4807 saved a question asked while another waited beside its answer,
    under that question: it is no other answer to it)."""
    return sibling.role == message.role and not sibling.retired


def reading_order(chosen: Message, siblings: list[Message]) -> list[Message]:
    """The order the answers to one question are read in (the exports): ``chosen`` first,
    then the others as numbered, the answers of one comparison together (answer 4 chosen,
    compared with answer 3: 4, 3, 1, 2, 5), so the line saying they were compared heads them."""
    order = [chosen, *(m for m in siblings if m is not chosen)]
    listed: list[Message] = []
    for answer in order:
        if any(answer is m for m in listed):
            continue
        listed.append(answer)
        if answer.comparison:
            listed += [m for m in order if m is not answer and m.comparison == answer.comparison]
    return listed
