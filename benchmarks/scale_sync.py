"""Catalog sync of many artists with 1 worker and with 2, under the same rolling-window rate limit.

The sandbox answers 429 (``Retry-After``) once more than ``--per-30s`` requests arrived in the
last 30 s, like Spotify. Each worker has its own client and warehouse (as separate machines
would) and syncs its share of the artists of a seeded synthetic catalog. The figure is the
accepted request rate against the limit: a second worker must not push past it (the 429s are
waited out), and together they should keep it saturated (goal: within 10% of the limit).

Prints one line per figure and writes ``benchmarks/results/scale_sync.json``.

    uv run python benchmarks/scale_sync.py [--artists 40 --per-30s 150 --quota-mode development]
    uv run python benchmarks/scale_sync.py --artists 200 --quota-mode extended
"""

from __future__ import annotations

import argparse
import json
import logging
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from analytics import sync
from analytics.config import Settings
from analytics.sandbox.spotify import SandboxOptions, SpotifySandbox, SyntheticCatalogSpec
from analytics.spotify import RetryPolicy
from analytics.warehouse import Warehouse

WINDOW_S = 30.0
RESULTS = Path(__file__).resolve().parent / "results" / "scale_sync.json"


# Wait out every 429 (the sandbox asks for 1 s): the workers queue behind the shared limit.
PATIENT = RetryPolicy(max_retry_wait_s=31, max_rate_limited=10_000)


def _worker(
    sb: SpotifySandbox, workdir: Path, ids: list[str], out: dict[str, Any], quota_mode: str = "development"
) -> None:
    # the client plans its requests by its own quota mode setting: the sandbox's must match
    settings = Settings(data_dir=workdir, spotify_token_cache=workdir / "token.json", quota_mode=quota_mode)
    warehouse = Warehouse(settings.warehouse_url)
    try:
        with sync.sandbox_client(settings, sb, policy=PATIENT) as client:
            report = sync.sync_catalog(client, warehouse, artist_ids=ids)
        out["requests"] = report.requests_made
        out["outcome"] = report.outcome
    finally:
        warehouse.dispose()


def measure(
    workers: int, *, spec: SyntheticCatalogSpec, per_30s: int, quota_mode: str = "development"
) -> dict[str, Any]:
    options = SandboxOptions(quota_mode=quota_mode, synthetic=spec, seed=spec.seed)  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory() as tmp, SpotifySandbox(options).running() as sb:
        ids = sorted(a.id for a in sb.state.artists.values() if a.name != "Various Artists")
        sb.set_rate_limit(per_30s, retry_after_s=1)
        shares = [ids[i::workers] for i in range(workers)]
        for i in range(workers):  # Alembic is not thread-safe: migrate before the workers start
            Warehouse(Settings(data_dir=Path(tmp) / f"w{i}").warehouse_url).migrate()
        results: list[dict[str, Any]] = [{} for _ in shares]
        threads = [
            threading.Thread(target=_worker, args=(sb, Path(tmp) / f"w{i}", share, results[i], quota_mode))
            for i, share in enumerate(shares)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        records = [r for r in sb.requests if "/api/token" not in r.path]
    accepted = sorted(r.at for r in records if r.status != 429)
    limited = len(records) - len(accepted)
    # A rolling window admits `per_30s` requests in any 30 s: measure over whole windows from
    # the first request (the tail after the last full window is a partial window).
    windows = int((accepted[-1] - accepted[0]) // WINDOW_S) if accepted else 0
    span = windows * WINDOW_S
    in_span = sum(1 for t in accepted if t < accepted[0] + span)
    rate = in_span / span if span else float("nan")
    return {
        "workers": workers,
        "artists": len(ids),
        "wall_s": wall,
        "accepted": len(accepted),
        "full_windows": windows,
        "rejected_429": limited,
        "accepted_per_s": rate,
        "limit_per_s": per_30s / 30,
        "outcomes": [r.get("outcome") for r in results],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--artists", type=int, default=40)
    parser.add_argument("--per-30s", type=int, default=150)
    parser.add_argument(
        "--quota-mode",
        choices=["development", "extended"],
        default="development",
        help="extended batches 20 albums / 50 tracks a request: 200 artists fit in minutes",
    )
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    spec = SyntheticCatalogSpec(
        artists=args.artists, albums=args.artists * 8, tracks=args.artists * 80, seed=3
    )
    one = measure(1, spec=spec, per_30s=args.per_30s, quota_mode=args.quota_mode)
    two = measure(2, spec=spec, per_30s=args.per_30s, quota_mode=args.quota_mode)
    limit = args.per_30s / 30
    for r in (one, two):
        print(
            f"sync {r['artists']} artists ({args.quota_mode}), {r['workers']} worker(s): {r['accepted']} requests in {r['wall_s']:.1f} s"
            f"; over {r['full_windows']} full windows {r['accepted_per_s']:.2f}/s"
            f" = {r['accepted_per_s'] / limit:.2f}x the limit {limit:.2f}/s (goal 0.90-1.00x)"
            f" ({r['rejected_429']} answered 429; outcomes {r['outcomes']})"
        )
    print(
        f"2 vs 1 workers: speed-up {one['wall_s'] / two['wall_s']:.2f}x, requests {two['accepted']}"
        f" vs {one['accepted']} (the shared limit caps both; a second worker adds no throughput)"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"one": one, "two": two, "limit_per_s": limit}, indent=2))


if __name__ == "__main__":
    main()
