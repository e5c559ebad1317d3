"""A page per song and the release-day view, as pure functions over the report's frames.

A song is a recording (an ISRC): the same recording on an album and its single is one song, its
streams add up over its tracks and its listeners a day are the larger of theirs (a listener may
have played both). The release-day view sets the first seven days after a release against the
artist's usual day before it.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pandas as pd

SONG_COLUMNS = ["recording", "song", "track_ids", "streams", "listeners", "anchor"]
RELEASE_DAYS = 7
"""How many days the release-day view follows a release, the release day being the first."""
USUAL_DAYS = 28
"""How many days before a release tell the artist's usual day (their median)."""
MIN_USUAL_DAYS = 7
"""Fewer days before a release than this say nothing about a usual day."""
RELEASES_SHOWN = 3
"""The newest releases within the data that get their first week shown."""


def recording_of(tracks: pd.DataFrame) -> dict[str, str]:
    """Track id -> its recording: the ISRC, or the track id itself when it has none."""
    if tracks.empty or "track_id" not in tracks:
        return {}
    isrcs = tracks["isrc"] if "isrc" in tracks else [None] * len(tracks)
    return {
        str(t): (i if isinstance(i, str) and i else str(t))
        for t, i in zip(tracks["track_id"], isrcs, strict=True)
    }


def song_anchor(recording: str) -> str:
    """``song-<10 hex>``: the link target of a song's page, stable across renders and periods."""
    return "song-" + hashlib.sha256(recording.encode()).hexdigest()[:10]


def _in_period(frame: pd.DataFrame, *, start: date, end: date) -> pd.DataFrame:
    if frame.empty:
        return frame
    days = pd.to_datetime(frame["day"]).dt.date
    return frame[(days >= start) & (days <= end)].assign(day=days)


def song_daily(track_daily: pd.DataFrame, *, track_ids: set[str], start: date, end: date) -> pd.DataFrame:
    """One song's ``day``, ``streams`` and ``listeners`` over ``[start, end]``.

    Streams add up over the song's tracks; listeners are the larger of theirs (NaN when the
    source has none).
    """
    rows = _in_period(track_daily, start=start, end=end)
    rows = rows[rows["entity_id"].isin(track_ids)] if not rows.empty else rows
    if rows.empty:
        return pd.DataFrame(columns=["day", "streams", "listeners"])
    listeners = rows["listeners"] if "listeners" in rows else pd.Series(float("nan"), index=rows.index)
    frame = rows.assign(listeners=pd.to_numeric(listeners, errors="coerce"))
    daily = frame.groupby("day", as_index=False).agg(
        streams=("streams", "sum"), listeners=("listeners", "max")
    )
    return daily.sort_values("day").reset_index(drop=True)


def song_table(track_daily: pd.DataFrame, tracks: pd.DataFrame, *, start: date, end: date) -> pd.DataFrame:
    """Every song streamed in ``[start, end]``, most streamed first.

    Returns
    -------
    ``recording``, ``song`` (the name of its first track), ``track_ids`` (a tuple), ``streams``
    over the period, ``listeners`` (its average listeners a day; NaN when the source has none)
    and ``anchor`` (:func:`song_anchor`).
    """
    rows = _in_period(track_daily, start=start, end=end)
    if rows.empty or tracks.empty:
        return pd.DataFrame(columns=SONG_COLUMNS)
    recordings = recording_of(tracks)
    names = dict(zip(tracks["track_id"].astype(str), tracks["name"], strict=True))
    songs = []
    for recording in sorted({recordings[t] for t in rows["entity_id"] if t in recordings}):
        ids = tuple(sorted(t for t, r in recordings.items() if r == recording))
        daily = song_daily(rows, track_ids=set(ids), start=start, end=end)
        streams = int(daily["streams"].sum())
        if streams <= 0:
            continue
        listeners = daily["listeners"].dropna()
        songs.append(
            {
                "recording": recording,
                "song": str(names.get(ids[0], recording)),
                "track_ids": ids,
                "streams": streams,
                "listeners": float(listeners.mean()) if not listeners.empty else float("nan"),
                "anchor": song_anchor(recording),
            }
        )
    if not songs:
        return pd.DataFrame(columns=SONG_COLUMNS)
    frame = pd.DataFrame(songs).sort_values(["streams", "song"], ascending=[False, True])
    return frame.reset_index(drop=True)[SONG_COLUMNS]


def own_playlists(playlists: pd.DataFrame, items: pd.DataFrame, *, track_ids: set[str]) -> list[str]:
    """Names of the artist's own playlists (owned or collaborative ones encore curates) that
    hold one of ``track_ids``, sorted, each once."""
    if items.empty or playlists.empty or "track_id" not in items:
        return []
    names = dict(zip(playlists["playlist_id"], playlists["name"], strict=True))
    held = items[items["track_id"].isin(track_ids)]["playlist_id"]
    return sorted({str(names[p]) for p in held if p in names})


def release_dates(albums: pd.DataFrame) -> pd.DataFrame:
    """``name``, ``release_date`` (a date) of the releases dated to the day, newest first; a
    release dated by its year or month alone has no release day and is left out."""
    columns = ["name", "release_date"]
    if albums.empty or "release_date" not in albums:
        return pd.DataFrame(columns=columns)
    dated = albums[albums["release_date"].astype(str).str.fullmatch(r"\d{4}-\d{2}-\d{2}")]
    frame = pd.DataFrame(
        {"name": list(dated["name"]), "release_date": list(pd.to_datetime(dated["release_date"]).dt.date)}
    )
    return frame.sort_values(["release_date", "name"], ascending=[False, True]).reset_index(drop=True)


def releases_in_data(albums: pd.DataFrame, daily: pd.DataFrame) -> pd.DataFrame:
    """:func:`release_dates` of the releases whose release day lies within the days ``daily``
    covers (a release before the data is left out), newest first."""
    dated = release_dates(albums)
    if dated.empty or daily.empty:
        return dated.iloc[0:0]
    covered = pd.to_datetime(daily["day"]).dt.date
    inside = (dated["release_date"] >= covered.min()) & (dated["release_date"] <= covered.max())
    return dated[inside].reset_index(drop=True)


def usual_day(daily: pd.DataFrame, *, before: date) -> float | None:
    """The artist's usual streams a day before ``before``: the median of the last
    :data:`USUAL_DAYS` days before it; None with fewer than :data:`MIN_USUAL_DAYS` of them."""
    if daily.empty:
        return None
    days = pd.to_datetime(daily["day"]).dt.date
    window = daily[(days < before) & (days >= before - timedelta(days=USUAL_DAYS))]
    if len(window) < MIN_USUAL_DAYS:
        return None
    return float(window["streams"].median())


def release_days(daily: pd.DataFrame, *, release: date) -> pd.DataFrame:
    """The first :data:`RELEASE_DAYS` days from ``release`` (day 1 is the release day) that the
    data holds: ``number``, ``day``, ``streams``, ``usual`` (:func:`usual_day`, NaN when unknown)
    and ``change`` (streams against the usual, a ratio; NaN when unknown)."""
    columns = ["number", "day", "streams", "usual", "change"]
    if daily.empty:
        return pd.DataFrame(columns=columns)
    usual = usual_day(daily, before=release)
    by_day = dict(zip(pd.to_datetime(daily["day"]).dt.date, daily["streams"], strict=True))
    rows = []
    for number in range(1, RELEASE_DAYS + 1):
        day = release + timedelta(days=number - 1)
        if day not in by_day:
            continue
        streams = float(by_day[day])
        change = streams / usual - 1 if usual else float("nan")
        rows.append(
            {
                "number": number,
                "day": day,
                "streams": streams,
                "usual": usual if usual is not None else float("nan"),
                "change": change,
            }
        )
    return pd.DataFrame(rows, columns=columns)


EDITORIAL_AUTHORS = frozenset({"spotify"})
"""Who makes Spotify's own (editorial and algorithmic) playlists, as the playlists table names it."""


def playlist_makers(featured: pd.DataFrame) -> pd.DataFrame:
    """Playlists featuring the artist and their streams, by who made them: ``editorial``
    (Spotify's own) first, then ``others`` (listeners and curators); a maker without playlists
    is left out.

    ``featured`` is one row per playlist and recording (``playlist_key``, ``author``, ``streams``).
    """
    columns = ["maker", "playlists", "streams"]
    if featured.empty:
        return pd.DataFrame(columns=columns)
    maker = [
        "editorial" if str(a).strip().casefold() in EDITORIAL_AUTHORS else "others"
        for a in featured["author"]
    ]
    frame = featured.assign(maker=maker, streams=pd.to_numeric(featured["streams"]).fillna(0))
    rows = [
        {
            "maker": name,
            "playlists": int(frame.loc[frame["maker"] == name, "playlist_key"].nunique()),
            "streams": int(frame.loc[frame["maker"] == name, "streams"].sum()),
        }
        for name in ("editorial", "others")
        if (frame["maker"] == name).any()
    ]
    return pd.DataFrame(rows, columns=columns)
