"""Fact sheets from the warehouse (SQLite and PostgreSQL) and idempotent storage of drafts."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

from analytics.content import (
    ContentKind,
    facts_from_warehouse,
    generate_drafts,
    store_drafts,
    write_ready_to_post,
)
from analytics.content.facts import (
    MilestoneFact,
    PlaylistChangeFact,
    ReleaseFact,
    SocialFact,
    StreamingFact,
    TopTrackFact,
)
from analytics.demo import load_catalog
from analytics.warehouse import Warehouse, upsert_rows

MAXSTACK = "YQhOGXX8g2pM1yHEFVFAjK"
START, END = date(2026, 11, 16), date(2026, 11, 22)
ROOT = Path(__file__).resolve().parents[2]


def _load_demo_catalog(warehouse: Warehouse) -> None:
    cat = load_catalog()
    artists = [
        {
            "artist_id": a["id"],
            "name": a["name"],
            "genres": a["genres"],
            "followers": a["followers"],
            "popularity": a["popularity"],
        }
        for a in cat["artists"]
    ]
    albums = [
        {
            "album_id": a["id"],
            "artist_id": a["artist_ids"][0],
            "name": a["name"],
            "album_type": a["album_type"],
            "release_date": a["release_date"],
            "release_date_precision": a["release_date_precision"],
            "total_tracks": a["total_tracks"],
            "label": a["label"],
            "upc": a["upc"],
        }
        for a in cat["albums"]
    ]
    tracks = [
        {
            "track_id": t["id"],
            "album_id": t["album_id"],
            "artist_id": t["artist_ids"][0],
            "name": t["name"],
            "disc_number": t["disc_number"],
            "track_number": t["track_number"],
            "duration_ms": t["duration_ms"],
            "explicit": t["explicit"],
            "isrc": t["isrc"],
            "popularity": t["popularity"],
        }
        for t in cat["tracks"]
    ]
    playlists = [
        {
            "playlist_id": p["id"],
            "name": p["name"],
            "description": p["description"],
            "owner_id": p["owner_id"],
            "public": p["public"],
            "collaborative": p["collaborative"],
            "snapshot_id": "s1",
            "total_items": len(p["track_ids"]),
        }
        for p in cat["playlists"]
    ]
    items = [
        {
            "playlist_id": p["id"],
            "position": i,
            "track_id": t,
            "added_at": f"{START + timedelta(days=i)}T10:00:00Z",
            "added_by": "encore-demo-user",
        }
        for p in cat["playlists"]
        for i, t in enumerate(p["track_ids"])
    ]
    with warehouse.session() as s:
        upsert_rows(s, "artists", artists, key=["artist_id"], run_id="sync-1")
        upsert_rows(s, "albums", albums, key=["album_id"], run_id="sync-1")
        upsert_rows(s, "tracks", tracks, key=["track_id"], run_id="sync-1")
        upsert_rows(s, "playlists", playlists, key=["playlist_id"], run_id="sync-1")
        upsert_rows(s, "playlist_items", items, key=["playlist_id", "position"], run_id="sync-1")


def test_facts_from_the_catalog_tables_alone(warehouse: Warehouse) -> None:
    _load_demo_catalog(warehouse)
    sheet = facts_from_warehouse(warehouse, MAXSTACK, period_start=START, period_end=END)
    assert sheet.artist.name == "Maxstack" and sheet.artist.followers == 1843
    releases = sheet.of(ReleaseFact)
    assert {r.title for r in releases} == {
        "Endgame: Singularity Original Soundtrack",
        "Endgame: Singularity (Advanced Research)",
        "Apex Aleph",
    }
    assert all(r.source.table == "albums" and r.source.run_id == "sync-1" for r in releases)
    assert [t.basis for t in sheet.of(TopTrackFact)] == ["popularity"] * 3
    changes = sheet.of(PlaylistChangeFact)
    assert changes and all(START <= c.on <= END for c in changes if c.on)  # added within the period only
    assert not sheet.of(StreamingFact)
    assert sheet.coverage["streaming"].startswith("absent: no table")
    drafts = generate_drafts(sheet, languages=["en"], seed=4)
    assert {d.kind for d in drafts} >= {ContentKind.release_announcement, ContentKind.weekly_recap}
    assert all(d.validation.ok for d in drafts)


def test_a_streaming_table_of_another_package_adds_facts(warehouse: Warehouse) -> None:
    _load_demo_catalog(warehouse)
    meta = sa.MetaData()
    table = sa.Table(
        "streaming_daily",
        meta,
        sa.Column("artist_id", sa.String(64)),
        sa.Column("track_id", sa.String(64)),
        sa.Column("day", sa.Date),
        sa.Column("streams", sa.Integer),
    )
    meta.create_all(warehouse.engine)
    rows = [
        {
            "artist_id": MAXSTACK,
            "track_id": "KJDQIrkVdFohZuzUGV62Wy",
            "day": START - timedelta(days=7 - i),
            "streams": 100 * (i + 1),
        }
        for i in range(14)
    ]
    with warehouse.engine.begin() as conn:
        conn.execute(table.insert(), rows)
    sheet = facts_from_warehouse(warehouse, MAXSTACK, period_start=START, period_end=END)
    (streams,) = sheet.of(StreamingFact)
    assert (
        streams.value == sum(100 * (i + 1) for i in range(7, 14))
        and streams.source.table == "streaming_daily"
    )
    assert streams.previous == sum(100 * (i + 1) for i in range(7))
    assert [t.title for t in sheet.of(TopTrackFact)] == ["Awakening"]
    assert sheet.coverage["streaming"] == "14 rows from streaming_daily"


def test_the_streaming_packages_daily_metrics_give_streams_listeners_and_followers(
    warehouse: Warehouse,
) -> None:
    _load_demo_catalog(warehouse)
    table = sa.Table("stream_metrics_daily", sa.MetaData(), autoload_with=warehouse.engine)
    rows = []
    for i in range(14):
        day = START - timedelta(days=7 - i)
        base = {
            "source": "s4a",
            "day": day,
            "artist_id": MAXSTACK,
            "streams_7d": 0,
            "streams_28d": 0,
            "listeners": None,
            "followers": None,
        }
        rows.append({**base, "level": "track", "entity_id": "KJDQIrkVdFohZuzUGV62Wy", "streams": 100 + i})
        rows.append({**base, "level": "track", "entity_id": "qdvGu9u5ptYQPAJuFz84oe", "streams": 50})
        rows.append(
            {
                **base,
                "level": "artist",
                "entity_id": MAXSTACK,
                "streams": 150 + i,
                "listeners": 400 + i,
                "followers": 970 + 4 * i,
            }
        )
        rows.append(
            {
                **base,
                "source": "realtime",
                "level": "track",
                "entity_id": "KJDQIrkVdFohZuzUGV62Wy",
                "streams": 9999,
            }
        )
    with warehouse.engine.begin() as conn:
        conn.execute(table.insert(), rows)
    sheet = facts_from_warehouse(warehouse, MAXSTACK, period_start=START, period_end=END)
    streams = next(f for f in sheet.of(StreamingFact) if f.metric == "streams")
    listeners = next(f for f in sheet.of(StreamingFact) if f.metric == "listeners")
    assert streams.value == sum(
        100 + i + 50 for i in range(7, 14)
    )  # one source, track level, no double count
    assert listeners.value == 413 and listeners.previous == 406
    (spotify,) = sheet.of(SocialFact)
    assert spotify.platform == "spotify" and spotify.followers == 1022 and spotify.previous == 994
    (milestone,) = sheet.of(MilestoneFact)
    assert milestone.threshold == 1000 and milestone.reached_on == START + timedelta(days=1)
    drafts = generate_drafts(sheet, kinds=["weekly_recap", "milestone_post"], languages=["de"], seed=1)
    assert len(drafts) == 8 and all(d.validation.ok for d in drafts)


def test_storing_drafts_twice_writes_nothing_the_second_time(warehouse: Warehouse, weekly_sheet) -> None:
    drafts = generate_drafts(
        weekly_sheet, kinds=["release_announcement", "short_bio"], languages=["en", "fr"], seed=8
    )
    first = store_drafts(warehouse, drafts, run_id="content-1", facts=[weekly_sheet])
    assert first.inserted == {"content_drafts": len(drafts), "content_fact_sheets": 1}
    before = warehouse.content_hash(tables=["content_drafts", "content_fact_sheets"])
    again = store_drafts(warehouse, drafts, run_id="content-2", facts=[weekly_sheet])
    assert again.rows_written == 0 and again.unchanged["content_drafts"] == len(drafts)
    assert warehouse.content_hash(tables=["content_drafts", "content_fact_sheets"]) == before
    rows = warehouse.rows("content_drafts")
    row = next(
        r for r in rows if r["kind"] == "short_bio" and r["language"] == "fr" and r["platform"] == "web"
    )
    draft = next(
        d for d in drafts if d.kind is ContentKind.short_bio and d.language == "fr" and d.platform == "web"
    )
    assert row["text"] == draft.text and row["grounded"] is True and row["seed"] == 8
    assert row["backend"] == "grounded" and row["template_version"] == draft.template_version
    assert row["validation"]["ok"] is True and row["fact_sheet_id"] == weekly_sheet.fact_sheet_id
    (sheet_row,) = warehouse.rows("content_fact_sheets")
    assert len(sheet_row["facts"]) == len(weekly_sheet.facts)
    other_seed = generate_drafts(weekly_sheet, kinds=["short_bio"], languages=["en"], seed=9)
    assert store_drafts(warehouse, other_seed, run_id="content-3").inserted == {
        "content_drafts": len(other_seed)
    }


def test_ready_to_post_files_per_platform(tmp_path: Path, weekly_sheet) -> None:
    drafts = generate_drafts(weekly_sheet, kinds=["milestone_post"], languages=["de"], seed=2)
    paths = write_ready_to_post(drafts, tmp_path)
    assert sorted(p.parent.name for p in paths) == ["instagram", "tiktok", "x", "youtube"]
    x = next(p for p in paths if p.parent.name == "x")
    assert x.read_text(encoding="utf-8") == next(d.text for d in drafts if d.platform == "x") + "\n"
    assert write_ready_to_post(drafts, tmp_path) == paths


def test_the_drafts_suite_passes_grounded_drafts_and_stops_bad_ones(weekly_sheet, tmp_path: Path) -> None:
    import pytest

    from analytics.content import drafts_frame, generate_drafts
    from analytics.validation import DatasetValidationError, validate

    frame = drafts_frame(generate_drafts(weekly_sheet, languages=("en", "de"), seed=3))
    assert validate(frame, suite="content_drafts", run_dir=tmp_path, run_id="ok").success
    bad = frame.copy()
    bad.loc[0, "grounded"] = False
    bad.loc[1, "text_length"] = bad.loc[1, "limit"] + 1
    with pytest.raises(DatasetValidationError) as error:
        validate(bad, suite="content_drafts", run_dir=tmp_path, run_id="bad")
    message = str(error.value)
    assert "grounded" in message and "text_length" in message


def test_facts_gathered_again_supersede_the_sheet_of_the_same_period_and_its_drafts(
    warehouse: Warehouse, weekly_sheet
) -> None:
    partial = weekly_sheet.model_copy(update={"facts": weekly_sheet.facts[:-1]})  # e.g. a platform failed
    assert partial.fact_sheet_id != weekly_sheet.fact_sheet_id
    kinds = {"kinds": ["short_bio"], "languages": ["en"], "seed": 8}
    store_drafts(warehouse, generate_drafts(partial, **kinds), run_id="content-1", facts=[partial])
    full_drafts = generate_drafts(weekly_sheet, **kinds)
    second = store_drafts(warehouse, full_drafts, run_id="content-2", facts=[weekly_sheet])
    assert second.removed == {"content_fact_sheets": 1, "content_drafts": len(full_drafts)}

    def current(table: str) -> set[str]:
        return {r["fact_sheet_id"] for r in warehouse.rows(table) if r["removed_run"] is None}

    assert current("content_fact_sheets") == current("content_drafts") == {weekly_sheet.fact_sheet_id}
    stale = {r["fact_sheet_id"]: r["removed_run"] for r in warehouse.rows("content_fact_sheets")}
    assert stale[partial.fact_sheet_id] == "content-2"
    assert store_drafts(warehouse, full_drafts, run_id="content-3", facts=[weekly_sheet]).rows_written == 0
    next_week = weekly_sheet.model_copy(
        update={"period_start": END + timedelta(1), "period_end": END + timedelta(7)}
    )
    store_drafts(warehouse, generate_drafts(next_week, **kinds), run_id="content-4", facts=[next_week])
    assert current("content_fact_sheets") == {weekly_sheet.fact_sheet_id, next_week.fact_sheet_id}
