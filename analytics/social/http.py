"""HTTP plumbing shared by the connectors: verdicts on answers, JSON bodies, log redaction.

Each connector classifies a platform's answers (:class:`Verdict`); this module turns verdicts
into waits, retries and errors with encore's one retry policy (:mod:`analytics.http.retry`):
wait for a rate limit only as long as ``max_wait_s`` allows in total, retry 5xx, network errors
and bodies cut short a bounded number of times. Redaction is encore's one redactor.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from analytics.http import retry
from analytics.observability.metrics import counter
from analytics.observability.redaction import CLIENT_MASK, install_log_filter
from analytics.social.errors import (
    MalformedPayload,
    PlatformUnavailable,
    RateLimited,
    SocialError,
    UnreadableBody,
)

log = logging.getLogger(__name__)

REQUESTS = counter(
    "encore_social_requests_total", "Requests sent to social platforms", ("platform", "outcome")
)


def install_log_redaction() -> None:
    """Redact the loggers that print URLs (httpx's request lines carry tokens in query strings)."""
    install_log_filter(("httpx", "httpcore", "urllib3.connectionpool"), mask=CLIENT_MASK)


@dataclass(frozen=True)
class Verdict:
    """What a connector makes of one response: use it, wait and retry, or fail."""

    payload: Any = None
    retry_after_s: float | None = None
    reason: str = ""
    error: SocialError | None = None

    @classmethod
    def ok(cls, payload: Any) -> Verdict:
        return cls(payload=payload)

    @classmethod
    def wait(cls, seconds: float, reason: str) -> Verdict:
        return cls(retry_after_s=max(0.0, seconds), reason=reason)

    @classmethod
    def fail(cls, error: SocialError) -> Verdict:
        return cls(error=error)


class _Failed(retry.Transient):
    """A transient failure that, once the attempts run out, surfaces as ``error``."""

    def __init__(self, what: str, *, error: SocialError) -> None:
        super().__init__(what)
        self.error = error


def social_policy(
    *, max_wait_s: float, server_retries: int, timeout_s: float = 10.0, base_delay_s: float = 0.4
) -> retry.RetryPolicy:
    """The shared policy as the platforms use it: a few quick retries, rate limits within ``max_wait_s``."""
    return retry.RetryPolicy(
        max_attempts=server_retries + 1,
        base_delay_s=base_delay_s,
        max_delay_s=2.0,
        jitter=0.0,
        max_retry_wait_s=max_wait_s,
        max_rate_limited=100,
        wait_budget_s=max_wait_s,
        timeout_s=timeout_s,
    )


class PlatformHttp:
    """An httpx client for one platform with the shared retry and wait policy.

    Parameters
    ----------
    platform : name used in errors and metrics.
    base_url : the platform's API root (the real API or a loopback emulator).
    max_wait_s : the most time spent waiting in one call, in total.
    retry_base_delay_s : the first backoff delay after a 5xx or network error (doubles per retry, at most 2 s).
    sleep, now : clock, injectable so tests can record waits instead of sleeping.
    server_retries : how often a 5xx or network error is retried before giving up.
    """

    def __init__(
        self,
        platform: str,
        base_url: str,
        *,
        max_wait_s: float = 30.0,
        timeout_s: float = 10.0,
        retry_base_delay_s: float = 0.4,
        server_retries: int = 2,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        headers: Mapping[str, str] | None = None,
        classify_statuses: frozenset[int] = frozenset(),
    ) -> None:
        install_log_redaction()
        self.classify_statuses = classify_statuses
        self.platform = platform
        self.base_url = base_url.rstrip("/")
        self.policy = social_policy(
            max_wait_s=max_wait_s,
            server_retries=server_retries,
            timeout_s=timeout_s,
            base_delay_s=retry_base_delay_s,
        )
        self.sleep = sleep
        self.now = now
        self.requests = 0
        self.client = httpx.Client(timeout=timeout_s, headers=dict(headers or {}), follow_redirects=False)

    def url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else f"{self.base_url}/{path.lstrip('/')}"

    def call(
        self,
        method: str,
        path: str,
        classify: Callable[[httpx.Response], Verdict],
        **kwargs: Any,
    ) -> Any:
        """Send one logical request, waiting and retrying per policy; return the verdict's payload."""
        return retry.call_with_retries(
            lambda: self._attempt(method, path, classify, **kwargs),
            policy=self.policy,
            give_up=self._give_up,
            sleep=self.sleep,
            before_retry=self._before_retry,
        )

    def _attempt(
        self, method: str, path: str, classify: Callable[[httpx.Response], Verdict], **kwargs: Any
    ) -> Any:
        self.requests += 1
        try:
            response = self.client.request(method, self.url(path), **kwargs)
        except httpx.TransportError as exc:
            REQUESTS.labels(self.platform, "network_error").inc()
            raise _Failed(
                exc.__class__.__name__,
                error=PlatformUnavailable(
                    self.platform,
                    f"no answer from {self.base_url} after {self.policy.max_attempts} attempts "
                    f"({exc.__class__.__name__}); check the network or try later",
                ),
            ) from None
        if response.status_code >= 500 and response.status_code not in self.classify_statuses:
            REQUESTS.labels(self.platform, "server_error").inc()
            raise _Failed(
                f"HTTP {response.status_code}",
                error=PlatformUnavailable(
                    self.platform,
                    f"the API answered HTTP {response.status_code} {self.policy.max_attempts} times in a row; "
                    "the platform looks down, the other platforms are not affected; try later",
                ),
            )
        try:
            verdict = classify(response)
        except UnreadableBody as exc:
            # A body cut short in transit is retried like a dropped connection; a field missing
            # from valid JSON is the platform's change, not retried.
            REQUESTS.labels(self.platform, "unreadable").inc()
            raise _Failed(str(exc), error=exc) from None
        if verdict.error is not None:
            REQUESTS.labels(self.platform, "error").inc()
            raise verdict.error
        if verdict.retry_after_s is None:
            REQUESTS.labels(self.platform, "ok").inc()
            return verdict.payload
        REQUESTS.labels(self.platform, "rate_limited").inc()
        raise retry.Throttled(verdict.reason, retry_after_s=verdict.retry_after_s)

    def _before_retry(self, failure: retry.Transient | retry.Throttled, wait_s: float, attempts: int) -> None:
        if isinstance(failure, retry.Throttled):
            log.info(
                "social rate limit, waiting",
                extra={"platform": self.platform, "wait_s": wait_s, "reason": failure.what},
            )

    def _give_up(self, stop: retry.GiveUp) -> SocialError:
        if isinstance(stop.failure, _Failed):
            return stop.failure.error
        resumes = self.now() + timedelta(seconds=stop.wait_s)
        return RateLimited(
            self.platform,
            f"rate limited ({stop.failure.what}); resumes after {resumes.isoformat(timespec='seconds')}, "
            f"longer than the {self.policy.max_retry_wait_s:g} s we wait; the next run will continue",
            resumes_at=resumes,
        )

    def close(self) -> None:
        self.client.close()


def retry_after(response: httpx.Response, *, default: float = 1.0) -> float:
    """The answer's ``Retry-After`` in seconds (delta or HTTP date), ``default`` when it has none."""
    seconds = retry.parse_retry_after(response.headers.get("Retry-After"))
    return default if seconds is None else seconds


def json_body(platform: str, response: httpx.Response) -> Any:
    """The response's JSON; :class:`UnreadableBody` when it was cut short, else :class:`MalformedPayload`."""
    try:
        return response.json()
    except ValueError:
        problem = f"is not JSON (HTTP {response.status_code}, {len(response.content)} bytes)"
        if retry.cut_short(response.text):  # cut in transit: worth another attempt
            raise UnreadableBody(platform, "<body>", problem) from None
        raise MalformedPayload(platform, "<body>", problem) from None
