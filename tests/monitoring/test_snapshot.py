"""Snapshots: what each quota mode can show, stored once per period, unavailable never as zero."""

from __future__ import annotations

from datetime import timedelta

import pytest

from analytics.monitoring import DEV_MODE, snapshots_frame, take_snapshot
from analytics.validation import DatasetValidationError, validate
from tests.monitoring.conftest import ARTIST, NOW, TODAY, add_album, add_anomaly, add_streams, seed_catalog


def test_development_mode_marks_followers_unavailable_and_counts_the_catalog(warehouse):
    seed_catalog(warehouse, at=NOW - timedelta(days=60), followers=None)
    snap = take_snapshot(warehouse, ARTIST, quota_mode="development", run_id="r1", now=NOW)
    values = {v.metric: v for v in snap.values}
    assert values["followers"].value is None and values["followers"].reason == DEV_MODE
    assert values["popularity"].reason == DEV_MODE
    assert values["albums"].value == 1 and values["tracks"].value == 2
    assert values["playlist_placements"].value == 2 and values["playlists_with_artist"].value == 1
    assert values["streams_7d"].value is None and "no streaming data" in (values["streams_7d"].reason or "")
    assert values["social_audience"].value is None
    assert snap.period == TODAY.isoformat()


def test_extended_mode_shows_followers_and_streaming_numbers(warehouse):
    seed_catalog(warehouse, at=NOW - timedelta(days=60), followers=1234, popularity=41)
    add_streams(warehouse, TODAY, 150, 1000, source="realtime")
    add_streams(warehouse, TODAY, 120, 900, source="s4a")
    add_anomaly(warehouse, "an-1", TODAY - timedelta(days=2))
    add_anomaly(warehouse, "an-old", TODAY - timedelta(days=20))
    snap = take_snapshot(warehouse, ARTIST, quota_mode="extended", run_id="r1", now=NOW)
    values = {v.metric: v for v in snap.values}
    assert values["followers"].value == 1234 and values["popularity"].value == 41
    assert values["streams_7d"].value == 900 and values["streams_7d"].source == "streaming:s4a"
    assert values["anomalies_7d"].value == 1


def test_a_second_snapshot_of_the_same_period_writes_nothing(warehouse):
    seed_catalog(warehouse, at=NOW - timedelta(days=60))
    first = take_snapshot(warehouse, ARTIST, quota_mode="development", run_id="r1", now=NOW)
    before = warehouse.content_hash(tables=["monitoring_snapshots"])
    second = take_snapshot(
        warehouse, ARTIST, quota_mode="development", run_id="r2", now=NOW + timedelta(hours=1)
    )
    assert first.changes.rows_written == len(first.values) and second.changes.rows_written == 0
    assert warehouse.content_hash(tables=["monitoring_snapshots"]) == before
    hourly = take_snapshot(
        warehouse, ARTIST, quota_mode="development", run_id="r3", now=NOW, granularity="hour"
    )
    assert hourly.period == f"{TODAY.isoformat()}T12" and hourly.changes.rows_written == len(hourly.values)


def test_the_suite_accepts_stored_snapshots_and_refuses_a_zero_for_unavailable(sqlite_warehouse, tmp_path):
    seed_catalog(sqlite_warehouse, at=NOW - timedelta(days=60))
    take_snapshot(sqlite_warehouse, ARTIST, quota_mode="development", run_id="r1", now=NOW)
    frame = snapshots_frame(sqlite_warehouse, ARTIST)
    assert validate(frame, suite="monitoring_snapshots", run_dir=tmp_path, run_id="r1").success
    frame.loc[frame["metric"] == "followers", "value"] = 0.0
    with pytest.raises(DatasetValidationError, match="expect_column_values_to_be_null"):
        validate(frame, suite="monitoring_snapshots", run_dir=tmp_path, run_id="r2")


def test_an_hourly_snapshot_keeps_the_days_row_current(warehouse):
    seed_catalog(warehouse, at=NOW - timedelta(days=60))
    take_snapshot(warehouse, ARTIST, quota_mode="development", run_id="r1", now=NOW, granularity="hour")
    add_album(warehouse, "alb_new", at=NOW + timedelta(minutes=30), release_date="2026-11-20")
    later = take_snapshot(
        warehouse,
        ARTIST,
        quota_mode="development",
        run_id="r2",
        now=NOW + timedelta(hours=1),
        granularity="hour",
    )
    rows = {
        (r["metric"], r["granularity"], r["period"]): r["value"]
        for r in warehouse.rows("monitoring_snapshots")
    }
    assert rows[("albums", "hour", "2026-11-20T12")] == 1 and rows[("albums", "hour", "2026-11-20T13")] == 2
    assert rows[("albums", "day", "2026-11-20")] == 2
    assert later.changes.updated["monitoring_snapshots"] >= 1
