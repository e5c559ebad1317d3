"""Catalog sources (demo, user file, synthetic generator) and mutations through the Python handle."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from analytics.sandbox.spotify import (
    CatalogFormatError,
    CatalogState,
    SandboxOptions,
    SpotifySandbox,
    SyntheticCatalogSpec,
    generate_catalog,
)
from tests.sandbox.conftest import ADVANCED_SIMULACRA, MAXSTACK, SAMPLER, SOUNDTRACK, Api

ARTIST = "AAAAAAAAAAAAAAAAAAAAA1"
ALBUM = "BBBBBBBBBBBBBBBBBBBBB1"
TRACKS = ["CCCCCCCCCCCCCCCCCCCCC1", "CCCCCCCCCCCCCCCCCCCCC2"]


def small_catalog() -> dict[str, object]:
    return {
        "format": "encore-catalog/1",
        "artists": [
            {"id": ARTIST, "name": "Test Artist", "genres": ["folk"], "followers": 5, "popularity": 1}
        ],
        "albums": [
            {
                "id": ALBUM,
                "name": "First",
                "album_type": "album",
                "artist_ids": [ARTIST],
                "release_date": "2025-03",
                "release_date_precision": "month",
                "label": "Self",
                "upc": "123456789012",
                "track_ids": TRACKS,
            }
        ],
        "tracks": [
            {
                "id": tid,
                "name": f"Song {n}",
                "album_id": ALBUM,
                "artist_ids": [ARTIST],
                "track_number": n,
                "duration_ms": 1000 * n,
                "isrc": f"ZZTST250000{n}",
            }
            for n, tid in enumerate(TRACKS, start=1)
        ],
        "users": [{"id": "me", "display_name": "Me", "followed_artist_ids": [ARTIST]}],
        "playlists": [
            {"id": "DDDDDDDDDDDDDDDDDDDDD1", "name": "Mine", "owner_id": "me", "track_ids": TRACKS[::-1]}
        ],
    }


def test_user_catalog_file_is_served(tmp_path: Path, api_for: Callable[..., Api]) -> None:
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(small_catalog()))
    with SpotifySandbox(SandboxOptions(catalog_path=path)).running() as sb:
        api = api_for(sb, user=False)
        album = api.json(f"/albums/{ALBUM}")
        assert album["release_date"] == "2025-03" and album["release_date_precision"] == "month"
        assert [t["name"] for t in album["tracks"]["items"]] == ["Song 1", "Song 2"]
        assert api.json(f"/tracks/{TRACKS[1]}")["external_ids"] == {"isrc": "ZZTST2500002"}
        assert api.get(f"/artists/{MAXSTACK}").status_code == 404  # the demo is not there
        assert sb.state.playlists["DDDDDDDDDDDDDDDDDDDDD1"].entries[0].track_id == TRACKS[1]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c.update(format="other/1"), "expected 'encore-catalog/1'"),
        (lambda c: c["tracks"][0].update(id="not-base62"), "not a 22-character base-62"),
        (lambda c: c["albums"][0].update(album_type="ep"), "album_type 'ep'"),
        (lambda c: c["albums"][0]["track_ids"].append("E" * 22), "unknown ids"),
        (lambda c: c["tracks"][0].pop("duration_ms"), "missing field 'duration_ms'"),
    ],
)
def test_catalog_format_errors_say_what_and_where(change: Callable[[dict], object], message: str) -> None:
    catalog = small_catalog()
    change(catalog)
    with pytest.raises(CatalogFormatError, match=message):
        CatalogState.from_document(catalog)


def test_missing_catalog_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogFormatError, match="does not exist"):
        SpotifySandbox(SandboxOptions(catalog_path=tmp_path / "nope.json"))


def test_synthetic_catalog_has_realistic_shapes_and_is_seeded() -> None:
    spec = SyntheticCatalogSpec(artists=40, albums=400, tracks=4000, seed=3)
    started = time.perf_counter()
    state = generate_catalog(spec)
    assert time.perf_counter() - started < 5
    assert (len(state.artists), len(state.albums), len(state.tracks)) == (40, 400, 4000)
    types = Counter(a.album_type for a in state.albums.values())
    assert types["single"] > 100 and types["album"] > 100 and types["compilation"] >= 20
    assert max(len(a.track_ids) for a in state.albums.values()) > 50
    assert all(1 <= len(a.track_ids) <= 3 for a in state.albums.values() if a.album_type == "single")
    groups = Counter(e.group for artist_id in state.artists for e in state.discography(artist_id))
    assert groups["appears_on"] > 0
    isrcs = Counter(t.isrc for t in state.tracks.values())
    assert any(n > 1 for n in isrcs.values())  # compilations reuse recordings
    again = generate_catalog(spec)
    assert list(again.tracks) == list(state.tracks) and list(
        generate_catalog(SyntheticCatalogSpec(artists=40, albums=400, tracks=4000, seed=4)).tracks
    ) != list(state.tracks)


def test_synthetic_sandbox_serves_paging_over_a_big_discography(api_for: Callable[..., Api]) -> None:
    spec = SyntheticCatalogSpec(artists=10, albums=200, tracks=1500, seed=1)
    with SpotifySandbox(SandboxOptions(synthetic=spec, quota_mode="extended")).running() as sb:
        artist_id = max(sb.state.artists, key=lambda a: len(sb.state.discography(a)))
        api = api_for(sb)
        page = api.json(f"/artists/{artist_id}/albums", params={"limit": 50})
        total, seen = page["total"], len(page["items"])
        while page["next"]:
            page = api.json(page["next"])
            seen += len(page["items"])
        assert seen == total == len(sb.state.discography(artist_id)) > 20
        assert api.json("/me")["id"] == "encore-demo-user"


def test_mutations_through_the_handle_show_over_http(dev_sb: SpotifySandbox, dev: Api) -> None:
    state = dev_sb.state
    state.set_isrc(ADVANCED_SIMULACRA, "ZZNEW2600099")
    assert dev.json(f"/tracks/{ADVANCED_SIMULACRA}")["external_ids"] == {"isrc": "ZZNEW2600099"}
    single = state.add_single(MAXSTACK, name="New Single", release_date="2026-11-20", isrc="ZZNEW2600100")
    albums = dev.json(f"/artists/{MAXSTACK}/albums", params={"include_groups": "single", "limit": 10})[
        "items"
    ]
    assert albums[0]["id"] == single.id and albums[0]["name"] == "New Single"  # newest first
    state.remove_album(SAMPLER)
    assert dev.get(f"/albums/{SAMPLER}").status_code == 404
    groups = [
        a["album_group"] for a in dev.json(f"/artists/{MAXSTACK}/albums", params={"limit": 10})["items"]
    ]
    assert "appears_on" not in groups
    state.rename_track(ADVANCED_SIMULACRA, "Renamed")
    assert dev.json(f"/albums/{SOUNDTRACK}/tracks", params={"limit": 1})["items"][0]["name"] == "Renamed"
