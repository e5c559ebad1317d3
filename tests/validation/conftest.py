"""Fixtures: the demo catalog as the warehouse's data columns, one DataFrame per dataset."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from analytics.demo import load_catalog

CATALOG_SUITES = ("artists", "albums", "tracks", "playlists", "playlist_items")


def demo_frames() -> dict[str, pd.DataFrame]:
    """The demo catalog turned into frames with the warehouse models' data columns."""
    catalog = load_catalog()
    artists = pd.DataFrame(
        [
            {
                "artist_id": a["id"],
                "name": a["name"],
                "genres": a["genres"],
                "followers": a.get("followers"),
                "popularity": a.get("popularity"),
            }
            for a in catalog["artists"]
        ]
    )
    albums = pd.DataFrame(
        [
            {
                "album_id": a["id"],
                "artist_id": a["artist_ids"][0],
                "name": a["name"],
                "album_type": a["album_type"],
                "album_group": None,
                "release_date": a["release_date"],
                "release_date_precision": a["release_date_precision"],
                "total_tracks": a["total_tracks"],
                "label": a.get("label"),
                "upc": a.get("upc"),
            }
            for a in catalog["albums"]
        ]
    )
    tracks = pd.DataFrame(
        [
            {
                "track_id": t["id"],
                "album_id": t["album_id"],
                "artist_id": t["artist_ids"][0],
                "artist_ids": list(dict.fromkeys(t["artist_ids"])),  # every credited artist, main first
                "name": t["name"],
                "disc_number": t["disc_number"],
                "track_number": t["track_number"],
                "duration_ms": t["duration_ms"],
                "explicit": t["explicit"],
                "isrc": t.get("isrc"),
                "popularity": t.get("popularity"),
            }
            for t in catalog["tracks"]
        ]
    )
    playlists = pd.DataFrame(
        [
            {
                "playlist_id": p["id"],
                "name": p["name"],
                "description": p.get("description"),
                "owner_id": p["owner_id"],
                "public": p.get("public"),
                "collaborative": p.get("collaborative", False),
                "snapshot_id": hashlib.sha256("".join(p["track_ids"]).encode()).hexdigest()[:32],
                "total_items": len(p["track_ids"]),
            }
            for p in catalog["playlists"]
        ]
    )
    items = pd.DataFrame(
        [
            {
                "playlist_id": p["id"],
                "position": position,
                "track_id": track_id,
                "added_at": "2026-01-15T10:00:00Z",
                "added_by": p["owner_id"],
            }
            for p in catalog["playlists"]
            for position, track_id in enumerate(p["track_ids"])
        ]
    )
    return {
        "artists": artists,
        "albums": albums,
        "tracks": tracks,
        "playlists": playlists,
        "playlist_items": items,
    }


@pytest.fixture
def frames() -> dict[str, pd.DataFrame]:
    """Fresh demo frames (tests may change them)."""
    return demo_frames()


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    return tmp_path / "runs" / "run-0001"
