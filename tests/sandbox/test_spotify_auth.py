"""The accounts service: client credentials, PKCE, refresh tokens, and 401 shapes of the Web API."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from analytics.sandbox.spotify import SandboxOptions, SpotifySandbox
from analytics.sandbox.spotify.auth import TokenStore
from analytics.sandbox.spotify.errors import ApiError
from tests.conftest import TEST_HTTP_TIMEOUT_S
from tests.sandbox.conftest import MAXSTACK, Api

REDIRECT = "http://127.0.0.1:8888/callback"


def test_client_credentials_token_reads_the_catalog_but_not_the_user(
    dev_sb: SpotifySandbox, api_for: Callable[..., Api]
) -> None:
    app = api_for(dev_sb, user=False)
    assert app.json(f"/artists/{MAXSTACK}")["name"] == "Maxstack"
    me = app.get("/me")
    assert (
        me.status_code == 401
        and me.json()["error"]["message"] == "This request requires user authentication."
    )


def test_token_endpoint_errors_use_the_accounts_shape(dev_sb: SpotifySandbox) -> None:
    bad_secret = httpx.post(
        dev_sb.token_url,
        data={"grant_type": "client_credentials"},
        auth=(dev_sb.client_id, "nope"),
        timeout=TEST_HTTP_TIMEOUT_S,
    )
    assert bad_secret.status_code == 400
    assert bad_secret.json() == {"error": "invalid_client", "error_description": "Invalid client secret"}
    bad_client = httpx.post(
        dev_sb.token_url,
        data={"grant_type": "client_credentials"},
        auth=("someone", "x"),
        timeout=TEST_HTTP_TIMEOUT_S,
    )
    assert bad_client.json() == {"error": "invalid_client", "error_description": "Invalid client"}
    bad_refresh = httpx.post(
        dev_sb.token_url,
        data={"grant_type": "refresh_token", "refresh_token": "forged"},
        auth=(dev_sb.client_id, dev_sb.client_secret),
        timeout=TEST_HTTP_TIMEOUT_S,
    )
    assert bad_refresh.json() == {"error": "invalid_grant", "error_description": "Invalid refresh token"}
    no_grant = httpx.post(
        dev_sb.token_url, data={}, auth=(dev_sb.client_id, dev_sb.client_secret), timeout=TEST_HTTP_TIMEOUT_S
    )
    assert no_grant.json()["error"] == "unsupported_grant_type"


def test_missing_invalid_and_expired_tokens_get_the_real_401_bodies(api_for: Callable[..., Api]) -> None:
    with SpotifySandbox(SandboxOptions()).running() as sb:
        missing = api_for(sb, token=None).get(f"/artists/{MAXSTACK}")
        assert missing.status_code == 401
        assert missing.json() == {"error": {"status": 401, "message": "No token provided"}}
        invalid = api_for(sb, token="not-a-token").get(f"/artists/{MAXSTACK}")
        assert invalid.json() == {"error": {"status": 401, "message": "Invalid access token"}}
        api = api_for(sb)
        assert api.get(f"/artists/{MAXSTACK}").status_code == 200
        sb.expire_tokens()  # the token's hour has passed
        expired = api.get(f"/artists/{MAXSTACK}")
        assert expired.status_code == 401
        assert expired.json() == {"error": {"status": 401, "message": "The access token expired"}}
        assert api_for(sb).get(f"/artists/{MAXSTACK}").status_code == 200  # the refresh token still works


def test_a_token_lives_its_ttl_on_the_store_clock() -> None:
    now = [1000.0]
    store = TokenStore(client_id="app", client_secret="secret", ttl_s=3600.0, clock=lambda: now[0])
    token = store.issue(client_id="app", user_id=None, scopes=frozenset())
    now[0] += 3599.0
    assert store.authenticate(f"Bearer {token.value}") == token
    now[0] += 1.0
    with pytest.raises(ApiError, match="expired"):
        store.authenticate(f"Bearer {token.value}")


def _pkce_code(sb: SpotifySandbox, challenge: str) -> str:
    response = httpx.get(
        f"{sb.accounts_url}/authorize",
        params={
            "client_id": sb.client_id,
            "response_type": "code",
            "redirect_uri": REDIRECT,
            "code_challenge_method": "S256",
            "code_challenge": challenge,
            "scope": "playlist-modify-private user-follow-read",
            "state": "xyz",
        },
        timeout=TEST_HTTP_TIMEOUT_S,
    )
    assert response.status_code == 302
    query = parse_qs(urlsplit(response.headers["location"]).query)
    assert response.headers["location"].startswith(REDIRECT) and query["state"] == ["xyz"]
    return query["code"][0]


def test_authorization_code_with_pkce_and_refresh(
    dev_sb: SpotifySandbox, api_for: Callable[..., Api]
) -> None:
    verifier = secrets.token_urlsafe(64)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    exchange = {"grant_type": "authorization_code", "redirect_uri": REDIRECT, "client_id": dev_sb.client_id}
    wrong = httpx.post(
        dev_sb.token_url,
        data={**exchange, "code": _pkce_code(dev_sb, challenge), "code_verifier": "x" * 50},
        timeout=TEST_HTTP_TIMEOUT_S,
    )
    assert wrong.json() == {"error": "invalid_grant", "error_description": "code_verifier was incorrect"}
    code = _pkce_code(dev_sb, challenge)
    tokens = httpx.post(
        dev_sb.token_url,
        data={**exchange, "code": code, "code_verifier": verifier},
        timeout=TEST_HTTP_TIMEOUT_S,
    ).json()
    assert tokens["token_type"] == "Bearer" and tokens["scope"] == "playlist-modify-private user-follow-read"
    assert api_for(dev_sb, token=tokens["access_token"]).json("/me")["id"] == "encore-demo-user"
    reused = httpx.post(
        dev_sb.token_url,
        data={**exchange, "code": code, "code_verifier": verifier},
        timeout=TEST_HTTP_TIMEOUT_S,
    )
    assert reused.json()["error"] == "invalid_grant"  # a code is single-use
    refreshed = httpx.post(
        dev_sb.token_url,
        data={
            "grant_type": "refresh_token",
            "refresh_token": tokens["refresh_token"],
            "client_id": dev_sb.client_id,
        },
        timeout=TEST_HTTP_TIMEOUT_S,
    ).json()
    assert refreshed["access_token"] != tokens["access_token"]
    assert api_for(dev_sb, token=refreshed["access_token"]).get("/me").status_code == 200


def test_scopes_are_enforced(dev_sb: SpotifySandbox, api_for: Callable[..., Api]) -> None:
    verifier = "v" * 64
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    code = _pkce_code(dev_sb, challenge)  # scopes: playlist-modify-private user-follow-read
    data = {"grant_type": "authorization_code", "redirect_uri": REDIRECT, "client_id": dev_sb.client_id}
    token = httpx.post(
        dev_sb.token_url, data={**data, "code": code, "code_verifier": verifier}, timeout=TEST_HTTP_TIMEOUT_S
    ).json()["access_token"]
    api = api_for(dev_sb, token=token)
    assert api.get("/me/following", params={"type": "artist"}).status_code == 200
    refused = api.request("PUT", "/me/following", params={"type": "artist", "ids": MAXSTACK})
    assert refused.status_code == 403 and refused.json()["error"]["message"] == "Insufficient client scope"
