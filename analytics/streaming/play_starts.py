"""Where streams come from: how each play started, read from the plays encore receives.

Spotify's play events (streaming history, real-time plays) say why a play started
(``reason_start``) and whether shuffle was on; they do not name the playlist or album the play
came from. So "where from" here is the way a play began: a listener chose the song, the song
followed another one, a listener skipped to it, or something else (``unknown``). Playlists are the other
half of the answer and come from Spotify for Artists' playlists table
(:mod:`analytics.streaming.s4a_playlists`).

Only streams count (plays of at least :data:`~analytics.streaming.events.STREAM_MIN_MS`).
Everything here is a pure function over DataFrames.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, func, inspect, select

from analytics.streaming.events import STREAM_MIN_MS
from analytics.streaming.ids import day_bounds

WAYS = ("chosen", "after", "skipped_to", "unknown")
"""How a play started, in the order a page lists them."""
START_WAYS = {
    "clickrow": "chosen",
    "playbtn": "chosen",
    "clickside": "chosen",
    "popup": "chosen",
    "remote": "chosen",
    "trackdone": "after",
    "autoplay": "after",
    "fwdbtn": "skipped_to",
    "backbtn": "skipped_to",
}
"""Spotify's ``reason_start`` values by the way a play started; any other value is ``unknown``
(other or unknown: the app opening, an error, no reason given)."""
SOURCE_COLUMNS = ["track_id", "way", "shuffle", "streams"]
PLAY_SOURCES = ("realtime", "history")
"""Play-event sources, preferred first: one is read, so a play seen through both counts once."""


def start_way(reason_start: object) -> str:
    """``chosen``, ``after``, ``skipped_to`` or ``unknown`` for a play's ``reason_start``."""
    return START_WAYS.get(str(reason_start).strip().lower(), "unknown") if reason_start else "unknown"


def play_sources(events: pd.DataFrame) -> pd.DataFrame:
    """Streams per track, way the play started and shuffle, from play events.

    Parameters
    ----------
    events : one row per play with ``track_id``, ``reason_start``, ``shuffle`` and ``ms_played``;
        or already counted rows with ``streams`` in place of ``ms_played`` (one row per group).

    Returns
    -------
    ``track_id``, ``way`` (see :data:`WAYS`), ``shuffle`` (bool) and ``streams``, one row per
    combination that has streams.
    """
    if events.empty:
        return pd.DataFrame(columns=SOURCE_COLUMNS)
    frame = events.copy()
    if "streams" not in frame:
        frame = frame[frame["ms_played"] >= STREAM_MIN_MS].assign(streams=1)
    frame["way"] = [start_way(r) for r in frame["reason_start"]]
    frame["shuffle"] = frame["shuffle"].fillna(False).astype(bool)
    grouped = frame.groupby(["track_id", "way", "shuffle"], as_index=False)["streams"].sum()
    grouped = grouped[grouped["streams"] > 0]
    return grouped.sort_values(["track_id", "way", "shuffle"]).reset_index(drop=True)[SOURCE_COLUMNS]


def way_shares(sources: pd.DataFrame, *, track_ids: set[str] | None = None) -> pd.DataFrame:
    """Streams and share of streams by way the play started, every way listed (zeros kept).

    ``track_ids`` narrows to one song's tracks; None: every track. Shares sum to 1 when there
    are streams; all zero otherwise.
    """
    rows = sources if track_ids is None else sources[sources["track_id"].isin(track_ids)]
    by_way = rows.groupby("way")["streams"].sum() if not rows.empty else pd.Series(dtype=float)
    streams = [int(by_way.get(way, 0)) for way in WAYS]
    total = sum(streams)
    return pd.DataFrame(
        {"way": list(WAYS), "streams": streams, "share": [s / total if total else 0.0 for s in streams]}
    )


def shuffle_share(sources: pd.DataFrame, *, track_ids: set[str] | None = None) -> float | None:
    """The share of streams played with shuffle on; None without streams."""
    rows = sources if track_ids is None else sources[sources["track_id"].isin(track_ids)]
    total = int(rows["streams"].sum()) if not rows.empty else 0
    return float(rows.loc[rows["shuffle"], "streams"].sum()) / total if total else None


def read_play_sources(engine: Engine, *, artist_id: str, start: date, end: date) -> pd.DataFrame | None:
    """:func:`play_sources` of ``artist_id``'s plays in ``[start, end]``, counted in the database.

    Reads one play-event source, the first of :data:`PLAY_SOURCES` that has streams in the
    period (the same play may arrive both in real time and in a streaming history). None when
    the warehouse has no play events at all.
    """
    found = inspect(engine)
    if "stream_play_events" not in {*found.get_table_names(), *found.get_view_names()}:
        return None
    from analytics.streaming.tables import table

    plays = table("stream_play_events")
    first, last = day_bounds(start)[0], day_bounds(end)[1]
    stmt = (
        select(
            plays.c.source,
            plays.c.track_id,
            plays.c.reason_start,
            plays.c.shuffle,
            func.count().label("streams"),
        )
        .where(plays.c.artist_id == artist_id, plays.c.event_id >= first, plays.c.event_id < last)
        .where(plays.c.ms_played >= STREAM_MIN_MS)
        .group_by(plays.c.source, plays.c.track_id, plays.c.reason_start, plays.c.shuffle)
    )
    with engine.connect() as conn:
        counted = pd.DataFrame([dict(r._mapping) for r in conn.execute(stmt)])
    for source in PLAY_SOURCES:
        rows = counted[counted["source"] == source] if not counted.empty else counted
        if not rows.empty:
            return play_sources(rows.drop(columns="source"))
    return pd.DataFrame(columns=SOURCE_COLUMNS)
