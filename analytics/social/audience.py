"""Cross-platform audience and growth per artist and day.

``audience_total`` is the sum of followers over the platforms reporting that day: audience
reach, not unique people (a fan following on two platforms counts twice). Growth is
like-for-like: ``growth_1d`` compares the platforms present on both days, so a platform that
failed one day neither drops nor inflates the total's growth.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import select

from analytics.social.tables import SocialSnapshotRow
from analytics.warehouse import Warehouse

SNAPSHOT_COLUMNS = ["artist_id", "platform", "platform_id", "day", "followers", "engagement_rate"]


def audience_frame(snapshots: pd.DataFrame) -> pd.DataFrame:
    """Audience per artist and day from snapshot rows (pure).

    Parameters
    ----------
    snapshots : one row per account and day with at least ``artist_id``, ``platform``, ``day``,
        ``followers`` (NaN when hidden) and ``engagement_rate``.

    Returns
    -------
    DataFrame with one row per (artist_id, day), sorted: ``audience_total``, ``platforms``
    (how many reported followers), ``followers_<platform>`` per platform, ``delta_1d`` and
    ``growth_1d`` (like-for-like against the artist's previous snapshot day; NaN on the first
    day or when the earlier total is 0), and ``engagement_rate`` (followers-weighted mean).
    """
    if snapshots.empty:
        return pd.DataFrame(
            columns=[
                "artist_id",
                "day",
                "audience_total",
                "platforms",
                "delta_1d",
                "growth_1d",
                "engagement_rate",
            ]
        )
    df = snapshots.dropna(subset=["artist_id"]).copy()
    df["day"] = pd.to_datetime(df["day"]).dt.date
    df["followers"] = pd.to_numeric(df["followers"], errors="coerce")
    df["engagement_rate"] = pd.to_numeric(df["engagement_rate"], errors="coerce")
    per_platform = df.groupby(["artist_id", "day", "platform"], as_index=False)["followers"].sum(min_count=1)
    wide = per_platform.pivot(index=["artist_id", "day"], columns="platform", values="followers").sort_index()
    wide.columns = [f"followers_{c}" for c in wide.columns]
    out = pd.DataFrame(index=wide.index)
    out["audience_total"] = wide.sum(axis=1, min_count=1)
    out["platforms"] = wide.notna().sum(axis=1).astype("int64")
    out = out.join(wide)
    delta = []
    growth = []
    values = wide.to_numpy(dtype="float64")
    artists = wide.index.get_level_values("artist_id")
    for i in range(len(wide)):
        if i == 0 or artists[i] != artists[i - 1]:
            delta.append(np.nan)
            growth.append(np.nan)
            continue
        both = ~np.isnan(values[i]) & ~np.isnan(values[i - 1])
        before, now = values[i - 1][both].sum(), values[i][both].sum()
        delta.append(now - before if both.any() else np.nan)
        growth.append((now - before) / before if both.any() and before > 0 else np.nan)
    out["delta_1d"] = delta
    out["growth_1d"] = growth
    weighted = df.dropna(subset=["followers", "engagement_rate"]).assign(
        w=lambda d: d["followers"] * d["engagement_rate"]
    )
    sums = weighted.groupby(["artist_id", "day"])[["w", "followers"]].sum()
    out["engagement_rate"] = (sums["w"] / sums["followers"].replace(0, np.nan)).reindex(out.index)
    return out.reset_index()


def audience(warehouse: Warehouse, artist_id: str) -> pd.DataFrame:
    """:func:`audience_frame` of one artist's stored snapshots (retracted ones excluded)."""
    table = SocialSnapshotRow.__table__
    stmt = select(*(table.c[c] for c in SNAPSHOT_COLUMNS)).where(
        table.c.artist_id == artist_id, table.c.removed_run.is_(None)
    )
    with warehouse.engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(stmt)]
    return audience_frame(pd.DataFrame(rows, columns=SNAPSHOT_COLUMNS))
