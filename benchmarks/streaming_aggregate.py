"""Re-aggregation after one new day against a full recompute, on the same warehouse.

uv run python benchmarks/streaming_aggregate.py [--days 365] [--scale 0.5] [--full]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import date
from pathlib import Path

import analytics.streaming.tables  # noqa: F401
from analytics.sandbox.streams.demo import generate_demo_data, ingest_demo_data
from analytics.streaming.aggregate import aggregate
from analytics.streaming.ingest import ingest_events_jsonl
from analytics.warehouse import Warehouse


def main() -> None:
    parser = argparse.ArgumentParser(description="incremental vs full aggregation")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--scale", type=float, default=0.5)
    parser.add_argument("--full", action="store_true", help="scale 4 (several million plays)")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    end = date(2026, 11, 20)
    with tempfile.TemporaryDirectory() as tmp:
        data = generate_demo_data(Path(tmp) / "demo", seed=1, days=args.days, end_date=end,
                                  scale=4.0 if args.full else args.scale, history_plays=100)  # fmt: skip
        assert data.events_jsonl is not None
        last = data.events_jsonl.parent / "last.jsonl"
        rest = data.events_jsonl.parent / "rest.jsonl"
        with data.events_jsonl.open() as src, rest.open("w") as a, last.open("w") as b:
            for line in src:
                (b if f'"ts":"{end.isoformat()}' in line else a).write(line)
        wh = Warehouse(args.database_url or f"sqlite:///{Path(tmp) / 'w.sqlite'}")
        wh.migrate()
        ingest_demo_data(wh, data, run_id="bench", events=False)
        ingest_events_jsonl(wh, rest, run_id="bench")
        aggregate(wh, full=True)
        ingest_events_jsonl(wh, last, run_id="bench")
        t = time.perf_counter()
        inc = aggregate(wh)
        incremental = time.perf_counter() - t
        t = time.perf_counter()
        full = aggregate(wh, full=True)
        full_s = time.perf_counter() - t
        wh.dispose()
    report = {
        "days": args.days,
        "events": full.events_read,
        "incremental_s": round(incremental, 3),
        "full_s": round(full_s, 3),
        "ratio_full_over_incremental": round(full_s / incremental, 2),
        "incremental_days_recomputed": inc.days_recomputed,
        "incremental_events_read": inc.events_read,
    }
    print(f"events {full.events_read:,} over {args.days} days; new day: {inc.events_read:,} plays")
    print(f"incremental (1 new day) {incremental:.3f} s   full recompute {full_s:.3f} s")
    print(f"ratio full / incremental {report['ratio_full_over_incremental']}x (goal >= 20x)")
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    (out / "streaming_aggregate.json").write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
