"""The streaming suites load in Great Expectations and name only columns our tables have."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analytics.streaming import tables

ROOT = Path(__file__).resolve().parents[2] / "expectations"
SUITES = {"streams_raw": "stream_play_events", "streams_daily": "stream_metrics_daily",
          "streaming_anomalies": "stream_anomalies"}  # fmt: skip


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
