"""The streaming suites load in Great Expectations and name only columns our tables have."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from analytics.streaming import tables

ROOT = Path(__file__).resolve().parents[2] / "expectations"
SUITES = {"streams_raw": "stream_play_events", "streams_daily": "stream_metrics_daily",
          "streaming_anomalies": "stream_anomalies", "s4a_playlists": "s4a_playlists"}  # fmt: skip


@pytest.mark.parametrize(("suite", "table"), SUITES.items())
def test_suite_is_valid_and_matches_its_table(suite: str, table: str) -> None:
    import great_expectations as gx
    from great_expectations.expectations.registry import get_expectation_impl

    data = json.loads((ROOT / f"{suite}.json").read_text())
    loaded = gx.ExpectationSuite(
        name=data["name"],
        expectations=[get_expectation_impl(e["type"])(**e["kwargs"]) for e in data["expectations"]],
    )
    assert loaded.name == suite and len(loaded.expectations) == len(data["expectations"])
    columns = set(tables.table(table).columns.keys())
    for e in data["expectations"]:
        kw = e["kwargs"]
        named = [kw.get("column"), kw.get("column_A"), kw.get("column_B"), *kw.get("column_list", [])]
        assert {c for c in named if c} <= columns, e
        if "column_set" in kw:
            assert set(kw["column_set"]) == columns


def _playlists_frame() -> pd.DataFrame:
    """Two snapshots of one playlist and song, as the ingest stores them."""
    row = {
        "artist_id": "YQhOGXX8g2pM1yHEFVFAjK",
        "period": "28days",
        "playlist_key": "0123456789abcdef",
        "track_id": "N" * 22,
        "playlist": "Late Night Drive",
        "author": "Spotify",
        "playlist_id": None,
        "song": "Nebula",
        "isrc": "QZABC2600001",
        "listeners": 40,
        "streams": 61,
        "date_added": date(2026, 10, 2),
        "file_hash": "f" * 64,
        "run_id": "r1",
    }
    return pd.DataFrame([{**row, "as_of": date(2026, 11, 1)}, {**row, "as_of": date(2026, 11, 29)}])


def test_the_playlists_suite_passes_history_and_fails_a_bad_frame(tmp_path: Path) -> None:
    from analytics.validation import DatasetValidationError, validate

    good = _playlists_frame()
    assert validate(good, suite="s4a_playlists", run_dir=tmp_path / "ok", run_id="r1").success
    bad = good.copy()
    bad.loc[1, "as_of"] = date(2026, 11, 1)  # the same snapshot twice
    bad.loc[0, "listeners"] = 90  # more listeners than streams
    with pytest.raises(DatasetValidationError) as caught:
        validate(bad, suite="s4a_playlists", run_dir=tmp_path / "bad", run_id="r1")
    failed = "\n".join(caught.value.outcome.failures)
    assert caught.value.outcome.failed == 2, failed
    assert "compound_columns_to_be_unique" in failed and "a_to_be_greater_than_b" in failed
