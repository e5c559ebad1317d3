"""The accounts service: client credentials, authorization code with PKCE, refresh tokens, bearer checks."""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from analytics.sandbox.spotify.errors import AccountsError, ApiError
from analytics.sandbox.spotify.options import ALL_SCOPES, DEMO_REFRESH_TOKEN, DEMO_USER_ID


@dataclass(frozen=True)
class Token:
    """An issued access token: for the app (``user_id`` None) or for a user."""

    value: str
    client_id: str
    user_id: str | None
    scopes: frozenset[str]
    expires_at: float


@dataclass
class _Grant:
    client_id: str
    user_id: str
    scopes: frozenset[str]
    redirect_uri: str
    code_challenge: str | None
    expires_at: float


@dataclass
class TokenStore:
    """Issued tokens, codes and refresh tokens; the clock is injectable so tests can expire tokens."""

    client_id: str
    client_secret: str
    ttl_s: float
    clock: Callable[[], float] = time.monotonic
    user_refresh_token: str = DEMO_REFRESH_TOKEN
    user_id: str = DEMO_USER_ID  # who the refresh token and an authorization sign in as
    _tokens: dict[str, Token] = field(default_factory=dict)
    _codes: dict[str, _Grant] = field(default_factory=dict)
    _refresh: dict[str, tuple[str, str, frozenset[str]]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._refresh[self.user_refresh_token] = (self.client_id, self.user_id, frozenset(ALL_SCOPES.split()))

    def _now(self) -> float:
        return float(self.clock())

    def issue(self, *, client_id: str, user_id: str | None, scopes: frozenset[str]) -> Token:
        token = Token(secrets.token_urlsafe(48), client_id, user_id, scopes, self._now() + self.ttl_s)
        with self._lock:
            self._tokens[token.value] = token
        return token

    def issue_refresh(self, *, client_id: str, user_id: str, scopes: frozenset[str]) -> str:
        value = secrets.token_urlsafe(48)
        with self._lock:
            self._refresh[value] = (client_id, user_id, scopes)
        return value

    def authenticate(self, authorization: str | None) -> Token:
        """The token of an ``Authorization: Bearer …`` header, or the Web API's 401."""
        if not authorization:
            raise ApiError(401, "No token provided")
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise ApiError(400, "Only valid bearer authentication supported")
        token = self._tokens.get(value.strip())
        if token is None:
            raise ApiError(401, "Invalid access token")
        if token.expires_at <= self._now():
            raise ApiError(401, "The access token expired")
        return token

    def expire_all(self) -> None:
        """Make every issued access token expired (refresh tokens stay valid)."""
        with self._lock:
            now = self._now()
            self._tokens = {
                k: Token(t.value, t.client_id, t.user_id, t.scopes, now) for k, t in self._tokens.items()
            }

    # -- grants -------------------------------------------------------------------------------
    def new_code(self, grant: _Grant) -> str:
        code = secrets.token_urlsafe(32)
        with self._lock:
            self._codes[code] = grant
        return code

    def take_code(self, code: str) -> _Grant | None:
        with self._lock:
            grant = self._codes.pop(code, None)
        return grant if grant is not None and grant.expires_at > self._now() else None

    def refresh_grant(self, value: str) -> tuple[str, str, frozenset[str]] | None:
        return self._refresh.get(value)


def _client_from_request(form: dict[str, str], authorization: str | None) -> tuple[str | None, str | None]:
    if authorization and authorization.lower().startswith("basic "):
        try:
            raw = base64.b64decode(authorization[6:].strip()).decode()
        except (ValueError, UnicodeDecodeError) as exc:
            raise AccountsError("invalid_client", "Invalid client") from exc
        client_id, _, secret = raw.partition(":")
        return client_id, secret
    return form.get("client_id"), form.get("client_secret")


def _token_json(store: TokenStore, token: Token, *, refresh: str | None) -> dict[str, object]:
    body: dict[str, object] = {
        "access_token": token.value,
        "token_type": "Bearer",
        "expires_in": int(store.ttl_s),
        "scope": " ".join(sorted(token.scopes)),
    }
    if refresh is not None:
        body["refresh_token"] = refresh
    return body


def s256(verifier: str) -> str:
    """The PKCE S256 challenge of ``verifier``."""
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def accounts_router(store: TokenStore) -> APIRouter:
    """``POST /api/token`` and ``GET /authorize`` (which consents at once as the demo user)."""
    router = APIRouter()

    @router.post("/api/token")
    async def token(request: Request) -> Response:
        form = dict(parse_qsl((await request.body()).decode("utf-8", "replace"), keep_blank_values=True))
        client_id, secret = _client_from_request(form, request.headers.get("authorization"))
        grant_type = form.get("grant_type")
        if not grant_type:
            raise AccountsError("unsupported_grant_type", "grant_type parameter is missing")
        if client_id != store.client_id:
            raise AccountsError("invalid_client", "Invalid client")
        if secret is not None and secret != store.client_secret:
            raise AccountsError("invalid_client", "Invalid client secret")
        if grant_type == "client_credentials":
            if secret is None:
                raise AccountsError("invalid_client", "Invalid client secret")
            return JSONResponse(
                _token_json(
                    store, store.issue(client_id=client_id, user_id=None, scopes=frozenset()), refresh=None
                )
            )
        if grant_type == "authorization_code":
            grant = store.take_code(form.get("code", ""))
            if grant is None or grant.client_id != client_id:
                raise AccountsError("invalid_grant", "Invalid authorization code")
            if form.get("redirect_uri") != grant.redirect_uri:
                raise AccountsError("invalid_grant", "Invalid redirect URI")
            if grant.code_challenge is not None:
                if s256(form.get("code_verifier", "")) != grant.code_challenge:
                    raise AccountsError("invalid_grant", "code_verifier was incorrect")
            elif secret is None:
                raise AccountsError("invalid_client", "Invalid client secret")
            access = store.issue(client_id=client_id, user_id=grant.user_id, scopes=grant.scopes)
            refresh = store.issue_refresh(client_id=client_id, user_id=grant.user_id, scopes=grant.scopes)
            return JSONResponse(_token_json(store, access, refresh=refresh))
        if grant_type == "refresh_token":
            found = store.refresh_grant(form.get("refresh_token", ""))
            if found is None or found[0] != client_id:
                raise AccountsError("invalid_grant", "Invalid refresh token")
            access = store.issue(client_id=client_id, user_id=found[1], scopes=found[2])
            return JSONResponse(_token_json(store, access, refresh=form.get("refresh_token")))
        raise AccountsError(
            "unsupported_grant_type",
            "grant_type must be client_credentials, authorization_code or refresh_token",
        )

    @router.get("/authorize")
    async def authorize(request: Request) -> Response:
        q = request.query_params
        if q.get("client_id") != store.client_id:
            raise AccountsError("invalid_client", "Invalid client")
        redirect_uri = q.get("redirect_uri")
        if not redirect_uri:
            raise AccountsError("invalid_request", "Missing required parameter: redirect_uri")
        if q.get("response_type") != "code":
            raise AccountsError("unsupported_response_type", "response_type must be code")
        challenge = q.get("code_challenge")
        if challenge is not None and q.get("code_challenge_method") != "S256":
            raise AccountsError("invalid_request", "code_challenge_method must be S256")
        scopes = frozenset((q.get("scope") or "").replace(",", " ").split())
        user_id = q.get("sandbox_user", store.user_id)
        grant = _Grant(store.client_id, user_id, scopes, redirect_uri, challenge, store._now() + 600)
        params = {"code": store.new_code(grant)}
        if "state" in q:
            params["state"] = q["state"]
        sep = "&" if "?" in redirect_uri else "?"
        return RedirectResponse(f"{redirect_uri}{sep}{urlencode(params)}", status_code=302)

    return router
