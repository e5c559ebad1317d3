"""Fixtures: the Spotify sandbox in both quota modes (real HTTP on loopback) and clients for it."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pydantic import SecretStr

from analytics.config import Settings
from analytics.sandbox.spotify import SandboxOptions, SpotifySandbox, SyntheticCatalogSpec
from analytics.spotify import RetryPolicy, SpotifyClient

# small but with every shape the client pages over: an artist with 21 releases (3 pages of 10),
# an album of 51 tracks (2 pages of 50), playlists of the user and of others
SPEC = SyntheticCatalogSpec(artists=6, albums=60, tracks=900, users=3, playlists=6, seed=1)
FAST = RetryPolicy(
    max_attempts=5, base_delay_s=0.01, max_delay_s=0.05, jitter=0.5, max_retry_wait_s=5.0, timeout_s=5.0
)

MakeClient = Callable[..., SpotifyClient]


def sandbox_settings(
    settings: Settings, sb: SpotifySandbox, *, user: bool = True, **overrides: Any
) -> Settings:
    """``settings`` with the sandbox's credentials (a user refresh token unless ``user=False``)."""
    update: dict[str, Any] = {
        "spotify_client_id": sb.client_id,
        "spotify_client_secret": SecretStr(sb.client_secret),
        "spotify_refresh_token": SecretStr(sb.user_refresh_token) if user else None,
        "quota_mode": sb.runtime.quota_mode,
    }
    update.update(overrides)
    return settings.model_copy(update=update)


@pytest.fixture(scope="module", params=["development", "extended"])
def sandbox(request: pytest.FixtureRequest) -> Iterator[SpotifySandbox]:
    """One sandbox per quota mode and test module, over the small synthetic catalog."""
    with SpotifySandbox(SandboxOptions(quota_mode=request.param, synthetic=SPEC, seed=0)).running() as sb:
        yield sb


@pytest.fixture
def sb(sandbox: SpotifySandbox) -> Iterator[SpotifySandbox]:
    """The module's sandbox with no faults and fresh counters."""
    sandbox.set_faults([])
    settled(sandbox)  # the previous test's last request may still be on its way to the log
    sandbox.reset_stats()
    yield sandbox
    sandbox.set_faults([])


@pytest.fixture
def make_client(sb: SpotifySandbox, settings: Settings) -> Iterator[MakeClient]:
    """Build clients on the sandbox (fast backoff, seeded jitter); closed after the test."""
    clients: list[SpotifyClient] = []

    def make(
        *,
        user: bool = True,
        policy: RetryPolicy = FAST,
        sleep: Callable[[float], None] = time.sleep,
        **overrides: Any,
    ) -> SpotifyClient:
        client = SpotifyClient.from_settings(
            sandbox_settings(settings, sb, user=user, **overrides),
            api_url=sb.api_url,
            accounts_url=sb.accounts_url,
            policy=policy,
            sleep=sleep,
            seed=0,
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client: MakeClient) -> SpotifyClient:
    return make_client()


def settled(sb: SpotifySandbox) -> None:
    """Wait until the sandbox's request log is quiet: it records a request just after answering it."""
    deadline = time.monotonic() + 2.0
    last = -1
    while time.monotonic() < deadline:
        total = sb.stats().total
        if total == last:
            return
        last = total
        time.sleep(0.03)


def api_requests(
    sb: SpotifySandbox, *, route: str | None = None, method: str = "GET", status: int | None = None
) -> int:
    """Requests the sandbox saw on a route template (``/v1/artists/{id}``), once its log is settled."""
    settled(sb)
    return sb.stats().count(method=method, route=route, status=status)
