"""A loopback Agent API that runs background questions: queued, in progress, then an outcome.

``AgentRunServer`` answers ``POST /v1/agent`` with ``"background": true`` like Perplexity does
(a queued response object with an id), then each ``GET /v1/agent/{id}`` reports the run:
``in_progress`` (with the searches so far) for ``polls`` polls, or until :meth:`finish` when
the script ``hold``\\s it, and then the scripted outcome: ``completed`` (several search batches
with continuing ids, a fetched page, the message, usage with cost), ``failed``,
``incomplete``, or ``lost`` (the server forgets the run: 404 from then on).
``POST /v1/agent/{id}/cancel`` answers ``cancelling`` (no usage: PROTOCOL.md) and the next poll
says ``cancelled``, with the usage the script gives it.
With :attr:`AgentRunServer.portal` set, it cannot be reached: a login page answers everything.
A streamed question (no ``background``) gets a short Agent API SSE answer.

The shapes follow public captures of the Agent API (2026-10); the content is our own.
Run ``python -m tests.support.agent_runs`` to serve it for trying the app by hand.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from dataclasses import dataclass, field
from typing import Any, Literal

from tests.support.loopback import LoopbackServer, RecordedRequest, Reply, json_reply, sse

Outcome = Literal["completed", "failed", "incomplete", "lost"]
LOGIN_PAGE = b"<html><body><h1>Sign in to Station Wi-Fi</h1></body></html>"
KEY = "pplx-runs0123456789abcdefghijklmnop"

FIRST_BATCH = {
    "queries": ["tardigrade cryptobiosis survival limits"],
    "results": [
        {
            "id": 1,
            "title": "Tardigrades in space — ESA",
            "url": "https://www.esa.int/tardigrades",
            "date": "2008-09-09",
            "last_updated": "2026-10-01",
            "snippet": "Tardigrades survived ten days of open space in the FOTON-M3 mission.",
            "source": "web",
        },
        {
            "id": 2,
            "title": "Cryptobiosis",
            "url": "https://en.wikipedia.org/wiki/Cryptobiosis",
            "snippet": "Cryptobiosis is a metabolic state of life entered in response to adverse "
            "conditions.",
            "source": "web",
        },
    ],
    "type": "search_results",
}
SECOND_BATCH = {
    "queries": ["tardigrade radiation tolerance Dsup protein"],
    "results": [
        {
            "id": 3,
            "title": "Dsup protects DNA from X-rays",
            "url": "https://www.nature.com/articles/ncomms12808",
            "date": "2016-09-20",
            "snippet": "A tardigrade-unique protein suppresses X-ray-induced DNA damage.",
            "source": "web",
        },
    ],
    "type": "search_results",
}
FETCHED = {
    "contents": [
        {
            "title": "Cryptobiosis (full page)",
            "url": "https://en.wikipedia.org/wiki/Cryptobiosis",
            "snippet": "# Cryptobiosis\nAnhydrobiosis, cryobiosis, osmobiosis, anoxybiosis.",
        },
        {
            "title": "Tardigrade survival review",
            "url": "https://journals.example.org/tardigrade-review",
            "snippet": "# Review\nLimits of tardigrade tolerance, measured.",
        },
    ],
    "type": "fetch_url_results",
}
ANSWER = (
    "Tardigrades survive open space for days in cryptobiosis [web:1][web:2], and the Dsup "
    "protein shields their DNA from radiation [web:3]."
)
USAGE = {
    "input_tokens": 5120,
    "output_tokens": 640,
    "total_tokens": 5760,
    "cost": {
        "currency": "USD",
        "input_cost": 0.0051,
        "output_cost": 0.0096,
        "tool_calls_cost": 0.0134,
        "tool_calls_cost_details": {"search_web": 0.01, "fetch_url": 0.0034},
        "total_cost": 0.0281,
    },
}


@dataclass
class RunScript:
    """What one background run does."""

    outcome: Outcome = "completed"
    polls: int = 2
    """``in_progress`` polls before the outcome (after one ``queued`` poll)."""
    hold: bool = False
    """Stay ``in_progress`` until :meth:`AgentRunServer.finish` (ignores ``polls``)."""
    answer: str = ANSWER
    usage: dict[str, Any] | None = field(default_factory=lambda: json.loads(json.dumps(USAGE)))
    cancel_refused: bool = False
    """``POST …/cancel`` answers 403 (a key without the right) and the run goes on."""
    partial: str | None = None
    """Text of a message item the ``in_progress`` polls carry (a draft the final text replaces:
    each poll is the run as it stands, not an addition); a failed or cancelled run keeps it."""
    cancelled_usage: dict[str, Any] | None = None
    """The usage the run object reports once cancelled (the cancel's own reply has none)."""
    searched: bool = True
    """The run found sources before it was cancelled (one cancelled while queued has none)."""


@dataclass
class _Run:
    id: str
    body: dict[str, Any]
    script: RunScript
    polls: int = 0
    cancelled: bool = False
    released: bool = False


def response_object(run_id: str, status: str, output: list[Any], **extra: Any) -> dict[str, Any]:
    """A response object as the Agent API returns it (most fields as in the captures)."""
    return {
        "background": True,
        "completed_at": None,
        "created_at": 1791572965,
        "error": None,
        "id": run_id,
        "incomplete_details": None,
        "instructions": None,
        "max_output_tokens": None,
        "metadata": {},
        "model": "high",
        "object": "response",
        "output": output,
        "parallel_tool_calls": True,
        "previous_response_id": None,
        "status": status,
        "store": True,
        "tools": [{"type": "web_search"}, {"type": "fetch_url"}],
        "usage": None,
        **extra,
    }


def message_item(text: str) -> dict[str, Any]:
    return {
        "content": [{"annotations": [], "text": text, "type": "output_text"}],
        "id": "msg_7d1c0e52-4b55-4a43-9b4e-5f0e2b9c0a11",
        "role": "assistant",
        "status": "completed",
        "type": "message",
    }


def completed_response(run_id: str, answer: str = ANSWER, usage: Any = None) -> dict[str, Any]:
    """A finished run: two search batches (ids 1-2, then 3), a fetched page, the message."""
    output = [FIRST_BATCH, SECOND_BATCH, FETCHED, message_item(answer)]
    return response_object(
        run_id,
        "completed",
        output,
        completed_at=1791573275,
        usage=USAGE if usage is None else usage,
    )


def streamed_answer(text: str = "A quick answer [1].") -> list[bytes]:
    """A short streamed Agent API answer (for questions asked without ``background``):
    progress, a source, the text in two deltas, the end."""
    half = len(text) // 2
    return sse(
        {"type": "response.created", "sequence_number": 0, "response": {"status": "in_progress"}},
        {
            "type": "response.reasoning.search_queries",
            "queries": ["quick question"],
            "thought": "Searching the web...",
            "sequence_number": 1,
        },
        {
            "type": "response.reasoning.search_results",
            "results": [FIRST_BATCH["results"][0] | {"id": 1}],
            "sequence_number": 2,
        },
        {"type": "response.output_text.delta", "delta": text[:half], "sequence_number": 3},
        {"type": "response.output_text.delta", "delta": text[half:], "sequence_number": 4},
        {
            "type": "response.completed",
            "sequence_number": 5,
            "response": {
                "status": "completed",
                "usage": {"input_tokens": 20, "output_tokens": 8, "total_tokens": 28},
            },
        },
    )


class AgentRunServer:
    """The loopback Agent API with background runs (see the module docstring)."""

    def __init__(self) -> None:
        self.http = LoopbackServer()
        self.http.default = self._reply
        self.runs: dict[str, _Run] = {}
        self.scripts: list[RunScript] = []
        """Scripts for the next runs, in order; then :attr:`default_script`."""
        self.default_script = RunScript()
        self.gates: list[threading.Event | None] = []
        """For the next streamed questions, in order: a gate holds the answer after its first
        half until it is set (``None``: no hold)."""
        self.portal = False
        """While set, every request gets a Wi-Fi login page (200, HTML, not JSON) instead: the
        server cannot be reached (the runs go on meanwhile, but are not polled)."""
        self.unavailable = False
        """While set, every request gets 503 (a server up but overloaded): the runs go on."""
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)

    # -- control ----------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return self.http.base_url

    @property
    def requests(self) -> list[RecordedRequest]:
        return self.http.requests

    def start(self) -> AgentRunServer:
        self.http.start()
        return self

    def stop(self) -> None:
        self.http.stop()

    def finish(self, run_id: str | None = None) -> None:
        """Let a held run (the only one, when ``run_id`` is not given) reach its outcome."""
        with self._lock:
            runs = [self.runs[run_id]] if run_id else list(self.runs.values())
            for run in runs:
                run.released = True

    def polls(self, run_id: str) -> int:
        with self._lock:
            return self.runs[run_id].polls

    def wait_for_polls(self, count: int, run_id: str | None = None, timeout: float = 10) -> None:
        """Block until the run (or any run) was polled ``count`` times."""

        def enough() -> bool:
            runs = [self.runs[run_id]] if run_id in self.runs else list(self.runs.values())
            return any(run.polls >= count for run in runs)

        with self._changed:
            if not self._changed.wait_for(enough, timeout):
                raise TimeoutError(f"no run was polled {count} times")

    # -- serving ----------------------------------------------------------------------------

    def _reply(self, request: RecordedRequest) -> Reply:
        path = request.path.split("?", 1)[0].rstrip("/")
        match = re.fullmatch(r"/v1/agent/([^/]+)(/cancel)?", path)
        with self._changed:
            try:
                if self.portal:
                    return Reply(200, [LOGIN_PAGE], {"Content-Type": "text/html"})
                if self.unavailable:
                    return json_reply(
                        503, {"error": {"message": "overloaded", "type": "unavailable"}}
                    )
                if request.method == "POST" and path == "/v1/agent":
                    return self._submit(request)
                if match and request.method == "GET" and not match.group(2):
                    return self._poll(match.group(1))
                if match and request.method == "POST" and match.group(2):
                    return self._cancel(match.group(1))
                return json_reply(404, {"error": {"message": "no such route", "code": 404}})
            finally:
                self._changed.notify_all()

    def _submit(self, request: RecordedRequest) -> Reply:
        body = request.json or {}
        if not body.get("background"):
            gate = self.gates.pop(0) if self.gates else None
            return Reply(chunks=_held(streamed_answer(), gate))
        run_id = f"resp_{next(self._ids):08d}-5e0d-4c1f-9a43-7b2f0c6d1e{len(self.runs):02d}"
        script = self.scripts.pop(0) if self.scripts else self.default_script
        self.runs[run_id] = _Run(run_id, body, script)
        return json_reply(200, response_object(run_id, "queued", []))

    def _poll(self, run_id: str) -> Reply:
        run = self.runs.get(run_id)
        if run is not None:
            run.polls += 1
        if run is None or (run.script.outcome == "lost" and self._due(run)):
            return json_reply(
                404, {"error": {"message": "resource not found", "type": "not_found", "code": 404}}
            )
        if run.cancelled:
            return json_reply(
                200,
                response_object(
                    run_id,
                    "cancelled",
                    _with_draft([FIRST_BATCH] if run.script.searched else [], run.script),
                    error={"code": "cancelled", "message": "cancelled", "type": "cancelled"},
                    incomplete_details={"reason": "cancelled"},
                    usage=run.script.cancelled_usage,
                ),
            )
        if run.polls == 1:
            return json_reply(200, response_object(run_id, "queued", []))
        script = run.script
        if not self._due(run):
            output = [FIRST_BATCH] if run.polls == 2 else [FIRST_BATCH, SECOND_BATCH]
            output = _with_draft(output, script)
            return json_reply(200, response_object(run_id, "in_progress", output))
        if script.outcome == "completed":
            return json_reply(200, completed_response(run_id, script.answer, script.usage))
        if script.outcome == "incomplete":
            return json_reply(
                200,
                response_object(
                    run_id,
                    "incomplete",
                    [FIRST_BATCH, message_item(script.answer[:40])],
                    incomplete_details={"reason": "max_output_tokens"},
                    usage=script.usage,
                ),
            )
        return json_reply(
            200,
            response_object(
                run_id,
                "failed",
                _with_draft([FIRST_BATCH], script),
                error={"code": "server_error", "message": "the research agent crashed"},
            ),
        )

    def _due(self, run: _Run) -> bool:
        """Whether the poll being answered reaches the outcome (after one queued poll and
        ``polls`` in-progress ones)."""
        if run.script.hold:
            return run.released and run.polls > 1
        return run.polls >= 2 + run.script.polls

    def _cancel(self, run_id: str) -> Reply:
        run = self.runs.get(run_id)
        if run is None:
            return json_reply(
                404, {"error": {"message": "resource not found", "type": "not_found", "code": 404}}
            )
        if run.script.cancel_refused:
            return json_reply(403, {"error": {"message": "Not allowed", "code": 403}})
        if run.polls and self._due(run):
            return json_reply(
                400,
                {
                    "error": {
                        "message": "the run is already terminal and cannot be cancelled",
                        "type": "invalid_request",
                        "code": 400,
                    }
                },
            )
        run.cancelled = True
        return json_reply(200, {"response_id": run_id, "status": "cancelling"})


def _with_draft(output: list[Any], script: RunScript) -> list[Any]:
    """``output`` and, when the script has one, the message item of its draft."""
    return output if script.partial is None else [*output, message_item(script.partial)]


def _held(chunks: list[bytes], gate: threading.Event | None) -> Any:
    """``chunks``, pausing after the first four (the text's first half) until ``gate`` is set.

    The loopback server writes a reply's chunks one by one, so a generator holds the answer
    mid-stream with the connection open, as a long silent deep-research stream does.
    """
    if gate is None:
        return chunks

    def chunks_held() -> Any:
        yield from chunks[:4]
        gate.wait(30)
        yield from chunks[4:]

    return chunks_held()


if __name__ == "__main__":  # pragma: no cover - a manual tool
    import argparse
    import time

    parser = argparse.ArgumentParser(
        description="A fake Agent API for background runs, on a free loopback port "
        "(prints its base URL: give it to [providers.perplexity] base_url)."
    )
    parser.add_argument("polls", nargs="?", type=int, default=20, help="polls before a run ends")
    parser.add_argument("--hold", action="store_true", help="runs never end (until cancelled)")
    options = parser.parse_args()
    server = AgentRunServer()
    server.default_script = RunScript(hold=True) if options.hold else RunScript(polls=options.polls)
    server.start()
    print(server.base_url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()
