"""Background questions the loopback Agent API takes (the run exists) but answers only later.

``HeldStarts(agent)`` makes every ``POST /v1/agent`` with ``background`` start its run at once
and hold the reply (headers sent, no body) until :meth:`HeldStarts.release`: the moment a
client has sent the question and the provider has started the run, but has not said so yet.
Any other request it is told to hold (``…/cancel``) is taken but acted on only at release: the
run goes on meanwhile (its polls do not say ``cancelled`` before the cancel is answered).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from tests.support.agent_runs import AgentRunServer
from tests.support.loopback import RecordedRequest, Reply


def _is_start(request: RecordedRequest) -> bool:
    return request.method == "POST" and request.path == "/v1/agent"


class HeldStarts:
    """The held replies of ``agent``'s background questions (see the module docstring); with
    ``holds``, of the requests it picks instead (``…/cancel``: a cancel taken, not confirmed)."""

    def __init__(
        self, agent: AgentRunServer, holds: Callable[[RecordedRequest], bool] = _is_start
    ) -> None:
        self.replies: list[Reply] = []
        self.arrived = threading.Event()
        """Set once a question was taken and its reply is held."""
        serve = agent.http.default
        assert serve is not None

        self._released = threading.Event()

        def held(request: RecordedRequest) -> Reply:
            if holds(request) and not _is_start(request):
                self.arrived.set()
                self._released.wait(timeout=30)  # (this request's own server thread waits)
                self.replies.append(serve(request))
                return self.replies[-1]
            reply = serve(request)
            if holds(request):
                reply.hang_after = 0
                self.replies.append(reply)
                self.arrived.set()
            return reply

        agent.http.default = held

    def release(self) -> None:
        """Let every held reply go on (say the run was started, or cancelled)."""
        self._released.set()
        for reply in self.replies:
            reply.resume()
