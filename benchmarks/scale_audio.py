"""Audio analysis on a Dask cluster: 2 workers against 1 (goal >= 1.8x on two free cores).

Analyses the fetched albums in ``data/cache/audio`` (``make fetch-audio``; full tracks, the
work the goal is about), or with ``--excerpts`` (or when none are fetched) the 30-second demo
excerpts repeated to ``--files``, where per-file overheads weigh more, through ``analytics.audio.analyze_files`` with the
``map_fn`` of ``flows._runners.dask_map_fn`` on a LocalCluster of single-threaded worker
processes. The cache is off, so both runs compute everything; each cluster is warmed with one
file first (worker start-up and JIT loading are not part of the figure).

Prints one line per figure and writes ``benchmarks/results/scale_audio.json``.

    uv run python benchmarks/scale_audio.py [--files 16] [--excerpts]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analytics.audio import analyze_files
from analytics.config import PROJECT_ROOT, Settings
from flows._runners import dask_map_fn

RESULTS = Path(__file__).resolve().parent / "results" / "scale_audio.json"


def _files(count: int, albums: bool) -> list[Path]:
    if albums:
        found = sorted((PROJECT_ROOT / "data" / "cache" / "audio").rglob("*.ogg"))
        if found:
            return found[:count]
        print("no fetched albums (make fetch-audio); using the demo excerpts")
    excerpts = sorted((PROJECT_ROOT / "analytics" / "demo" / "audio").glob("*.ogg"))
    return [excerpts[i % len(excerpts)] for i in range(count)]


def _run(workers: int, files: list[Path], workdir: Path, *, repeat: int) -> dict[str, Any]:
    """Best of ``repeat`` timed passes on one cluster (the machine is shared: the least disturbed)."""
    from distributed import LocalCluster

    settings = Settings(data_dir=workdir)
    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        dask_map_fn(address=cluster.scheduler_address) as map_fn,
    ):
        analyze_files(files[:workers], settings=settings, map_fn=map_fn, use_cache=False)  # warm-up
        cpu = time.process_time()
        walls = []
        for _ in range(repeat):
            started = time.perf_counter()
            batch = analyze_files(files, settings=settings, map_fn=map_fn, use_cache=False)
            walls.append(time.perf_counter() - started)
        wall = min(walls)
    ok = sum(1 for r in batch.results if r.status == "ok")
    compute = sum(r.compute_s for r in batch.results)
    return {
        "workers": workers,
        "wall_s": wall,
        "walls_s": walls,
        "files": len(files),
        "ok": ok,
        "compute_s": compute,
        "driver_cpu_s": time.process_time() - cpu,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=16)
    parser.add_argument(
        "--excerpts", action="store_true", help="use the demo excerpts, not the fetched albums"
    )
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = _files(args.files, not args.excerpts)
    audio_s = sum(os.path.getsize(f) for f in files)
    with tempfile.TemporaryDirectory() as tmp:
        one = _run(1, files, Path(tmp) / "one", repeat=args.repeat)
        two = _run(2, files, Path(tmp) / "two", repeat=args.repeat)
    speedup = one["wall_s"] / two["wall_s"]
    load = os.getloadavg()[0]
    print(f"audio on Dask, 1 worker: {one['wall_s']:.1f} s for {one['files']} files ({one['ok']} ok)")
    print(f"audio on Dask, 2 workers: {two['wall_s']:.1f} s for {two['files']} files ({two['ok']} ok)")
    print(
        f"speed-up 2 vs 1 workers: {speedup:.2f}x (goal >= 1.8x; machine load {load:.1f} on {os.cpu_count()} cores)"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "one": one,
                "two": two,
                "speedup": speedup,
                "bytes": audio_s,
                "load_average": load,
                "cores": os.cpu_count(),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
