"""`pplx ask` to a pipe or a file: an answer cut inside a fenced code block (QA: the fence was
never closed, so a Markdown viewer showed pplx's "Sources:" list as code, and nothing on stdout
said the answer was cut; `pplx chats export` of the same chat closed it and marked the cut)."""

from __future__ import annotations

from tests.support.cli import answer_frames, pplx, saved_id
from tests.support.loopback import LoopbackServer, Reply

CODE = ["Run this [1]:\n\n", "```python\nprint('two moons')\n", "for moon in moons:\n"]


def test_an_answer_cut_in_code_closes_the_fence_and_marks_the_cut_as_the_export_does(
    loopback: LoopbackServer,
) -> None:
    loopback.queue(Reply(chunks=answer_frames(CODE, finished=False)))

    result = pplx("ask", "--save", "q", server=loopback)

    assert result.returncode == 5
    code, _, rest = result.stdout.partition("for moon in moons:\n")
    assert code == "".join(CODE[:2])
    note, _, sources = rest.removeprefix("```\n\n").partition("\n\nSources:\n[1] ")
    assert note.startswith("*(The answer broke off here: The connection"), rest
    assert sources.count("\n[") == 1  # the two sources, after the note
    exported = pplx("chats", "export", saved_id(result.stderr), "--format", "md").stdout
    assert f"for moon in moons:\n```\n\n{note}\n" in exported


def test_a_finished_answer_that_leaves_a_fence_open_has_it_closed_before_its_sources(
    loopback: LoopbackServer,
) -> None:
    loopback.queue(Reply(chunks=answer_frames(CODE)))

    result = pplx("ask", "q", server=loopback)

    assert result.returncode == 0
    assert result.stdout.startswith("".join(CODE) + "```\n\nSources:\n[1] ")


def test_an_answer_cut_outside_code_is_marked_with_no_fence_added(
    loopback: LoopbackServer,
) -> None:
    loopback.queue(Reply(chunks=answer_frames(["Mars has ", "two moons [1]"], finished=False)))

    result = pplx("ask", "q", server=loopback)

    assert result.returncode == 5
    assert result.stdout.startswith("Mars has two moons [1]\n\n*(The answer broke off here: ")
    assert "```" not in result.stdout
