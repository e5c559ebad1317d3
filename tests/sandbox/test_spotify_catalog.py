"""Catalog endpoints in both quota modes: objects, paging, limits, ids, ETags."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from tests.sandbox.conftest import (
    ADVANCED_SIMULACRA,
    MAXSTACK,
    SAMPLER,
    SECTOID,
    SOUNDTRACK,
    UNKNOWN_ID,
    Api,
)


def test_development_mode_hides_what_2026_development_apps_lost(dev: Api) -> None:
    artist = dev.json(f"/artists/{MAXSTACK}")
    assert artist["name"] == "Maxstack" and artist["uri"] == f"spotify:artist:{MAXSTACK}"
    assert "followers" not in artist and "popularity" not in artist
    album = dev.json(f"/albums/{SOUNDTRACK}")
    assert not {"label", "popularity", "available_markets"} & album.keys()
    assert album["external_ids"] == {"upc": "000000000001"}
    track = dev.json(f"/tracks/{ADVANCED_SIMULACRA}")
    assert track["external_ids"] == {"isrc": "ZZENC2600001"}
    assert not {"popularity", "available_markets", "preview_url"} & track.keys()
    assert track["album"]["id"] == SOUNDTRACK and "tracks" not in track["album"]


def test_extended_mode_keeps_the_older_surface(ext: Api) -> None:
    artist = ext.json(f"/artists/{MAXSTACK}")
    assert artist["followers"] == {"href": None, "total": 1843} and artist["popularity"] == 23
    album = ext.json(f"/albums/{SOUNDTRACK}")
    assert album["label"] == "Maxstack" and "popularity" in album and album["available_markets"]
    assert ext.json(f"/tracks/{ADVANCED_SIMULACRA}")["popularity"] == 16


def test_several_endpoints_are_forbidden_in_development_and_capped_in_extended(dev: Api, ext: Api) -> None:
    for path in (
        f"/artists?ids={MAXSTACK}",
        f"/albums?ids={SOUNDTRACK}",
        f"/tracks?ids={ADVANCED_SIMULACRA}",
    ):
        response = dev.get(path)
        assert response.status_code == 403
        assert response.json() == {"error": {"status": 403, "message": "Forbidden"}}
    artists = ext.json(f"/artists?ids={MAXSTACK},{UNKNOWN_ID},{SECTOID}")["artists"]
    assert [a and a["name"] for a in artists] == ["Maxstack", None, "Sectoid"]
    assert ext.get("/albums?ids=" + ",".join([SOUNDTRACK] * 21)).status_code == 400
    assert ext.get("/albums?ids=" + ",".join([SOUNDTRACK] * 20)).status_code == 200
    assert ext.get("/tracks?ids=" + ",".join([ADVANCED_SIMULACRA] * 51)).json()["error"]["status"] == 400


def test_removed_endpoints_answer_as_the_real_api(dev: Api, ext: Api) -> None:
    assert dev.get(f"/artists/{MAXSTACK}/top-tracks").status_code == 403
    assert len(ext.json(f"/artists/{MAXSTACK}/top-tracks")["tracks"]) == 10
    for path in ("/browse/new-releases", "/browse/categories", "/markets", "/users/another-user"):
        assert dev.get(path).status_code == 403, path
        assert ext.get(path).status_code == 200, path
    for api in (dev, ext):
        assert api.get(f"/artists/{MAXSTACK}/related-artists").status_code == 404
        assert api.get("/recommendations?seed_artists=" + MAXSTACK).status_code == 404
        assert api.get(f"/audio-features/{ADVANCED_SIMULACRA}").status_code == 403


def test_artist_albums_groups_and_paging_exactness(dev: Api) -> None:
    base = dev.sb.api_url
    first = dev.json(
        f"/artists/{MAXSTACK}/albums", params={"include_groups": "album,single,appears_on", "limit": 2}
    )
    assert (
        first["href"]
        == f"{base}/artists/{MAXSTACK}/albums?offset=0&limit=2&include_groups=album,single,appears_on"
    )
    assert (
        first["next"]
        == f"{base}/artists/{MAXSTACK}/albums?offset=2&limit=2&include_groups=album,single,appears_on"
    )
    assert first["previous"] is None and first["total"] == 4 and first["offset"] == 0 and first["limit"] == 2
    second = dev.json(first["next"])
    assert second["next"] is None
    assert second["previous"] == first["href"]
    groups = [a["album_group"] for a in first["items"] + second["items"]]
    assert groups == ["album", "album", "single", "appears_on"]
    assert (first["items"] + second["items"])[-1]["id"] == SAMPLER
    only_singles = dev.json(f"/artists/{MAXSTACK}/albums", params={"include_groups": "single"})
    assert [a["album_type"] for a in only_singles["items"]] == ["single"] and only_singles["limit"] == 5


def test_walking_next_links_visits_every_track_once(dev: Api) -> None:
    page = dev.json(f"/albums/{SOUNDTRACK}/tracks", params={"limit": 3, "market": "FR"})
    seen, previous_offsets = [], []
    while True:
        seen += [t["track_number"] for t in page["items"]]
        previous_offsets.append(page["offset"])
        assert parse_qs(urlsplit(page["href"]).query)["market"] == ["FR"]
        if page["next"] is None:
            break
        page = dev.json(page["next"])
    assert seen == list(range(1, 11)) and previous_offsets == [0, 3, 6, 9]
    assert page["previous"] == f"{dev.sb.api_url}/albums/{SOUNDTRACK}/tracks?offset=6&limit=3&market=FR"


def test_limits_per_mode(dev: Api, ext: Api) -> None:
    invalid = {"error": {"status": 400, "message": "Invalid limit"}}
    for limit in (0, 11, "x"):
        response = dev.get(f"/artists/{MAXSTACK}/albums", params={"limit": limit})
        assert response.status_code == 400 and response.json() == invalid
    assert ext.get(f"/artists/{MAXSTACK}/albums", params={"limit": 50}).status_code == 200
    assert ext.get(f"/artists/{MAXSTACK}/albums", params={"limit": 51}).json() == invalid
    assert dev.get("/search", params={"q": "a", "type": "track", "limit": 11}).json() == invalid
    assert ext.get("/search", params={"q": "a", "type": "track", "limit": 50}).status_code == 200
    assert dev.get(f"/albums/{SOUNDTRACK}/tracks", params={"limit": 51}).json() == invalid


def test_ids_uris_and_urls_resolve_and_bad_ids_get_spotify_errors(dev: Api) -> None:
    assert dev.json(f"/tracks/spotify:track:{ADVANCED_SIMULACRA}")["id"] == ADVANCED_SIMULACRA
    assert dev.get(f"/tracks/{UNKNOWN_ID}").json() == {
        "error": {"status": 404, "message": "Resource not found"}
    }
    for bad in ("short", ADVANCED_SIMULACRA + "x", "spotify:album:" + SOUNDTRACK):
        assert dev.get(f"/tracks/{bad}").json() == {"error": {"status": 400, "message": "Invalid base62 id"}}


def test_etag_is_stable_and_if_none_match_gives_304(dev: Api) -> None:
    first = dev.get(f"/albums/{SOUNDTRACK}")
    etag = first.headers["etag"]
    assert dev.get(f"/albums/{SOUNDTRACK}").headers["etag"] == etag
    not_modified = dev.get(f"/albums/{SOUNDTRACK}", headers={"If-None-Match": etag})
    assert (
        not_modified.status_code == 304
        and not_modified.content == b""
        and not_modified.headers["etag"] == etag
    )
    dev.sb.state.rename_track(ADVANCED_SIMULACRA, "Advanced Simulacra (Remastered)")
    changed = dev.get(f"/albums/{SOUNDTRACK}", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert changed.json()["tracks"]["items"][0]["name"] == "Advanced Simulacra (Remastered)"


def test_search_by_isrc_text_and_type(dev: Api) -> None:
    found = dev.json("/search", params={"q": "isrc:ZZENC2600004", "type": "track"})["tracks"]
    assert {t["album"]["album_type"] for t in found["items"]} == {"album", "compilation"} and found[
        "total"
    ] == 2
    both = dev.json("/search", params={"q": "sectoid", "type": "artist,album"})
    assert [a["name"] for a in both["artists"]["items"]] == ["Sectoid"]
    assert both["albums"]["total"] == 1
    assert both["artists"]["href"].startswith(
        f"{dev.sb.api_url}/search?offset=0&limit=5&query=sectoid&type=artist"
    )
    assert dev.get("/search", params={"q": "x", "type": "song"}).json()["error"]["status"] == 400


def test_every_get_response_carries_an_etag(dev: Api) -> None:
    for path in (f"/artists/{MAXSTACK}", f"/tracks/{UNKNOWN_ID}", "/tracks/bad"):
        response = dev.get(path)
        assert response.headers["etag"].startswith('"') and len(response.headers["etag"]) == 34, path
