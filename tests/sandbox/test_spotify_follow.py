"""Following artists: PUT/DELETE /me/following, /me/library, and cursor paging of GET /me/following."""

from __future__ import annotations

from analytics.sandbox.spotify import SpotifySandbox
from tests.sandbox.conftest import MAXSTACK, SECTOID, VARIOUS, Api


def _followed(api: Api, limit: int) -> list[str]:
    ids, page = [], api.json("/me/following", params={"type": "artist", "limit": limit})["artists"]
    while True:
        ids += [a["id"] for a in page["items"]]
        assert len(page["items"]) <= limit
        if page["next"] is None:
            assert page["cursors"]["after"] is None and page["total"] == len(ids)
            return ids
        assert (
            page["next"]
            == f"{api.sb.api_url}/me/following?type=artist&limit={limit}&after={page['cursors']['after']}"
        )
        page = api.json(page["next"])["artists"]


def test_follow_unfollow_and_cursor_paging(dev: Api, dev_sb: SpotifySandbox) -> None:
    assert _followed(dev, 1) == sorted([MAXSTACK, SECTOID])
    assert dev.request("PUT", "/me/following", params={"type": "artist", "ids": VARIOUS}).status_code == 204
    assert _followed(dev, 2) == sorted([MAXSTACK, SECTOID, VARIOUS])
    assert (
        dev.request("DELETE", "/me/following", params={"type": "artist"}, json={"ids": [SECTOID]}).status_code
        == 204
    )
    assert dev.json("/me/following/contains", params={"type": "artist", "ids": f"{SECTOID},{VARIOUS}"}) == [
        False,
        True,
    ]
    assert dev_sb.state.users["encore-demo-user"].followed_artist_ids == [MAXSTACK, VARIOUS]


def test_library_endpoint_follows_artists_as_spotipy_does(dev: Api) -> None:
    uri = f"spotify:artist:{SECTOID}"
    assert dev.request("DELETE", "/me/library", params={"uris": uri}).status_code == 200
    assert dev.json("/me/library/contains", params={"uris": uri}) == [False]
    assert dev.request("PUT", "/me/library", params={"uris": uri}).status_code == 200
    assert SECTOID in [
        a["id"] for a in dev.json("/me/following", params={"type": "artist"})["artists"]["items"]
    ]


def test_following_errors(dev: Api) -> None:
    assert dev.get("/me/following", params={"type": "user"}).status_code == 400
    assert (
        dev.get("/me/following", params={"type": "artist", "limit": 51}).json()["error"]["message"]
        == "Invalid limit"
    )
    unknown = dev.request("PUT", "/me/following", params={"type": "artist", "ids": "0" * 22})
    assert unknown.status_code == 404
