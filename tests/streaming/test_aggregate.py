"""Aggregation: rolling windows are right, and incremental equals a full recompute."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from analytics.sandbox.streams.demo import DemoData, generate_demo_data, ingest_demo_data
from analytics.streaming.aggregate import aggregate
from analytics.streaming.ingest import ingest_events_jsonl
from analytics.streaming.metrics import rolling
from analytics.warehouse import Warehouse

END = date(2026, 11, 20)


def test_rolling_sums_and_deltas_by_hand() -> None:
    days = [date(2026, 1, 1) + timedelta(days=k) for k in range(40) if k != 10]  # day 10 missing: zero
    base = pd.DataFrame(
        {
            "level": "track",
            "entity_id": "t",
            "source": "s4a",
            "day": days,
            "artist_id": "a",
            "streams": 1,
            "plays": 2,
            "listeners": 1,
            "skips": 1,
            "completions": 1,
            "saves": None,
            "followers": None,
            "ms_played": 1,
            "country_hhi": None,
            "hour_entropy": None,
        }
    )
    out = rolling(base).set_index("day")
    assert out.loc[date(2026, 1, 3), "streams_7d"] == 3
    assert out.loc[date(2026, 1, 12), "streams_7d"] == 6  # Jan 6..12 without Jan 11
    assert out.loc[date(2026, 2, 9), "streams_28d"] == 28
    assert out.loc[date(2026, 1, 20), "streams_delta_7d"] == 7 - 6  # Jan 14..20 vs Jan 7..13 (no Jan 11)
    assert pd.isna(out.loc[date(2026, 1, 13), "streams_delta_7d"])  # no complete previous window
    assert pd.isna(out.loc[date(2026, 2, 9), "streams_delta_28d"])
    assert (
        out.loc[date(2026, 1, 5), "skip_rate"] == 0.5
        and out.loc[date(2026, 1, 5), "streams_per_listener"] == 1
    )


def _split_events(data: DemoData, day: date, tmp: Path) -> tuple[Path, Path]:
    assert data.events_jsonl is not None
    rest, one = tmp / "rest.jsonl", tmp / "one.jsonl"
    with data.events_jsonl.open() as src, rest.open("w") as a, one.open("w") as b:
        for line in src:
            (b if json.loads(line)["ts"].startswith(day.isoformat()) else a).write(line)
    return rest, one


def _metrics(warehouse: Warehouse) -> list[dict[str, object]]:
    rows = warehouse.rows("stream_metrics_daily", order_by=["level", "entity_id", "source", "day"])
    return [{k: (round(v, 9) if isinstance(v, float) else v) for k, v in r.items()} for r in rows]


@pytest.mark.slow
def test_incremental_equals_full_recompute(warehouse: Warehouse, tmp_path: Path) -> None:
    data = generate_demo_data(tmp_path / "demo", seed=5, days=40, end_date=END, scale=0.08, history_plays=100)
    middle = END - timedelta(days=12)
    rest, one = _split_events(data, middle, tmp_path)
    ingest_demo_data(warehouse, data, run_id="r1", events=False)
    ingest_events_jsonl(warehouse, rest, run_id="r1")
    aggregate(warehouse)
    before = {(r["entity_id"], r["source"], r["day"]): r for r in _metrics(warehouse)}
    ingest_events_jsonl(warehouse, one, run_id="r2")
    summary = aggregate(warehouse)
    assert summary.days_recomputed == 1 and summary.days_rolled == 13  # the day and the 12 after it
    incremental = _metrics(warehouse)
    changed = {
        (r["entity_id"], r["source"], r["day"])
        for r in incremental
        if before.get((r["entity_id"], r["source"], r["day"])) != r
    }
    assert changed and min(k[2] for k in changed) == middle and max(k[2] for k in changed) == END
    assert {k[1] for k in changed} == {"realtime"}
    aggregate(warehouse, full=True)
    assert _metrics(warehouse) == incremental
    assert aggregate(warehouse).days_recomputed == 0  # nothing new: nothing to do


def _split_days(data: DemoData, days: list[date], tmp: Path) -> list[Path]:
    """The demo's play events as one file of the other days and one file per day of ``days``."""
    assert data.events_jsonl is not None
    paths = [tmp / "rest.jsonl", *(tmp / f"{d.isoformat()}.jsonl" for d in days)]
    outs = [p.open("w") for p in paths]
    try:
        with data.events_jsonl.open() as src:
            for line in src:
                ts = json.loads(line)["ts"]
                hit = [k for k, d in enumerate(days, start=1) if ts.startswith(d.isoformat())]
                outs[hit[0] if hit else 0].write(line)
    finally:
        for out in outs:
            out.close()
    return paths


@pytest.mark.slow
def test_a_backlog_left_by_a_killed_run_is_recomputed_by_the_next(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    """Run 1 ingests and dies before aggregating; run 2 ingests other days and aggregates its own.

    The days run 1 touched stay marked until an aggregation recomputes them, so run 2's
    aggregation recomputes them too: the stored metrics equal a full recompute.
    """
    data = generate_demo_data(tmp_path / "demo", seed=5, days=40, end_date=END, scale=0.08, history_plays=100)
    killed_day, later_day = END - timedelta(days=12), END - timedelta(days=3)
    rest, killed, later = _split_days(data, [killed_day, later_day], tmp_path)
    ingest_demo_data(warehouse, data, run_id="r0", events=False)
    ingest_events_jsonl(warehouse, rest, run_id="r0")
    aggregate(warehouse)
    ingest_events_jsonl(warehouse, killed, run_id="r1")  # run 1 stops here
    touched = ingest_events_jsonl(warehouse, later, run_id="r2").days_touched
    assert killed_day not in set(touched)
    summary = aggregate(warehouse, days=touched)
    assert summary.days_recomputed == 2
    assert warehouse.rows("stream_dirty_days") == []
    incremental = _metrics(warehouse)
    aggregate(warehouse, full=True)
    assert _metrics(warehouse) == incremental
