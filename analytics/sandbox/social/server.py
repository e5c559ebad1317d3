"""The social sandbox: every emulator in one FastAPI app, served on a free loopback port.

::

    with SocialSandbox(seed=7).running() as sb:
        settings = sb.configure(Settings())          # sandbox credentials and URLs
        connectors = connectors_from_settings(settings, base_urls=sb.base_urls)
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import PlainTextResponse
from pydantic import SecretStr

from analytics.sandbox.loopback import LoopbackServer
from analytics.sandbox.musicbrainz import MusicBrainzData, musicbrainz_router
from analytics.sandbox.social.accounts import load_accounts
from analytics.sandbox.social.faults import SocialFaults
from analytics.sandbox.social.instagram import instagram_router
from analytics.sandbox.social.state import SandboxState
from analytics.sandbox.social.tiktok import tiktok_router
from analytics.sandbox.social.x import x_router
from analytics.sandbox.social.youtube import youtube_router
from analytics.sandbox.spotify.controls import Controls, RequestRecord
from analytics.sandbox.spotify.options import FaultRule

PREFIXES = {
    "youtube": "/youtube/v3",
    "instagram": "/instagram",
    "x": "/x",
    "tiktok": "/tiktok",
    "musicbrainz": "/musicbrainz/ws/2",
}


def build_app(state: SandboxState, musicbrainz: MusicBrainzData) -> FastAPI:
    """One app with each platform under its prefix, plus the down-platform switch."""
    app = FastAPI(title="encore social sandbox", docs_url=None, redoc_url=None, openapi_url=None)

    @app.middleware("http")
    async def outages(request: Request, call_next: Any) -> Response:
        platform = request.url.path.strip("/").split("/", 1)[0]
        with state.lock:
            state.requests.append((platform, request.method, request.url.path))
        if platform in state.down:
            return PlainTextResponse("<html><body>503 Service Unavailable</body></html>", status_code=503)
        response: Response = await call_next(request)
        return response

    app.include_router(youtube_router(state), prefix=PREFIXES["youtube"])
    app.include_router(instagram_router(state), prefix=PREFIXES["instagram"])
    app.include_router(x_router(state), prefix=PREFIXES["x"])
    app.include_router(tiktok_router(state), prefix=PREFIXES["tiktok"])
    app.include_router(musicbrainz_router(musicbrainz, state), prefix="/musicbrainz")
    return app


class SocialSandbox:
    """Loopback emulators of YouTube, Instagram, X, TikTok and MusicBrainz with knobs for tests.

    Parameters
    ----------
    seed : makes every number reproducible.
    token_ttl_s : lifetime of issued tokens per platform (``instagram``, ``tiktok``), seconds.
    youtube_daily_quota : the emulator's own quota per API key and day.
    today : pin the day whose numbers are served (default: the sandbox clock's date).
    accounts_file : serve the accounts of this ``encore-social/1`` file (see
        :mod:`analytics.sandbox.social.accounts`) instead of the demo's; MusicBrainz then
        links each account to its ``spotify_artist_id``.
    """

    def __init__(
        self,
        *,
        seed: int = 7,
        token_ttl_s: dict[str, float] | None = None,
        youtube_daily_quota: int = 10_000,
        today: date | None = None,
        accounts_file: Path | str | None = None,
    ) -> None:
        self.state = SandboxState(seed=seed, youtube_daily_quota=youtube_daily_quota, today=today)
        if accounts_file is not None:
            self.state.accounts = load_accounts(accounts_file)
            self.musicbrainz = MusicBrainzData.from_accounts(self.state.accounts)
        else:
            self.musicbrainz = MusicBrainzData.demo()
        self.state.token_ttl_s.update(token_ttl_s or {})
        self.app = build_app(self.state, self.musicbrainz)
        self.controls = Controls(faults=[], seed=seed, rate_limit_per_30s=None, retry_after_s=0)
        self.faults = SocialFaults(self.app, controls=self.controls)
        self._server = LoopbackServer(self.faults, name="the social sandbox")
        self.port: int | None = None
        owner = {platform: self.state.authorized(platform) for platform in ("instagram", "tiktok")}
        self.credentials: dict[str, str] = dict(self.state.credentials)
        self.credentials["instagram_access_token"] = self.state.issue("instagram", owner["instagram"])
        self.credentials["tiktok_access_token"] = self.state.issue("tiktok", owner["tiktok"])
        self.credentials["tiktok_refresh_token"] = refresh = f"rft.{secrets.token_urlsafe(24)}"
        self.state.refresh_tokens[refresh] = owner["tiktok"]

    # -- lifecycle -------------------------------------------------------------------------
    @contextmanager
    def running(self) -> Iterator[SocialSandbox]:
        """Serve on 127.0.0.1 on a free port until the block ends."""
        with self._server.running(keep_port=False):
            self.port = self._server.port
            try:
                yield self
            finally:
                self.port = None

    @property
    def root(self) -> str:
        if self.port is None:
            raise RuntimeError("the sandbox is not running: use `with SocialSandbox().running() as sb:`")
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_urls(self) -> dict[str, str]:
        return {name: f"{self.root}{prefix}" for name, prefix in PREFIXES.items()}

    def configure(self, settings: Any) -> Any:
        """A copy of ``settings`` with the sandbox's URLs and credentials (secrets as SecretStr)."""
        update: dict[str, Any] = {
            k: SecretStr(v) if k not in {"tiktok_client_key"} else v for k, v in self.credentials.items()
        }
        issued = self.state.tokens[self.credentials["instagram_access_token"]].expires_at
        update["instagram_token_expires_at"] = issued.isoformat()
        update.update({f"{n}_api_url": u for n, u in self.base_urls.items() if n != "musicbrainz"})
        update["musicbrainz_url"] = self.base_urls["musicbrainz"]
        update["musicbrainz_min_interval_s"] = 0.0
        return settings.model_copy(update=update)

    def env(self) -> dict[str, str]:
        """What :meth:`configure` sets, as ``ENCORE_*`` environment variables (for subprocesses)."""
        values: dict[str, str] = dict(self.credentials)
        issued = self.state.tokens[self.credentials["instagram_access_token"]].expires_at
        values["instagram_token_expires_at"] = issued.isoformat()
        values.update({f"{n}_api_url": u for n, u in self.base_urls.items() if n != "musicbrainz"})
        values["musicbrainz_url"] = self.base_urls["musicbrainz"]
        values["musicbrainz_min_interval_s"] = "0"
        return {f"ENCORE_{k.upper()}": v for k, v in values.items()}

    # -- knobs -----------------------------------------------------------------------------
    def now(self) -> datetime:
        """The sandbox clock (real time plus whatever :meth:`advance` added)."""
        return self.state.now()

    def advance(self, *, seconds: float = 0, days: int = 0) -> None:
        """Move the sandbox clock forward (token expiry; the served day unless pinned)."""
        with self.state.lock:
            self.state.clock_offset += timedelta(seconds=seconds, days=days)

    def set_today(self, day: date | None) -> None:
        self.state.today = day

    def force_rate_limit(self, platform: str, *, times: int = 1, reset_s: int = 2) -> None:
        """The next ``times`` requests to ``platform`` get its rate-limit answer."""
        with self.state.lock:
            self.state.rate_limits[platform] = times
            self.state.rate_limit_reset_s = reset_s

    def set_down(self, platform: str, down: bool = True) -> None:
        """Make every endpoint of ``platform`` answer 503 (or restore it)."""
        with self.state.lock:
            (self.state.down.add if down else self.state.down.discard)(platform)

    def inject_malformed(self, platform: str, field: str | None, *, mode: str = "corrupt") -> None:
        """From now on ``field`` in ``platform``'s responses is mistyped (``corrupt``) or ``drop``-ped."""
        with self.state.lock:
            if field is None:
                self.state.malformed.pop(platform, None)
            else:
                self.state.malformed[platform] = (field, mode)

    def set_faults(self, rules: list[FaultRule], *, seed: int | None = None, retry_after_s: int = 1) -> None:
        """Inject ``rules`` (matched against the request path, e.g. ``/x/*``), drawn from ``seed``.

        A ``status`` 429 rule is answered as the platform's own rate limit with a wait of
        ``retry_after_s``; the other kinds as in the Spotify sandbox (5xx, timeout, reset,
        truncated JSON).
        """
        self.controls.set_faults(rules, seed=seed)
        self.faults.retry_after_s = retry_after_s

    @property
    def served(self) -> list[RequestRecord]:
        """Every request served since the last :meth:`reset_stats`, with the fault injected, if any."""
        return list(self.controls.requests)

    def reset_stats(self) -> None:
        self.controls.reset_stats()

    def requests_to(self, platform: str) -> list[tuple[str, str]]:
        """``(method, path)`` of every request ``platform`` received (paths only, never queries)."""
        with self.state.lock:
            return [(m, p) for plat, m, p in self.state.requests if plat == platform]
