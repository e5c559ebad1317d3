"""Anomalies of the demo data, stored with their explanation, and stable on re-run."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from analytics.ml.anomaly import MODEL_VERSION
from analytics.ml.anomaly_eval import evaluate
from analytics.sandbox.streams.demo import generate_demo_data, ingest_demo_data
from analytics.streaming.aggregate import aggregate
from analytics.streaming.anomalies import detect_anomalies
from analytics.warehouse import Warehouse


@pytest.mark.slow
def test_injected_artificial_streaming_is_found_and_explained(warehouse: Warehouse, tmp_path: Path) -> None:
    data = generate_demo_data(
        tmp_path, seed=11, days=75, end_date=date(2026, 11, 20), scale=0.2, history_plays=50
    )
    ingest_demo_data(warehouse, data, run_id="r1")
    aggregate(warehouse)
    summary = detect_anomalies(warehouse, run_id="r1", seed=0)
    stored = warehouse.rows("stream_anomalies", order_by=["anomaly_id"])
    assert sum(summary.by_kind.values()) == len(stored) > 0
    bots = [a for a in stored if a["kind"] == "suspected_artificial_streaming"]
    assert bots and all(a["model_version"] == MODEL_VERSION for a in stored)
    assert all("streams_per_listener" in a["features"] and a["expected_high"] < a["observed"] for a in bots)
    track_days = sum(
        1
        for r in warehouse.rows("stream_metrics_daily")
        if r["level"] == "track" and r["source"] == "realtime"
    )
    report = evaluate([lb.as_dict() for lb in data.labels], stored, track_days=track_days, artist_days=2 * 75)
    assert report["recall"]["suspected_artificial_streaming"] == 1.0
    assert report["artificial_false_positive_track_days"] <= 0.05
    assert report["playlist_adds_flagged_artificial"] == 0
    detect_anomalies(warehouse, run_id="r2", seed=0)
    again = warehouse.rows("stream_anomalies", order_by=["anomaly_id"])
    assert [{**a, "run_id": None} for a in again] == [{**a, "run_id": None} for a in stored]
