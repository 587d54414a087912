"""The whiteboard's speed (issue 25): a board of 2,000 shapes in two headless Chromium pages.

``.venv/bin/python bench/whiteboard.py`` starts Collab (one web process on a fresh SQLite
database, as bench/run.py does), seeds a whiteboard with ``--shapes`` varied shapes as one Yjs
update (bench/whiteboard_seed.py), signs two people in through the sign-in form in two browser
contexts of Debian's Chromium (Playwright, as the browser tests do) and opens the board in both.
Then, timed inside the page (bench/whiteboard_probe.js):

- pan and zoom: page A pans and zooms for ``--seconds`` from a requestAnimationFrame loop (a
  zoom and a pan wheel event a frame); frame time is the delta between rAF timestamps, the
  board's own work the synchronous time of its wheel handlers;
- remote move: page B drags a rectangle ``--moves`` pointer-move steps, one at a time (Alt
  held, so no step is held back by snapping), each waited for on A; A times each step from the
  arrival of its Yjs update on A's socket to the end of the frame that shows the rectangle at
  its new place.

Results are printed and appended to bench/RESULTS.md (``--no-record``: printed only). The issue
names no peer for this benchmark: Collab only.
"""

from __future__ import annotations

import argparse
import json
import shlex
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import harness

RESULTS = harness.BENCH / "RESULTS.md"
PROBE = harness.BENCH / "whiteboard_probe.js"
CHROMIUM = "/usr/bin/chromium"
FRAME_MS = 1000 / 60
# A frame counts as missed when its delta exceeds one 60 Hz frame; 1 ms allows for the jitter
# of rAF timestamps between frames that were on time.
MISSED_MS = FRAME_MS + 1
TIMEOUT_MS = 60_000


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def sign_in(browser: Any, url: str, username: str, password: str) -> Any:
    context = browser.new_context(base_url=url, viewport={"width": 1400, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(path=str(PROBE))
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Your rooms").wait_for()
    return page


def open_board(page: Any, seed: dict[str, Any]) -> None:
    """Opens the board and waits until it is synced and shows the shape B will drag."""
    page.goto(f"/rooms/{seed['room']}/documents/{seed['board']}/")
    page.locator(f'.board-canvas [data-shape-id="{seed["moved"]}"]').wait_for()
    page.locator("[data-testid=sync-status][data-status=saved]").wait_for()


# Chromium's own counters (DevTools protocol, Performance.getMetrics): seconds of main-thread
# work by kind, read before and after the pan and zoom.
BREAKDOWN = {
    "script": "ScriptDuration",
    "style": "RecalcStyleDuration",
    "layout": "LayoutDuration",
    "all tasks": "TaskDuration",
}


def pan_zoom(page: Any, seconds: float, still: bool = False) -> dict[str, Any]:
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")

    def metrics() -> dict[str, float]:
        return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}

    before = metrics()
    run = page.evaluate("([s, still]) => window.__boardBench.panZoom(s, still)", [seconds, still])
    after = metrics()
    frames, work = run["frames"], run["work"] or [0.0]
    per_frame = {
        kind: round(1000 * (after[name] - before[name]) / max(len(frames), 1), 2)
        for kind, name in BREAKDOWN.items()
    }
    return {
        "main_thread_ms_per_frame": per_frame,
        "frames": len(frames),
        "seconds": round(run["seconds"], 2),
        "fps": round(len(frames) / run["seconds"], 1),
        "frame_p50_ms": round(percentile(frames, 50), 2),
        "frame_p95_ms": round(percentile(frames, 95), 2),
        "frame_p99_ms": round(percentile(frames, 99), 2),
        "frame_max_ms": round(max(frames), 2),
        "missed_percent": round(100 * sum(f > MISSED_MS for f in frames) / len(frames), 1),
        "work_p50_ms": round(percentile(work, 50), 2),
        "work_p95_ms": round(percentile(work, 95), 2),
    }


def remote_moves(a: Any, b: Any, seed: dict[str, Any], moves: int) -> dict[str, Any]:
    # A's view back to the board's origin at zoom 1, where the dragged rectangle is.
    a.get_by_role("button", name="Reset zoom").click()
    moved = f'[data-shape-id="{seed["moved"]}"]'
    a.locator(moved).wait_for()
    a.evaluate("(id) => window.__boardBench.watchShape(id)", seed["moved"])
    box = b.locator(moved).bounding_box()
    x = seed["moved_box"][0]
    point = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    b.mouse.move(*point)
    b.mouse.down()
    # Alt held places the shape freely: snapped, it would stay put for several 3 px steps where
    # an edge or centre lines up with a neighbour's, and those steps would draw nothing on A.
    b.keyboard.down("Alt")
    # A first step past the drag threshold starts the drag; the timed steps follow.
    b.mouse.move(point[0] + 10, point[1])
    b.locator(f'{moved}[data-x="{round(x + 10)}"]').wait_for()
    a.wait_for_function("() => window.__boardBench.latencies.length >= 1")
    for step in range(1, moves + 1):
        b.mouse.move(point[0] + 10 + 3 * step, point[1])
        a.wait_for_function("(n) => window.__boardBench.latencies.length > n", arg=step)
        # The next step once A has drawn this one, so that each is timed alone.
        b.wait_for_timeout(50)
    b.mouse.up()
    b.keyboard.up("Alt")
    timed = a.evaluate("() => window.__boardBench.latencies")[1:]
    latencies = [entry["ms"] for entry in timed]
    next_frame = sum(entry["frames"] <= 1 for entry in timed)
    return {
        "moves": len(latencies),
        "p50_ms": round(percentile(latencies, 50), 2),
        "p95_ms": round(percentile(latencies, 95), 2),
        "max_ms": round(max(latencies), 2),
        "p50_frames": round(percentile(latencies, 50) / FRAME_MS, 2),
        "p95_frames": round(percentile(latencies, 95) / FRAME_MS, 2),
        "mean_ms": round(statistics.fmean(latencies), 2),
        "next_frame_percent": round(100 * next_frame / len(timed), 1),
        "frames_after_arrival_max": max(entry["frames"] for entry in timed),
    }


def run(options: argparse.Namespace) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    with harness.fresh_database("sqlite", "whiteboard", options.keep) as database:
        # The sign-in form's cookies are Secure in production settings; the pages are served
        # over plain http on 127.0.0.1, so the server runs with DEBUG on (it serves the built app).
        database.env["DEBUG"] = "1"
        out = database.data_dir / "seed.json"
        harness.python(
            ["-m", "bench.whiteboard_seed", "--shapes", str(options.shapes), "--out", str(out)],
            database.env,
            timeout=600,
        )
        seed = json.loads(out.read_text())
        with harness.web_process(database) as server, sync_playwright() as playwright:
            url = f"http://127.0.0.1:{server.port}"
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
            )
            try:
                a = sign_in(browser, url, seed["users"][0], seed["password"])
                b = sign_in(browser, url, seed["users"][1], seed["password"])
                opened = time.monotonic()
                open_board(a, seed)
                open_seconds = time.monotonic() - opened
                open_board(b, seed)
                load = harness.load_average()
                still = pan_zoom(a, options.seconds / 2, still=True)
                print(f"idle control: {json.dumps(still)}", file=sys.stderr, flush=True)
                panned = pan_zoom(a, options.seconds)
                print(f"pan and zoom: {json.dumps(panned)}", file=sys.stderr, flush=True)
                report = {
                    "shapes": options.shapes,
                    "update_bytes": seed["update_bytes"],
                    "open_seconds": round(open_seconds, 2),
                    "pan_zoom": panned,
                    "idle": still,
                    "remote_move": remote_moves(a, b, seed, options.moves),
                    "load_before": load,
                    "load_after": harness.load_average(),
                }
            finally:
                browser.close()
    return report


def markdown(report: dict[str, Any]) -> list[str]:
    pz, rm = report["pan_zoom"], report["remote_move"]
    return [
        f"Board: {report['shapes']:,} shapes in one Yjs update of "
        f"{report['update_bytes']:,} bytes; "
        f"page A opened it in {report['open_seconds']} s.",
        "",
        "| page A | frames | fps | frame p50 ms | p95 ms | p99 ms | max ms "
        "| frames over 16.7 ms | board's work per frame p50 / p95 ms |",
        "|---|---|---|---|---|---|---|---|---|",
        *(
            f"| {name}, {run['seconds']} s | {run['frames']} | {run['fps']} "
            f"| {run['frame_p50_ms']} | {run['frame_p95_ms']} | {run['frame_p99_ms']} "
            f"| {run['frame_max_ms']} | {run['missed_percent']} % "
            f"| {run['work_p50_ms']} / {run['work_p95_ms']} |"
            for name, run in [("idle (control)", report["idle"]), ("pan and zoom", pz)]
        ),
        "",
        "Page A's main thread per frame (Chromium's counters), ms: "
        + ", ".join(f"{kind} {ms}" for kind, ms in pz["main_thread_ms_per_frame"].items())
        + ".",
        "",
        "| remote move (B drags, A draws) | moves | p50 ms | p95 ms | max ms "
        "| p50 frames | p95 frames | shown by the first frame after arrival |",
        "|---|---|---|---|---|---|---|---|",
        f"| update's arrival on A to the end of the frame showing it | {rm['moves']} "
        f"| {rm['p50_ms']} | {rm['p95_ms']} | {rm['max_ms']} | {rm['p50_frames']} "
        f"| {rm['p95_frames']} | {rm['next_frame_percent']} % (at worst frame "
        f"{rm['frames_after_arrival_max']}) |",
    ]


def record(report: dict[str, Any], write: bool) -> None:
    m = harness.machine()
    lines = [
        f"### whiteboard on sqlite, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        f"`{shlex.join(['.venv/bin/python', *sys.argv])}` at commit {harness.git_commit()}; "
        f"{m['nproc']} CPUs ({m['cpu']}), {m['ram_gib']} GiB RAM; load average before "
        f"{report['load_before']}, after {report['load_after']}; headless Chromium "
        "(`/usr/bin/chromium --disable-gpu`), viewport 1400 by 900. Collab only (the issue names "
        "no peer).",
        "",
        *markdown(report),
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if write:
        with open(RESULTS, "a", encoding="utf-8") as results:
            results.write(text + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shapes", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=10.0, help="pan and zoom for this long")
    parser.add_argument("--moves", type=int, default=60, help="pointer-move steps page B makes")
    parser.add_argument("--no-record", action="store_true", help="do not append to RESULTS.md")
    parser.add_argument("--keep", action="store_true", help="keep the run's data folder")
    options = parser.parse_args()
    report = run(options)
    print(json.dumps(report), flush=True)
    record(report, write=not options.no_record)


if __name__ == "__main__":
    main()
