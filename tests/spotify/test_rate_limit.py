"""Every request sent takes a slot of the Prefect rate limit all workers share (ENCORE_SPOTIFY_RATE_LIMIT).

The client knows nothing of Prefect: the world hands it the limit as its ``before_request`` hook.
"""

from __future__ import annotations

import time
import uuid

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
from prefect.concurrency._asyncio import ConcurrencySlotAcquisitionError

from analytics.config import Settings
from analytics.sandbox.spotify import SpotifySandbox
from analytics.spotify import SpotifyClient
from flows.world import prefect_rate_limit
from tests.spotify.conftest import FAST, api_requests, sandbox_settings


def _client(settings: Settings, sb: SpotifySandbox, limit: str) -> SpotifyClient:
    return SpotifyClient.from_settings(
        sandbox_settings(settings, sb),
        api_url=sb.api_url,
        accounts_url=sb.accounts_url,
        policy=FAST,
        seed=0,
        persist_etags=False,
        before_request=prefect_rate_limit(limit),
    )


def test_requests_wait_for_slots_of_the_shared_rate_limit(sb: SpotifySandbox, settings: Settings) -> None:
    """2 slots, 4 released per second: 10 requests cannot all go at once (>= 2 s in all)."""
    name = f"spotify-api-{uuid.uuid4().hex[:8]}"
    with get_client(sync_client=True) as prefect:
        prefect.create_global_concurrency_limit(
            GlobalConcurrencyLimitCreate(name=name, limit=2, slot_decay_per_second=4.0)
        )
    artists = sorted(sb.state.artists)[:5]
    with _client(settings, sb, name) as client:
        started = time.perf_counter()
        for _ in range(2):
            for artist_id in artists:
                client.artist(artist_id)
        elapsed = time.perf_counter() - started
    assert api_requests(sb, route="/v1/artists/{id}") == 10
    assert elapsed >= (10 - 2) / 4.0 * 0.9, f"10 requests in {elapsed:.2f} s: the limit was not applied"


def test_a_rate_limit_missing_on_the_server_is_an_error_not_unlimited_traffic(
    sb: SpotifySandbox, settings: Settings
) -> None:
    with (
        _client(settings, sb, f"missing-{uuid.uuid4().hex[:8]}") as client,
        pytest.raises(ConcurrencySlotAcquisitionError),
    ):
        client.artist(sorted(sb.state.artists)[0])
    assert api_requests(sb, route="/v1/artists/{id}") == 0
