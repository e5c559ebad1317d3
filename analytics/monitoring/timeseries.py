"""Trends of the snapshot series: deltas and growth rates over 1, 7 and 28 days (pure)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta

import pandas as pd

WINDOWS = (1, 7, 28)


def change(current: float | None, earlier: float | None) -> tuple[float, float]:
    """``(delta, growth)`` from ``earlier`` to ``current``.

    Both are NaN when either value is missing; growth is NaN (never infinite) when ``earlier``
    is 0 or so small that the ratio overflows.
    """
    if current is None or earlier is None or _nan(current) or _nan(earlier):
        return math.nan, math.nan
    delta = float(current) - float(earlier)
    growth = delta / float(earlier) if earlier != 0 else math.nan
    return delta, (growth if math.isfinite(growth) else math.nan)


def _nan(value: float) -> bool:
    return isinstance(value, float) and math.isnan(value)


def trends(series: pd.DataFrame, *, as_of: date, windows: Sequence[int] = WINDOWS) -> pd.DataFrame:
    """Each metric's value on ``as_of`` and its change over each window.

    Parameters
    ----------
    series : daily snapshot rows with ``metric``, ``period`` (``YYYY-MM-DD``), ``value``
        (NaN/None when unavailable) and ``status``.
    as_of : the day the trends end on.
    windows : window lengths in days.

    Returns
    -------
    DataFrame indexed by metric with ``value``, ``status`` and ``delta_<w>d`` / ``growth_<w>d``
    per window; NaN where either end is missing or unavailable (never 0 in its place), growth
    NaN where the earlier value is 0.
    """
    columns = ["value", "status"] + [f"{k}_{w}d" for w in windows for k in ("delta", "growth")]
    if series.empty:
        return pd.DataFrame(columns=columns).rename_axis("metric")
    values = {
        (str(m), str(p)): (float(v) if v is not None and s == "ok" else None)
        for m, p, v, s in zip(
            series["metric"], series["period"], series["value"], series["status"], strict=True
        )
    }
    status = {
        (str(m), str(p)): str(s)
        for m, p, s in zip(series["metric"], series["period"], series["status"], strict=True)
    }
    today = as_of.isoformat()
    out: dict[str, dict[str, object]] = {}
    for metric in sorted(set(series["metric"])):
        current = values.get((metric, today))
        row: dict[str, object] = {
            "value": math.nan if current is None else current,
            "status": status.get((metric, today), "missing"),
        }
        for w in windows:
            earlier = values.get((metric, (as_of - timedelta(days=w)).isoformat()))
            row[f"delta_{w}d"], row[f"growth_{w}d"] = change(current, earlier)
        out[metric] = row
    return pd.DataFrame.from_dict(out, orient="index", columns=columns).rename_axis("metric")
