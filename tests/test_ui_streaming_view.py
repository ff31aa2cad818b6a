"""A streaming answer in the real app: the view grows smoothly, its last line at the bottom
(issue 9 bug 10: at 50 deltas/s the last line bounced between rows and frames showed the
answer followed by a dozen blank rows)."""

from __future__ import annotations

from tests.support.cli import answer_frames
from tests.support.loopback import LoopbackServer, Reply
from tests.support.tui import loopback_app, screen_lines, send, until, workspace


def long_answer() -> list[str]:
    """Five paragraphs of 45 words, a delta a word: more than the view holds."""
    parts: list[str] = []
    for paragraph in range(5):
        parts.append("\n\n")
        parts += [f"w{paragraph}x{word} " for word in range(45)]
    return parts


def blank_rows_at_the_bottom(lines: list[str], top: int, bottom: int, left: int, right: int) -> int:
    rows = [line[left:right].strip(" ▊▎│") for line in lines[top:bottom]]
    blank = 0
    for row in reversed(rows):
        if row:
            break
        blank += 1
    return blank


async def test_a_fast_answer_grows_at_the_bottom_without_blank_rows(
    loopback: LoopbackServer,
) -> None:
    parts = long_answer()
    loopback.queue(Reply(chunks=answer_frames(parts), delay=0.02))  # 50 deltas a second
    app = loopback_app(loopback)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = workspace(app)
        await send(pilot, "Tell me everything")
        conversation = screen.conversation
        await until(pilot, lambda: conversation.max_scroll_y > 0, timeout=30)
        worst, frames, watched_early = 0, 0, False
        while screen.pending is not None and frames < 400:
            await pilot.pause(0.03)
            region = conversation.region
            lines = screen_lines(app)
            blank = blank_rows_at_the_bottom(lines, region.y, region.bottom, region.x, region.right)
            if frames == 0:  # the last paragraph not begun yet
                watched_early = not any("w4x" in line for line in lines)
            worst, frames = max(worst, blank), frames + 1
        # The stream was watched, not just its end (a loaded machine takes fewer frames).
        assert watched_early and frames >= 5, (watched_early, frames)
        assert worst <= 1, f"{worst} blank rows under the streaming text"
