"""collect_streaming_metrics under Prefect: demo data ingested once, validated, anomalies found."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analytics.warehouse import Warehouse


def test_demo_streaming_ingest_is_idempotent_validated_and_finds_anomalies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.streaming_metrics import collect_streaming_metrics

    monkeypatch.setenv("ENCORE_DATA_DIR", str(tmp_path / "data"))
    first = collect_streaming_metrics(demo_days=60, end_date="2026-11-20")
    second = collect_streaming_metrics(demo_days=60, end_date="2026-11-20")
    assert first.rows_written > 0
    assert second.outcome == "unchanged" and second.rows_written == 0
    warehouse = Warehouse(f"sqlite:///{tmp_path / 'data' / 'encore.sqlite'}")
    anomalies = warehouse.rows("stream_anomalies")
    assert anomalies and all(a["model_version"] and a["metric"] for a in anomalies)
    records = [json.loads(r["body"]) for r in warehouse.rows("audit_records")]
    gates = {r["task"] for r in records if r["run_id"] == first.run_id and r["task"].startswith("validate.")}
    assert gates == {
        "validate.stream_play_events",
        "validate.stream_metrics_daily",
        "validate.stream_anomalies",
    }
    assert (first.run_dir / "datasets" / "stream_metrics_daily.parquet").exists()
