"""The Spotify for Artists playlists table: read as downloaded, stored once, kept as history."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import analytics.streaming.tables  # noqa: F401  (registers the tables)
from analytics.streaming.exports import classify
from analytics.streaming.ingest import ingest_export, ingest_s4a_csv
from analytics.streaming.s4a import S4AKind, parse_s4a
from analytics.streaming.s4a_playlists import export_period, playlist_key
from analytics.streaming.summary import SourceFormatError
from analytics.warehouse import Warehouse
from tests.streaming.conftest import ARTIST, NOW, TODAY

SONGS = {"Night Drive": "N" * 22, "What? Now!": "W" * 22}
HEADER = "Playlist,Made by,Song,Listeners,Streams,Date added,Playlist followers"
FIRST = [
    HEADER,
    'Late Drives,Spotify,Night Drive,"1,204","2,310",2026-10-02,120000',
    "Late Drives,Spotify,What Now,88,140,2026-10-09,120000",
    "Anna's mix,anna.k,Night Drive,3,9,2026-11-01,2",
]


def _write(path: Path, lines: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_header_as_downloaded_is_read_and_unknown_columns_are_ignored() -> None:
    kind, parsed = parse_s4a(
        "\ufeff" + "\n".join(FIRST).replace(",", ";").replace(';"1;204";"2;310"', ";1204;2310"),
        where="x.csv",
        artist_id=ARTIST,
        track_ids=SONGS,
        today=TODAY,
    )
    assert kind is S4AKind.playlists and not parsed.rejected
    rows = [(r["playlist"], r["author"], r["track_id"], r["listeners"], r["streams"]) for r in parsed.rows]
    assert rows == [
        ("Late Drives", "Spotify", "N" * 22, 1204, 2310),
        ("Late Drives", "Spotify", "W" * 22, 88, 140),  # "What Now" is "What? Now!" as a file name has it
        ("Anna's mix", "anna.k", "N" * 22, 3, 9),
    ]
    assert rows[0][:2] == rows[1][:2] and parsed.rows[0]["playlist_key"] == parsed.rows[1]["playlist_key"]
    assert "playlist_followers" not in parsed.rows[0]
    assert parsed.rows[0]["date_added"] == date(2026, 10, 2)


def test_a_missing_column_stops_the_file_and_names_it() -> None:
    with pytest.raises(SourceFormatError, match="missing column streams for a playlists export"):
        parse_s4a(
            "playlist,song\nA,Night Drive\n", where="x.csv", artist_id=ARTIST, track_ids=SONGS, today=TODAY
        )


def test_the_file_name_gives_kind_artist_and_period(tmp_path: Path) -> None:
    path = tmp_path / f"{ARTIST}-playlists-28days.csv"
    found = classify(path, root=tmp_path)
    assert found is not None and (found.kind, found.artist_id) == ("playlists", ARTIST)
    assert export_period(path.name) == "28days" and export_period("playlists.csv") == "unspecified"
    assert playlist_key("A", "b", None) == playlist_key("a", "B", None) != playlist_key("A", "b", "X" * 22)


def _catalog(warehouse: Warehouse) -> None:
    from analytics.warehouse import upsert_rows

    with warehouse.session() as session:
        upsert_rows(
            session,
            "tracks",
            [
                {
                    "track_id": t,
                    "name": n,
                    "artist_id": ARTIST,
                    "album_id": "B" * 22,
                    "disc_number": 1,
                    "track_number": i + 1,
                    "duration_ms": 200_000,
                    "explicit": False,
                    "isrc": f"QZ{i:010d}",
                }
                for i, (n, t) in enumerate(SONGS.items())
            ],
            key=["track_id"],
            run_id="r0",
        )


def test_ingest_is_idempotent_keeps_history_and_sets_a_bad_row_aside(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    _catalog(warehouse)
    first = _write(
        tmp_path / "nov" / f"{ARTIST}-playlists-28days.csv", [*FIRST, "Ghost list,x,Unknown Song,1,2,"]
    )
    summary = ingest_s4a_csv(
        warehouse, first, run_id="r1", artist_id=ARTIST, as_of=date(2026, 11, 1), now=NOW
    )
    assert (summary.source, summary.rows_read, summary.rows_stored, summary.rows_rejected) == (
        "s4a_playlists",
        4,
        3,
        1,
    )
    assert summary.rejections[0].line == 5 and "unknown song 'Unknown Song'" in summary.rejections[0].reason
    rows = warehouse.rows("s4a_playlists", order_by=["playlist", "track_id"])
    assert {r["isrc"] for r in rows} == {"QZ0000000000", "QZ0000000001"}
    assert {(r["as_of"], r["period"]) for r in rows} == {(date(2026, 11, 1), "28days")}
    before = warehouse.content_hash()
    again = ingest_s4a_csv(warehouse, first, run_id="r2", artist_id=ARTIST, as_of=date(2026, 11, 1), now=NOW)
    assert again.already_ingested and warehouse.content_hash() == before
    copy = _write(tmp_path / "copy" / "playlists-28days.csv", FIRST)  # same rows, other bytes
    same = ingest_s4a_csv(warehouse, copy, run_id="r3", artist_id=ARTIST, as_of=date(2026, 11, 1), now=NOW)
    assert (same.rows_stored, same.rows_updated, same.rows_duplicate) == (0, 0, 3)
    assert (
        warehouse.rows("s4a_playlists", order_by=["playlist", "track_id"]) == rows
    )  # the file is recorded, no row changes

    later = _write(
        tmp_path / "dec" / f"{ARTIST}-playlists-28days.csv",
        [HEADER, "Late Drives,Spotify,Night Drive,900,1500,2026-10-02,120500"],
    )
    newer = ingest_s4a_csv(warehouse, later, run_id="r4", artist_id=ARTIST, as_of=date(2026, 11, 20), now=NOW)
    assert (newer.rows_stored, newer.rows_updated) == (1, 0)
    rows = warehouse.rows("s4a_playlists", order_by=["as_of", "playlist", "track_id"])
    assert [(r["as_of"].day, r["playlist"], r["streams"]) for r in rows] == [
        (1, "Anna's mix", 9),
        (1, "Late Drives", 2310),
        (1, "Late Drives", 140),
        (20, "Late Drives", 1500),
    ]


def test_a_folder_export_is_read_by_its_kind(warehouse: Warehouse, tmp_path: Path) -> None:
    _catalog(warehouse)
    path = _write(tmp_path / ARTIST / "playlists-7days.csv", FIRST)
    found = classify(path, root=tmp_path)
    assert found is not None
    summary = ingest_export(warehouse, found, run_id="r1")
    assert summary.rows_stored == 3
    assert {r["period"] for r in warehouse.rows("s4a_playlists")} == {"7days"}
