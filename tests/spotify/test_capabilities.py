"""The capability matrix per quota mode (pure: no sandbox)."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.config import QuotaMode
from analytics.spotify import Capabilities, CapabilityUnavailable, capability_table

DOCS = Path(__file__).resolve().parents[2] / "docs" / "spotify-client.md"
DEV = Capabilities(QuotaMode.development)
EXT = Capabilities(QuotaMode.extended)


@pytest.mark.parametrize(
    ("kind", "dev", "ext"),
    [("tracks", 1, 50), ("albums", 1, 20), ("artists", 1, 50), ("playlist_write", 100, 100)],
)
def test_batch_sizes_per_mode(kind: str, dev: int, ext: int) -> None:
    assert DEV.batch_size(kind) == dev
    assert EXT.batch_size(kind) == ext


@pytest.mark.parametrize(
    ("endpoint", "dev", "ext"),
    [("search", 10, 50), ("artist_albums", 10, 50), ("playlist_items", 50, 100), ("album_tracks", 50, 50)],
)
def test_page_limits_per_mode(endpoint: str, dev: int, ext: int) -> None:
    assert DEV.page_limit(endpoint) == dev
    assert EXT.page_limit(endpoint) == ext


@pytest.mark.parametrize(
    "feature",
    [
        "several_tracks",
        "several_albums",
        "several_artists",
        "artist_top_tracks",
        "artist_followers",
        "popularity",
    ],
)
def test_extended_only_features(feature: str) -> None:
    assert not DEV.can(feature)
    assert EXT.can(feature)
    EXT.require(feature)
    with pytest.raises(CapabilityUnavailable) as info:
        DEV.require(feature)
    assert info.value.available_in == ("extended",)
    assert "'development'" in str(info.value) and "ENCORE_QUOTA_MODE=extended" in str(info.value)


def test_removed_features_are_unavailable_everywhere_and_say_what_to_do_instead() -> None:
    for caps in (DEV, EXT):
        with pytest.raises(CapabilityUnavailable) as info:
            caps.require("audio_features")
        assert info.value.available_in == ()
        assert "no Spotify app can use it any more" in str(info.value)
        assert "analytics.audio" in str(info.value)


def test_playlist_items_shape_per_mode() -> None:
    assert DEV.playlist_items_path == "items"
    assert EXT.playlist_items_path == "tracks"


def test_hidden_fields_only_in_development() -> None:
    assert set(DEV.hidden_fields("artist")) == {"followers", "popularity"}
    assert "popularity" in DEV.hidden_fields("track")
    assert EXT.hidden_fields("artist") == ()


def test_unknown_names_are_clear_errors() -> None:
    with pytest.raises(
        ValueError, match=r"unknown Spotify capability 'several_pancakes'; known: .*several_tracks"
    ):
        DEV.can("several_pancakes")
    with pytest.raises(ValueError, match="no batch size for 'pancakes'"):
        DEV.batch_size("pancakes")
    with pytest.raises(ValueError, match="no page limit"):
        DEV.page_limit("pancakes")


def test_mode_from_string() -> None:
    assert Capabilities("extended").mode is QuotaMode.extended
    with pytest.raises(ValueError):
        Capabilities("premium")


def test_docs_carry_the_current_matrix() -> None:
    assert capability_table() in DOCS.read_text(encoding="utf-8"), (
        "docs/spotify-client.md is out of date: paste analytics.spotify.capability_table() into it"
    )
