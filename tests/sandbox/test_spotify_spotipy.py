"""A plain spotipy.Spotify pointed at the sandbox, as a user script would use it (see docs/sandbox.md)."""

from __future__ import annotations

import json
import time
from typing import Any

import requests
import spotipy
from spotipy.cache_handler import MemoryCacheHandler
from spotipy.oauth2 import SpotifyClientCredentials, SpotifyOAuth

from analytics.demo import demo_artist_ids
from analytics.sandbox.spotify import SpotifySandbox
from tests.sandbox import conformance
from tests.sandbox.conftest import MAXSTACK, THIS_IS_MAXSTACK


def _validating_session(sb: SpotifySandbox, counter: list[int]) -> requests.Session:
    session = requests.Session()

    def check(response: requests.Response, *args: Any, **kwargs: Any) -> None:
        if response.content and response.status_code not in (204, 304):
            path = requests.utils.urlparse(response.url).path
            if conformance.validate(
                response.request.method or "GET",
                path,
                response.status_code,
                json.loads(response.content),
                mode=sb.runtime.quota_mode,
            ):
                counter.append(1)

    session.hooks["response"].append(check)
    return session


def test_a_user_script_reads_the_demo_artists_albums_and_tracks(dev_sb: SpotifySandbox) -> None:
    auth = SpotifyClientCredentials(
        client_id=dev_sb.client_id, client_secret=dev_sb.client_secret, cache_handler=MemoryCacheHandler()
    )
    auth.OAUTH_TOKEN_URL = dev_sb.token_url
    validated: list[int] = []
    sp = spotipy.Spotify(
        auth_manager=auth,
        requests_session=_validating_session(dev_sb, validated),
        retries=0,
        status_retries=0,
    )
    sp.prefix = dev_sb.api_url + "/"
    catalog: dict[str, list[str]] = {}
    for artist_id in demo_artist_ids():
        page = sp.artist_albums(artist_id, include_groups="album,single", limit=10)
        albums = []
        while page:
            albums += page["items"]
            page = sp.next(page)
        for album in albums:
            tracks = sp.album_tracks(album["id"], limit=50)
            catalog[album["name"]] = [t["name"] for t in tracks["items"]]
    assert len(catalog) == 4 and catalog["Apex Aleph"] == ["Apex Aleph"]
    assert catalog["Fretsonfire Songs"][:2] == ["Escape from Chaosland", "Feelings"]
    assert len(catalog["Endgame: Singularity Original Soundtrack"]) == 10
    assert (
        sp.track(f"spotify:track:{dev_sb.state.albums['UiQR2dVQ1ytNk3VAEAYxGr'].track_ids[0]}")[
            "external_ids"
        ]["isrc"]
        == "ZZENC2600010"
    )
    assert len(validated) == 2 + 4 + 1  # every API response was checked against the spec


def test_a_user_script_acts_as_the_demo_user_without_a_browser(dev_sb: SpotifySandbox) -> None:
    cache = MemoryCacheHandler(
        token_info={
            "access_token": "",
            "refresh_token": dev_sb.user_refresh_token,
            "expires_at": 0,
            "scope": "",
        }
    )
    auth = SpotifyOAuth(
        client_id=dev_sb.client_id,
        client_secret=dev_sb.client_secret,
        redirect_uri="http://127.0.0.1:8888/callback",
        cache_handler=cache,
        open_browser=False,
    )
    auth.OAUTH_TOKEN_URL = dev_sb.token_url
    validated: list[int] = []
    sp = spotipy.Spotify(
        auth_manager=auth, requests_session=_validating_session(dev_sb, validated), retries=0
    )
    sp.prefix = dev_sb.api_url + "/"
    assert sp.current_user()["id"] == "encore-demo-user"
    assert cache.get_cached_token()["expires_at"] > time.time()
    playlist = sp.current_user_playlist_create("From spotipy", public=False)
    snapshot = sp.playlist_add_items(
        playlist["id"],
        [f"spotify:track:{t}" for t in dev_sb.state.albums["wp6dGHPccun2VGingJqiAY"].track_ids],
    )
    assert snapshot["snapshot_id"] == dev_sb.state.playlists[playlist["id"]].snapshot_id
    sp.playlist_reorder_items(playlist["id"], range_start=0, insert_before=4)
    items = sp.playlist_items(playlist["id"])["items"]
    assert [e["item"]["name"] for e in items][-1] == "Escape from Chaosland"
    assert sp.playlist_items(THIS_IS_MAXSTACK, limit=50)["total"] == 8
    sp.user_unfollow_artists([MAXSTACK])
    assert MAXSTACK not in [a["id"] for a in sp.current_user_followed_artists()["artists"]["items"]]
    sp.user_follow_artists([MAXSTACK])
    assert sp.current_user_following_artists([MAXSTACK]) == [True]
    assert len(validated) >= 8
