"""Warehouse summaries for the data scientist's exploration notebook (``explore_catalog``)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import MetaData, func, inspect, select

from analytics.warehouse import Warehouse


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
