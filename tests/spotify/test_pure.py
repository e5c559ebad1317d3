"""Pure pieces: backoff schedule, Retry-After, endpoint templates, ids, models, redaction."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from analytics.http.retry import parse_retry_after
from analytics.observability.redaction import redact_client as redact
from analytics.observability.redaction import register_secret
from analytics.spotify import Artist, Playlist, PlaylistItem, RetryPolicy, Track
from analytics.spotify.accounting import endpoint_template
from analytics.spotify.etags import CachedResponse, ETagCache, cache_key
from analytics.spotify.ids import chunks, spotify_id, spotify_uri

API = "http://127.0.0.1:8123/v1"
ACCOUNTS = "http://127.0.0.1:8123"


def test_backoff_schedule_grows_within_jittered_envelope_and_is_capped() -> None:
    policy = RetryPolicy(max_attempts=8, base_delay_s=0.5, factor=2.0, max_delay_s=4.0, jitter=0.5)
    schedule = policy.schedule(rng=random.Random(7))
    assert len(schedule) == 7
    envelopes = [0.5, 1.0, 2.0, 4.0, 4.0, 4.0, 4.0]
    for delay, env in zip(schedule, envelopes, strict=True):
        assert env * 0.5 <= delay <= env
    assert schedule == policy.schedule(rng=random.Random(7))  # seeded: reproducible
    assert schedule != policy.schedule(rng=random.Random(8))  # jittered: not lock-step


def test_backoff_without_jitter_is_exact() -> None:
    policy = RetryPolicy(max_attempts=4, base_delay_s=0.1, factor=3.0, max_delay_s=10, jitter=0.0)
    assert policy.schedule(rng=random.Random(0)) == pytest.approx([0.1, 0.3, 0.9])


def test_policy_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="max_attempts"):
        RetryPolicy(max_attempts=0)
    with pytest.raises(ValueError, match="jitter"):
        RetryPolicy(jitter=1.5)


def test_retry_after_seconds_and_http_date() -> None:
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    assert parse_retry_after("3600") == 3600
    assert parse_retry_after(" 1 ") == 1
    assert parse_retry_after(format_datetime(now + timedelta(seconds=90), usegmt=True), now=now) == 90
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    assert RetryPolicy(max_retry_wait_s=30).honours(30) and not RetryPolicy(max_retry_wait_s=30).honours(31)


@pytest.mark.parametrize(
    ("method", "url", "template"),
    [
        ("GET", f"{API}/artists/YQhOGXX8g2pM1yHEFVFAjK/albums?limit=10", "GET /artists/{id}/albums"),
        ("GET", f"{API}/artists?ids=a,b", "GET /artists"),
        ("POST", f"{API}/playlists/y73Jp9KsyZXEMUvUv8ugYj/items", "POST /playlists/{id}/items"),
        ("GET", f"{API}/users/encore-demo-user/playlists", "GET /users/{id}/playlists"),
        ("GET", f"{API}/me/albums/contains?ids=x", "GET /me/albums/contains"),
        ("PUT", f"{API}/me/following?type=artist", "PUT /me/following"),
        ("POST", f"{ACCOUNTS}/api/token", "POST /api/token"),
    ],
)
def test_endpoint_templates(method: str, url: str, template: str) -> None:
    assert endpoint_template(method, url, api_url=API, accounts_url=ACCOUNTS) == template


def test_cache_key_ignores_host_and_query_order() -> None:
    a = cache_key("http://127.0.0.1:1/v1/search?type=track&q=x", {"limit": 10}, base="http://127.0.0.1:1/v1")
    b = cache_key("http://127.0.0.1:2/v1/search?q=x&limit=10&type=track", None, base="http://127.0.0.1:2/v1")
    assert a == b == "/search?limit=10&q=x&type=track"


def test_ids_from_uris_and_urls() -> None:
    assert spotify_id("track", "spotify:track:fo5gJDtPCnbCesUtaAhLuw") == "fo5gJDtPCnbCesUtaAhLuw"
    assert spotify_id("album", "https://open.spotify.com/intl-fr/album/BNHkI8hBgDXl9S7kSoUooy?si=1") == (
        "BNHkI8hBgDXl9S7kSoUooy"
    )
    assert spotify_uri("track", "fo5gJDtPCnbCesUtaAhLuw") == "spotify:track:fo5gJDtPCnbCesUtaAhLuw"
    with pytest.raises(ValueError, match="expected a Spotify track, got a album"):
        spotify_id("track", "spotify:album:BNHkI8hBgDXl9S7kSoUooy")
    with pytest.raises(ValueError, match="not a Spotify artist"):
        spotify_id("artist", "../../etc/passwd")
    assert chunks(list("abcde"), 2) == [["a", "b"], ["c", "d"], ["e"]]


def test_models_read_both_playlist_shapes_and_keep_absent_numbers_none() -> None:
    track = {
        "id": "t1",
        "name": "T",
        "type": "track",
        "uri": "spotify:track:t1",
        "external_ids": {"isrc": "ZZ1"},
    }
    new = PlaylistItem.model_validate({"added_at": "2026-01-01T00:00:00Z", "item": track})
    old = PlaylistItem.model_validate({"added_at": "2026-01-01T00:00:00Z", "track": track})
    assert new == old and new.track is not None and new.track.isrc == "ZZ1"
    episode = PlaylistItem.model_validate(
        {"item": {"id": "e", "name": "E", "type": "episode", "uri": "spotify:e"}}
    )
    assert episode.item is None and episode.item_type == "episode"
    page = {"items": [{"item": track}], "total": 1, "next": None}
    assert Playlist.model_validate({"id": "p", "name": "P", "items": page}).items == (
        Playlist.model_validate(
            {"id": "p", "name": "P", "tracks": {**page, "items": [{"track": track}]}}
        ).items
    )
    simplified = Playlist.model_validate({"id": "p", "name": "P", "items": {"href": "x", "total": 12}})
    assert simplified.items is None and simplified.total_items == 12
    artist = Artist.model_validate({"id": "a", "name": "A", "followers": {"href": None, "total": 5}})
    assert artist.followers == 5 and artist.popularity is None
    assert Artist.model_validate({"id": "a", "name": "A"}).followers is None
    assert Track.model_validate(track).popularity is None


def test_redaction_masks_tokens_headers_and_registered_secrets() -> None:
    register_secret("canary-Zq9xW2")
    line = (
        "Sending POST with Headers: {'Authorization': 'Basic YWJjOmRlZg=='} Body: "
        "{'refresh_token': 'rt-1', 'grant_type': 'refresh_token'} Bearer eyJabc.def and canary-Zq9xW2"
    )
    out = redact(line)
    for leaked in ("YWJjOmRlZg==", "rt-1", "eyJabc.def", "canary-Zq9xW2"):
        assert leaked not in out
    assert "grant_type': 'refresh_token'" in out
    assert redact("grant_type=refresh_token&refresh_token=r.t&client_id=x") == (
        "grant_type=refresh_token&refresh_token=***&client_id=x"
    )


def test_etag_cache_bounds_memory_and_persists_to_disk(tmp_path: Path) -> None:
    cache = ETagCache(tmp_path / "etags.sqlite", memory_entries=2)
    for n in range(5):
        cache.put(f"/artists/{n}", etag=f'"e{n}"', body={"n": n})
    assert len(cache._mem) == 2 and len(cache) == 5
    assert cache.get("/artists/0") == CachedResponse(etag='"e0"', body={"n": 0})  # from disk
    cache.close()
    reopened = ETagCache(tmp_path / "etags.sqlite")
    assert reopened.get("/artists/4") == CachedResponse(etag='"e4"', body={"n": 4})
    reopened.drop("/artists/4")
    assert reopened.get("/artists/4") is None
    reopened.close()
    memory_only = ETagCache(None, memory_entries=1)
    memory_only.put("/a", etag='"1"', body=1)
    memory_only.put("/b", etag='"2"', body=2)
    assert memory_only.get("/a") is None and memory_only.get("/b") == CachedResponse('"2"', 2)
