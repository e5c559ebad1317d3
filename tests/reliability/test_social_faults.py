"""The social sandbox's seeded faults, seen by a plain HTTP client and by the X connector."""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest
from pydantic import SecretStr

from analytics.sandbox.social import SocialSandbox
from analytics.sandbox.spotify import FaultRule
from analytics.social import RateLimited
from analytics.social.platforms.x import XConnector
from reliability.faults import social_fault_rules
from tests.conftest import TEST_HTTP_TIMEOUT_S


@pytest.fixture
def sandbox() -> Iterator[SocialSandbox]:
    with SocialSandbox(seed=7).running() as sb:
        yield sb


def _get_user(sb: SocialSandbox) -> httpx.Response:
    token = sb.credentials["x_bearer_token"]
    return httpx.get(
        f"{sb.base_urls['x']}/2/users/by/username/maxstack",
        headers={"Authorization": f"Bearer {token}"},
        timeout=TEST_HTTP_TIMEOUT_S,
    )


def test_each_fault_kind_reaches_the_client(sandbox: SocialSandbox) -> None:
    sandbox.set_faults([FaultRule(route="/x/*", kind="status", status=503, times=1)])
    assert _get_user(sandbox).status_code == 503
    sandbox.set_faults([FaultRule(route="/x/*", kind="truncate", times=1)])
    cut = _get_user(sandbox)
    assert cut.status_code == 200 and 0 < len(cut.content) < len(_get_user(sandbox).content)
    with pytest.raises(ValueError):
        cut.json()
    sandbox.set_faults([FaultRule(route="/x/*", kind="reset", times=1)])
    with pytest.raises(httpx.TransportError):
        _get_user(sandbox)
    sandbox.set_faults([FaultRule(route="/x/*", kind="status", status=429, times=1)], retry_after_s=7)
    limited = _get_user(sandbox)
    assert limited.status_code == 429 and limited.json()["title"] == "Too Many Requests"  # X's own answer
    assert "x-rate-limit-reset" in limited.headers
    assert _get_user(sandbox).status_code == 200
    faults = [r.fault for r in sandbox.served if r.fault]
    assert faults == ["status", "truncate", "reset", "rate_limit"]  # the plain GETs in between: none
    assert all(r.query == "" for r in sandbox.served), "no query string (tokens) is kept"


def test_the_connector_retries_short_faults_and_stops_on_a_long_rate_limit(sandbox: SocialSandbox) -> None:
    waits: list[float] = []
    token = SecretStr(sandbox.credentials["x_bearer_token"])
    x = XConnector(token, base_url=sandbox.base_urls["x"], sleep=waits.append)
    sandbox.set_faults(
        [
            FaultRule(route="/x/*", kind="status", status=500, times=1),
            FaultRule(route="/x/*", kind="status", status=429, times=1),
        ],
        retry_after_s=2,
    )
    assert x.account("maxstack").handle == "maxstack"
    assert len(waits) == 2  # a backoff after the 500, the reset wait after the 429
    sandbox.set_faults([FaultRule(route="/x/*", kind="status", status=429, times=1)], retry_after_s=3600)
    with pytest.raises(RateLimited):
        x.account("maxstack")
    x.close()


# Two full social syncs against the faulty emulators: 15-40 s.
@pytest.mark.slow
def test_the_seeded_mix_hits_about_a_fifth_of_the_requests_the_same_way_twice(sandbox: SocialSandbox) -> None:
    def faults_of_a_run() -> Counter[str | None]:
        sandbox.reset_stats()
        sandbox.set_faults(social_fault_rules(0.2), seed=3)
        for _ in range(60):
            with contextlib.suppress(httpx.TransportError):
                _get_user(sandbox)
        # The server thread records a request after its last byte is sent: wait for all 60.
        deadline = time.monotonic() + 5.0
        while len(sandbox.served) < 60 and time.monotonic() < deadline:
            time.sleep(0.01)
        # counted, not listed: a dropped connection's record may land after the next request's
        return Counter(r.fault for r in sandbox.served)

    first = faults_of_a_run()
    assert first.total() == 60
    assert first == faults_of_a_run()
    assert 0.08 <= (first.total() - first[None]) / first.total() <= 0.35
