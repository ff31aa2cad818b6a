"""The figures a user feels, measured as a user sees them: a real terminal (tmux), a fake
server on loopback, this checkout's ``pplx``, next to a bare Textual app in the same run.

    python bench/bench_user.py [--quick] [--driver PATH] [--repeat N]

Drives ``tui_driver.py`` from the shared bench folder (``../shared/bench`` beside the
checkout, or ``--driver``): each scenario is fresh launches in a private tmux server at
160x48; figures are medians. CPU is CPU seconds of the whole process tree (from /proc), which
other work on the machine disturbs less than wall time. Asserts nothing; prints one table.

Rows: start-up to the first frame (and its ratio to the floor app), Enter → the request at
the server, the first token on screen after the server sent it, keystroke echo while a
2,000-delta answer streams at full speed and while a 3,000-delta one streams at 200 deltas/s,
render CPU (first token on screen → last word on screen) at 300, 2,000 and 5,000 deltas and
the marginal CPU per delta between them, peak memory after a 5,000-delta answer, and
``pplx ask`` launch → exit. ``--quick`` (CI, about a minute): one launch per scenario, a
400-delta paced answer, no 5,000-delta one. The first token and the echo are timed on the paced
answer: at full speed the first frame already holds hundreds of deltas.

The other figures of the speed table: ``bench_store.py`` (list and search over 2,000 chats,
``--quick``: 200) and ``bench_tui.py`` (opening a 500-message chat in the app).
"""

from __future__ import annotations

import argparse
import itertools
import json
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DRIVER = next(
    (
        path
        for path in (folder / "shared" / "bench" / "tui_driver.py" for folder in ROOT.parents)
        if path.exists()
    ),
    ROOT.parent / "shared" / "bench" / "tui_driver.py",
)
PPLX_ARGS = "--provider openrouter --base-url {base_url}/api/v1 --model perplexity/sonar"
FIRST_CHUNK = "Sources (5)"
"""On screen once the first chunk (with the fake server's five citations) is drawn."""
ENV = [
    "OPENROUTER_API_KEY=bench-key",
    "XDG_CONFIG_HOME={run_dir}/c",
    "XDG_DATA_HOME={run_dir}/d",
    "XDG_STATE_HOME={run_dir}/s",
    f"PYTHONPATH={ROOT}",
]


def drive(driver: Path, name: str, command: str, *options: str) -> dict[str, float]:
    """One scenario through the driver: the medians of its summary line (empty on failure)."""
    argv = [sys.executable, str(driver), "--name", name, "--cmd", command, *options]
    for pair in ENV:
        argv += ["--env", pair]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=900, check=False)
    except subprocess.TimeoutExpired:
        print(f"  ({name}: timed out)", file=sys.stderr)
        return {}
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    summary = next((line for line in lines if line.get("summary")), None)
    if summary is None or summary.get("errors"):
        errors = [line.get("error") for line in lines if line.get("error")]
        print(f"  ({name}: {errors[:1] or done.stderr[-300:]})", file=sys.stderr)
    if summary is None:
        return {}
    return {key: value["median"] for key, value in summary["stats"].items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs, shorter answers (CI)")
    parser.add_argument("--driver", type=Path, default=DEFAULT_DRIVER)
    parser.add_argument("--repeat", type=int, help="launches per scenario (default 5, quick 1)")
    args = parser.parse_args()
    if not args.driver.exists():
        print(f"bench_user: no tui_driver.py at {args.driver} (pass --driver); skipped")
        return
    if subprocess.run(["tmux", "-V"], capture_output=True, check=False).returncode != 0:
        print("bench_user: tmux is not installed; skipped")
        return
    repeat = args.repeat or (1 if args.quick else 5)
    runs = ["--repeat", str(repeat)]
    python = shlex.quote(sys.executable)
    pplx = f"{python} -m pplx_tui {PPLX_ARGS}"
    ready = ["--ready", "perplexity/sonar"]
    floor_app = args.driver.parent / "floor_app.py"
    rows: list[tuple[str, str]] = []

    def stream(tokens: int, rate: float, start: str, *extra: str) -> dict[str, float]:
        return drive(
            args.driver,
            f"pplx-{tokens}",
            pplx,
            *ready,
            "--tokens",
            str(tokens),
            "--rate",
            str(rate),
            "--echo-probe",
            "q",
            "--echo-probes",
            "5",
            "--start-marker",
            start,
            "--warmup",
            "0",
            "--idle-after-ready",
            "0",
            "--idle-measure",
            "0",
            "--settle-max",
            "3",
            *extra,
        )

    idle = ["--no-stream", "--idle-after-ready", "0", "--idle-measure", "0"]
    floor = drive(
        args.driver, "floor", f"{python} {floor_app}", "--ready", "FLOOR READY", *idle, *runs
    )
    start = drive(args.driver, "pplx", pplx, *ready, *idle, *runs)
    if floor.get("startup_s") and start.get("startup_s"):
        ratio = start["startup_s"] / floor["startup_s"]
        rows.append(
            (
                "start-up to first frame (floor: bare Textual app, same run)",
                f"{start['startup_s']:.2f} s = {ratio:.2f}x (floor {floor['startup_s']:.2f} s,"
                f" CPU {start.get('cpu_startup_s', 0):.2f} vs"
                f" {floor.get('cpu_startup_s', 0):.2f} s)",
            )
        )
    # The first token: a paced answer's first word (ZZSTART) shows alone. At full speed the
    # first frame already holds hundreds of deltas and that word has scrolled away, so there
    # the sources panel's count (the first chunk carries the citations) marks the first token.
    paced_n = 400 if args.quick else 3000
    paced = stream(paced_n, 200, "ZZSTART", *runs)
    if "server_request_after_submit_s" in paced:
        took = paced["server_request_after_submit_s"]
        rows.append(("Enter → request reaches the server (first question)", f"{took:.3f} s"))
    if "first_token_visible_s" in paced and "server_request_after_submit_s" in paced:
        arrived = paced["first_token_visible_s"] - paced["server_request_after_submit_s"]
        rows.append(("first token on screen after it arrives", f"{arrived:.3f} s"))
        # The request leaves before the answer's view is built, so the view's mounting now
        # falls after the request: Enter -> first token is what a user waits in all.
        took = paced["first_token_visible_s"]
        rows.append(("Enter → first token on screen", f"{took:.3f} s"))
    if "echo_ms_median" in paced:
        rows.append(
            (
                f"keystroke echo, {paced_n:,} deltas at 200/s (median / max)",
                f"{paced['echo_ms_median']:.0f} / {paced['echo_ms_max']:.0f} ms",
            )
        )
    sizes = (300, 2000) if args.quick else (300, 2000, 5000)
    streams = {
        n: stream(n, 0, FIRST_CHUNK, "--repeat", str(max(1, repeat // 2 if n == 5000 else repeat)))
        for n in sizes
    }
    long = streams[2000]
    if "echo_ms_median" in long:
        rows.append(
            (
                "keystroke echo, 2,000 deltas at full speed (median / max)",
                f"{long['echo_ms_median']:.0f} / {long['echo_ms_max']:.0f} ms",
            )
        )
    # CPU from the first token on screen to the last word; where it was never seen on
    # screen, from Enter instead (marked *).
    cpu = {
        n: (f["cpu_render_s"], "") if "cpu_render_s" in f else (f.get("cpu_stream_s"), "*")
        for n, f in streams.items()
    }
    for n in sizes:
        if cpu[n][0] is not None:
            rows.append((f"render CPU, {n:,}-delta answer", f"{cpu[n][0]:.2f} s{cpu[n][1]}"))
    for low, high in itertools.pairwise(sizes):
        if cpu[low][0] is not None and cpu[high][0] is not None:
            key = "cpu_stream_s"  # the same span for both sizes; fixed costs cancel
            per = (streams[high][key] - streams[low][key]) / (high - low) * 1000
            rows.append((f"marginal CPU per delta, {low:,}→{high:,}", f"{per:.2f} ms"))
    if 5000 in streams and "peak_rss_mb" in streams[5000]:
        rows.append(
            ("peak memory after a 5,000-delta answer", f"{streams[5000]['peak_rss_mb']:.0f} MB")
        )
    ask = drive(
        args.driver,
        "pplx-ask",
        f"{pplx} ask {{prompt_q}}",
        "--mode",
        "oneshot",
        "--tokens",
        "20",
        *runs,
    )
    if "wall_exec_to_exit_s" in ask:
        rows.append(
            (
                "pplx ask launch → exit, short answer (wall / CPU)",
                f"{ask['wall_exec_to_exit_s']:.2f} s / {ask.get('cpu_total_s', 0):.2f} s",
            )
        )
    print(f"\nAs a user sees it ({repeat} launches per row, medians; tmux 160x48, loopback):")
    width = max(len(label) for label, _ in rows) if rows else 0
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")
    if any(mark for _, mark in cpu.values()):
        print("  * from Enter: the first token was never seen on screen")


if __name__ == "__main__":
    main()
