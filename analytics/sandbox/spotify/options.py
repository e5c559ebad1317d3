"""How a sandbox is configured: quota mode, catalog, tokens, rate limit and injected faults."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

QuotaModeName = Literal["development", "extended"]
FaultKind = Literal["status", "delay", "timeout", "reset", "truncate"]

DEMO_CLIENT_ID = "encoredemoclientid0000000000000a"
DEMO_CLIENT_SECRET = "encoredemoclientsecret00000000000"  # noqa: S105 - a public demo value, not a secret
DEMO_USER_ID = "encore-demo-user"
DEMO_REFRESH_TOKEN = "encore-demo-user-refresh-token"  # noqa: S105 - the sandbox's public demo value
ALL_SCOPES = (
    "playlist-read-private playlist-read-collaborative playlist-modify-public playlist-modify-private "
    "user-follow-read user-follow-modify user-library-read user-library-modify user-read-private "
    "user-read-email"
)


@dataclass(frozen=True)
class FaultRule:
    """One injected failure.

    Parameters
    ----------
    route : glob matched against the request path (``/v1/artists/*``) or the route template
        (``/v1/artists/{id}/albums``); ``*`` matches every API and accounts request.
    kind : ``status`` (answer ``status`` with a Spotify error body), ``delay`` (sleep ``delay_s``
        then answer normally), ``timeout`` (sleep ``delay_s``, then drop the connection),
        ``reset`` (close the connection without any response), ``truncate`` (the real status and
        headers, the JSON body cut in half).
    probability : chance per matching request, drawn from the sandbox's seeded generator.
    times : apply at most this many times (None: no limit).
    method : only this HTTP method (None: any).
    retry_after_s : for ``status``, the ``Retry-After`` header sent with it (None: none).
    """

    route: str = "*"
    kind: FaultKind = "status"
    status: int = 503
    delay_s: float = 0.0
    probability: float = 1.0
    times: int | None = None
    method: str | None = None
    retry_after_s: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("status", "delay", "timeout", "reset", "truncate"):
            raise ValueError(f"FaultRule.kind {self.kind!r}: use status, delay, timeout, reset or truncate")
        if not 0.0 <= self.probability <= 1.0:
            raise ValueError(f"FaultRule.probability {self.probability} is outside [0, 1]")
        if self.kind == "status" and not 400 <= self.status <= 599:
            raise ValueError(f"FaultRule.status {self.status} is not an error status (400-599)")

    def matches(self, *, method: str, path: str, template: str | None) -> bool:
        if self.method and self.method.upper() != method.upper():
            return False
        if fnmatch.fnmatchcase(path, self.route):
            return True
        return template is not None and (template == self.route or fnmatch.fnmatchcase(template, self.route))


@dataclass(frozen=True)
class SyntheticCatalogSpec:
    """Size and seed of a generated catalog (defaults: the full benchmark size)."""

    artists: int = 1000
    albums: int = 20000
    tracks: int = 200000
    users: int = 3
    playlists: int = 20
    seed: int = 0

    def __post_init__(self) -> None:
        if self.artists < 2 or self.albums < self.artists or self.tracks < self.albums:
            raise ValueError(
                f"SyntheticCatalogSpec({self.artists} artists, {self.albums} albums, {self.tracks} tracks): "
                "need at least 2 artists, one album per artist and one track per album"
            )


@dataclass
class SandboxOptions:
    """Everything a :class:`~analytics.sandbox.spotify.SpotifySandbox` needs; defaults serve the demo."""

    quota_mode: QuotaModeName = "development"
    catalog_path: Path | str | None = None
    synthetic: SyntheticCatalogSpec | None = None
    token_ttl_s: float = 3600.0
    rate_limit_per_30s: int | None = None
    retry_after_s: int = 30
    faults: list[FaultRule] = field(default_factory=list)
    seed: int = 0
    host: str = "127.0.0.1"
    port: int = 0
    client_id: str = DEMO_CLIENT_ID
    client_secret: str = DEMO_CLIENT_SECRET
    refresh_token: str = DEMO_REFRESH_TOKEN  # the demo user's, with every scope in ALL_SCOPES
    request_log_size: int = 10000

    def __post_init__(self) -> None:
        if self.quota_mode not in ("development", "extended"):
            raise ValueError(f"quota_mode {self.quota_mode!r}: use 'development' or 'extended'")
        if self.catalog_path is not None and self.synthetic is not None:
            raise ValueError("give catalog_path or synthetic, not both")
        for name in ("client_id", "client_secret", "refresh_token"):
            if not getattr(self, name).strip():
                raise ValueError(
                    f"{name} is empty: leave it out to use the demo value, or give a non-empty one"
                )
        if self.token_ttl_s <= 0:
            raise ValueError(f"token_ttl_s must be positive, got {self.token_ttl_s}")
        if self.rate_limit_per_30s is not None and self.rate_limit_per_30s < 1:
            raise ValueError(f"rate_limit_per_30s must be >= 1 or None, got {self.rate_limit_per_30s}")
