"""Artist report: size and render time per artist, against the goals, against the code as it
was before the pages got lighter and faster (rendered in the same run), and against nbconvert's
lab export.

Builds the test world (demo artists with streaming, social, audio and drafts; see
``tests/reports/world.py``) once, then renders each demo artist's report twice and measures:

- cold: the artist's first render, with the report cache emptied first, so the kernel imports
  scikit-learn and computes the "sounds like" map;
- warm: a re-render of the same artist (another period or language in practice): a new kernel
  again, the map read from the report cache, compiled bytecode reused.

And:

- size of the page against the 6 MB goal and against nbconvert's default ``lab`` export of the
  same executed notebook (the baseline: code shown, require.js and MathJax from a CDN, and the
  plotly figures left to a JupyterLab renderer, so it shows no plot offline);
- warm render time (papermill execution + our assembly) against the 15 s goal, and the lab
  export's own time for the assembly step alone;
- both against the baseline: commit ``BASELINE`` (full 4.8 MB plotly.js, notebook saved after
  every cell, kernel shut down gracefully, scikit-learn imported for any catalog) checked out
  into a temporary git worktree and rendering the same world's artists in a subprocess, in
  this same run, so that both sides see the same machine and the same load.

    uv run python benchmarks/report_render.py [--world DIR] [--runs 2] [--no-baseline]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_BYTES = 2_000_000
GOAL_SECONDS = 15.0
BASELINE = "7c16215"
"""The commit before the basic plotly.js bundle and the render speed-ups."""
ROOT = Path(__file__).resolve().parent.parent
BASELINE_SCRIPT = """
import json, os, shutil, statistics, sys, time
from pathlib import Path
from analytics import demo
from analytics.config import Settings
from analytics.reports import Period
from flows.reporting import render_artist_report
from tests.reports.world import PERIOD, RUN_ID
root, runs = Path(sys.argv[1]), int(sys.argv[2])
settings = Settings()
period = Period(*PERIOD, label="bench-baseline")
out = {}
for artist_id in demo.demo_artist_ids():
    shutil.rmtree(settings.data_dir / "cache" / "reports", ignore_errors=True)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        page = render_artist_report(root / "runs" / RUN_ID, artist_id=artist_id, period=period, settings=settings)
        times.append(time.perf_counter() - t0)
    out[artist_id] = {"bytes": page.bytes, "cold_s": times[0], "warm_s": statistics.median(times[1:] or times)}
print("BASELINE " + json.dumps(out))
"""


def baseline_renders(root: Path, *, runs: int) -> dict[str, dict[str, float]]:
    """Render every demo artist with the code of ``BASELINE`` on the world at ``root``.

    The baseline is checked out into a temporary git worktree and run with this environment's
    Python (same packages), its kernels started from that tree, then the worktree is removed.
    """
    tree = Path(tempfile.mkdtemp(prefix="encore-report-baseline-")) / "tree"
    subprocess.run(
        ["git", "worktree", "add", "--detach", "--quiet", str(tree), BASELINE], cwd=ROOT, check=True
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", BASELINE_SCRIPT, str(root), str(runs)],
            cwd=tree,
            env={**os.environ, "PYTHONPATH": str(tree)},
            check=True,
            capture_output=True,
            text=True,
        )
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False)
    line = next(x for x in done.stdout.splitlines() if x.startswith("BASELINE "))
    result: dict[str, dict[str, float]] = json.loads(line.removeprefix("BASELINE "))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--world", type=Path, default=None, help="reuse a world folder (built if empty)")
    parser.add_argument("--runs", type=int, default=2, help="renders per artist; the first is cold")
    parser.add_argument("--no-baseline", action="store_true", help="skip rendering with the baseline code")
    args = parser.parse_args()
    root = args.world or Path(tempfile.mkdtemp(prefix="encore-report-bench-"))
    from tests.reports.world import PERIOD, RUN_ID, build_world

    started = time.perf_counter()
    if not (root / "encore.sqlite").exists():
        build_world(root)
    print(f"world ready in {time.perf_counter() - started:.1f} s at {root}")
    os.environ["ENCORE_DATABASE_URL"] = f"sqlite:///{root / 'encore.sqlite'}"
    os.environ["ENCORE_DATA_DIR"] = str(root / "data")
    os.environ["ENCORE_REPORTS_DIR"] = str(root / "reports")

    from nbconvert import HTMLExporter

    from analytics import demo
    from analytics.config import Settings
    from analytics.reports import Period
    from flows.reporting import render_artist_report

    settings = Settings()
    period = Period(*PERIOD, label="bench")
    results = []
    print(f"load average at start: {' '.join(f'{v:.1f}' for v in os.getloadavg())}")
    baseline: dict[str, dict[str, float]] = {}
    if not args.no_baseline:
        t0 = time.perf_counter()
        baseline = baseline_renders(root, runs=args.runs)
        print(
            f"baseline {BASELINE} rendered in {time.perf_counter() - t0:.1f} s; "
            f"load average {' '.join(f'{v:.1f}' for v in os.getloadavg())}"
        )
    for artist_id in demo.demo_artist_ids():
        shutil.rmtree(settings.data_dir / "cache" / "reports", ignore_errors=True)
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            page = render_artist_report(
                root / "runs" / RUN_ID, artist_id=artist_id, period=period, settings=settings
            )
            times.append(time.perf_counter() - t0)
        warm = statistics.median(times[1:]) if len(times) > 1 else times[0]
        executed = settings.data_dir / "notebooks" / artist_id / period.label / "artist_report.ipynb"
        t0 = time.perf_counter()
        lab_body, _ = HTMLExporter(template_name="lab").from_filename(str(executed))
        lab_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        from analytics.reports import notebook_to_html

        notebook_to_html(executed, output_path=root / "assembly-only.html", title=page.title)
        ours_assembly_s = time.perf_counter() - t0
        lab_bytes = len(lab_body.encode())
        before = baseline.get(artist_id, {})
        row = {
            "artist": page.title,
            "figures": page.figures,
            "bytes": page.bytes,
            "bytes_vs_goal": round(page.bytes / GOAL_BYTES, 3),
            "bytes_vs_lab_export": round(page.bytes / lab_bytes, 3),
            "lab_export_bytes": lab_bytes,
            "cold_s": round(times[0], 2),
            "warm_s": round(warm, 2),
            "warm_vs_goal": round(warm / GOAL_SECONDS, 3),
            "assembly_s": round(ours_assembly_s, 3),
            "lab_export_s": round(lab_s, 3),
            "assembly_vs_lab_export": round(ours_assembly_s / lab_s, 3),
            "load_average": round(os.getloadavg()[0], 1),
            "baseline_bytes": before.get("bytes"),
            "bytes_vs_baseline": round(page.bytes / before["bytes"], 3) if before else None,
            "baseline_cold_s": round(before["cold_s"], 2) if before else None,
            "baseline_warm_s": round(before["warm_s"], 2) if before else None,
            "warm_vs_baseline": round(warm / before["warm_s"], 3) if before else None,
        }
        results.append(row)
        print(
            f"{row['artist']}: {page.figures} figures, {page.bytes / 1e6:.2f} MB "
            f"({row['bytes_vs_goal']:.2f}x the 2 MB goal, {row['bytes_vs_lab_export']:.2f}x the lab export "
            f"of {lab_bytes / 1e6:.2f} MB); render cold {times[0]:.1f} s, warm {warm:.1f} s "
            f"({row['warm_vs_goal']:.2f}x the 15 s goal); assembly {ours_assembly_s:.2f} s vs lab export "
            f"{lab_s:.2f} s ({row['assembly_vs_lab_export']:.2f}x); load average {row['load_average']}"
        )
        if before:
            print(
                f"  vs baseline {BASELINE}: {before['bytes'] / 1e6:.2f} MB -> {page.bytes / 1e6:.2f} MB "
                f"({row['bytes_vs_baseline']:.2f}x); warm {before['warm_s']:.1f} s -> {warm:.1f} s "
                f"({row['warm_vs_baseline']:.2f}x); cold {before['cold_s']:.1f} s -> {times[0]:.1f} s"
            )
    out = Path(__file__).resolve().parent / "results" / "report_render.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"results: {out}")


if __name__ == "__main__":
    main()
