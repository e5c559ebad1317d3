"""Trends: deltas and growth over 1/7/28 days; missing or unavailable is NaN, never 0."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.monitoring import change, trends

DAY = date(2026, 11, 20)


def _series(values: dict[int, float | None], metric: str = "streams_7d") -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "metric": metric,
                "period": (DAY - timedelta(days=back)).isoformat(),
                "value": value,
                "status": "ok" if value is not None else "unavailable",
            }
            for back, value in values.items()
        ]
    )


def test_deltas_and_growth_over_each_window():
    table = trends(_series({0: 150.0, 1: 100.0, 7: 300.0, 28: 0.0}), as_of=DAY)
    row = table.loc["streams_7d"]
    assert row["value"] == 150.0
    assert row["delta_1d"] == 50.0 and row["growth_1d"] == 0.5
    assert row["delta_7d"] == -150.0 and row["growth_7d"] == -0.5
    assert row["delta_28d"] == 150.0 and math.isnan(row["growth_28d"])  # from 0: no growth rate


def test_unavailable_or_missing_values_give_nan_not_zero():
    table = trends(_series({0: None, 1: 100.0}), as_of=DAY)
    row = table.loc["streams_7d"]
    assert row["status"] == "unavailable" and math.isnan(row["value"])
    assert math.isnan(row["delta_1d"]) and math.isnan(row["growth_1d"])
    row = trends(_series({0: 5.0}), as_of=DAY).loc["streams_7d"]
    assert all(math.isnan(row[f"delta_{w}d"]) for w in (1, 7, 28))


def test_an_empty_series_has_the_columns():
    assert list(trends(pd.DataFrame(columns=["metric", "period", "value", "status"]), as_of=DAY).columns) == [
        "value", "status", "delta_1d", "growth_1d", "delta_7d", "growth_7d", "delta_28d", "growth_28d",
    ]  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    current=st.floats(min_value=0, max_value=1e9, allow_nan=False),
    earlier=st.floats(min_value=0, max_value=1e9, allow_nan=False),
)
def test_change_reconstructs_the_current_value(current, earlier):
    delta, growth = change(current, earlier)
    assert math.isclose(earlier + delta, current, rel_tol=1e-9, abs_tol=1e-6)
    assert not math.isinf(growth)
    if earlier == 0:
        assert math.isnan(growth)
    elif not math.isnan(growth):
        assert math.isclose(earlier * (1 + growth), current, rel_tol=1e-9, abs_tol=1e-6)
    assert all(math.isnan(x) for x in change(None, earlier) + change(current, None))
