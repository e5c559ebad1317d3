"""The 0012_track_credits migration keeps the stored catalog and song timelines, on both databases."""

from __future__ import annotations

import importlib.util
from datetime import date
from types import ModuleType
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

import analytics.streaming.tables  # noqa: F401  (registers the tables)
from analytics.warehouse import Warehouse
from analytics.warehouse.db import MIGRATIONS_DIR, row_hash

MAIN, GUEST = "M" * 22, "G" * 22
SONG = "S" * 22
TRACK = {
    "track_id": SONG,
    "album_id": "A" * 22,
    "artist_id": MAIN,
    "name": "Harbour Lights (feat. Tomás O'Neill)",
    "disc_number": 1,
    "track_number": 3,
    "duration_ms": 201000,
    "explicit": False,
    "isrc": "ZZKAV2500003",
    "popularity": None,
}


def _migration() -> ModuleType:
    path = MIGRATIONS_DIR / "versions" / "0012_track_credits.py"
    spec = importlib.util.spec_from_file_location("_migration_0012", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _alembic(warehouse: Warehouse, action: str, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    with warehouse.engine.begin() as connection:
        config.attributes["connection"] = connection
        getattr(command, action)(config, revision)


def _before_the_migration(warehouse: Warehouse, *, stale_hash: bool = False) -> None:
    """A warehouse at 0011 holding one track and one day of its timeline."""
    warehouse.migrate("0011_s4a_playlists")
    with warehouse.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO tracks (track_id, album_id, artist_id, name, disc_number, track_number,"
                " duration_ms, explicit, isrc, popularity, content_hash, first_seen_run, last_changed_run)"
                " VALUES (:track_id, :album_id, :artist_id, :name, :disc_number, :track_number,"
                " :duration_ms, :explicit, :isrc, :popularity, :content_hash, 'r1', 'r1')"
            ),
            {**TRACK, "content_hash": "0" * 64 if stale_hash else row_hash(TRACK)},
        )
        conn.execute(
            sa.text(
                "INSERT INTO s4a_song_daily (track_id, day, artist_id, listeners, streams, saves,"
                " file_hash, run_id) VALUES (:t, :d, :a, 3, 7, 1, 'f1', 'r1')"
            ),
            {"t": SONG, "d": date(2026, 10, 2), "a": MAIN},
        )


def _timeline_row(artist: str) -> dict[str, Any]:
    return {
        "artist_id": artist,
        "track_id": SONG,
        "day": date(2026, 10, 2),
        "listeners": 3,
        "streams": 7,
        "saves": 1,
        "file_hash": "f2",
        "run_id": "r2",
    }


def test_stored_tracks_get_their_main_artist_as_credits_and_a_matching_hash(
    empty_warehouse: Warehouse,
) -> None:
    _before_the_migration(empty_warehouse)
    empty_warehouse.migrate()
    (track,) = empty_warehouse.rows("tracks")
    assert track["artist_ids"] == [MAIN]
    # the hash the upsert computes for the same data: an unchanged track stays unchanged
    assert track["content_hash"] == row_hash({**TRACK, "artist_ids": [MAIN]})
    assert {k: track[k] for k in TRACK} == TRACK


def test_a_hash_the_migration_cannot_reproduce_is_left_for_the_next_sync(empty_warehouse: Warehouse) -> None:
    _before_the_migration(empty_warehouse, stale_hash=True)
    empty_warehouse.migrate()
    (track,) = empty_warehouse.rows("tracks")
    assert track["artist_ids"] == [MAIN] and track["content_hash"] == "0" * 64


def test_song_timelines_are_kept_per_artist_and_the_downgrade_keeps_one(empty_warehouse: Warehouse) -> None:
    _before_the_migration(empty_warehouse)
    empty_warehouse.migrate()
    table = empty_warehouse.table("s4a_song_daily")
    assert sa.inspect(empty_warehouse.engine).get_pk_constraint("s4a_song_daily")["constrained_columns"] in (
        ["artist_id", "track_id", "day"],
        ["track_id", "day", "artist_id"],  # SQLite lists the key in column order
    )
    with empty_warehouse.engine.begin() as conn:
        conn.execute(table.insert(), [_timeline_row(GUEST)])
    rows = empty_warehouse.rows("s4a_song_daily", order_by=["artist_id"])
    assert [(r["artist_id"], r["streams"], r["file_hash"]) for r in rows] == [
        (GUEST, 7, "f2"),
        (MAIN, 7, "f1"),
    ]
    _alembic(empty_warehouse, "downgrade", "0011_s4a_playlists")
    kept = sa.inspect(empty_warehouse.engine)
    assert kept.get_pk_constraint("s4a_song_daily")["constrained_columns"] == ["track_id", "day"]
    assert "artist_ids" not in {c["name"] for c in kept.get_columns("tracks")}
    with empty_warehouse.engine.connect() as conn:
        left = conn.execute(sa.text("SELECT artist_id, track_id FROM s4a_song_daily")).all()
    assert [tuple(r) for r in left] == [(GUEST, SONG)]  # one row per track and day, as before


def test_the_migration_hashes_rows_as_the_warehouse_does() -> None:
    frozen = _migration()
    samples: list[dict[str, Any]] = [
        {**TRACK, "artist_ids": [MAIN, GUEST]},
        {**TRACK, "popularity": 41, "explicit": True, "isrc": None, "artist_ids": [MAIN]},
        {"day": date(2026, 1, 2), "ratio": 2.0, "name": "Ноябрь (feat. 夜行列車)"},
    ]
    assert [frozen._row_hash(s) for s in samples] == [row_hash(s) for s in samples]
