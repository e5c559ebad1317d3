"""Failures over real HTTP: 401 refresh, 429 waits and quota stops, 5xx storms, broken bodies."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from analytics.config import Settings
from analytics.sandbox.spotify import FaultRule, SandboxOptions, SpotifySandbox
from analytics.spotify import AuthError, QuotaExhausted, RetriesExhausted, RetryPolicy, SpotifyClient
from tests.spotify.conftest import FAST, SPEC, MakeClient, api_requests, sandbox_settings


class Sleeps:
    """A real sleep that also records each wait."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        time.sleep(seconds)


def _artist(sb: SpotifySandbox) -> str:
    return sorted(sb.state.artists)[0]


def test_expired_token_is_refreshed_once_and_the_call_repeated(
    sb: SpotifySandbox, make_client: MakeClient
) -> None:
    client = make_client()
    client.artist(_artist(sb))
    sb.expire_tokens()

    artist, _ = client.artist(sorted(sb.state.artists)[1])

    assert artist.id == sorted(sb.state.artists)[1]
    counts = client.request_counts()
    assert counts[("GET /artists/{id}", "401")] == 1
    assert counts[("POST /api/token", "200")] == 2


def test_a_second_401_after_refreshing_is_an_auth_error(sb: SpotifySandbox, make_client: MakeClient) -> None:
    client = make_client()
    sb.set_faults([FaultRule(route="/v1/artists/{id}", kind="status", status=401)])
    with pytest.raises(AuthError, match="rejected a freshly refreshed token"):
        client.artist(_artist(sb))
    assert client.request_counts()[("GET /artists/{id}", "401")] == 2  # the call, once refreshed: no loop


def _age_cached_tokens(path: Path, *, seconds_left: float) -> None:
    """What the token cache holds once time has passed: each token expires in ``seconds_left``."""
    cache = json.loads(path.read_text(encoding="utf-8"))
    for entry in cache["entries"].values():
        entry["expires_at"] = int(time.time() + seconds_left)
    path.write_text(json.dumps(cache), encoding="utf-8")


def test_a_token_inside_its_renewal_margin_is_renewed_before_use(settings: Settings) -> None:
    # A 10-minute token is renewed in its last minute (a tenth of its life, at most 60 s): the
    # cache is aged instead of waiting, and the server forgets the old token, so a token used
    # after its margin would show as a 401.
    with SpotifySandbox(SandboxOptions(synthetic=SPEC, token_ttl_s=600.0)).running() as sb:
        s = sandbox_settings(settings, sb)
        with SpotifyClient.from_settings(
            s, api_url=sb.api_url, accounts_url=sb.accounts_url, policy=FAST
        ) as client:
            client.artist(_artist(sb))
            _age_cached_tokens(s.spotify_token_cache, seconds_left=90)  # outside the margin: kept
            client.artist(_artist(sb))
            assert client.request_counts()[("POST /api/token", "200")] == 1

            _age_cached_tokens(s.spotify_token_cache, seconds_left=30)  # inside it: renewed
            sb.expire_tokens()
            artist, _ = client.artist(sorted(sb.state.artists)[1])
            assert artist.name == sb.state.artists[artist.id].name
            counts = client.request_counts()
            assert counts[("POST /api/token", "200")] == 2
            assert ("GET /artists/{id}", "401") not in counts


def test_short_retry_after_is_waited_out(sb: SpotifySandbox, make_client: MakeClient) -> None:
    sleeps = Sleeps()
    client = make_client(sleep=sleeps)
    client.artist(_artist(sb))  # token fetched, so the 429 lands on the API call
    sb.force_rate_limit(retry_after_s=1, count=1)

    started = time.monotonic()
    artist, _ = client.artist(_artist(sb))

    assert artist.id == _artist(sb)
    assert sleeps.waits == [1.0] and time.monotonic() - started >= 1.0
    assert api_requests(sb, route="/v1/artists/{id}", status=429) == 1


def test_long_retry_after_stops_at_once_with_quota_exhausted(
    sb: SpotifySandbox, make_client: MakeClient
) -> None:
    sleeps = Sleeps()
    client = make_client(sleep=sleeps)
    sb.force_rate_limit(retry_after_s=3600, count=1)

    started = time.monotonic()
    with pytest.raises(QuotaExhausted) as info:
        client.artist_albums(_artist(sb)).all()
    elapsed = time.monotonic() - started

    assert elapsed < 2.0 and sleeps.waits == []
    error = info.value
    assert error.retry_after_s == 3600 and error.endpoint == "GET /artists/{id}/albums"
    expected = datetime.now(UTC) + timedelta(seconds=3600)
    assert abs((error.resume_at - expected).total_seconds()) < 5
    assert "Resume after" in str(error) and "spotify_max_retry_wait_s=5" in str(error)


def test_repeated_429s_give_up_after_the_policy_bound(sb: SpotifySandbox, make_client: MakeClient) -> None:
    sleeps = Sleeps()
    client = make_client(
        sleep=sleeps, policy=RetryPolicy(max_rate_limited=2, max_retry_wait_s=5, base_delay_s=0.01)
    )
    client.artist(_artist(sb))
    sb.force_rate_limit(retry_after_s=0, count=5)
    with pytest.raises(QuotaExhausted, match="it answered 429 3 times in a row"):
        client.artist(sorted(sb.state.artists)[1])
    assert len(sleeps.waits) == 2
    assert client.artist(_artist(sb)).value.id == _artist(sb)  # the two 429s left are waited out
    assert len(sleeps.waits) == 4


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_storm_is_retried_with_backoff(sb: SpotifySandbox, make_client: MakeClient, status: int) -> None:
    sleeps = Sleeps()
    client = make_client(sleep=sleeps)
    album_id = sorted(sb.state.albums)[0]
    sb.set_faults([FaultRule(route="/v1/albums/{id}", kind="status", status=status, times=3)])

    album, _ = client.album(album_id)

    assert album.id == album_id
    assert api_requests(sb, route="/v1/albums/{id}", status=status) == 3
    assert len(sleeps.waits) == 3
    for attempt, wait in enumerate(sleeps.waits, start=1):
        envelope = FAST.envelope(attempt)
        assert envelope * (1 - FAST.jitter) <= wait <= envelope


def test_endless_5xx_gives_up_after_max_attempts(sb: SpotifySandbox, make_client: MakeClient) -> None:
    client = make_client()
    sb.set_faults([FaultRule(route="/v1/albums/{id}", kind="status", status=503)])
    with pytest.raises(
        RetriesExhausted, match=r"GET /albums/\{id\} still failed after 5 attempts \(last: HTTP 503\)"
    ):
        client.album(sorted(sb.state.albums)[0])
    assert api_requests(sb, route="/v1/albums/{id}") == FAST.max_attempts


@pytest.mark.parametrize("kind", ["truncate", "reset"])
def test_broken_bodies_and_resets_are_retried(sb: SpotifySandbox, make_client: MakeClient, kind: str) -> None:
    client = make_client()
    album_id = sorted(sb.state.albums)[0]
    sb.set_faults([FaultRule(route="/v1/albums/{id}/tracks", kind=kind, times=2)])  # type: ignore[arg-type]

    tracks = client.album_tracks(album_id).all().value

    assert [t.id for t in tracks] == sb.state.albums[album_id].track_ids
    assert api_requests(sb, route="/v1/albums/{id}/tracks") == 3
    failure = "200" if kind == "truncate" else "connection_error"
    assert client.request_counts()[("GET /albums/{id}/tracks", failure)] >= 2


def test_read_timeouts_are_retried(sb: SpotifySandbox, make_client: MakeClient) -> None:
    client = make_client(policy=RetryPolicy(base_delay_s=0.01, max_delay_s=0.02, timeout_s=0.3))
    sb.set_faults([FaultRule(route="/v1/tracks/{id}", kind="delay", delay_s=1.0, times=1)])
    track, _ = client.track(sorted(sb.state.tracks)[0])
    assert track.id == sorted(sb.state.tracks)[0]
    assert client.request_counts()[("GET /tracks/{id}", "timeout")] == 1


def test_token_endpoint_failures_are_retried(sb: SpotifySandbox, make_client: MakeClient) -> None:
    client = make_client()
    sb.set_faults([FaultRule(route="/api/token", kind="status", status=503, times=2)])
    assert client.artist(_artist(sb)).value.id == _artist(sb)
    assert client.request_counts()[("POST /api/token", "503")] == 2


def test_a_rate_limited_token_endpoint_is_waited_out_as_the_api_is(
    sb: SpotifySandbox, make_client: MakeClient
) -> None:
    sleeps = Sleeps()
    client = make_client(sleep=sleeps)
    sb.set_faults([FaultRule(route="/api/token", kind="status", status=429, retry_after_s=1, times=1)])
    assert client.artist(_artist(sb)).value.id == _artist(sb)
    assert sleeps.waits == [1.0]
    assert client.request_counts()[("POST /api/token", "429")] == 1


def test_a_long_retry_after_from_the_token_endpoint_is_a_quota_stop(
    sb: SpotifySandbox, make_client: MakeClient
) -> None:
    sleeps = Sleeps()
    client = make_client(sleep=sleeps)
    sb.set_faults([FaultRule(route="/api/token", kind="status", status=429, retry_after_s=3600)])
    with pytest.raises(QuotaExhausted) as info:
        client.artist(_artist(sb))
    assert sleeps.waits == [] and info.value.retry_after_s == 3600
    assert client.request_counts()[("POST /api/token", "429")] == 1


def test_a_refused_client_at_the_token_endpoint_is_not_retried(
    sb: SpotifySandbox, make_client: MakeClient
) -> None:
    client = make_client()
    sb.set_faults([FaultRule(route="/api/token", kind="status", status=400, times=1)])
    with pytest.raises(AuthError):
        client.artist(_artist(sb))
    assert client.request_counts()[("POST /api/token", "400")] == 1
