"""What spotipy's own integration suite showed about the sandbox: trailing slashes, the Feb 2026
development-mode removals, 401 bodies on every route, and catalogs with duplicate ids."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from analytics.sandbox.spotify import SandboxOptions, SpotifySandbox
from analytics.sandbox.spotify.catalog import CatalogFormatError
from tests.conftest import TEST_HTTP_TIMEOUT_S
from tests.sandbox.conftest import MAXSTACK, SECTOID, SOUNDTRACK, UNKNOWN_ID, Api

FORBIDDEN_BODY = {"error": {"status": 403, "message": "Forbidden"}}


def test_a_trailing_slash_is_served_like_the_path_without_it(dev: Api, ext: Api) -> None:
    # spotipy sends `artists/?ids=…` and `albums/{id}/tracks/`; Spotify answers them, never with a redirect
    with_slash = ext.get(f"/artists/?ids={MAXSTACK},{SECTOID}")
    assert with_slash.status_code == 200, with_slash.text
    assert with_slash.json() == ext.json(f"/artists?ids={MAXSTACK},{SECTOID}")
    assert [a["name"] for a in with_slash.json()["artists"]] == ["Maxstack", "Sectoid"]
    tracks = dev.get(f"/albums/{SOUNDTRACK}/tracks/", params={"limit": 3})
    assert tracks.status_code == 200, tracks.text
    assert tracks.json() == dev.json(f"/albums/{SOUNDTRACK}/tracks", params={"limit": 3})
    assert tracks.json()["href"].startswith(f"{dev.sb.api_url}/albums/{SOUNDTRACK}/tracks?")
    assert dev.get(f"/artists/?ids={MAXSTACK}").json() == FORBIDDEN_BODY  # still removed in development
    routes = {(r.route, r.status) for r in dev.sb.requests}
    assert ("/v1/albums/{id}/tracks", 200) in routes and all(status != 307 for _, status in routes)


def test_development_mode_refuses_creating_a_playlist_for_a_user_and_markets(dev: Api, ext: Api) -> None:
    for_user = dev.request("POST", "/users/encore-demo-user/playlists", json={"name": "Mine"})
    assert for_user.status_code == 403 and for_user.json() == FORBIDDEN_BODY
    assert dev.request("POST", "/me/playlists", json={"name": "Mine"}).status_code == 201
    markets = dev.get("/markets")
    assert markets.status_code == 403 and markets.json() == FORBIDDEN_BODY
    created = ext.request("POST", "/users/encore-demo-user/playlists", json={"name": "Mine"})
    assert created.status_code == 201 and created.json()["owner"]["id"] == "encore-demo-user"
    assert {"US", "GB"} <= set(ext.json("/markets")["markets"])


def _concrete(template: str) -> str:
    return re.sub(r"\{[^}]+\}", UNKNOWN_ID, template).removeprefix("/v1")


@pytest.mark.parametrize("mode", ["development", "extended"])
def test_every_api_route_answers_401_bodies_without_a_valid_token(
    mode: str, api_for: Callable[..., Api]
) -> None:
    with SpotifySandbox(SandboxOptions(quota_mode=mode)).running() as sb:
        routes = [(m, path) for _, path, methods in sb.app.routes if path.startswith("/v1/") for m in methods]
        assert len(routes) > 30
        anonymous, forged = api_for(sb, token=None), api_for(sb, token="not-a-token")
        for method, template in routes:
            for api, message in ((anonymous, "No token provided"), (forged, "Invalid access token")):
                response = api.request(
                    method, _concrete(template), json={"name": "x"} if method != "GET" else None
                )
                assert response.status_code == 401, (method, template, response.text)
                assert response.json() == {"error": {"status": 401, "message": message}}, (method, template)
        token = api_for(sb).client.headers["Authorization"].removeprefix("Bearer ")
        sb.expire_tokens()
        expired = api_for(sb, token=token).get(f"/artists/{MAXSTACK}/")
        assert expired.json() == {"error": {"status": 401, "message": "The access token expired"}}


def _catalog(tmp_path: Path, **sections: list[dict[str, object]]) -> Path:
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps({"format": "encore-catalog/1", **sections}), encoding="utf-8")
    return path


ARTIST_A, ARTIST_B = "AAAAAAAAAAAAAAAAAAAAA1", "AAAAAAAAAAAAAAAAAAAAA2"
ALBUM, TRACK = "BBBBBBBBBBBBBBBBBBBBB1", "CCCCCCCCCCCCCCCCCCCCC1"


def _album(album_id: str, name: str, track_ids: list[str]) -> dict[str, object]:
    return {"id": album_id, "name": name, "album_type": "album", "artist_ids": [ARTIST_A],
            "release_date": "2025", "track_ids": track_ids}  # fmt: skip


def _track(track_id: str, name: str) -> dict[str, object]:
    return {"id": track_id, "name": name, "album_id": ALBUM, "artist_ids": [ARTIST_A], "duration_ms": 1000}


@pytest.mark.parametrize(
    ("sections", "expected"),
    [
        (
            {"artists": [{"id": ARTIST_A, "name": "First"}, {"id": ARTIST_B, "name": "Other"},
                         {"id": ARTIST_A, "name": "Again"}]},
            f"artists[0] 'First' and artists[2] 'Again' have the same id '{ARTIST_A}'",
        ),
        (
            {"artists": [{"id": ARTIST_A, "name": "A"}],
             "albums": [_album(ALBUM, "One", [TRACK]), _album(ALBUM, "Two", [])], "tracks": [_track(TRACK, "T")]},
            f"albums[0] 'One' and albums[1] 'Two' have the same id '{ALBUM}'",
        ),
        (
            {"artists": [{"id": ARTIST_A, "name": "A"}], "albums": [_album(ALBUM, "One", [TRACK])],
             "tracks": [_track(TRACK, "Song"), _track(TRACK, "Song (live)")]},
            f"tracks[0] 'Song' and tracks[1] 'Song (live)' have the same id '{TRACK}'",
        ),
    ],
)  # fmt: skip
def test_a_catalog_with_duplicate_ids_is_refused_naming_both_entries(
    tmp_path: Path, sections: dict[str, list[dict[str, object]]], expected: str
) -> None:
    path = _catalog(tmp_path, **sections)
    with pytest.raises(CatalogFormatError) as refused:
        SpotifySandbox(SandboxOptions(catalog_path=path))
    assert expected in str(refused.value) and str(path) in str(refused.value)


def test_a_catalog_without_duplicates_still_serves(tmp_path: Path, api_for: Callable[..., Api]) -> None:
    path = _catalog(
        tmp_path,
        artists=[{"id": ARTIST_A, "name": "A"}, {"id": ARTIST_B, "name": "B"}],
        albums=[_album(ALBUM, "One", [TRACK])],
        tracks=[_track(TRACK, "Song")],
    )
    with SpotifySandbox(SandboxOptions(catalog_path=path)).running() as sb:
        assert api_for(sb, user=False).json(f"/albums/{ALBUM}/tracks/")["items"][0]["name"] == "Song"
        assert httpx.get(f"{sb.api_url}/artists/{ARTIST_B}", timeout=TEST_HTTP_TIMEOUT_S).status_code == 401


@pytest.mark.parametrize(
    ("artist", "expected"),
    [
        ({"genres": "rock"}, "artists[0] 'A': genres must be a list of strings, not 'rock'"),
        ({"followers": "many"}, "artists[0] 'A': followers must be a whole number >= 0, not 'many'"),
        ({"popularity": -3}, "artists[0] 'A': popularity must be a whole number >= 0, not '-3'"),
    ],
)
def test_a_field_of_the_wrong_type_is_refused_naming_entry_and_field(
    tmp_path: Path, artist: dict[str, object], expected: str
) -> None:
    path = _catalog(tmp_path, artists=[{"id": ARTIST_A, "name": "A", **artist}])
    with pytest.raises(CatalogFormatError) as refused:
        SpotifySandbox(SandboxOptions(catalog_path=path))
    assert expected in str(refused.value)
