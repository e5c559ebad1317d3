"""Reads over real HTTP in both quota modes: paging, batching, hidden fields, 304 reuse, accounting."""

from __future__ import annotations

import math

import pytest

from analytics.observability.metrics import REGISTRY
from analytics.sandbox.spotify import SpotifySandbox
from analytics.spotify import CapabilityUnavailable, SpotifyClient
from tests.spotify.conftest import MakeClient, api_requests, settled


def busiest_artist(sb: SpotifySandbox) -> str:
    return max(sorted(sb.state.artists), key=lambda a: len(sb.state.discography(a)))


def biggest_album(sb: SpotifySandbox) -> str:
    return max(sorted(sb.state.albums), key=lambda a: len(sb.state.albums[a].track_ids))


def test_artist_albums_streams_every_page_following_next(sb: SpotifySandbox, client: SpotifyClient) -> None:
    artist_id = busiest_artist(sb)
    expected = [e.album.id for e in sb.state.discography(artist_id)]
    limit = client.capabilities.page_limit("artist_albums")
    assert len(expected) > 10  # more than one development page

    stream = client.artist_albums(artist_id)
    pages = list(stream.pages())

    assert [a.id for p in pages for a in p.items] == expected
    assert len(pages) == stream.pages_read == math.ceil(len(expected) / limit)
    assert api_requests(sb, route="/v1/artists/{id}/albums") == len(pages)
    assert all(f"limit={limit}" in r.query for r in sb.requests if r.route == "/v1/artists/{id}/albums")
    assert {a.album_group for p in pages for a in p.items} <= {"album", "single", "compilation", "appears_on"}


def test_album_tracks_pages_beyond_fifty(sb: SpotifySandbox, client: SpotifyClient) -> None:
    album_id = biggest_album(sb)
    expected = sb.state.albums[album_id].track_ids
    assert len(expected) > 50

    tracks = client.album_tracks(album_id).all()

    assert [t.id for t in tracks.value] == expected
    assert api_requests(sb, route="/v1/albums/{id}/tracks") == 2


def test_batches_only_where_the_mode_allows(sb: SpotifySandbox, client: SpotifyClient) -> None:
    track_ids = sorted(sb.state.tracks)[:60]
    album_ids = sorted(sb.state.albums)[:25]
    artist_ids = sorted(sb.state.artists)

    tracks = client.tracks(track_ids).value
    albums = client.albums(album_ids).value
    artists = client.artists(artist_ids).value

    assert [t.id for t in tracks] == track_ids
    assert [t.isrc for t in tracks] == [sb.state.tracks[t].isrc for t in track_ids]
    assert [a.id for a in albums] == album_ids and [a.id for a in artists] == artist_ids
    if client.capabilities.can("several_tracks"):  # extended: 50 + 10, 20 + 5, 6
        assert (api_requests(sb, route="/v1/tracks"), api_requests(sb, route="/v1/albums")) == (2, 2)
        assert api_requests(sb, route="/v1/artists") == 1
        assert api_requests(sb, route="/v1/tracks/{id}") == 0
    else:  # development: one call per id, never a batch endpoint
        assert api_requests(sb, route="/v1/tracks/{id}") == 60
        assert api_requests(sb, route="/v1/albums/{id}") == 25
        assert api_requests(sb, route="/v1/artists/{id}") == len(artist_ids)
        assert api_requests(sb, route="/v1/tracks") + api_requests(sb, route="/v1/artists") == 0


def test_fields_the_mode_does_not_give_are_none_never_zero(sb: SpotifySandbox, client: SpotifyClient) -> None:
    artist_id = busiest_artist(sb)
    truth = sb.state.artists[artist_id]
    artist, _ = client.artist(artist_id)
    track, _ = client.track(sorted(sb.state.tracks)[0])
    if client.capabilities.can("popularity"):
        assert (artist.followers, artist.popularity) == (truth.followers, truth.popularity)
        assert track.popularity == sb.state.tracks[track.id or ""].popularity
    else:
        assert artist.followers is None and artist.popularity is None and track.popularity is None
    assert track.isrc == sb.state.tracks[track.id or ""].isrc  # ISRC in both modes


def test_unavailable_capabilities_raise_before_any_request(sb: SpotifySandbox, client: SpotifyClient) -> None:
    artist_id = busiest_artist(sb)
    if client.capabilities.can("artist_top_tracks"):
        top, _ = client.artist_top_tracks(artist_id)
        assert top and all(artist_id in [a.id for a in t.artists] for t in top)
        assert client.search("a", type="track", limit=50).value.tracks is not None
        return
    with pytest.raises(
        CapabilityUnavailable, match=r"top-tracks.*'development'.*needs quota mode 'extended'"
    ):
        client.artist_top_tracks(artist_id)
    with pytest.raises(CapabilityUnavailable, match=r"search limit=50 is more than .* gives \(10 a page\)"):
        client.search("a", type="track", limit=50)
    settled(sb)
    assert sb.stats().total == 0


def test_search_pages_within_the_mode_limit(sb: SpotifySandbox, client: SpotifyClient) -> None:
    name = sb.state.artists[busiest_artist(sb)].name
    results, _ = client.search(name, type="artist,track")
    assert results.artists is not None and name in [a.name for a in results.artists.items]
    assert results.tracks is not None and len(results.tracks.items) <= client.capabilities.page_limit(
        "search"
    )
    settled(sb)
    assert f"limit={client.capabilities.page_limit('search')}" in sb.requests[-1].query


def test_unchanged_objects_come_back_as_304_with_the_cached_body(
    sb: SpotifySandbox, client: SpotifyClient
) -> None:
    artist_id = busiest_artist(sb)
    first, first_flag = client.artist(artist_id)
    again, again_flag = client.artist(artist_id)
    assert (first_flag, again_flag) == (False, True) and again == first

    stream = client.artist_albums(artist_id)
    list(stream)
    assert stream.not_modified is False
    stream = client.artist_albums(artist_id)
    assert stream.not_modified is None  # not read yet
    albums = list(stream)
    assert stream.not_modified is True and len(albums) == len(sb.state.discography(artist_id))
    assert api_requests(sb, route="/v1/artists/{id}", status=304) == 1
    assert api_requests(sb, route="/v1/artists/{id}/albums", status=304) == stream.pages_read

    new = sb.state.add_single(artist_id, name="Brand New Single", release_date="2099-01-01")
    try:
        changed = client.artist_albums(artist_id).all()
        assert changed.not_modified is False and new.id in [a.id for a in changed.value]
    finally:
        sb.state.remove_album(new.id)


def test_etags_persist_across_runs(sb: SpotifySandbox, make_client: MakeClient) -> None:
    album_id = biggest_album(sb)
    with make_client() as first_run:
        album, unchanged = first_run.album(album_id)
        assert not unchanged
    second_run = make_client()  # same settings: same data_dir/cache
    again, unchanged = second_run.album(album_id)
    assert unchanged and again == album
    assert second_run.request_counts()[("GET /albums/{id}", "304")] == 1


def test_request_counts_match_what_the_server_saw(sb: SpotifySandbox, client: SpotifyClient) -> None:
    def sample(endpoint: str, status: str) -> float:
        return (
            REGISTRY.get_sample_value(
                "encore_spotify_requests_total", {"endpoint": endpoint, "status": status}
            )
            or 0
        )

    before = sample("GET /albums/{id}/tracks", "200")
    list(client.album_tracks(biggest_album(sb)))
    client.artist(busiest_artist(sb))
    client.artist(busiest_artist(sb))

    counts = client.request_counts()
    assert counts[("GET /albums/{id}/tracks", "200")] == 2
    assert counts[("GET /artists/{id}", "200")] == 1 and counts[("GET /artists/{id}", "304")] == 1
    assert counts[("POST /api/token", "200")] == 1
    settled(sb)
    assert sum(counts.values()) == sb.stats().total
    assert client.requests_made() == sb.stats().total - 1  # without the token request
    assert sample("GET /albums/{id}/tracks", "200") - before == 2
    assert {"endpoint": "GET /artists/{id}", "status": "304", "count": 1} in client.request_records()


def test_spotipy_escape_hatch_runs_under_the_same_policy(sb: SpotifySandbox, client: SpotifyClient) -> None:
    from analytics.sandbox.spotify import FaultRule

    artist_id = busiest_artist(sb)
    sb.set_faults([FaultRule(route="/v1/artists/{id}", kind="status", status=503, times=1)])
    raw = client.spotipy.artist(artist_id)
    assert raw["id"] == artist_id
    assert client.request_counts()[("GET /artists/{id}", "503")] == 1
    assert client.spotipy.retries == 0 and client.spotipy.status_retries == 0


def test_quota_mode_detection(sb: SpotifySandbox, client: SpotifyClient) -> None:
    assert client.detect_quota_mode(busiest_artist(sb)) == sb.runtime.quota_mode
