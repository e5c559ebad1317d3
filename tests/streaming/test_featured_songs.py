"""A song crediting two artists is in both artists' Spotify for Artists exports, and counted once.

On SQLite and PostgreSQL: the catalog's credits (``tracks.artist_ids``) let a featured artist's
song table and timeline name the song; each artist's timeline is kept; the song's track-level
metrics count it once, for its main artist.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

import analytics.streaming.tables  # noqa: F401  (registers the tables)
from analytics.catalog import store_catalog
from analytics.catalog.frames import CatalogFrames, frame
from analytics.streaming.aggregate import aggregate
from analytics.streaming.ingest import catalog_track_artists, catalog_track_names, ingest_s4a_csv
from analytics.streaming.metrics import one_row_per_song_day
from analytics.warehouse import Warehouse
from tests.streaming.conftest import NOW, TODAY

MAIN, GUEST, OTHER = "M" * 22, "G" * 22, "O" * 22
ALBUM = "A" * 22
OWN, DUET = "T" * 22, "D" * 22
DUET_NAME = "Ноябрь (feat. 夜行列車)"


def _track(track_id: str, name: str, number: int, credits: list[str]) -> dict[str, Any]:
    return {
        "track_id": track_id,
        "album_id": ALBUM,
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
    frames = CatalogFrames(
        artists=frame("artists", []),
        albums=frame("albums", []),
        tracks=frame(
            "tracks", [_track(OWN, "Северный ветер", 1, [MAIN]), _track(DUET, DUET_NAME, 2, [MAIN, GUEST])]
        ),
        playlists=frame("playlists", []),
        playlist_items=frame("playlist_items", []),
    )
    store_catalog(warehouse, frames, run_id="seed")


def _timeline(folder: Path, artist: str, streams: list[int]) -> Path:
    path = folder / artist / "songs" / f"{DUET_NAME}-timeline.csv"
    path.parent.mkdir(parents=True)
    days = [TODAY.replace(day=d) for d in range(1, len(streams) + 1)]
    path.write_text(
        "date,streams\n" + "".join(f"{d.isoformat()},{s}\n" for d, s in zip(days, streams, strict=True))
    )
    return path


def test_a_featured_artist_names_the_songs_it_is_credited_on(warehouse: Warehouse) -> None:
    _store(warehouse)
    with warehouse.engine.connect() as conn:
        assert catalog_track_names(conn, MAIN) == {"Северный ветер": OWN, DUET_NAME: DUET}
        assert catalog_track_names(conn, GUEST) == {DUET_NAME: DUET}
        assert catalog_track_names(conn, OTHER) == {}
        # a play is attributed to one artist: the main one
        assert catalog_track_artists(conn) == {OWN: MAIN, DUET: MAIN}


def test_the_featured_artists_song_table_is_read_with_the_default_lookup(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    _store(warehouse)
    table = tmp_path / f"{GUEST}-songs-1year.csv"
    table.write_text(f"song,listeners,streams,saves,release_date\n{DUET_NAME},40,120,9,2026-10-02\n")
    summary = ingest_s4a_csv(
        warehouse, table, run_id="r1", artist_id=GUEST, kind="songs", as_of=TODAY, now=NOW
    )
    assert (summary.rows_stored, summary.rows_rejected) == (1, 0)
    (row,) = warehouse.rows("s4a_song_totals")
    assert (row["artist_id"], row["track_id"], row["streams"]) == (GUEST, DUET, 120)


def test_each_artists_timeline_is_kept_and_the_song_is_counted_once(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    _store(warehouse)
    # the two artists downloaded the timeline on different days: not the same bytes
    ingest_s4a_csv(warehouse, _timeline(tmp_path, MAIN, [5, 7]), run_id="r1", artist_id=MAIN, now=NOW)
    second = ingest_s4a_csv(
        warehouse, _timeline(tmp_path, GUEST, [5, 7, 11]), run_id="r2", artist_id=GUEST, now=NOW
    )
    assert (second.rows_stored, second.rows_rejected, second.already_ingested) == (3, 0, False)
    rows = warehouse.rows("s4a_song_daily", order_by=["artist_id", "day"])
    assert [(r["artist_id"], r["day"].day, r["streams"]) for r in rows] == [
        (GUEST, 1, 5),
        (GUEST, 2, 7),
        (GUEST, 3, 11),
        (MAIN, 1, 5),
        (MAIN, 2, 7),
    ]
    aggregate(warehouse, full=True)
    songs = [r for r in warehouse.rows("stream_metrics_daily", order_by=["day"]) if r["level"] == "track"]
    assert [(r["entity_id"], r["artist_id"], r["day"].day, r["streams"]) for r in songs] == [
        (DUET, MAIN, 1, 5),  # the main artist's export, once
        (DUET, MAIN, 2, 7),
        (DUET, GUEST, 3, 11),  # only the featured artist's export has this day
    ]
    assert [r["streams_7d"] for r in songs] == [5, 12, 23]


def test_one_row_per_song_day_prefers_the_main_artists_export() -> None:
    songs = pd.DataFrame(
        {
            "track_id": [DUET, DUET, OWN, "X" * 22, "X" * 22],
            "day": [TODAY, TODAY, TODAY, TODAY, TODAY],
            "artist_id": [GUEST, MAIN, MAIN, OTHER, GUEST],
            "streams": [9, 8, 3, 1, 2],
        }
    )
    kept = one_row_per_song_day(songs, main_artists={DUET: MAIN, OWN: MAIN})
    assert list(zip(kept["track_id"], kept["artist_id"], kept["streams"], strict=True)) == [
        (DUET, MAIN, 8),
        (OWN, MAIN, 3),
        ("X" * 22, GUEST, 2),  # not in the catalog: the smallest artist id, for a stable choice
    ]
