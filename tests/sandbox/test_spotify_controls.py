"""Rate limiting, forced 429s, seeded fault injection (5xx, delays, resets, truncation), stats and log."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import httpx
import pytest
import requests

from analytics.sandbox.spotify import FaultRule, SandboxOptions, SpotifySandbox
from tests.conftest import TEST_HTTP_TIMEOUT_S
from tests.sandbox.conftest import MAXSTACK, SOUNDTRACK, Api, fetch_token

QUOTA_BODY = {"error": {"status": 429, "message": "Too many requests", "reason": "QUOTA_EXCEEDED"}}


def test_rolling_window_rate_limit(api_for: Callable[..., Api]) -> None:
    with SpotifySandbox(SandboxOptions(rate_limit_per_30s=5, retry_after_s=17)).running() as sb:
        api = api_for(sb)
        statuses = [api.get(f"/artists/{MAXSTACK}").status_code for _ in range(7)]
        assert statuses == [200] * 5 + [429] * 2
        limited = api.get(f"/artists/{MAXSTACK}")
        assert limited.headers["retry-after"] == "17" and limited.json() == QUOTA_BODY
        assert (
            httpx.post(
                sb.token_url,
                data={"grant_type": "client_credentials"},
                auth=(sb.client_id, sb.client_secret),
                timeout=TEST_HTTP_TIMEOUT_S,
            ).status_code
            == 200
        )
        sb.set_rate_limit(None)
        assert api.get(f"/artists/{MAXSTACK}").status_code == 200
        assert sb.stats().count(route="/v1/artists/{id}", status=429) == 3


def test_forced_rate_limit_for_the_next_requests(dev_sb: SpotifySandbox, dev: Api) -> None:
    dev_sb.force_rate_limit(retry_after_s=3600, count=2)
    first, second, third = (dev.get(f"/albums/{SOUNDTRACK}") for _ in range(3))
    assert first.status_code == second.status_code == 429 and first.headers["retry-after"] == "3600"
    assert first.json() == QUOTA_BODY and third.status_code == 200


def _statuses(sb: SpotifySandbox, token: str, n: int) -> list[int]:
    api = Api(sb, token)  # the injected 503s are validated against the spec too
    try:
        return [api.get(f"/artists/{MAXSTACK}").status_code for _ in range(n)]
    finally:
        api.close()


def test_faults_are_deterministic_for_a_seed() -> None:
    rule = FaultRule(route="/v1/artists/*", kind="status", status=503, probability=0.5)
    runs = []
    for seed in (7, 7, 8):
        with SpotifySandbox(SandboxOptions(faults=[rule], seed=seed)).running() as sb:
            runs.append(_statuses(sb, fetch_token(sb), 24))
    assert runs[0] == runs[1] and runs[0] != runs[2]
    assert set(runs[0]) == {200, 503} and 4 <= runs[0].count(503) <= 20


def test_fault_kinds_status_reset_truncate_timeout(dev_sb: SpotifySandbox) -> None:
    token = fetch_token(dev_sb)
    headers = {"Authorization": f"Bearer {token}"}
    url = f"{dev_sb.api_url}/artists/{MAXSTACK}"
    dev_sb.set_faults([FaultRule(route="/v1/artists/{id}", kind="status", status=502, times=1)])
    failed = requests.get(url, headers=headers, timeout=5)
    assert failed.status_code == 502 and failed.json()["error"]["status"] == 502
    assert requests.get(url, headers=headers, timeout=5).status_code == 200  # times=1 is spent

    dev_sb.set_faults([FaultRule(route="/v1/artists/*", kind="reset", times=1)])
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(url, headers=headers, timeout=5)

    dev_sb.set_faults([FaultRule(route="/v1/artists/*", kind="truncate", times=1)])
    cut = requests.get(url, headers=headers, timeout=5)
    assert cut.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(cut.content)

    dev_sb.set_faults([FaultRule(route="/v1/artists/*", kind="timeout", delay_s=2.0, times=1)])
    started = time.perf_counter()
    with pytest.raises(requests.exceptions.Timeout):
        requests.get(url, headers=headers, timeout=0.3)
    assert time.perf_counter() - started < 1.5  # the client gave up before the sandbox would answer
    deadline = time.monotonic() + 5
    while not any(r.fault == "timeout" for r in dev_sb.requests) and time.monotonic() < deadline:
        time.sleep(0.05)  # the sandbox logs the request once it drops the connection, after delay_s

    dev_sb.set_faults([FaultRule(route="*", method="GET", kind="delay", delay_s=0.3, times=1)])
    started = time.perf_counter()
    assert requests.get(url, headers=headers, timeout=5).status_code == 200
    assert time.perf_counter() - started >= 0.3
    faults = [r.fault for r in dev_sb.requests if r.fault]
    assert [r.status for r in dev_sb.requests if r.fault in ("reset", "timeout")] == [0, 0]
    assert faults == ["status", "reset", "truncate", "timeout", "delay"]


def test_stats_log_and_admin_endpoints(dev_sb: SpotifySandbox, dev: Api) -> None:
    dev_sb.reset_stats()
    dev.get(f"/artists/{MAXSTACK}")
    dev.get(f"/artists/{MAXSTACK}")
    dev.get("/tracks/bad")
    stats = dev_sb.stats()
    assert stats.total == 3 and stats.counts[("GET", "/v1/artists/{id}", 200)] == 2
    assert stats.count(route="/v1/tracks/{id}", status=400) == 1
    assert [r.path for r in dev_sb.requests][-1] == "/v1/tracks/bad"
    remote = httpx.get(f"{dev_sb.accounts_url}/_sandbox/stats", timeout=TEST_HTTP_TIMEOUT_S).json()
    assert (
        remote["total"] == 3
        and {"method": "GET", "route": "/v1/artists/{id}", "status": 200, "count": 2} in remote["by_route"]
    )
    rules = {"faults": [{"route": "/v1/albums/*", "kind": "status", "status": 500}], "seed": 1}
    assert httpx.put(
        f"{dev_sb.accounts_url}/_sandbox/faults", json=rules, timeout=TEST_HTTP_TIMEOUT_S
    ).json() == {"faults": 1}
    assert dev.get(f"/albums/{SOUNDTRACK}").status_code == 500
    httpx.put(f"{dev_sb.accounts_url}/_sandbox/faults", json={"faults": []}, timeout=TEST_HTTP_TIMEOUT_S)
    httpx.post(
        f"{dev_sb.accounts_url}/_sandbox/force-rate-limit",
        json={"retry_after_s": 60, "count": 1},
        timeout=TEST_HTTP_TIMEOUT_S,
    )
    assert dev.get(f"/albums/{SOUNDTRACK}").headers["retry-after"] == "60"
    httpx.post(f"{dev_sb.accounts_url}/_sandbox/expire-tokens", timeout=TEST_HTTP_TIMEOUT_S)
    assert dev.get(f"/albums/{SOUNDTRACK}").json()["error"]["message"] == "The access token expired"
    httpx.post(
        f"{dev_sb.accounts_url}/_sandbox/quota-mode",
        json={"quota_mode": "extended"},
        timeout=TEST_HTTP_TIMEOUT_S,
    )
    assert dev_sb.runtime.quota_mode == "extended"
