"""The one retry policy, over real loopback HTTP: what it waits for, what stops it, what it never retries."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from analytics.http.retry import (
    GiveUp,
    RetryPolicy,
    Transient,
    call_with_retries,
    cut_short,
    raise_for_retry,
)
from analytics.sandbox.loopback import LoopbackServer

Answer = tuple[int, dict[str, str], bytes]
OK: Answer = (200, {}, b'{"ok": true}')


@dataclass
class Scripted:
    """An ASGI app that answers the next scripted answer (the last one again once they run out)."""

    answers: list[Answer] = field(default_factory=list)
    served: int = 0

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        status, headers, body = self.answers[min(self.served, len(self.answers) - 1)]
        self.served += 1
        raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        raw.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": raw})
        await send({"type": "http.response.body", "body": body})


class Stopped(Exception):
    def __init__(self, stop: GiveUp) -> None:
        super().__init__(stop.reason)
        self.stop = stop


class BadPayload(Exception):
    """What a client raises for an answer it cannot use; the policy never retries it."""


@pytest.fixture
def api() -> Iterator[tuple[Scripted, httpx.Client, str]]:
    app = Scripted()
    with LoopbackServer(app, name="the scripted API").running() as server, httpx.Client() as client:
        yield app, client, server.url


def get_json(client: httpx.Client, url: str) -> Any:
    """One attempt as every encore client makes it: retryable statuses raise, bodies are checked."""
    response = client.get(url)
    raise_for_retry(
        response.status_code, response.headers.get("Retry-After"), what=f"HTTP {response.status_code}"
    )
    if response.status_code >= 400:
        raise BadPayload(f"HTTP {response.status_code}")
    try:
        return response.json()
    except ValueError:
        if cut_short(response.text):
            raise Transient("body cut short") from None
        raise BadPayload("not JSON") from None


def fetch(client: httpx.Client, url: str, policy: RetryPolicy, waits: list[float]) -> Any:
    def sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(seconds)

    return call_with_retries(
        lambda: get_json(client, url), policy=policy, give_up=Stopped, sleep=sleep, rng=random.Random(0)
    )


FAST = RetryPolicy(max_attempts=4, base_delay_s=0.01, max_delay_s=0.02, max_retry_wait_s=2.0)


def test_retry_after_is_waited_out_then_the_answer_is_used(api: tuple[Scripted, httpx.Client, str]) -> None:
    app, client, url = api
    app.answers = [(429, {"Retry-After": "1"}, b"{}"), OK]
    waits: list[float] = []
    started = time.monotonic()
    assert fetch(client, url, FAST, waits) == {"ok": True}
    assert waits == [1.0] and time.monotonic() - started >= 1.0
    assert app.served == 2


def test_a_5xx_retry_after_is_waited_rather_than_the_shorter_backoff(
    api: tuple[Scripted, httpx.Client, str],
) -> None:
    app, client, url = api
    app.answers = [(503, {"Retry-After": "0.3"}, b"{}"), OK]
    waits: list[float] = []
    assert fetch(client, url, FAST, waits) == {"ok": True}
    assert waits == [0.3]


def test_a_retry_after_beyond_the_longest_wait_is_a_quota_stop_at_once(
    api: tuple[Scripted, httpx.Client, str],
) -> None:
    app, client, url = api
    app.answers = [(429, {"Retry-After": "3600"}, b"{}"), OK]
    waits: list[float] = []
    with pytest.raises(Stopped) as info:
        fetch(client, url, FAST, waits)
    assert info.value.stop.reason == "too_long" and info.value.stop.quota
    assert info.value.stop.wait_s == 3600 and waits == [] and app.served == 1


def test_the_wait_budget_stops_retries_before_it_is_overspent(
    api: tuple[Scripted, httpx.Client, str],
) -> None:
    app, client, url = api
    app.answers = [(429, {"Retry-After": "0.3"}, b"{}")]
    waits: list[float] = []
    policy = RetryPolicy(max_retry_wait_s=1.0, max_rate_limited=100, wait_budget_s=0.7)
    with pytest.raises(Stopped) as info:
        fetch(client, url, policy, waits)
    stop = info.value.stop
    assert stop.reason == "budget" and waits == [0.3, 0.3] and stop.waited_s == pytest.approx(0.6)
    assert app.served == 3


def test_rate_limits_are_counted_apart_from_transient_failures(
    api: tuple[Scripted, httpx.Client, str],
) -> None:
    app, client, url = api
    app.answers = [(429, {"Retry-After": "0"}, b"{}")]
    with pytest.raises(Stopped) as info:
        fetch(client, url, RetryPolicy(max_rate_limited=2, max_attempts=1), [])
    assert info.value.stop.reason == "rate_limited" and info.value.stop.rate_limited == 3
    assert app.served == 3


def test_transient_failures_back_off_within_the_envelope_and_are_bounded(
    api: tuple[Scripted, httpx.Client, str],
) -> None:
    app, client, url = api
    app.answers = [(502, {}, b"bad gateway")]
    waits: list[float] = []
    with pytest.raises(Stopped) as info:
        fetch(client, url, FAST, waits)
    assert info.value.stop.reason == "attempts" and info.value.stop.attempts == FAST.max_attempts
    assert app.served == FAST.max_attempts and len(waits) == FAST.max_attempts - 1
    for attempt, wait in enumerate(waits, start=1):
        assert FAST.envelope(attempt) * (1 - FAST.jitter) <= wait <= FAST.envelope(attempt)


@pytest.mark.parametrize(
    "answer",
    [(400, {}, b'{"error": "bad request"}'), (404, {}, b"{}"), (200, {}, b"<html>oops</html>")],
    ids=["400", "404", "not-json"],
)
def test_bad_requests_and_bad_payloads_are_never_retried(
    api: tuple[Scripted, httpx.Client, str], answer: Answer
) -> None:
    app, client, url = api
    app.answers = [answer, OK]
    waits: list[float] = []
    with pytest.raises(BadPayload):
        fetch(client, url, FAST, waits)
    assert app.served == 1 and waits == []


def test_a_body_cut_short_in_transit_is_retried(api: tuple[Scripted, httpx.Client, str]) -> None:
    app, client, url = api
    body = json.dumps({"items": [{"id": "a", "n": 1}], "next": None}).encode()
    app.answers = [(200, {}, body[: len(body) // 2]), (200, {}, body)]
    assert fetch(client, url, FAST, []) == json.loads(body)
    assert app.served == 2


def test_every_prefix_of_a_document_reads_as_cut_short_and_other_garbage_does_not() -> None:
    doc = json.dumps(
        {"a": [1, -2.5e-3, True, False, None, 'x\\"y\u00e9'], "b": {"c": "http://h/?q=1"}}, ensure_ascii=False
    )
    assert [n for n in range(1, len(doc)) if not cut_short(doc[:n])] == []
    for garbage in ("", "<html>", "not json", '{"a" 1}', "[1,, 2]", doc):
        assert not cut_short(garbage), garbage
