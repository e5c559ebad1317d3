"""A featured artist's fact sheet counts the songs it is featured on, once, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import analytics.streaming.tables  # noqa: F401  (registers the tables)
from analytics.catalog import store_catalog
from analytics.catalog.frames import CatalogFrames, frame
from analytics.content import facts_from_warehouse
from analytics.content.facts import StreamingFact, TopTrackFact
from analytics.streaming.aggregate import aggregate
from analytics.streaming.ingest import ingest_s4a_csv
from analytics.warehouse import Warehouse

MAIN, GUEST = "M" * 22, "G" * 22
MAIN_SINGLE, GUEST_EP = "S" * 22, "E" * 22
DUET, MAIN_SONG, GUEST_SONG = "D" * 22, "T" * 22, "U" * 22
DUET_NAME = "Harbour Lights (feat. Tomás O'Neill)"
START, END = date(2026, 11, 1), date(2026, 11, 7)


def _album(album_id: str, artist: str, name: str) -> dict[str, Any]:
    return {
        "album_id": album_id,
        "artist_id": artist,
        "name": name,
        "album_type": "single",
        "album_group": "single",
        "release_date": "2026-06-05",
        "release_date_precision": "day",
        "total_tracks": 2,
        "label": None,
        "upc": None,
    }


def _track(track_id: str, album_id: str, name: str, number: int, credits: list[str]) -> dict[str, Any]:
    return {
        "track_id": track_id,
        "album_id": album_id,
        "artist_id": credits[0],
        "name": name,
        "artist_ids": credits,
        "disc_number": 1,
        "track_number": number,
        "duration_ms": 200000,
        "explicit": False,
        "isrc": None,
        "popularity": None,
    }


def _store(warehouse: Warehouse) -> None:
    artists = [
        {"artist_id": a, "name": n, "genres": [], "followers": None, "popularity": None}
        for a, n in ((MAIN, "Kestrel Avenue"), (GUEST, "Tomás O'Neill"))
    ]
    tracks = [
        _track(DUET, MAIN_SINGLE, DUET_NAME, 1, [MAIN, GUEST]),
        _track(MAIN_SONG, MAIN_SINGLE, "Paper Satellites", 2, [MAIN]),
        _track(GUEST_SONG, GUEST_EP, "Ταξίδι στην Ιθάκη", 1, [GUEST]),
    ]
    frames = CatalogFrames(
        artists=frame("artists", artists),
        albums=frame(
            "albums", [_album(MAIN_SINGLE, MAIN, "Harbour Lights"), _album(GUEST_EP, GUEST, "Ιθάκη")]
        ),
        tracks=frame("tracks", tracks),
        playlists=frame("playlists", []),
        playlist_items=frame("playlist_items", []),
    )
    store_catalog(warehouse, frames, run_id="seed")


def _timeline(folder: Path, artist: str, title: str, streams: int) -> Path:
    path = folder / artist / "songs" / f"{title}-timeline.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    days = [START + timedelta(days=k) for k in range(7)]
    path.write_text(
        "date,streams\n" + "".join(f"{d.isoformat()},{streams}\n" for d in days), encoding="utf-8"
    )
    return path


def test_the_featured_song_counts_for_both_artists_once_each(warehouse: Warehouse, tmp_path: Path) -> None:
    _store(warehouse)
    for artist, title, streams in (
        (MAIN, DUET_NAME, 30),
        (MAIN, "Paper Satellites", 10),
        (GUEST, DUET_NAME, 30),  # the same download in the guest's folder: stored once
        (GUEST, "Ταξίδι στην Ιθάκη", 4),
    ):
        folder = tmp_path / ("a" if artist == MAIN else "b")
        summary = ingest_s4a_csv(
            warehouse,
            _timeline(folder, artist, title, streams),
            run_id="r1",
            artist_id=artist,
        )
        assert summary.rows_rejected == 0
    aggregate(warehouse, full=True)
    week = {}
    for artist in (MAIN, GUEST):
        sheet = facts_from_warehouse(warehouse, artist, period_start=START, period_end=END)
        (streams,) = [f for f in sheet.of(StreamingFact) if f.metric == "streams"]
        week[artist] = (streams.value, [(t.title, t.streams) for t in sheet.of(TopTrackFact)])
    assert week[MAIN] == (7 * 40, [(DUET_NAME, 210), ("Paper Satellites", 70)])
    assert week[GUEST] == (7 * 34, [(DUET_NAME, 210), ("Ταξίδι στην Ιθάκη", 28)])
