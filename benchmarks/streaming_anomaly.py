"""Anomaly detection precision and recall per injected kind, on seeded demo data.

    uv run python benchmarks/streaming_anomaly.py [--seeds 2] [--days 240] [--scale 0.3]

Goal: recall >= 0.9 for artificial-streaming spikes at <= 5% false-positive days.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from datetime import date
from pathlib import Path

import analytics.streaming.tables  # noqa: F401
from analytics.ml.anomaly_eval import evaluate
from analytics.sandbox.streams.demo import generate_demo_data, ingest_demo_data
from analytics.streaming.aggregate import aggregate
from analytics.streaming.anomalies import detect_anomalies
from analytics.warehouse import Warehouse


def main() -> None:
    parser = argparse.ArgumentParser(description="anomaly precision/recall per kind")
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--days", type=int, default=240)
    parser.add_argument("--scale", type=float, default=0.3)
    args = parser.parse_args()
    labels, found, track_days, artist_days = [], [], 0, 0
    for seed in range(1, args.seeds + 1):
        with tempfile.TemporaryDirectory() as tmp:
            data = generate_demo_data(Path(tmp) / "demo", seed=seed, days=args.days, end_date=date(2026, 11, 20),
                                      scale=args.scale, history_plays=100)  # fmt: skip
            wh = Warehouse(f"sqlite:///{Path(tmp) / 'w.sqlite'}")
            wh.migrate()
            ingest_demo_data(wh, data, run_id="bench")
            aggregate(wh)
            detect_anomalies(wh, run_id="bench", seed=seed)
            tag = f"s{seed}:"
            labels += [
                {**lb.as_dict(), "entity_id": tag + lb.entity_id, "artist_id": tag + lb.artist_id}
                for lb in data.labels
            ]
            found += [
                {**a, "entity_id": tag + a["entity_id"], "artist_id": tag + a["artist_id"]}
                for a in wh.rows("stream_anomalies")
            ]
            metrics = wh.rows("stream_metrics_daily")
            track_days += sum(1 for r in metrics if r["level"] == "track" and r["source"] == "realtime")
            artist_days += sum(1 for r in metrics if r["level"] == "artist" and r["source"] == "realtime")
            wh.dispose()
    report = evaluate(labels, found, track_days=track_days, artist_days=artist_days)
    for kind, value in report["recall"].items():
        print(f"recall    {kind:34s} {value:.3f}  ({report['labels'][kind]} injected)")
    for kind, value in report["precision"].items():
        print(f"precision {kind:34s} {value:.3f}")
    print(
        f"false-positive artificial track-days  {report['artificial_false_positive_track_days']:.4f} (goal <= 0.05)"
    )
    print(f"false-positive artificial artist-days {report['artificial_false_positive_artist_days']:.4f}")
    print(f"playlist adds flagged as artificial   {report['playlist_adds_flagged_artificial']}")
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    (out / "streaming_anomaly.json").write_text(json.dumps(report, indent=1, default=str))


if __name__ == "__main__":
    main()
