"""fetch_catalog (the pipeline's load) reads what the catalog file holds, as each quota mode shows it."""

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
