"""A featured artist's report lists the song it is featured on and counts its streams once."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import analytics.streaming.tables  # noqa: F401  (registers the tables)
from analytics import catalog
from analytics.reports import load_artist_data, load_run
from analytics.streaming.aggregate import aggregate
from analytics.streaming.ingest import ingest_s4a_csv
from analytics.warehouse import Warehouse

MAIN, GUEST = "M" * 22, "G" * 22
SINGLE, EP = "S" * 22, "E" * 22
DUET, GUEST_SONG = "D" * 22, "U" * 22
DUET_NAME = "Ноябрь (feat. 夜行列車)"
START, END = date(2026, 11, 1), date(2026, 11, 14)


def _catalog() -> dict[str, Any]:
    def album(album_id: str, artist: str, name: str) -> dict[str, Any]:
        return {
            "id": album_id,
            "name": name,
            "album_type": "single",
            "artist_ids": [artist],
            "release_date": "2026-10-02",
            "release_date_precision": "day",
            "total_tracks": 1,
        }

    def track(track_id: str, album_id: str, name: str, credits: list[str], isrc: str) -> dict[str, Any]:
        return {
            "id": track_id,
            "name": name,
            "album_id": album_id,
            "artist_ids": credits,
            "track_number": 1,
            "duration_ms": 200000,
            "isrc": isrc,
        }

    return {
        "artists": [{"id": MAIN, "name": "Мира Светлова"}, {"id": GUEST, "name": "夜行列車"}],
        "albums": [album(SINGLE, MAIN, "Ноябрь"), album(EP, GUEST, "青い時間")],
        "tracks": [
            track(DUET, SINGLE, DUET_NAME, [MAIN, GUEST], "ZZMSV2600001"),
            track(GUEST_SONG, EP, "青い時間", [GUEST], "ZZYKR2600001"),
        ],
        "playlists": [],
        "users": [],
    }


def _timeline(folder: Path, title: str, streams: int) -> Path:
    path = folder / f"{title}-timeline.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    days = [START + timedelta(days=k) for k in range(14)]
    path.write_text(
        "date,streams\n" + "".join(f"{d.isoformat()},{streams}\n" for d in days), encoding="utf-8"
    )
    return path


def test_the_guests_report_lists_the_duet_and_counts_it_once(warehouse: Warehouse, tmp_path: Path) -> None:
    frames = catalog.frames_from_catalog(_catalog())
    frames.save(tmp_path / "run" / "datasets")
    (tmp_path / "run" / "manifest.json").write_text('{"run_id": "r1", "quota_mode": "development"}')
    catalog.store_catalog(warehouse, frames, run_id="r1")
    for artist, title, streams in ((MAIN, DUET_NAME, 30), (GUEST, DUET_NAME, 30), (GUEST, "青い時間", 5)):
        ingest_s4a_csv(warehouse, _timeline(tmp_path / artist, title, streams), run_id="r1", artist_id=artist)
    aggregate(warehouse, full=True)
    data = load_artist_data(
        load_run(tmp_path / "run", artist_id=GUEST), warehouse, artist_id=GUEST, start=START, end=END
    )
    assert sorted(data.tracks["name"]) == sorted([DUET_NAME, "青い時間"])
    assert data.facts.catalog.releases == 1 and data.facts.catalog.appearances == 1
    per_song = data.track_daily.groupby("entity_id")["streams"].sum().to_dict()
    assert per_song == {DUET: 14 * 30, GUEST_SONG: 14 * 5}
    assert int(data.artist_daily["streams"].sum()) == 14 * 35
