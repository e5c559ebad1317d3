"""Pure transforms from plays and export rows to daily metrics, and rolling windows.

Listeners are never summed over days: a listener who plays on three days is one monthly
listener, and the exports' daily listener counts cannot be added up to Spotify's monthly
listeners. We keep the daily listeners each source gives and roll up only additive counts
(streams); ratios are computed per day.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from analytics.streaming.events import STREAM_MIN_MS

KEY = ["level", "entity_id", "source", "day"]
BASE = [
    "artist_id",
    "streams",
    "plays",
    "listeners",
    "skips",
    "completions",
    "saves",
    "followers",
    "ms_played",
]
FEATURES = ["country_hhi", "hour_entropy"]
ROLLED = ["streams_7d", "streams_28d", "streams_delta_7d", "streams_delta_28d"]
RATIOS = ["streams_per_listener", "skip_rate", "completion_rate", "save_rate"]
COLUMNS = KEY + BASE + ROLLED + RATIOS + FEATURES
LOOKBACK_DAYS = 55  # a day's value reaches the 28-day delta of the next 55 days


def _prepare(events: pd.DataFrame) -> pd.DataFrame:
    out = events.copy()
    out["counted"] = out["ms_played"] >= STREAM_MIN_MS
    out["skip"] = out["skipped"].fillna(False).astype(bool)
    out["complete"] = out["reason_end"].eq("trackdone")
    out["hour"] = pd.to_datetime(out["ts"], utc=True).dt.hour
    out["country"] = out["country"].fillna("ZZ")
    return out


def _concentration(frame: pd.DataFrame, keys: list[str], column: str) -> pd.Series:
    counts = frame[frame["counted"]].groupby([*keys, column]).size()
    shares = counts / counts.groupby(level=list(range(len(keys)))).transform("sum")
    return (shares**2).groupby(level=list(range(len(keys)))).sum()


def _entropy(frame: pd.DataFrame, keys: list[str]) -> pd.Series:
    counts = frame[frame["counted"]].groupby([*keys, "hour"]).size()
    p = counts / counts.groupby(level=list(range(len(keys)))).transform("sum")
    return (-(p * np.log(p))).groupby(level=list(range(len(keys)))).sum() / np.log(24)


def event_metrics(events: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Daily metrics of plays per track and per artist (by source), and the country breakdown.

    Parameters
    ----------
    events : play events with day, ts, track_id, artist_id, source, country, ms_played,
        reason_end, skipped, listener_key.

    Returns
    -------
    (metrics, countries): metrics with :data:`KEY` + base + feature columns; countries per
    day, track, country, source.
    """
    if events.empty:
        return pd.DataFrame(columns=KEY + BASE + FEATURES), pd.DataFrame()
    ev = _prepare(events)
    ev["artist_id"] = ev["artist_id"].fillna("")
    frames = []
    for level, entity in (("track", "track_id"), ("artist", "artist_id")):
        part = ev if level == "track" else ev[ev["artist_id"] != ""]
        keys = [entity, "source", "day"]
        g = part.groupby(keys)
        m = pd.DataFrame(
            {
                "owner": g["artist_id"].first(),
                "plays": g.size(),
                "streams": g["counted"].sum(),
                "skips": g["skip"].sum(),
                "completions": g["complete"].sum(),
                "ms_played": g["ms_played"].sum(),
            }
        )
        with_keys = part[part["counted"] & part["listener_key"].notna()]
        listeners = with_keys.groupby(keys)["listener_key"].nunique()
        m["listeners"] = listeners.reindex(m.index)
        m["country_hhi"] = _concentration(part, keys, "country").reindex(m.index)
        m["hour_entropy"] = _entropy(part, keys).reindex(m.index)
        m = m.reset_index().rename(columns={entity: "entity_id", "owner": "artist_id"})
        m["level"] = level
        frames.append(m)
    metrics = pd.concat(frames, ignore_index=True)
    metrics["saves"] = np.nan
    metrics["followers"] = np.nan
    cg = ev.groupby(["day", "track_id", "country", "source"])
    countries = pd.DataFrame(
        {
            "artist_id": cg["artist_id"].first(),
            "plays": cg.size(),
            "streams": cg["counted"].sum(),
            "skips": cg["skip"].sum(),
            "completions": cg["complete"].sum(),
            "ms_played": cg["ms_played"].sum(),
        }
    ).reset_index()
    return metrics[KEY + BASE + FEATURES], countries


def one_row_per_song_day(songs: pd.DataFrame, *, main_artists: Mapping[str, str]) -> pd.DataFrame:
    """Each song's timeline once per day, from its main artist's export when that one is there.

    A song crediting two artists is in both artists' exports with the same numbers; its
    track-level metrics count it once, attributed to its main artist (``main_artists``: track id
    -> the first credited artist), or to the smallest artist id when the catalog does not know it.
    """
    if songs.empty:
        return songs
    others = (songs["artist_id"] != songs["track_id"].map(main_artists)).astype(int)
    ordered = songs.assign(_other=others).sort_values(["track_id", "day", "_other", "artist_id"])
    return ordered.drop_duplicates(["track_id", "day"]).drop(columns="_other").reset_index(drop=True)


def export_metrics(
    songs: pd.DataFrame, audience: pd.DataFrame, *, main_artists: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Daily metrics of the Spotify for Artists exports (source ``s4a``).

    ``songs`` may hold a song once per artist whose export reports it; it is counted once
    (:func:`one_row_per_song_day`).
    """
    frames = []
    if not songs.empty:
        songs = one_row_per_song_day(songs, main_artists=main_artists or {})
        t = songs.rename(columns={"track_id": "entity_id"}).assign(level="track", source="s4a")
        frames.append(t)
    if not audience.empty:
        a = audience.assign(level="artist", source="s4a", entity_id=audience["artist_id"])
        frames.append(a)
    if not frames:
        return pd.DataFrame(columns=KEY + BASE + FEATURES)
    out = pd.concat(frames, ignore_index=True)
    for column in BASE + FEATURES:
        if column not in out:
            out[column] = np.nan
    out["streams"] = out["streams"].fillna(0)
    return out[KEY + BASE + FEATURES]


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    num, den = num.astype(float), den.astype(float)
    return (num / den).where(den > 0)


def rolling(base: pd.DataFrame, *, days: Sequence[object] | None = None) -> pd.DataFrame:
    """Add rolling 7/28-day stream sums, their change against the previous window, and ratios.

    Missing days count as zero streams. Returns the rows of ``days`` (all when None).
    """
    if base.empty:
        return pd.DataFrame(columns=COLUMNS)
    frame = base.copy()
    frame["day"] = pd.to_datetime(frame["day"])
    frame["sid"] = frame.groupby(["level", "entity_id", "source"], sort=False).ngroup()
    wide = frame.pivot_table(index="day", columns="sid", values="streams", aggfunc="sum")
    wide = wide.reindex(pd.date_range(wide.index.min(), wide.index.max(), freq="D"))
    started = wide.notna().cummax()  # before a series' first day: unknown, not zero
    wide = wide.fillna(0.0).where(started)
    rows, cols = wide.index.get_indexer(frame["day"]), wide.columns.get_indexer(frame["sid"])
    result = frame.drop(columns="sid")
    for w in (7, 28):
        sums = wide.rolling(w, min_periods=1).sum().where(started)
        result[f"streams_{w}d"] = sums.to_numpy()[rows, cols].astype("int64")
        covered = started.shift(2 * w - 1, fill_value=False)  # the previous window is complete
        result[f"streams_delta_{w}d"] = (sums - sums.shift(w)).where(covered).to_numpy()[rows, cols]
    result["streams_per_listener"] = _ratio(result["streams"], result["listeners"])
    result["skip_rate"] = _ratio(result["skips"], result["plays"])
    result["completion_rate"] = _ratio(result["completions"], result["plays"])
    result["save_rate"] = _ratio(result["saves"], result["listeners"])
    result["day"] = result["day"].dt.date
    if days is not None:
        result = result[result["day"].isin(set(days))]
    return result[COLUMNS].reset_index(drop=True)
