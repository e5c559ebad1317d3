"""The request plan: the theoretical minimum per quota mode, derived by hand for small shapes."""

from __future__ import annotations

from analytics.sync import CatalogShape, change_detection_floor, detection_requests, minimum_requests

# two artists listing 12 and 3 albums; three distinct albums of 1, 10 and 120 tracks; 131
# tracks; 3 listed playlists, two of them the user's, with 0 and 130 entries
SHAPE = CatalogShape(
    discography=(12, 3), album_tracks=(1, 10, 120), tracks=131, listed_playlists=3, playlist_items=(0, 130)
)


def test_development_mode_pays_one_request_per_object() -> None:
    parts = minimum_requests(SHAPE, "development")
    assert parts["artists"] == 2  # no GET /artists?ids=
    assert parts["discography"] == 2 + 1  # pages of 10: 12 -> 2, 3 -> 1
    assert parts["albums"] == 3
    assert parts["album_pages"] == 2  # 120 tracks: 50 embedded, then 2 pages of 50
    assert parts["tracks"] == 131
    assert parts["me"] == 1 and parts["my_playlists"] == 1
    assert parts["playlist_items"] == 0 + 3  # an empty playlist needs no page; 130 / 50 -> 3
    assert parts["total"] == sum(v for k, v in parts.items() if k != "total")


def test_extended_mode_batches() -> None:
    parts = minimum_requests(SHAPE, "extended")
    assert parts["artists"] == 1 and parts["albums"] == 1
    assert parts["discography"] == 2  # pages of 50
    assert parts["tracks"] == 3  # 131 / 50
    assert parts["playlist_items"] == 2  # 130 / 100
    assert parts["total"] < minimum_requests(SHAPE, "development")["total"] / 10


def test_detection_leaves_out_what_only_a_first_sync_reads() -> None:
    for mode in ("development", "extended"):
        parts = minimum_requests(SHAPE, mode)
        assert detection_requests(SHAPE, mode) == parts["total"] - parts["tracks"] - parts["playlist_items"]


def test_an_artist_without_albums_still_costs_one_listing_page() -> None:
    empty = CatalogShape(discography=(0,), album_tracks=(), tracks=0)
    parts = minimum_requests(empty, "development")
    assert parts["discography"] == 1 and parts["albums"] == 0 and parts["me"] == 0


def test_the_change_detection_floor_by_hand() -> None:
    # development: 2 discographies + min(3 albums, 131 tracks / 10 per search page -> 14) = 5
    assert change_detection_floor(SHAPE, "development") == 2 + 3
    # extended: 2 + min(3 albums / 20, 131 / 50) -> 2 + 1
    assert change_detection_floor(SHAPE, "extended") == 2 + 1
    # many one-track albums: search pages of 10 tracks are the cheaper way to see every name
    singles = CatalogShape(discography=(40,), album_tracks=(1,) * 40, tracks=40)
    assert change_detection_floor(singles, "development") == 1 + 4


def test_the_floor_never_exceeds_what_the_sync_needs_to_detect() -> None:
    shapes = [SHAPE, CatalogShape(discography=(40,), album_tracks=(1,) * 40, tracks=40)]
    for shape in shapes:
        for mode in ("development", "extended"):
            assert change_detection_floor(shape, mode) <= detection_requests(shape, mode)
