"""The user's side over real HTTP in both modes: playlists read and written in chunks, follows."""

from __future__ import annotations

import math
import socket

import pytest

from analytics.config import Settings
from analytics.sandbox.spotify import DEMO_USER_ID, FaultRule, SpotifySandbox
from analytics.spotify import (
    CapabilityUnavailable,
    NeedsUserToken,
    RetriesExhausted,
    SpotifyClient,
    WriteOutcomeUnknown,
)
from tests.spotify.conftest import FAST, MakeClient, api_requests, sandbox_settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _tracks(sb: SpotifySandbox, n: int, *, start: int = 0) -> list[str]:
    return sorted(sb.state.tracks)[start : start + n]


def test_playlist_written_in_chunks_of_100_and_read_in_mode_sized_pages(
    sb: SpotifySandbox, client: SpotifyClient
) -> None:
    path = client.capabilities.playlist_items_path  # items (development) / tracks (extended)
    created = client.create_playlist("encore test: chunks", description="made by a test")
    first = _tracks(sb, 120)

    snapshot = client.add_items(created.id, first)

    assert api_requests(sb, method="POST", route=f"/v1/playlists/{{playlist_id}}/{path}") == 2  # 100 + 20
    stream = client.playlist_items(created.id)
    items = list(stream)
    assert [i.track.id for i in items if i.track] == first
    page = client.capabilities.page_limit("playlist_items")
    assert stream.pages_read == math.ceil(120 / page)  # 3 pages of 50, or 2 of 100
    assert api_requests(sb, route=f"/v1/playlists/{{playlist_id}}/{path}") == stream.pages_read

    replacement = _tracks(sb, 150, start=200)
    after_replace = client.replace_items(created.id, replacement)
    removed = replacement[:30]
    after_remove = client.remove_items(created.id, removed, snapshot_id=after_replace)
    after_move = client.reorder_items(created.id, range_start=0, insert_before=3, snapshot_id=after_remove)

    assert len({snapshot, after_replace, after_remove, after_move}) == 4
    kept = replacement[30:]
    expected = kept[1:3] + kept[:1] + kept[3:]
    assert [i.track.id for i in client.playlist_items(created.id) if i.track] == expected
    playlist, _ = client.playlist(created.id)
    assert playlist.snapshot_id == after_move and playlist.total_items == len(expected)
    assert playlist.items is not None and playlist.items.items[0].track is not None

    client.change_playlist_details(created.id, name="encore test: renamed", public=False)
    assert sb.state.playlists[created.id].name == "encore test: renamed"
    assert created.id in [p.id for p in client.my_playlists()]


def test_other_users_playlists_need_extended_mode(sb: SpotifySandbox, client: SpotifyClient) -> None:
    theirs = next(
        p
        for p in sorted(sb.state.playlists.values(), key=lambda p: p.id)
        if p.owner_id != DEMO_USER_ID and DEMO_USER_ID not in p.collaborator_ids and not p.collaborative
    )
    if client.capabilities.can("other_users_playlists"):
        assert [i.track.id for i in client.playlist_items(theirs.id) if i.track] == [
            e.track_id for e in theirs.entries
        ]
        return
    with pytest.raises(CapabilityUnavailable, match=rf"playlist {theirs.id}: .*needs quota mode 'extended'"):
        list(client.playlist_items(theirs.id))


def test_follow_and_list_followed_artists(sb: SpotifySandbox, client: SpotifyClient) -> None:
    wanted = sorted(sb.state.artists)[:3]
    client.follow_artists(wanted)
    followed = {a.id for a in client.followed_artists()}
    assert set(wanted) <= followed
    assert set(sb.state.users[DEMO_USER_ID].followed_artist_ids) == followed


def test_ambiguous_write_failure_is_not_repeated(sb: SpotifySandbox, client: SpotifyClient) -> None:
    created = client.create_playlist("encore test: no duplicates")
    path = client.capabilities.playlist_items_path
    route = f"/v1/playlists/{{playlist_id}}/{path}"
    sb.set_faults([FaultRule(route=route, kind="status", status=500, method="POST", times=1)])

    with pytest.raises(WriteOutcomeUnknown, match="Re-read the playlist"):
        client.add_items(created.id, _tracks(sb, 3))
    assert api_requests(sb, method="POST", route=route) == 1

    sb.set_faults([FaultRule(route=route, kind="status", status=503, method="POST", times=1)])
    client.add_items(created.id, _tracks(sb, 3))  # 503: not applied, so safely repeated
    assert [e.track_id for e in sb.state.playlists[created.id].entries] == _tracks(sb, 3)


def test_user_calls_need_a_user_token(sb: SpotifySandbox, make_client: MakeClient) -> None:
    app = make_client(user=False)
    assert app.auth_kind == "app"
    assert app.artist(sorted(sb.state.artists)[0]).value.id  # catalog reads work
    with pytest.raises(NeedsUserToken, match="ENCORE_SPOTIFY_REFRESH_TOKEN"):
        app.me()
    with pytest.raises(NeedsUserToken):
        app.create_playlist("never")


def test_write_that_never_reached_spotify_is_retried(sb: SpotifySandbox, settings: Settings) -> None:
    closed = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there: no request can arrive
    with SpotifyClient.from_settings(
        sandbox_settings(settings, sb), api_url=closed, accounts_url=sb.accounts_url, policy=FAST
    ) as client:
        with pytest.raises(RetriesExhausted, match=r"after 5 attempts \(last: connection error"):
            client.add_items("y73Jp9KsyZXEMUvUv8ugYj", ["fo5gJDtPCnbCesUtaAhLuw"])
        path = client.capabilities.playlist_items_path
        assert (
            client.request_counts()[(f"POST /playlists/{{id}}/{path}", "connection_error")]
            == FAST.max_attempts
        )
