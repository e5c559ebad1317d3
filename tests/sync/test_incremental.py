"""Incremental by design: the minimum on a first sync, 304s and no writes on a second, history kept."""

from __future__ import annotations

import json

from analytics import audit, sync
from analytics.config import Settings
from analytics.sandbox.spotify import SpotifySandbox
from analytics.warehouse import Warehouse
from tests.sync.conftest import SyncFn, catalog_hash, settled, shape


def _api_statuses(report: sync.SyncReport) -> set[str]:
    return {key.rsplit(" ", 1)[1] for key in report.requests if "/api/token" not in key}


def test_first_sync_reads_the_minimum_and_a_second_writes_nothing(
    small_sb: SpotifySandbox, sqlite_warehouse: Warehouse, run_sync: SyncFn
) -> None:
    minimum = sync.minimum_requests(shape(small_sb), small_sb.runtime.quota_mode)
    first = run_sync(small_sb, sqlite_warehouse)
    assert first.outcome == "ok"
    assert first.requests_made <= 1.05 * minimum["total"], (first.requests, minimum)
    stored = {t: len(sqlite_warehouse.rows(t)) for t in ("artists", "albums", "tracks", "playlist_items")}
    assert stored["tracks"] == shape(small_sb).tracks and stored["albums"] == len(
        shape(small_sb).album_tracks
    )
    before = catalog_hash(sqlite_warehouse)
    versions = len(sqlite_warehouse.rows("entity_versions"))

    second = run_sync(small_sb, sqlite_warehouse)
    assert second.outcome == "unchanged" and second.changes.rows_written == 0
    assert catalog_hash(sqlite_warehouse) == before
    assert len(sqlite_warehouse.rows("entity_versions")) == versions
    assert _api_statuses(second) == {"304"}, second.requests
    assert second.requests_made == sync.detection_requests(shape(small_sb), small_sb.runtime.quota_mode)
    assert not any(k.startswith(("GET /tracks", "GET /playlists")) for k in second.requests)


def test_second_sync_says_so_in_the_audit_record(
    demo_sb: SpotifySandbox, warehouse: Warehouse, run_sync: SyncFn, settings: Settings
) -> None:
    for _ in range(2):
        with audit.run("sync_artist_data", settings=settings, warehouse=warehouse) as run:
            report = run_sync(demo_sb, warehouse, run_id=run.run_id)
            run.record("sync_catalog", report)
    entries = [json.loads(r["body"]) for r in warehouse.rows("audit_records", order_by=["seq"])]
    closing = [e for e in entries if e["task"] == "run"]
    assert [e["outcome"] for e in closing] == ["ok", "unchanged"]
    assert closing[1]["outputs"]["rows_written"] == 0
    synced = [e for e in entries if e["task"] == "sync_catalog"][1]
    assert synced["details"]["outcome"] == "unchanged" and "no change" in synced["details"]["message"]
    assert synced["details"]["checkpoints"]["@me/playlists"]["status"] == "complete"
    assert all(k.endswith(" 304") for k in synced["requests"] if "/api/token" not in k)


def test_known_changes_end_up_in_history_exactly_once(
    demo_sb: SpotifySandbox, warehouse: Warehouse, run_sync: SyncFn
) -> None:
    run_sync(demo_sb, warehouse)
    state = demo_sb.state
    artist = next(a for a in state.artists.values() if a.name == "Maxstack")
    in_playlists = {e.track_id for p in state.playlists.values() for e in p.entries}
    gone = next(
        e.album
        for e in state.discography(artist.id)
        if e.group == "single" and not in_playlists & set(e.album.track_ids)
    )
    renamed = next(t for t in state.tracks.values() if t.album_id != gone.id and artist.id in t.artist_ids)
    single = state.add_single(artist.id, name="Brand New", release_date="2026-11-20", isrc="ZZENC2699999")
    state.rename_track(renamed.id, "A New Name")
    state.remove_album(gone.id)

    report = run_sync(demo_sb, warehouse)
    assert report.changes.inserted == {"albums": 1, "tracks": 1}
    assert report.changes.updated == {"tracks": 1}
    assert report.changes.removed == {"albums": 1, "tracks": len(gone.track_ids)}
    run_sync(demo_sb, warehouse)  # nothing new the third time

    versions = warehouse.rows("entity_versions", order_by=["version_id"])

    def changes(entity_type: str, key: str) -> list[str]:
        return [v["change"] for v in versions if v["entity_type"] == entity_type and v["entity_key"] == key]

    assert changes("albums", single.id) == ["inserted"]
    assert changes("tracks", single.track_ids[0]) == ["inserted"]
    assert changes("tracks", renamed.id) == ["inserted", "updated"]
    assert changes("albums", gone.id) == ["inserted", "removed"]
    history = [v for v in versions if v["entity_type"] == "tracks" and v["entity_key"] == renamed.id]
    assert history[0]["valid_to"] is not None and history[1]["valid_to"] is None
    assert history[0]["data"]["name"] == renamed.name or history[1]["data"]["name"] == "A New Name"
    assert history[1]["data"]["name"] == "A New Name"
    (album,) = [r for r in warehouse.rows("albums") if r["album_id"] == gone.id]
    assert album["removed_run"] == report.run_id and album["removed_at"] is not None  # marked, not deleted


def test_full_resync_finds_what_only_full_records_show_and_writes_only_that(
    demo_sb: SpotifySandbox, sqlite_warehouse: Warehouse, run_sync: SyncFn
) -> None:
    run_sync(demo_sb, sqlite_warehouse)
    track = next(iter(demo_sb.state.tracks.values()))
    demo_sb.state.set_isrc(track.id, "ZZENC2600777")  # only the full track record shows an ISRC
    album = next(a for a in demo_sb.state.albums.values() if track.id not in a.track_ids)
    album.release_date = "2013-01-02"  # re-dated: the album object shows it
    demo_sb.state.touch()

    incremental = run_sync(demo_sb, sqlite_warehouse)
    assert incremental.changes.updated == {"albums": 1}
    full = run_sync(demo_sb, sqlite_warehouse, full=True)
    assert full.changes.updated == {"tracks": 1} and full.changes.inserted == {}
    (row,) = [r for r in sqlite_warehouse.rows("tracks") if r["track_id"] == track.id]
    assert row["isrc"] == "ZZENC2600777"
    assert any(k.startswith("GET /tracks/{id}") for k in full.requests)


def test_a_changed_playlist_is_reread_and_an_unchanged_one_is_not(
    demo_sb: SpotifySandbox, sqlite_warehouse: Warehouse, run_sync: SyncFn
) -> None:
    run_sync(demo_sb, sqlite_warehouse)
    state = demo_sb.state
    playlist = next(p for p in state.playlists.values() if p.owner_id == "encore-demo-user")
    state.commit_playlist(playlist, playlist.entries[:-1])  # one entry fewer, a new snapshot_id
    settled(demo_sb)
    demo_sb.reset_stats()
    report = run_sync(demo_sb, sqlite_warehouse)
    settled(demo_sb)
    read = {r.path for r in demo_sb.requests if r.route.startswith("/v1/playlists/{")}
    assert read == {f"/v1/playlists/{playlist.id}/items"}
    assert report.changes.removed == {"playlist_items": 1} and report.changes.updated == {"playlists": 1}


def test_rows_written_are_counted_for_prometheus(
    demo_sb: SpotifySandbox, sqlite_warehouse: Warehouse, run_sync: SyncFn
) -> None:
    from analytics.observability.metrics import REGISTRY

    def written(table: str) -> float:
        value = REGISTRY.get_sample_value("encore_sync_rows_total", {"table": table, "change": "inserted"})
        return value or 0.0

    before = written("tracks")
    report = run_sync(demo_sb, sqlite_warehouse)
    assert written("tracks") - before == report.changes.inserted["tracks"] > 0
