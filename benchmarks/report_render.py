"""Artist report: size and render time per artist, against the goals and nbconvert's lab export.

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
  export's own time for the assembly step alone.

    uv run python benchmarks/report_render.py [--world DIR] [--runs 2]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

GOAL_BYTES = 6_000_000
GOAL_SECONDS = 15.0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--world", type=Path, default=None, help="reuse a world folder (built if empty)")
    parser.add_argument("--runs", type=int, default=2, help="renders per artist; the first is cold")
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
        }
        results.append(row)
        print(
            f"{row['artist']}: {page.figures} figures, {page.bytes / 1e6:.2f} MB "
            f"({row['bytes_vs_goal']:.2f}x the 6 MB goal, {row['bytes_vs_lab_export']:.2f}x the lab export "
            f"of {lab_bytes / 1e6:.2f} MB); render cold {times[0]:.1f} s, warm {warm:.1f} s "
            f"({row['warm_vs_goal']:.2f}x the 15 s goal); assembly {ours_assembly_s:.2f} s vs lab export "
            f"{lab_s:.2f} s ({row['assembly_vs_lab_export']:.2f}x); load average {row['load_average']}"
        )
    out = Path(__file__).resolve().parent / "results" / "report_render.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"results: {out}")


if __name__ == "__main__":
    main()
