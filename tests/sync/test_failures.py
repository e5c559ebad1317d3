"""Failure behaviour: a quota stop ends partial and resumes; malformed payloads are never stored."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest

from analytics import sync
from analytics.config import Settings
from analytics.sandbox.spotify import FaultRule, SpotifySandbox
from analytics.warehouse import Warehouse
from tests.sync.conftest import FAST, SMALL, SyncFn, catalog_hash, shape, start


def _no_duplicate_versions(warehouse: Warehouse) -> None:
    inserted = Counter(
        (v["entity_type"], v["entity_key"])
        for v in warehouse.rows("entity_versions")
        if v["change"] == "inserted"
    )
    assert inserted and max(inserted.values()) == 1


def test_a_long_retry_after_ends_the_run_partial_within_seconds_and_the_next_run_resumes(
    warehouse: Warehouse, reference_warehouse: Warehouse, run_sync: SyncFn, tmp_path: Path
) -> None:
    with start("development", synthetic=SMALL).running() as sb:
        reference = run_sync(sb, reference_warehouse, data_dir=tmp_path / "reference")
        minimum = sync.minimum_requests(shape(sb), "development")["total"]
        assert reference.requests_made == minimum

        sb.set_rate_limit(minimum // 2, retry_after_s=3600)  # Spotify's "come back in an hour"
        started = time.monotonic()
        stopped = run_sync(sb, warehouse, unit_albums=2)
        assert time.monotonic() - started < 10
        assert stopped.outcome == "partial" and stopped.resume_at is not None
        assert 3500 < (stopped.resume_at.timestamp() - time.time()) <= 3600
        assert "resume after" in stopped.message
        partial = [c for c in stopped.checkpoints.values() if c["status"] == "partial"]
        assert partial and all("resume_at" in c for c in partial)
        assert stopped.audit_record()["details"]["resume_at"] == stopped.resume_at.isoformat()

        sb.set_rate_limit(None)
        resumed = run_sync(sb, warehouse, unit_albums=2)
        assert resumed.outcome == "ok"
        assert all(c["status"] == "complete" for c in resumed.checkpoints.values())
        # the resumed run continues from the checkpoint: at most the interrupted unit is read again
        assert resumed.requests_made < minimum - stopped.requests_made + 40
    assert catalog_hash(warehouse) == catalog_hash(reference_warehouse)
    _no_duplicate_versions(warehouse)


def _first_album_with_tracks(sb: SpotifySandbox) -> tuple[str, str]:
    album = next(a for a in sb.state.albums.values() if a.track_ids)
    return album.id, album.track_ids[0]


def test_a_wrong_type_is_rejected_naming_the_resource_and_nothing_of_the_unit_is_stored(
    demo_sb: SpotifySandbox, warehouse: Warehouse, run_sync: SyncFn
) -> None:
    album_id, track_id = _first_album_with_tracks(demo_sb)
    demo_sb.state.tracks[track_id].duration_ms = "about four minutes"  # type: ignore[assignment]
    with pytest.raises(sync.SyncPayloadError) as error:
        run_sync(demo_sb, warehouse, unit_albums=100)
    message = str(error.value)
    assert album_id in message and "duration_ms" in message and "Nothing of this unit was stored" in message
    assert warehouse.rows("albums") == [] and warehouse.rows("tracks") == []


def test_a_missing_field_is_rejected_naming_the_album(
    demo_sb: SpotifySandbox, sqlite_warehouse: Warehouse, run_sync: SyncFn
) -> None:
    album_id, _ = _first_album_with_tracks(demo_sb)
    demo_sb.state.albums[album_id].release_date_precision = None  # type: ignore[assignment]
    demo_sb.state.touch()
    with pytest.raises(
        sync.SyncPayloadError, match=rf"album {album_id}.*'release_date_precision' is missing"
    ):
        run_sync(demo_sb, sqlite_warehouse, unit_albums=100)
    assert sqlite_warehouse.rows("albums") == []


def test_truncated_json_is_rejected_and_a_later_run_stores_everything_once(
    demo_sb: SpotifySandbox,
    sqlite_warehouse: Warehouse,
    reference_warehouse: Warehouse,
    run_sync: SyncFn,
    tmp_path: Path,
) -> None:
    demo_sb.set_faults([FaultRule(route="/v1/albums/*", kind="truncate")])
    with pytest.raises(sync.SyncPayloadError, match=r"album \w{22}.*cut short or not JSON"):
        run_sync(demo_sb, sqlite_warehouse)
    assert sqlite_warehouse.rows("albums") == [] and sqlite_warehouse.rows("tracks") == []
    assert len(sqlite_warehouse.rows("artists")) == 2  # an earlier unit, complete in itself

    demo_sb.set_faults([])
    assert run_sync(demo_sb, sqlite_warehouse).outcome == "ok"
    run_sync(demo_sb, reference_warehouse, data_dir=tmp_path / "reference")
    assert catalog_hash(sqlite_warehouse) == catalog_hash(reference_warehouse)
    _no_duplicate_versions(sqlite_warehouse)


def test_followed_artists_are_the_default_and_a_quota_stop_there_is_partial_too(
    demo_sb: SpotifySandbox, sqlite_warehouse: Warehouse, settings: Settings
) -> None:
    local = settings.model_copy(update={"quota_mode": "development"})
    with sync.sandbox_client(local, demo_sb, policy=FAST) as client:
        syncer = sync.Syncer(client, sqlite_warehouse, run_id="r1")
        assert sorted(syncer.resolve(None)) == sorted(
            demo_sb.state.users["encore-demo-user"].followed_artist_ids
        )
        demo_sb.force_rate_limit(retry_after_s=3600)
        stopped = sync.Syncer(client, sqlite_warehouse, run_id="r2")
        assert stopped.resolve(None) == [] and stopped.finish().outcome == "partial"


def test_an_unknown_artist_is_named(
    demo_sb: SpotifySandbox, sqlite_warehouse: Warehouse, run_sync: SyncFn
) -> None:
    with pytest.raises(sync.UnknownArtist, match=r"0000000000000000000000.*ENCORE_ARTIST_IDS"):
        run_sync(demo_sb, sqlite_warehouse, artist_ids=["0000000000000000000000"])
