"""Spotify authorisation over spotipy's auth managers, with a token cache written 0600.

Two ways in: the client-credentials flow (app token: catalog reads only) and the authorisation
code flow with PKCE plus refresh (user token: also ``/me``, playlists, follows). The refresh
token comes from ``Settings.spotify_refresh_token`` (a ``SecretStr``) or from the token cache
left by :class:`PkceLogin`; rotated refresh tokens are kept in the cache, never in a log.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import requests
from pydantic import SecretStr
from spotipy.cache_handler import CacheHandler
from spotipy.exceptions import SpotifyOauthError
from spotipy.oauth2 import SpotifyClientCredentials, SpotifyOAuth, SpotifyPKCE

from analytics.http.retry import retryable_status
from analytics.observability.redaction import register_secret
from analytics.spotify.errors import AuthError, NeedsUserToken, SpotifyError
from analytics.spotify.redact import log

SCOPES = (
    "user-read-private user-read-email playlist-read-private playlist-read-collaborative "
    "playlist-modify-public playlist-modify-private user-follow-read user-follow-modify user-library-read"
)
CACHE_FORMAT = "encore-spotify-token-cache/1"


class TokenEndpointUnavailable(SpotifyError):
    """The accounts service answered a retryable status (429, 5xx, 408…): the transport retries
    it under the API's policy, and a long ``Retry-After`` on a 429 is a quota stop."""

    def __init__(self, status: int, retry_after: str | None) -> None:
        super().__init__(f"Spotify accounts service answered HTTP {status}")
        self.status = status
        self.retry_after = retry_after


class TokenProvider(Protocol):
    """Hands out a valid access token; ``refresh`` gets a new one (after a 401)."""

    kind: str

    def access_token(self) -> str: ...

    def refresh(self) -> str: ...


class SecureTokenCache(CacheHandler):  # type: ignore[misc]
    """A spotipy cache handler keeping several token entries in one JSON file, mode 0600.

    Writes go to a temporary file created 0600 and renamed over the cache, under an exclusive
    lock, so the file is never readable by others nor half-written.
    """

    def __init__(self, path: Path, *, key: str, extra: dict[str, str] | None = None) -> None:
        self.path = Path(path).expanduser()
        self.key = key
        self.extra = extra or {}

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path.with_name(self.path.name + ".lock"), os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _read_all(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            log.warning("token cache %s is unreadable; a new token will be requested", self.path)
            return {}
        if self.path.stat().st_mode & 0o077:
            os.chmod(self.path, 0o600)
            log.warning("token cache %s was readable by others; permissions reset to 0600", self.path)
        entries = data.get("entries") if isinstance(data, dict) else None
        return entries if isinstance(entries, dict) else {}

    def get_cached_token(self) -> dict[str, Any] | None:
        entry = self._read_all().get(self.key)
        if not isinstance(entry, dict):
            return None
        for name, value in self.extra.items():
            if entry.get(name) != value:
                return None
        for name in ("access_token", "refresh_token"):
            register_secret(entry.get(name))
        return entry

    def save_token_to_cache(self, token_info: dict[str, Any]) -> None:
        for name in ("access_token", "refresh_token"):
            register_secret(token_info.get(name))
        with self._locked():
            entries = self._read_all()
            entries[self.key] = {**token_info, **self.extra}
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"format": CACHE_FORMAT, "entries": entries}, fh)
            os.replace(tmp, self.path)


def _expiring(info: dict[str, Any]) -> bool:
    lifetime = float(info.get("expires_in") or 3600)
    margin = min(60.0, lifetime / 10.0)
    return float(info.get("expires_at") or 0) - time.time() < margin


def _oauth_failure(exc: SpotifyOauthError, *, url: str, what: str) -> SpotifyError:
    context = exc.__context__
    response = getattr(context, "response", None)
    status = getattr(response, "status_code", None)
    if status is not None and retryable_status(status):
        return TokenEndpointUnavailable(status, response.headers.get("Retry-After"))  # type: ignore[union-attr]
    return AuthError(
        f"{url} rejected the {what} (HTTP {status}, {exc.error}: {exc.error_description}). Check "
        "ENCORE_SPOTIFY_CLIENT_ID / ENCORE_SPOTIFY_CLIENT_SECRET, or re-authorise the user "
        "(see docs/spotify-client.md) so that a fresh refresh token is stored."
    )


class AppTokens:
    """Client-credentials tokens (no user): catalog reads only."""

    kind = "app"

    def __init__(
        self,
        client_id: str,
        *,
        client_secret: SecretStr,
        token_url: str,
        session: requests.Session,
        cache: SecureTokenCache,
        timeout_s: float = 10.0,
    ) -> None:
        register_secret(client_secret.get_secret_value())
        self._cache = cache
        self._url = token_url
        self._mgr = SpotifyClientCredentials(
            client_id=client_id,
            client_secret=client_secret.get_secret_value(),
            requests_session=session,
            requests_timeout=timeout_s,
            cache_handler=cache,
        )
        self._mgr.OAUTH_TOKEN_URL = token_url

    def access_token(self) -> str:
        info = self._cache.get_cached_token()
        if info and info.get("access_token") and not _expiring(info):
            return str(info["access_token"])
        return self.refresh()

    def refresh(self) -> str:
        try:
            token = self._mgr.get_access_token(as_dict=False, check_cache=False)
        except SpotifyOauthError as exc:
            raise _oauth_failure(exc, url=self._url, what="client credentials") from None
        register_secret(token)
        return str(token)


def secret_fingerprint(secret: SecretStr) -> str:
    """A short one-way fingerprint, to notice that the configured refresh token changed."""
    return hashlib.sha256(secret.get_secret_value().encode()).hexdigest()[:16]


class UserTokens:
    """User tokens from a refresh token (authorisation code flow, PKCE or with client secret)."""

    kind = "user"

    def __init__(
        self,
        client_id: str,
        *,
        client_secret: SecretStr | None,
        refresh_token: SecretStr | None,
        token_url: str,
        redirect_uri: str,
        session: requests.Session,
        cache: SecureTokenCache,
        timeout_s: float = 10.0,
    ) -> None:
        self._cache = cache
        self._url = token_url
        self._seed = refresh_token
        if refresh_token is not None:
            register_secret(refresh_token.get_secret_value())
        common: dict[str, Any] = dict(
            redirect_uri=redirect_uri,
            scope=SCOPES,
            requests_session=session,
            requests_timeout=timeout_s,
            cache_handler=cache,
            open_browser=False,
        )
        self._mgr: SpotifyOAuth | SpotifyPKCE
        if client_secret is not None:
            register_secret(client_secret.get_secret_value())
            self._mgr = SpotifyOAuth(
                client_id=client_id, client_secret=client_secret.get_secret_value(), **common
            )
        else:
            self._mgr = SpotifyPKCE(client_id=client_id, **common)
        self._mgr.OAUTH_TOKEN_URL = token_url

    def _current(self) -> dict[str, Any] | None:
        return self._cache.get_cached_token()

    def access_token(self) -> str:
        info = self._current()
        if info and info.get("access_token") and not _expiring(info):
            return str(info["access_token"])
        return self.refresh()

    def refresh(self) -> str:
        info = self._current()
        refresh_token = (info or {}).get("refresh_token") or (
            self._seed.get_secret_value() if self._seed else None
        )
        if not refresh_token:
            raise NeedsUserToken("this call")
        try:
            new = self._mgr.refresh_access_token(refresh_token)
        except SpotifyOauthError as exc:
            raise _oauth_failure(exc, url=self._url, what="refresh token") from None
        register_secret(new.get("access_token"))
        register_secret(new.get("refresh_token"))
        return str(new["access_token"])


class PkceLogin:
    """One-time user login with PKCE: open :meth:`authorize_url`, then :meth:`complete`.

    The resulting refresh token goes to the token cache (0600) only; it is never returned or
    printed. Later clients built from the same settings find it there.
    """

    def __init__(
        self,
        client_id: str,
        *,
        accounts_url: str,
        redirect_uri: str,
        cache_path: Path,
        session: requests.Session,
    ) -> None:
        cache = SecureTokenCache(cache_path, key=f"user:{client_id}", extra={"seed": "login"})
        self._mgr = SpotifyPKCE(
            client_id=client_id,
            redirect_uri=redirect_uri,
            scope=SCOPES,
            cache_handler=cache,
            requests_session=session,
            open_browser=False,
        )
        self._mgr.OAUTH_TOKEN_URL = accounts_url.rstrip("/") + "/api/token"
        self._mgr.OAUTH_AUTHORIZE_URL = accounts_url.rstrip("/") + "/authorize"

    def authorize_url(self, *, state: str | None = None) -> str:
        """The URL the user opens in a browser to grant encore access."""
        self._mgr.get_pkce_handshake_parameters()
        return str(self._mgr.get_authorize_url(state=state))

    def complete(self, redirected: str) -> None:
        """Exchange the code from the redirect URL (or the bare code) for tokens, into the cache."""
        code = self._mgr.parse_response_code(redirected)
        try:
            self._mgr.get_access_token(code=code, check_cache=False)
        except SpotifyOauthError as exc:
            raise _oauth_failure(exc, url=self._mgr.OAUTH_TOKEN_URL, what="authorisation code") from None
