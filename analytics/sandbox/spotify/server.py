"""``SpotifySandbox``: build the state, serve it on a loopback port (:class:`~analytics.sandbox.loopback.LoopbackServer`)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from analytics.sandbox.loopback import LoopbackServer
from analytics.sandbox.spotify.app import create_app
from analytics.sandbox.spotify.auth import TokenStore
from analytics.sandbox.spotify.controls import Controls, RequestRecord, Stats
from analytics.sandbox.spotify.options import DEMO_USER_ID, FaultRule, QuotaModeName, SandboxOptions
from analytics.sandbox.spotify.runtime import Runtime
from analytics.sandbox.spotify.state import CatalogState
from analytics.sandbox.spotify.synthetic import generate_catalog


def build_state(options: SandboxOptions) -> CatalogState:
    """The catalog the options ask for: a user file, a synthetic one, or the demo."""
    if options.catalog_path is not None:
        return CatalogState.from_file(options.catalog_path, seed=options.seed)
    if options.synthetic is not None:
        return generate_catalog(options.synthetic)
    return CatalogState.demo(seed=options.seed)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def signed_in_user(state: Any) -> str:
    """The catalog's first user, or the demo user when the catalog defines none."""
    return next(iter(state.users), DEMO_USER_ID)


class SpotifySandbox:
    """A loopback Spotify Web API and accounts service over a catalog.

    Examples
    --------
    >>> with SpotifySandbox(SandboxOptions()).running() as sb:  # doctest: +SKIP
    ...     sb.api_url, sb.accounts_url, sb.client_id, sb.user_refresh_token
    """

    def __init__(self, options: SandboxOptions | None = None) -> None:
        self.options = options or SandboxOptions()
        self.state = build_state(self.options)
        self.tokens = TokenStore(
            self.options.client_id,
            self.options.client_secret,
            self.options.token_ttl_s,
            user_refresh_token=self.options.refresh_token,
            user_id=signed_in_user(self.state),
        )
        self.controls = Controls(
            faults=list(self.options.faults),
            seed=self.options.seed,
            rate_limit_per_30s=self.options.rate_limit_per_30s,
            retry_after_s=self.options.retry_after_s,
            log_size=self.options.request_log_size,
        )
        self.runtime = Runtime(self.options, self.state, self.tokens, self.controls, self.options.quota_mode)
        self.app = create_app(self.runtime)
        self._server = LoopbackServer(
            self.app,
            host=self.options.host,
            port=self.options.port,
            name="the Spotify sandbox",
            graceful_shutdown_s=1,
        )

    @property
    def host(self) -> str:
        return self._server.host

    @property
    def port(self) -> int:
        """The port served on (0 until the first start when the options leave it to the system)."""
        return self._server.port

    # -- addresses and credentials ------------------------------------------------------------
    @property
    def accounts_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.accounts_url}/v1"

    @property
    def token_url(self) -> str:
        return f"{self.accounts_url}/api/token"

    @property
    def client_id(self) -> str:
        return self.options.client_id

    @property
    def client_secret(self) -> str:
        return self.options.client_secret

    @property
    def user_refresh_token(self) -> str:
        """A refresh token of the signed-in user (:attr:`user_id`) with every playlist, follow and library scope."""
        return self.options.refresh_token

    @property
    def user_id(self) -> str:
        """Who the refresh token signs in as: the catalog's first user (the demo's ``encore-demo-user``)."""
        return self.tokens.user_id

    # -- controls -------------------------------------------------------------------------------
    @property
    def requests(self) -> list[RequestRecord]:
        return list(self.controls.requests)

    def stats(self) -> Stats:
        return self.controls.stats()

    def reset_stats(self) -> None:
        self.controls.reset_stats()

    def set_faults(self, rules: list[FaultRule], *, seed: int | None = None) -> None:
        self.controls.set_faults(rules, seed=seed)

    def force_rate_limit(self, *, retry_after_s: int = 3600, count: int = 1) -> None:
        self.controls.force_rate_limit(retry_after_s=retry_after_s, count=count)

    def set_rate_limit(self, per_30s: int | None, *, retry_after_s: int | None = None) -> None:
        self.controls.set_rate_limit(per_30s, retry_after_s=retry_after_s)

    def set_quota_mode(self, mode: QuotaModeName) -> None:
        if mode not in ("development", "extended"):
            raise ValueError(f"quota mode {mode!r}: use 'development' or 'extended'")
        self.runtime.quota_mode = mode

    def expire_tokens(self) -> None:
        """Make every access token issued so far expired (the next API call gets 401)."""
        self.tokens.expire_all()

    # -- serving --------------------------------------------------------------------------------
    def start(self, *, timeout_s: float = 10.0) -> SpotifySandbox:
        """Serve in a daemon thread; returns once the port accepts connections."""
        self._server.start(timeout_s=timeout_s)
        return self

    def stop(self) -> None:
        self._server.stop()

    @contextmanager
    def running(self) -> Iterator[SpotifySandbox]:
        """The sandbox served on ``127.0.0.1:<free port>`` for the duration of the block."""
        self.start()
        try:
            yield self
        finally:
            self.stop()

    def __repr__(self) -> str:
        state: Any = "running" if self._server.is_running else "stopped"
        return f"SpotifySandbox({self.accounts_url}, {self.runtime.quota_mode}, {state})"
