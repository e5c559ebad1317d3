"""Pure transforms behind the report: headline numbers, momentum, countries, the audio map.

Every function takes DataFrames and returns a DataFrame or small records; no I/O.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib.metadata import version
from pathlib import Path

import pandas as pd

SOURCE_PRIORITY = ("s4a", "realtime", "history")
"""Which streaming source the report shows when several cover an artist: exports first."""


@dataclass(frozen=True)
class Headline:
    """One headline number: the period's value, the previous period's, and a daily series."""

    label: str
    value: float | None
    previous: float | None = None
    series: list[float] = field(default_factory=list)
    unit: str = ""

    @property
    def change(self) -> float | None:
        """Relative change against the previous period; None when there is nothing to compare."""
        if self.value is None or self.previous in (None, 0) or pd.isna(self.previous):
            return None
        return (self.value - self.previous) / self.previous  # type: ignore[operator]


def pick_source(metrics: pd.DataFrame) -> str | None:
    """The source to show from ``stream_metrics_daily`` rows (see :data:`SOURCE_PRIORITY`)."""
    if metrics.empty:
        return None
    present = set(metrics["source"])
    return next((s for s in SOURCE_PRIORITY if s in present), sorted(present)[0])


def previous_window(start: date, end: date) -> tuple[date, date]:
    """The window of the same length just before ``[start, end]``."""
    length = (end - start).days + 1
    return start - timedelta(days=length), start - timedelta(days=1)


def _in(df: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    days = pd.to_datetime(df["day"]).dt.date
    return df[(days >= start) & (days <= end)]


def headlines(daily: pd.DataFrame, *, start: date, end: date) -> list[Headline]:
    """Streams, listeners, saves and streams per listener of the period against the previous.

    Parameters
    ----------
    daily : artist-level rows with ``day``, ``streams`` and optionally ``listeners``, ``saves``.
        Listeners are a daily figure: the period value is the daily average, never a sum.
    """
    now, before = _in(daily, start, end).sort_values("day"), _in(daily, *previous_window(start, end))
    out = [
        Headline(
            "Streams",
            float(now["streams"].sum()) if not now.empty else None,
            float(before["streams"].sum()) if not before.empty else None,
            [float(v) for v in now["streams"].fillna(0)],
        )
    ]
    for column, label in (("listeners", "Listeners a day"), ("saves", "Saves")):
        if column in now and now[column].notna().any():
            agg = "mean" if column == "listeners" else "sum"
            prev = before[column].agg(agg) if column in before and before[column].notna().any() else None
            out.append(
                Headline(
                    label,
                    float(now[column].agg(agg)),
                    None if prev is None else float(prev),
                    [float(v) for v in now[column].ffill().fillna(0)],
                )
            )
    return out


def track_momentum(
    track_daily: pd.DataFrame, tracks: pd.DataFrame, *, start: date, end: date, top: int = 10
) -> pd.DataFrame:
    """The period's top tracks by streams, with the previous period's streams and the growth.

    Parameters
    ----------
    track_daily : ``day``, ``entity_id`` (track id) and ``streams``.
    tracks : ``track_id`` and ``name``.

    Returns
    -------
    ``track_id``, ``name``, ``streams``, ``previous``, ``growth`` (NaN when the previous period
    had no streams), ``new`` (the previous period has data, none of it for this track: a track
    new to the listeners, not one whose history starts with the data) and ``share`` of the
    period's streams, largest first.
    """
    now = _in(track_daily, start, end).groupby("entity_id")["streams"].sum()
    earlier = _in(track_daily, *previous_window(start, end))
    before = earlier.groupby("entity_id")["streams"].sum()
    df = pd.DataFrame({"streams": now}).join(pd.DataFrame({"previous": before}), how="left")
    df = df[df["streams"] > 0].sort_values("streams", ascending=False).head(top)
    df["growth"] = (df["streams"] - df["previous"]) / df["previous"].where(df["previous"] > 0)
    df["new"] = df["growth"].isna() & (not earlier.empty)
    df["share"] = df["streams"] / max(float(now.sum()), 1.0)
    names = tracks.set_index("track_id")["name"]
    df = df.rename_axis("track_id").reset_index()
    df.insert(1, "name", [names.get(t, t) for t in df["track_id"]])
    return df


def country_totals(countries: pd.DataFrame, *, start: date, end: date, top: int = 12) -> pd.DataFrame:
    """Streams per country in the period, largest first; the rest summed as ``other``."""
    totals = _in(countries, start, end).groupby("country")["streams"].sum().sort_values(ascending=False)
    totals = totals[totals > 0]
    head = totals.head(top)
    rest = totals.iloc[top:].sum()
    out = head.rename_axis("country").reset_index()
    if rest > 0:
        out = pd.concat([out, pd.DataFrame({"country": ["other"], "streams": [rest]})], ignore_index=True)
    return out


def audio_map(features: pd.DataFrame, *, max_clusters: int = 4) -> pd.DataFrame:
    """Tracks on a 2-D "sounds like" map, grouped, each with its closest track and why.

    Uses :mod:`analytics.ml`: the standardised audio space, its first two principal components
    (:func:`analytics.ml.similarity.projection`), seeded k-means with k chosen by silhouette and
    each group named from its centroid (:func:`analytics.ml.clustering.cluster`), and the nearest
    neighbour with the features both tracks share (:func:`analytics.ml.similarity.similarity`).

    Parameters
    ----------
    features : ``track_id``, ``name`` and ``analytics.audio`` feature columns, one row per track.

    Returns
    -------
    ``track_id``, ``name``, ``x``, ``y``, ``cluster``, ``group`` (the group in English words),
    ``nearest`` (name of the closest track), ``why`` (what they share, in English), and the same
    two as tokens a report words in its language (:func:`analytics.reports.words.sound_words`):
    ``group_traits`` (``tempo_bpm-,mode_minor+``; empty: typical of the catalog) and
    ``why_traits`` (``tempo_bpm-,timbre``; empty: close on every feature); empty when fewer
    than 3 tracks.
    """
    columns = [
        "track_id",
        "name",
        "x",
        "y",
        "cluster",
        "group",
        "nearest",
        "why",
        "group_traits",
        "why_traits",
    ]
    if len(features) < 3:  # before the imports: scikit-learn and SciPy take seconds to load
        return pd.DataFrame(columns=columns)
    from analytics.ml.audio_space import fit_space, named_traits
    from analytics.ml.clustering import cluster
    from analytics.ml.similarity import projection, similarity, trait_token

    space = fit_space(features, id_column="track_id")
    points = projection(features, space=space).set_index("id")
    groups = cluster(features, space=space, max_k=max_clusters)
    assigned = groups.assignments.set_index("id")["cluster"]
    words = groups.clusters.set_index("cluster")["description"]
    centroids = groups.clusters.set_index("cluster").filter(regex="^z_").rename(columns=lambda c: c[2:])
    group_traits = {
        int(c): ",".join(f"{f}{'+' if high else '-'}" for f, high in named_traits(centroids.loc[c]))
        for c in centroids.index
    }
    nearest = similarity(features, k=1, space=space).set_index("id")
    names = features.assign(track_id=features["track_id"].astype(str)).set_index("track_id")["name"]
    ids = [str(t) for t in features["track_id"]]
    return pd.DataFrame(
        {
            "track_id": ids,
            "name": [names[i] for i in ids],
            "x": [float(points.at[i, "x"]) for i in ids],
            "y": [float(points.at[i, "y"]) for i in ids],
            "cluster": [int(assigned[i]) for i in ids],
            "group": [str(words[assigned[i]]) or f"group {assigned[i] + 1}" for i in ids],
            "nearest": [names[nearest.at[i, "neighbour_id"]] for i in ids],
            "why": [str(nearest.at[i, "explanation"]) for i in ids],
            "group_traits": [group_traits[int(assigned[i])] for i in ids],
            "why_traits": [
                ",".join(
                    dict.fromkeys(trait_token(f, float(space.z.at[i, f])) for f in nearest.at[i, "drivers"])
                )
                for i in ids
            ],
        },
        columns=columns,
    )


ML_SOURCES = tuple(
    Path(__file__).resolve().parents[1] / "ml" / name
    for name in ("audio_space.py", "clustering.py", "similarity.py")
)
"""The code the map comes from: a change to any of them makes a new cache key."""


def audio_map_key(features: pd.DataFrame, *, max_clusters: int = 4) -> str:
    """SHA-256 of everything :func:`audio_map` depends on: the features, ``max_clusters``, the
    source of this module and of the :mod:`analytics.ml` modules it calls, and scikit-learn's
    version. Computing it imports neither scikit-learn nor SciPy."""
    digest = hashlib.sha256()
    digest.update(features.to_json(orient="split", index=False, double_precision=15).encode())
    digest.update(f"|k={max_clusters}|sklearn={version('scikit-learn')}|".encode())
    for source in (Path(__file__).resolve(), *ML_SOURCES):
        digest.update(source.read_bytes())
    return digest.hexdigest()


def cached_audio_map(
    features: pd.DataFrame, *, cache_dir: Path | None, max_clusters: int = 4
) -> pd.DataFrame:
    """:func:`audio_map`, kept in ``cache_dir`` under :func:`audio_map_key` (None: no cache).

    The map depends on the catalog's audio only, not on the report's period, and computing it
    means importing scikit-learn and SciPy (most of a report kernel's start-up): a report of the
    same audio, for another period or in another language, reads the stored map instead.
    """
    if cache_dir is None or len(features) < 3:
        return audio_map(features, max_clusters=max_clusters)
    path = cache_dir / f"audio-map-{audio_map_key(features, max_clusters=max_clusters)}.parquet"
    if path.exists():
        return pd.read_parquet(path)
    points = audio_map(features, max_clusters=max_clusters)
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{uuid.uuid4().hex[:8]}.tmp")
    points.to_parquet(partial, index=False)
    partial.replace(path)  # atomic: a concurrent reader sees the whole map or none
    return points
