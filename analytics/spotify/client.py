"""The capability-aware Spotify client encore's flows use.

>>> with SpotifyClient.from_settings(settings) as client:          # doctest: +SKIP
...     artist, unchanged = client.artist(artist_id)
...     for album in client.artist_albums(artist_id): ...
...     client.request_counts()   # {("GET /artists/{id}", "200"): 1, ...}
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

import requests
import spotipy

from analytics.config import PROJECT_ROOT, QuotaMode, Settings
from analytics.http.retry import RetryPolicy
from analytics.spotify import redact
from analytics.spotify.accounting import RequestTally
from analytics.spotify.auth import AppTokens, SecureTokenCache, TokenProvider, UserTokens, secret_fingerprint
from analytics.spotify.capabilities import Capabilities
from analytics.spotify.catalog import CatalogMixin
from analytics.spotify.errors import AuthError, SpotifyHTTPError
from analytics.spotify.etags import ETagCache
from analytics.spotify.library import LibraryMixin
from analytics.spotify.transport import Transport

ETAG_CACHE_NAME = "spotify-etags.sqlite"


class _EncoreSpotify(spotipy.Spotify):  # type: ignore[misc]
    """spotipy's API surface, with every call sent through encore's :class:`Transport`."""

    def __init__(self, transport: Transport) -> None:
        super().__init__(
            requests_session=transport.session,
            retries=0,
            status_retries=0,
            backoff_factor=0,
            requests_timeout=transport.policy.timeout_s,
        )
        self.prefix = transport.api_url + "/"
        self._transport = transport

    def _internal_call(self, method: str, url: str, payload: Any, params: dict[str, Any]) -> Any:
        if "content_type" in params:
            raise NotImplementedError(
                f"{method} {url}: non-JSON uploads (playlist cover images) are not sent through encore's "
                "transport; use a plain spotipy.Spotify for them."
            )
        query = {k: v for k, v in params.items() if v is not None}
        return self._transport.request(method, url, params=query or None, json_body=payload).body

    def __del__(self) -> None:  # the session belongs to the SpotifyClient, which closes it
        pass


class SpotifyClient(CatalogMixin, LibraryMixin):
    """Reads and writes the Web API within what the quota mode allows.

    Every GET is conditional (ETag) and says whether it changed (:class:`Fetched`,
    :class:`Stream`); every request is counted (:meth:`request_counts`, Prometheus); retries
    follow :class:`RetryPolicy`. Build it with :meth:`from_settings`.
    """

    def __init__(self, transport: Transport, *, capabilities: Capabilities) -> None:
        super().__init__(transport, capabilities=capabilities)
        self._spotipy: _EncoreSpotify | None = None

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        api_url: str | None = None,
        accounts_url: str | None = None,
        quota_mode: QuotaMode | str | None = None,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        seed: int | None = None,
        persist_etags: bool = True,
        before_request: Callable[[], None] | None = None,
    ) -> SpotifyClient:
        """A client for ``settings``: user token if a refresh token is known, else app token.

        Parameters
        ----------
        api_url, accounts_url : override the settings' URLs (a loopback sandbox).
        quota_mode : override ``settings.quota_mode``.
        policy : retry policy; default from ``settings.spotify_max_retry_wait_s`` and
            ``settings.spotify_retry_base_delay_s``.
        sleep : how to wait between retries (tests may record the waits).
        seed : seed of the backoff jitter.
        persist_etags : keep ETags in ``data_dir/cache/spotify-etags.sqlite`` across runs.
        before_request : called before every request is sent, e.g. to wait for a slot of a rate
            limit shared by every worker (the flows supply one for ``ENCORE_SPOTIFY_RATE_LIMIT``);
            whatever it raises stops the request before it is sent.
        """
        redact.install()
        if not settings.spotify_client_id:
            raise AuthError(
                "ENCORE_SPOTIFY_CLIENT_ID is not set: register an app at developer.spotify.com and set "
                "ENCORE_SPOTIFY_CLIENT_ID (and ENCORE_SPOTIFY_CLIENT_SECRET or a refresh token)."
            )
        api = (api_url or settings.spotify_api_url).rstrip("/")
        accounts = (accounts_url or settings.spotify_accounts_url).rstrip("/")
        policy = policy or RetryPolicy(
            max_retry_wait_s=settings.spotify_max_retry_wait_s,
            base_delay_s=settings.spotify_retry_base_delay_s,
        )
        session = requests.Session()
        tokens = _tokens(
            settings, token_url=f"{accounts}/api/token", session=session, timeout_s=policy.timeout_s
        )
        etags = ETagCache(settings.data_dir / "cache" / ETAG_CACHE_NAME if persist_etags else None)
        transport = Transport(
            api_url=api,
            accounts_url=accounts,
            tokens=tokens,
            session=session,
            policy=policy,
            etags=etags,
            tally=RequestTally(),
            sleep=sleep,
            seed=seed,
            before_send=before_request,
        )
        return cls(transport, capabilities=Capabilities(quota_mode or settings.quota_mode))

    # -- lifecycle ---------------------------------------------------------------------------
    def __enter__(self) -> SpotifyClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._transport.session.close()
        self._transport.etags.close()

    # -- introspection -----------------------------------------------------------------------
    @property
    def quota_mode(self) -> QuotaMode:
        return self.capabilities.mode

    @property
    def auth_kind(self) -> str:
        """``"user"`` (refresh token) or ``"app"`` (client credentials)."""
        return self._transport.tokens.kind

    def request_counts(self) -> dict[tuple[str, str], int]:
        """Requests sent by this client, keyed by (endpoint template, status); tokens included."""
        return self._transport.tally.counts()

    def request_records(self) -> list[dict[str, object]]:
        """The same counts as JSON-ready rows for audit records."""
        return self._transport.tally.as_records()

    def requests_made(self, *, api_only: bool = True) -> int:
        """How many HTTP requests this client sent (by default without token requests)."""
        return self._transport.tally.total(api_only=api_only)

    @property
    def spotipy(self) -> spotipy.Spotify:
        """A ``spotipy.Spotify`` for calls encore does not wrap, under the same policy and accounting."""
        if self._spotipy is None:
            self._spotipy = _EncoreSpotify(self._transport)
        return self._spotipy

    def detect_quota_mode(self, probe_artist_id: str) -> QuotaMode:
        """Probe ``GET /artists?ids=``: 200 means extended quota, 403 development."""
        try:
            self._get("artists", {"ids": probe_artist_id})
        except SpotifyHTTPError as exc:
            if exc.status == 403:
                return QuotaMode.development
            raise
        return QuotaMode.extended


def _checked_cache_path(settings: Settings) -> Path:
    path = settings.spotify_token_cache.expanduser().resolve()
    inside_repo = path.is_relative_to(PROJECT_ROOT)
    if inside_repo and not path.is_relative_to(settings.data_dir):
        raise AuthError(
            f"spotify_token_cache {path} is inside the repository, where it could be committed; "
            "point ENCORE_SPOTIFY_TOKEN_CACHE outside it (default ~/.cache/encore/spotify-token.json)."
        )
    return path


def _tokens(
    settings: Settings, *, token_url: str, session: requests.Session, timeout_s: float
) -> TokenProvider:
    client_id = settings.spotify_client_id or ""
    path = _checked_cache_path(settings)
    refresh = settings.spotify_refresh_token
    seed = secret_fingerprint(refresh) if refresh is not None and refresh.get_secret_value() else "login"
    user_cache = SecureTokenCache(path, key=f"user:{client_id}", extra={"seed": seed})
    if seed != "login" or (user_cache.get_cached_token() or {}).get("refresh_token"):
        return UserTokens(
            client_id,
            client_secret=settings.spotify_client_secret,
            refresh_token=refresh if seed != "login" else None,
            token_url=token_url,
            redirect_uri=settings.spotify_redirect_uri,
            session=session,
            cache=user_cache,
            timeout_s=timeout_s,
        )
    if settings.spotify_client_secret is None:
        raise AuthError(
            "no Spotify credentials to use: set ENCORE_SPOTIFY_CLIENT_SECRET (app token, catalog reads) or "
            "ENCORE_SPOTIFY_REFRESH_TOKEN (user token), or log in once (see docs/spotify-client.md)."
        )
    app_cache = SecureTokenCache(path, key=f"app:{client_id}")
    return AppTokens(
        client_id,
        client_secret=settings.spotify_client_secret,
        token_url=token_url,
        session=session,
        cache=app_cache,
        timeout_s=timeout_s,
    )
