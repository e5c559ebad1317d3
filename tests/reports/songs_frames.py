"""Small frames of one artist for the song pages, where streams come from and the release
week: two tracks of one recording (one on an album released within the data), another song, a
song never streamed, an unusual day of one track, plays that say how they started."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from analytics.reports.artist_data import ArtistData, report_facts
from analytics.streaming.play_starts import play_sources

START, END = date(2026, 11, 1), date(2026, 11, 28)
FIRST = START - timedelta(days=28)  # the previous period is read too
RELEASE = date(2026, 11, 20)
APEX = ("O3FcYIybyDEkrAG0NghN4J", "uzvbFTLeSKnwYVun8CGDtM")  # one recording on two releases
NEBULA, QUIET = "6rqhFgbbKwnb9MLmUQDhG6", "4uLU6hMCjMI75M1A2tKUQC"


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=k) for k in range((last - first).days + 1)]


def tracks_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "track_id": [*APEX, NEBULA, QUIET],
            "name": ["Apex Aleph", "Apex Aleph", "Nebula", "Quiet"],
            "isrc": ["ZZENC2600001", "ZZENC2600001", "ZZENC2600002", None],
            "album_id": ["album", "single", "album", "album"],
            "duration_ms": [288_000, 287_000, 200_000, 100_000],
        }
    )


def albums_frame(release: str = RELEASE.isoformat()) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "album_id": ["album", "single"],
            "name": ["Endgame", "Apex"],
            "release_date": [release, "2012-11-30"],
        }
    )


def artist_daily_frame() -> pd.DataFrame:
    days = days_between(FIRST, END)
    streams = [300 if RELEASE <= d < RELEASE + timedelta(days=7) else 100 for d in days]
    return pd.DataFrame({"day": days, "streams": streams, "listeners": [50] * len(days)})


def track_daily_frame() -> pd.DataFrame:
    rows = []
    for day in days_between(FIRST, END):
        for track, streams, listeners in ((APEX[0], 10, 8), (APEX[1], 5, 6), (NEBULA, 20, 15)):
            rows.append({"day": day, "entity_id": track, "streams": streams, "listeners": listeners})
    return pd.DataFrame(rows)


def anomalies_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "day": [date(2026, 11, 10)],
            "level": ["track"],
            "entity_id": [APEX[1]],
            "kind": ["spike"],
            "metric": ["streams"],
            "observed": [30.0],
            "expected": [5.0],
            "detector": ["baseline"],
            "source": ["s4a"],
            "score": [7.0],
        }
    )


def plays_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "track_id": [APEX[0], APEX[1], NEBULA, NEBULA],
            "reason_start": ["clickrow", "trackdone", "trackdone", "fwdbtn"],
            "shuffle": [True, False, False, False],
            "streams": [6, 2, 10, 2],
        }
    )


def artist_data(
    *, albums: pd.DataFrame | None = None, plays: bool = True, language: str = "en"
) -> ArtistData:
    data = ArtistData(
        artist_id="YQhOGXX8g2pM1yHEFVFAjK",
        name="Maxstack",
        start=START,
        end=END,
        quota_mode="development",
        albums=albums_frame() if albums is None else albums,
        tracks=tracks_frame(),
        artist_daily=artist_daily_frame(),
        track_daily=track_daily_frame(),
        source="s4a",
        anomalies=anomalies_frame(),
        audio=pd.DataFrame(
            {
                "track_id": [APEX[1]],
                "tempo_bpm": [120.4],
                "key": ["B"],
                "mode": ["minor"],
                "loudness_lufs": [-9.3],
                "energy": [0.5],
            }
        ),
        own_playlists=pd.DataFrame({"playlist_id": ["p1", "p2"], "name": ["This Is Me", "Night Drive"]}),
        own_items=pd.DataFrame({"playlist_id": ["p1", "p2"], "track_id": [NEBULA, "elsewhere"]}),
    )
    if plays:
        data.play_sources = play_sources(plays_frame())
    else:
        data.mark_missing("sources", "sources_none")
    data.facts = report_facts(data, language=language)
    return data
