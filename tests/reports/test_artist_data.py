"""What an artist report reads, and what it says when a part is missing (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from analytics import catalog
from analytics.config import QuotaMode
from analytics.reports import load_artist_data, load_run
from analytics.warehouse import Warehouse
from tests.reports.world import BARE_ID, HOSTILE_ID, world_catalog

START, END = date(2026, 10, 26), date(2026, 11, 22)
MAXSTACK = "YQhOGXX8g2pM1yHEFVFAjK"


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    frames = catalog.frames_from_catalog(world_catalog(), quota_mode=QuotaMode.development)
    frames.save(tmp_path / "run" / "datasets")
    (tmp_path / "run" / "manifest.json").write_text('{"run_id": "r1", "quota_mode": "development"}')
    return tmp_path / "run"


def test_without_a_warehouse_every_section_says_why_it_is_empty(run_dir: Path) -> None:
    data = load_artist_data(
        load_run(run_dir, artist_id=BARE_ID), None, artist_id=BARE_ID, start=START, end=END
    )
    assert data.name == "Quiet Newcomer" and data.quota_mode == "development" and len(data.tracks) == 1
    assert "no streaming tables yet" in data.missing["streaming"]
    assert "Spotify for Artists" in data.missing["streaming"]
    assert "encore run" in data.missing["audio"] and "removed audio features" in data.missing["audio"]
    assert "social sync" in data.missing["social"]
    assert "monitoring has not run" in data.missing["alerts"]
    assert "encore run writes them" in data.missing["drafts"]
    assert "no validation results" in data.missing["validation"]
    assert not data.has("streaming") and data.artist_daily.empty
    assert data.spotify_followers is None  # development mode: Spotify gives no followers


def test_an_empty_warehouse_says_the_artist_has_no_data_yet(run_dir: Path, warehouse: Warehouse) -> None:
    data = load_artist_data(
        load_run(run_dir, artist_id=BARE_ID), warehouse, artist_id=BARE_ID, start=START, end=END
    )
    assert "no streaming data for this artist yet" in data.missing["streaming"]
    assert "no social accounts linked" in data.missing["social"]
    assert data.missing["alerts"] == "no alerts fired in this period."
    assert "no listening by country" in data.missing["countries"]


def test_social_snapshots_of_the_artist_are_read_with_their_freshness(
    run_dir: Path, warehouse: Warehouse
) -> None:
    from analytics.social.store import upsert_snapshots

    rows = [
        {
            "platform": "youtube",
            "platform_id": "yt-1",
            "day": END - timedelta(days=i),
            "artist_id": artist,
            "followers": 100 + i,
            "posts": 1,
            "views": None,
            "likes": None,
            "comments": None,
            "sample_posts": 0,
            "engagement_rate": None,
        }
        for artist in (MAXSTACK,)
        for i in range(3)
    ]
    with warehouse.session() as session:
        upsert_snapshots(session, rows, run_id="r1")
    data = load_artist_data(
        load_run(run_dir, artist_id=MAXSTACK), warehouse, artist_id=MAXSTACK, start=START, end=END
    )
    assert data.has("social") and sorted(data.social["followers"]) == [100, 101, 102]
    assert data.freshness["social numbers up to"] == END.isoformat()
    other = load_artist_data(
        load_run(run_dir, artist_id=HOSTILE_ID), warehouse, artist_id=HOSTILE_ID, start=START, end=END
    )
    assert not other.has("social")


def test_an_unknown_artist_is_refused_with_the_artists_that_exist(run_dir: Path) -> None:
    with pytest.raises(KeyError, match="Maxstack"):
        load_artist_data(load_run(run_dir), None, artist_id="nope", start=START, end=END)
