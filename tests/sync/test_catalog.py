"""fetch_catalog reads what the catalog file holds, as each quota mode shows it; stored_catalog gives the same from the warehouse."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics import catalog, demo, sync
from analytics.config import QuotaMode, Settings
from tests.sync.conftest import FAST, start

# the sandbox has real snapshot ids and added_at times; the file-based frames make them up
MADE_UP = {"playlists": ["snapshot_id"], "playlist_items": ["added_at"]}


def _sorted(frame: pd.DataFrame, dataset: str) -> pd.DataFrame:
    keys = list(catalog.KEYS[dataset])
    out = frame.drop(columns=MADE_UP.get(dataset, [])).sort_values(keys).reset_index(drop=True)
    return out.astype(object).where(out.notna(), None)


@pytest.mark.parametrize("mode", ["development", "extended"])
def test_the_sandbox_read_matches_the_catalog_file(mode: str, settings: Settings) -> None:
    ids = demo.demo_artist_ids()
    expected = catalog.frames_from_catalog(demo.load_catalog(), artist_ids=ids, quota_mode=QuotaMode(mode))
    with (
        start(mode).running() as sb,
        sync.sandbox_client(settings.model_copy(update={"quota_mode": mode}), sb, policy=FAST) as client,
    ):
        got = sync.fetch_catalog(client, ids)
        requests = client.requests_made()
        shape = sync.shape_of(sb.state, ids, user_id="encore-demo-user")
    for dataset, frame in got.items():
        pd.testing.assert_frame_equal(_sorted(frame, dataset), _sorted(getattr(expected, dataset), dataset))
    assert requests == sync.minimum_requests(shape, mode)["total"]
    assert got.artists["followers"].isna().all() == (mode == "development")


def _same_frames(got: catalog.CatalogFrames, expected: catalog.CatalogFrames) -> None:
    for dataset, frame in got.items():
        keys = list(catalog.KEYS[dataset])
        left = frame.sort_values(keys).reset_index(drop=True)
        right = getattr(expected, dataset).sort_values(keys).reset_index(drop=True)
        pd.testing.assert_frame_equal(left.astype(object), right.astype(object), obj=dataset)


def test_the_stored_catalog_is_what_a_fresh_read_gives_before_and_after_changes(
    small_sb, sqlite_warehouse, run_sync, settings: Settings
) -> None:
    """The pipeline's run datasets come from the warehouse after the sync, not from a full read."""
    ids = sorted(a.id for a in small_sb.state.artists.values() if a.name != "Various Artists")
    local = settings.model_copy(update={"quota_mode": small_sb.runtime.quota_mode})

    def fresh() -> catalog.CatalogFrames:
        with sync.sandbox_client(local, small_sb, policy=FAST, persist_etags=False) as client:
            return sync.fetch_catalog(client, ids)

    run_sync(small_sb, sqlite_warehouse, run_id="first")
    stored = sync.stored_catalog(sqlite_warehouse, ids)
    assert len(stored.tracks) > 0 and len(stored.playlist_items) > 0
    _same_frames(stored, fresh())

    state = small_sb.state
    gone = next(e.album for e in state.discography(ids[1]) if e.group in ("album", "single"))
    renamed = next(t for t in state.tracks.values() if ids[0] in t.artist_ids and t.album_id != gone.id)
    state.add_single(ids[0], name="Stored Single", release_date="2026-11-23", isrc="ZZSTO2600001")
    state.rename_track(renamed.id, renamed.name + " (Remaster)")
    state.remove_album(gone.id)
    run_sync(small_sb, sqlite_warehouse, run_id="second")
    after = sync.stored_catalog(sqlite_warehouse, ids)
    assert gone.id not in set(after.albums["album_id"]) and "Stored Single" in set(after.albums["name"])
    _same_frames(after, fresh())
