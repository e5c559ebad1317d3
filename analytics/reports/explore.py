"""Warehouse summaries for the data scientist's exploration notebook (``explore_catalog``), and
the defaults every notebook starts from: the main job's latest run and the latest period."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pandas as pd
from sqlalchemy import MetaData, func, inspect, select

from analytics.config import Settings
from analytics.reports.period import Period, parse_period
from analytics.warehouse import Warehouse


def latest_run_dir(settings: Settings, run_dir: str = "") -> Path:
    """``run_dir`` when given, else ``<data dir>/runs/latest``: the main job's last run.

    Read from the settings rather than the working directory, so a notebook opened in
    JupyterLab (whose kernel starts in ``notebooks/``) finds the same run as papermill.
    """
    return Path(run_dir).expanduser() if run_dir else settings.data_dir / "runs" / "latest"


def latest_period(
    warehouse: Warehouse, *, days: int = 28, start: str = "", end: str = "", artist_id: str | None = None
) -> Period:
    """The period a notebook shows: ``start``..``end`` when both are given, else the ``days``
    days ending on the latest day the warehouse has streaming numbers for (``artist_id``'s,
    else any artist's); with none at all, the reports' default (the last ``days`` full days).
    """
    if start and end:
        return parse_period(f"{start}..{end}")
    coverage = stream_coverage(warehouse)
    if artist_id:
        coverage = coverage[coverage["artist_id"] == artist_id]
    if coverage.empty:
        return parse_period(f"last-{days}d")
    last = pd.to_datetime(coverage["last_day"]).max().date()
    return parse_period(f"last-{days}d", today=last + timedelta(days=1))


def inventory(warehouse: Warehouse) -> pd.DataFrame:
    """Every table of the warehouse with its row count, largest first (``table``, ``rows``)."""
    names = sorted(inspect(warehouse.engine).get_table_names())
    meta = MetaData()
    meta.reflect(warehouse.engine, only=names)
    with warehouse.engine.connect() as conn:
        rows = [
            {
                "table": n,
                "rows": int(conn.execute(select(func.count()).select_from(meta.tables[n])).scalar_one()),
            }
            for n in names
        ]
    return pd.DataFrame(rows, columns=["table", "rows"]).sort_values(
        ["rows", "table"], ascending=[False, True]
    )


def stream_coverage(warehouse: Warehouse) -> pd.DataFrame:
    """Which streaming sources cover which artists and days (from ``stream_metrics_daily``).

    Returns
    -------
    ``artist_id``, ``source``, ``level``, ``first_day``, ``last_day``, ``days``, ``streams``;
    empty when the streaming tables do not exist yet.
    """
    columns = ["artist_id", "source", "level", "first_day", "last_day", "days", "streams"]
    if "stream_metrics_daily" not in inspect(warehouse.engine).get_table_names():
        return pd.DataFrame(columns=columns)
    meta = MetaData()
    meta.reflect(warehouse.engine, only=["stream_metrics_daily"])
    t = meta.tables["stream_metrics_daily"]
    stmt = select(
        t.c.artist_id,
        t.c.source,
        t.c.level,
        func.min(t.c.day).label("first_day"),
        func.max(t.c.day).label("last_day"),
        func.count(func.distinct(t.c.day)).label("days"),
        func.sum(t.c.streams).label("streams"),
    ).group_by(t.c.artist_id, t.c.source, t.c.level)
    with warehouse.engine.connect() as conn:
        return pd.DataFrame([dict(r._mapping) for r in conn.execute(stmt)], columns=columns)
