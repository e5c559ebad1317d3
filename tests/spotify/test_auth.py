"""Credentials over real HTTP: token cache 0600 outside the repo, PKCE login, no secret in any log."""

from __future__ import annotations

import base64
import json
import logging
import os
import stat
from pathlib import Path

import pytest
import requests
from pydantic import SecretStr

from analytics.config import PROJECT_ROOT, Settings
from analytics.sandbox.spotify import (
    DEMO_REFRESH_TOKEN,
    DEMO_USER_ID,
    FaultRule,
    SandboxOptions,
    SpotifySandbox,
)
from analytics.spotify import AuthError, PkceLogin, QuotaExhausted, SpotifyClient
from tests.spotify.conftest import FAST, SPEC, MakeClient, sandbox_settings

CANARY = "canary-client-secret-7f3e9a1c5b"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_token_cache_is_written_0600_in_a_private_folder(sb: SpotifySandbox, make_client: MakeClient) -> None:
    client = make_client()
    client.me()
    cache = client._transport.tokens._cache.path  # type: ignore[attr-defined]
    assert _mode(cache) == 0o600 and _mode(cache.parent) == 0o700
    entries = json.loads(cache.read_text())["entries"]
    assert list(entries) == [f"user:{sb.client_id}"]


def test_a_cache_readable_by_others_is_tightened(sb: SpotifySandbox, make_client: MakeClient) -> None:
    make_client().me()
    cache = make_client()._transport.tokens._cache.path  # type: ignore[attr-defined]
    os.chmod(cache, 0o644)
    make_client().me()
    assert _mode(cache) == 0o600


def test_token_cache_inside_the_repository_is_refused(sb: SpotifySandbox, settings: Settings) -> None:
    inside = PROJECT_ROOT / "spotify-token.json"
    with pytest.raises(AuthError, match="inside the repository"):
        SpotifyClient.from_settings(
            sandbox_settings(settings, sb, spotify_token_cache=inside),
            api_url=sb.api_url,
            accounts_url=sb.accounts_url,
        )
    assert not inside.exists()


def test_missing_credentials_are_clear_errors(settings: Settings) -> None:
    with pytest.raises(AuthError, match="ENCORE_SPOTIFY_CLIENT_ID is not set"):
        SpotifyClient.from_settings(settings)
    with pytest.raises(AuthError, match="no Spotify credentials"):
        SpotifyClient.from_settings(settings.model_copy(update={"spotify_client_id": "x"}))


def test_rejected_refresh_token_says_what_to_do_without_showing_it(
    sb: SpotifySandbox, make_client: MakeClient
) -> None:
    bad = "canary-refresh-token-that-was-revoked"
    client = make_client(spotify_refresh_token=SecretStr(bad))
    with pytest.raises(AuthError) as info:
        client.me()
    assert "re-authorise the user" in str(info.value) and "invalid_grant" in str(info.value)
    assert bad not in str(info.value)


def test_pkce_login_then_refresh_without_a_client_secret(
    sb: SpotifySandbox, settings: Settings, make_client: MakeClient
) -> None:
    session = requests.Session()
    login = PkceLogin(
        sb.client_id,
        accounts_url=sb.accounts_url,
        redirect_uri="http://127.0.0.1:8888/callback",
        cache_path=settings.spotify_token_cache,
        session=session,
    )
    url = login.authorize_url(state="s1")
    assert "code_challenge_method=S256" in url
    redirect = session.get(url, allow_redirects=False).headers["Location"]
    login.complete(redirect)
    assert _mode(settings.spotify_token_cache) == 0o600

    client = make_client(user=False, spotify_client_secret=None)  # only the cache knows the user
    assert client.auth_kind == "user"
    assert client.me().value.id == DEMO_USER_ID
    sb.expire_tokens()
    assert client.me().value.id == DEMO_USER_ID  # refreshed with PKCE (client_id, no secret)
    assert client.request_counts()[("GET /me", "401")] == 1


def test_no_token_or_secret_reaches_any_log(
    settings: Settings, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    with SpotifySandbox(SandboxOptions(synthetic=SPEC, client_secret=CANARY)).running() as sb:
        user_settings = sandbox_settings(settings, sb)
        urls = {"api_url": sb.api_url, "accounts_url": sb.accounts_url, "policy": FAST}
        with SpotifyClient.from_settings(user_settings, **urls) as client:  # type: ignore[arg-type]
            client.me()
            sb.expire_tokens()
            client.spotipy.artist(sorted(sb.state.artists)[0])  # 401, refresh, repeat
            sb.set_faults([FaultRule(route="/v1/albums/{id}", kind="status", status=503, times=1)])
            client.album(sorted(sb.state.albums)[0])
            sb.force_rate_limit(retry_after_s=3600)
            with pytest.raises(QuotaExhausted):
                client.track(sorted(sb.state.tracks)[0])
        app_settings = sandbox_settings(settings, sb, user=False)
        with SpotifyClient.from_settings(app_settings, **urls) as app:  # type: ignore[arg-type]
            app.artist(sorted(sb.state.artists)[0])
        issued = list(sb.tokens._tokens)  # every access token the sandbox handed out

    captured = capsys.readouterr()
    text = caplog.text + captured.out + captured.err
    assert "Sending POST request" in text  # spotipy's DEBUG lines (headers, bodies) were logged...
    basic = base64.b64encode(f"{sb.client_id}:{CANARY}".encode()).decode()
    for secret in [CANARY, DEMO_REFRESH_TOKEN, basic, *issued]:  # ...with every secret masked
        assert secret not in text
    assert len(issued) >= 3
