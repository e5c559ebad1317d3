"""collect_streaming_metrics under Prefect: demo data ingested once, validated, anomalies found."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analytics.warehouse import Warehouse


# Two flow runs over four weeks of seeded demo streams (enough for the anomaly models): 15-50 s.
@pytest.mark.slow
def test_demo_streaming_ingest_is_idempotent_validated_and_finds_anomalies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.streaming_metrics import collect_streaming_metrics

    monkeypatch.setenv("ENCORE_DATA_DIR", str(tmp_path / "data"))
    first = collect_streaming_metrics(demo_days=28, end_date="2026-11-20")
    second = collect_streaming_metrics(demo_days=28, end_date="2026-11-20")
    assert first.rows_written > 0
    assert second.outcome == "unchanged" and second.rows_written == 0
    warehouse = Warehouse(f"sqlite:///{tmp_path / 'data' / 'encore.sqlite'}")
    anomalies = warehouse.rows("stream_anomalies")
    assert anomalies and all(a["model_version"] and a["metric"] for a in anomalies)
    records = [json.loads(r["body"]) for r in warehouse.rows("audit_records")]
    gates = {r["task"] for r in records if r["run_id"] == first.run_id and r["task"].startswith("validate.")}
    assert gates == {
        "validate.stream_play_events",
        "validate.s4a_playlists",
        "validate.stream_metrics_daily",
        "validate.stream_anomalies",
    }
    assert (first.run_dir / "datasets" / "stream_metrics_daily.parquet").exists()


def test_an_unreadable_export_is_rejected_and_the_others_are_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.streaming_metrics import collect_streaming_metrics

    monkeypatch.setenv("ENCORE_DATA_DIR", str(tmp_path / "data"))
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "Streaming_History_Audio_2026_0.json").write_text(
        '[{"ts": "2026-11-01T10:00:00Z", "ms_played": 1'
    )
    (exports / "Streaming_History_Audio_2026_1.json").write_text(
        json.dumps(
            [
                {
                    "ts": "2026-11-01T10:00:00Z",
                    "ms_played": 200000,
                    "spotify_track_uri": "spotify:track:4uLU6hMCjMI75M1A2tKUQC",
                    "conn_country": "FR",
                    "platform": "android",
                    "ip_addr": "203.0.113.9",
                }
            ]
        )
    )
    summary = collect_streaming_metrics(str(exports), end_date="2026-11-02")
    assert summary.outcome == "partial"
    warehouse = Warehouse(f"sqlite:///{tmp_path / 'data' / 'encore.sqlite'}")
    assert len(warehouse.rows("stream_play_events")) == 1
    records = [json.loads(r["body"]) for r in warehouse.rows("audit_records")]
    rejected = [r for r in records if r["task"] == "ingest.Streaming_History_Audio_2026_0.json"]
    assert rejected and "Streaming_History_Audio_2026_0.json" in rejected[0]["details"]["rejected_file"]


def test_in_the_real_world_the_flow_reads_the_configured_exports_and_never_demo_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A scheduled run in production must not fill the warehouse with seeded demo plays."""
    from analytics.config import MissingInput
    from flows.streaming_metrics import collect_streaming_metrics

    monkeypatch.delenv("ENCORE_STREAMING_EXPORTS_DIR", raising=False)
    monkeypatch.setenv("ENCORE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ENCORE_WORLD", "real")
    with pytest.raises(MissingInput, match="ENCORE_STREAMING_EXPORTS_DIR"):
        collect_streaming_metrics(end_date="2026-11-02")
    assert not (tmp_path / "data").exists(), "a run that stops on a missing input writes nothing"
    warehouse = Warehouse(f"sqlite:///{tmp_path / 'data' / 'encore.sqlite'}")

    exports = tmp_path / "exports"
    exports.mkdir()
    play = {
        "ts": "2026-11-01T10:00:00Z",
        "ms_played": 200000,
        "spotify_track_uri": "spotify:track:4uLU6hMCjMI75M1A2tKUQC",
        "conn_country": "FR",
        "platform": "android",
    }
    (exports / "Streaming_History_Audio_2026_0.json").write_text(json.dumps([play]))
    monkeypatch.setenv("ENCORE_STREAMING_EXPORTS_DIR", str(exports))
    configured = collect_streaming_metrics(end_date="2026-11-02")
    assert configured.rows_written > 0
    assert len(warehouse.rows("stream_play_events")) == 1


def test_a_row_dated_1900_is_set_aside_by_file_and_row_and_the_run_ends_partial(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Excel's zero date among good rows: the good rows are stored, the run says which row it
    left out and why, and ends partial instead of ok."""
    from flows.streaming_metrics import collect_streaming_metrics

    monkeypatch.setenv("ENCORE_DATA_DIR", str(tmp_path / "data"))
    exports = tmp_path / "exports"
    exports.mkdir()
    name = "YQhOGXX8g2pM1yHEFVFAjK-audience-timeline.csv"
    (exports / name).write_text(
        "date,listeners,streams\n2026-11-01,10,120\n1900-01-01,10,99\n2026-11-02,11,130\n"
    )
    summary = collect_streaming_metrics(str(exports), end_date="2026-11-02")
    assert summary.outcome == "partial"
    (row,) = summary.set_aside
    assert (row.what, row.item) == ("export row", f"{name} row 3") and "1900-01-01" in row.reason
    warehouse = Warehouse(f"sqlite:///{tmp_path / 'data' / 'encore.sqlite'}")
    days = {r["day"].isoformat() for r in warehouse.rows("s4a_audience_daily")}
    assert days == {"2026-11-01", "2026-11-02"}
    records = [json.loads(r["body"]) for r in warehouse.rows("audit_records")]
    closing = next(r for r in records if r["run_id"] == summary.run_id and r["task"] == "run")
    assert closing["outcome"] == "partial" and closing["details"]["set_aside"] == [row.as_dict()]


def test_the_play_stream_only_run_needs_a_window_and_stops_before_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``exports=False`` (the 15-minute schedule) reads nothing but the play stream."""
    from flows.streaming_metrics import collect_streaming_metrics

    monkeypatch.setenv("ENCORE_DATA_DIR", str(tmp_path / "data"))
    with pytest.raises(ValueError, match="nothing to collect"):
        collect_streaming_metrics.fn(exports=False, realtime_seconds=0)
    assert not (tmp_path / "data").exists()
