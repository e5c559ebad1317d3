"""Playlists: create, details, items with snapshot_id semantics, permissions per quota mode, persistence."""

from __future__ import annotations

from collections.abc import Callable

from analytics.sandbox.spotify import SpotifySandbox
from tests.sandbox.conftest import (
    ADVANCED_SIMULACRA,
    NIGHT_DRIVE,
    SOMEONE_ELSES,
    SOUNDTRACK,
    THIS_IS_MAXSTACK,
    Api,
)


def _soundtrack_uris(api: Api) -> list[str]:
    return [t["uri"] for t in api.json(f"/albums/{SOUNDTRACK}/tracks", params={"limit": 10})["items"]]


def _names(api: Api, playlist_id: str) -> list[str]:
    return [
        e["item"]["name"] for e in api.json(f"/playlists/{playlist_id}/items", params={"limit": 50})["items"]
    ]


def _new_playlist(api: Api, uris: list[str]) -> tuple[str, str]:
    created = api.request("POST", "/me/playlists", json={"name": "Test list", "public": False})
    assert created.status_code == 201
    playlist = created.json()
    assert playlist["owner"]["id"] == "encore-demo-user" and playlist["items"]["total"] == 0
    added = api.request("POST", f"/playlists/{playlist['id']}/items", json={"uris": uris})
    assert added.status_code == 201
    return playlist["id"], added.json()["snapshot_id"]


def test_every_change_gives_a_new_snapshot_and_changes_persist(
    dev: Api, dev_sb: SpotifySandbox, api_for: Callable[..., Api]
) -> None:
    uris = _soundtrack_uris(dev)
    playlist_id, s1 = _new_playlist(dev, uris[:4])
    s2 = dev.request(
        "POST", f"/playlists/{playlist_id}/items", params={"uris": uris[4], "position": 0}
    ).json()["snapshot_id"]
    s3 = dev.request(
        "PUT", f"/playlists/{playlist_id}/items", json={"range_start": 0, "insert_before": 5}
    ).json()["snapshot_id"]
    assert (
        dev.request(
            "PUT", f"/playlists/{playlist_id}", json={"name": "Renamed", "description": "d"}
        ).status_code
        == 200
    )
    s4 = dev.json(f"/playlists/{playlist_id}")["snapshot_id"]
    assert len({s1, s2, s3, s4}) == 4
    other_client = api_for(dev_sb)  # a new token, same process: the changes are there
    playlist = other_client.json(f"/playlists/{playlist_id}")
    assert (
        playlist["name"] == "Renamed" and playlist["description"] == "d" and playlist["items"]["total"] == 5
    )
    assert _names(other_client, playlist_id) == [
        "Advanced Simulacra",
        "Awakening",
        "By-Product",
        "Coherence",
        "Deprecation",
    ]
    assert playlist_id in [p["id"] for p in other_client.json("/me/playlists")["items"]]


def test_replace_then_reorder_ranges(dev: Api) -> None:
    uris = _soundtrack_uris(dev)
    playlist_id, _ = _new_playlist(dev, uris[:2])
    dev.request("PUT", f"/playlists/{playlist_id}/items", json={"uris": uris[:6]})
    dev.request(
        "PUT",
        f"/playlists/{playlist_id}/items",
        json={"range_start": 1, "range_length": 2, "insert_before": 5},
    )
    assert [n[:3] for n in _names(dev, playlist_id)] == ["Adv", "Coh", "Dep", "Awa", "By-", "Ine"]
    dev.request("PUT", f"/playlists/{playlist_id}/items", json={"range_start": 4, "insert_before": 0})
    assert [n[:3] for n in _names(dev, playlist_id)] == ["By-", "Adv", "Coh", "Dep", "Awa", "Ine"]
    bad = dev.request("PUT", f"/playlists/{playlist_id}/items", json={"range_start": 6, "insert_before": 0})
    assert bad.status_code == 400


def test_stale_snapshot_positions_refer_to_that_snapshot(dev: Api) -> None:
    uris = _soundtrack_uris(dev)
    playlist_id, old = _new_playlist(dev, uris[:3])  # A B C
    dev.request("POST", f"/playlists/{playlist_id}/items", json={"uris": [uris[3]], "position": 0})  # D A B C
    # Position 2 in the old snapshot is C; removing it against the old snapshot removes that C, not B.
    removed = dev.request(
        "DELETE",
        f"/playlists/{playlist_id}/items",
        json={"items": [{"uri": uris[2], "positions": [2]}], "snapshot_id": old},
    )
    assert removed.status_code == 200
    assert [n[:3] for n in _names(dev, playlist_id)] == ["Coh", "Adv", "Awa"]
    # In the old snapshot position 1 is B (Awakening), not A: the real API refuses the mismatch.
    mismatch = dev.request(
        "DELETE",
        f"/playlists/{playlist_id}/items",
        json={"items": [{"uri": uris[0], "positions": [1]}], "snapshot_id": old},
    )
    assert mismatch.status_code == 400
    # Reorder against the old snapshot: move its first entry (A) to its end.
    dev.request(
        "PUT",
        f"/playlists/{playlist_id}/items",
        json={"range_start": 0, "insert_before": 3, "snapshot_id": old},
    )
    assert [n[:3] for n in _names(dev, playlist_id)] == ["Coh", "Awa", "Adv"]
    unknown = dev.request(
        "DELETE",
        f"/playlists/{playlist_id}/items",
        json={"items": [{"uri": uris[0]}], "snapshot_id": "bm9wZQ=="},
    )
    assert unknown.status_code == 400 and unknown.json()["error"]["message"] == "Invalid snapshot id"


def test_remove_all_occurrences_without_positions(dev: Api) -> None:
    uris = _soundtrack_uris(dev)
    playlist_id, _ = _new_playlist(dev, [uris[0], uris[1], uris[0]])
    dev.request("DELETE", f"/playlists/{playlist_id}/items", json={"items": [{"uri": uris[0]}]})
    assert _names(dev, playlist_id) == ["Awakening"]


def test_at_most_100_items_per_request(dev: Api) -> None:
    playlist_id, _ = _new_playlist(dev, [f"spotify:track:{ADVANCED_SIMULACRA}"])
    many = [f"spotify:track:{ADVANCED_SIMULACRA}"] * 101
    for method, body in (("POST", {"uris": many}), ("PUT", {"uris": many})):
        response = dev.request(method, f"/playlists/{playlist_id}/items", json=body)
        assert response.status_code == 400, method
    assert (
        dev.request("POST", f"/playlists/{playlist_id}/items", json={"uris": many[:100]}).status_code == 201
    )
    assert (
        dev.request(
            "DELETE", f"/playlists/{playlist_id}/items", json={"items": [{"uri": u} for u in many]}
        ).status_code
        == 400
    )
    page = dev.json(f"/playlists/{playlist_id}/items", params={"limit": 50, "offset": 50})
    assert page["total"] == 101 and len(page["items"]) == 50
    assert dev.get(f"/playlists/{playlist_id}/items", params={"limit": 51}).status_code == 400


def test_development_items_are_readable_only_when_owned_or_collaborating(dev: Api, ext: Api) -> None:
    assert dev.get(f"/playlists/{NIGHT_DRIVE}/items").status_code == 200
    forbidden = dev.get(f"/playlists/{SOMEONE_ELSES}/items")
    assert forbidden.status_code == 403 and forbidden.json() == {
        "error": {"status": 403, "message": "Forbidden"}
    }
    meta = dev.json(f"/playlists/{SOMEONE_ELSES}")
    assert meta["owner"]["id"] == "another-user" and "items" not in meta
    assert ext.get(f"/playlists/{SOMEONE_ELSES}/items").status_code == 200
    denied = dev.request(
        "POST", f"/playlists/{SOMEONE_ELSES}/items", json={"uris": [f"spotify:track:{ADVANCED_SIMULACRA}"]}
    )
    assert denied.status_code == 403


def test_items_versus_tracks_per_mode(dev: Api, ext: Api) -> None:
    entry = dev.json(f"/playlists/{THIS_IS_MAXSTACK}/items")["items"][0]
    assert "item" in entry and "track" not in entry and entry["item"]["type"] == "track"
    assert dev.get(f"/playlists/{THIS_IS_MAXSTACK}/tracks").status_code == 403
    old = ext.json(f"/playlists/{THIS_IS_MAXSTACK}/tracks", params={"limit": 100})
    assert "track" in old["items"][0] and "item" not in old["items"][0] and old["total"] == 8
    playlist = ext.json(f"/playlists/{THIS_IS_MAXSTACK}")
    assert playlist["tracks"]["total"] == 8 and playlist["items"]["total"] == 8


def test_create_for_user_and_detail_rules(dev: Api, ext: Api) -> None:
    for_user = ext.request(
        "POST",
        "/users/encore-demo-user/playlists",
        json={"name": "Mine", "collaborative": True, "public": False},
    )
    assert for_user.status_code == 201 and for_user.json()["collaborative"] is True
    assert ext.request("POST", "/users/another-user/playlists", json={"name": "Theirs"}).status_code == 403
    assert dev.request("POST", "/users/encore-demo-user/playlists", json={"name": "Mine"}).status_code == 403
    created = dev.request(
        "POST", "/me/playlists", json={"name": "Mine", "collaborative": True, "public": False}
    )
    assert created.status_code == 201 and created.json()["collaborative"] is True
    assert dev.request("POST", "/me/playlists", json={"public": True}).status_code == 400
    assert dev.request("PUT", f"/playlists/{SOMEONE_ELSES}", json={"name": "Mine now"}).status_code == 403
    assert dev.request("PUT", f"/playlists/{created.json()['id']}", json={"public": True}).status_code == 400


def test_fields_filter(dev: Api) -> None:
    only = dev.json(f"/playlists/{THIS_IS_MAXSTACK}", params={"fields": "snapshot_id,items(total,limit)"})
    assert set(only) == {"snapshot_id", "items"} and only["items"] == {"total": 8, "limit": 50}


def test_fields_filter_nested_and_dotted(dev: Api) -> None:
    page = dev.json(
        f"/playlists/{THIS_IS_MAXSTACK}/items",
        params={"fields": "total,items(added_by.id,item(name,album(name)))", "limit": 1},
    )
    assert page == {
        "total": 8,
        "items": [
            {
                "added_by": {"id": "encore-demo-user"},
                "item": {
                    "name": "Advanced Simulacra",
                    "album": {"name": "Endgame: Singularity Original Soundtrack"},
                },
            }
        ],
    }
