"""HTTP plumbing shared by the connectors: bounded retries, rate-limit waits, field checks, redaction.

Each connector classifies a platform's answers (:class:`Verdict`); this module turns verdicts
into waits, retries and errors with one policy: wait for a rate limit only as long as
``max_wait_s`` allows in total, retry 5xx and network errors a bounded number of times.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from analytics.observability.metrics import counter
from analytics.social.errors import (
    MalformedPayload,
    PlatformUnavailable,
    RateLimited,
    SocialError,
    UnreadableBody,
)

log = logging.getLogger(__name__)

SECRET_QUERY = re.compile(
    r"((?:access_token|key|refresh_token|client_secret|input_token|fb_exchange_token)=)[^&\s\"']+"
)
REQUESTS = counter(
    "encore_social_requests_total", "Requests sent to social platforms", ("platform", "outcome")
)


def redact(text: str) -> str:
    """``text`` with the values of secret query parameters replaced by ``***``."""
    return SECRET_QUERY.sub(r"\1***", text)


class _RedactSecrets(logging.Filter):
    """Rewrites httpx's request log lines, which carry full URLs, so no token reaches a log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(str(a)) if SECRET_QUERY.search(str(a)) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


_FILTER = _RedactSecrets()


def install_log_redaction() -> None:
    """Attach the redaction filter to the loggers that print URLs (idempotent)."""
    for name in ("httpx", "httpcore", "urllib3.connectionpool"):
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


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


class PlatformHttp:
    """An httpx client for one platform with the shared retry and wait policy.

    Parameters
    ----------
    platform : name used in errors and metrics.
    base_url : the platform's API root (the real API or a loopback emulator).
    max_wait_s : the most time spent waiting for rate limits in one call, in total.
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
        self.max_wait_s = max_wait_s
        self.server_retries = server_retries
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
        waited = 0.0
        failures = 0
        while True:
            try:
                self.requests += 1
                response = self.client.request(method, self.url(path), **kwargs)
            except httpx.TransportError as exc:
                failures += 1
                REQUESTS.labels(self.platform, "network_error").inc()
                if failures > self.server_retries:
                    raise PlatformUnavailable(
                        self.platform,
                        f"no answer from {self.base_url} after {failures} attempts "
                        f"({exc.__class__.__name__}); check the network or try later",
                    ) from None
                self.sleep(min(0.2 * 2**failures, 2.0))
                continue
            if response.status_code >= 500 and response.status_code not in self.classify_statuses:
                failures += 1
                REQUESTS.labels(self.platform, "server_error").inc()
                if failures > self.server_retries:
                    raise PlatformUnavailable(
                        self.platform,
                        f"the API answered HTTP {response.status_code} {failures} times in a row; "
                        "the platform looks down, the other platforms are not affected; try later",
                    )
                self.sleep(min(0.2 * 2**failures, 2.0))
                continue
            try:
                verdict = classify(response)
            except UnreadableBody:
                # A body cut short in transit reads as invalid JSON: retried like a dropped
                # connection; a field missing from valid JSON is the platform's change, not retried.
                failures += 1
                REQUESTS.labels(self.platform, "unreadable").inc()
                if failures > self.server_retries:
                    raise
                self.sleep(min(0.2 * 2**failures, 2.0))
                continue
            if verdict.error is not None:
                REQUESTS.labels(self.platform, "error").inc()
                raise verdict.error
            if verdict.retry_after_s is None:
                REQUESTS.labels(self.platform, "ok").inc()
                return verdict.payload
            REQUESTS.labels(self.platform, "rate_limited").inc()
            if waited + verdict.retry_after_s > self.max_wait_s:
                resumes = self.now() + timedelta(seconds=verdict.retry_after_s)
                raise RateLimited(
                    self.platform,
                    f"rate limited ({verdict.reason}); resumes after {resumes.isoformat(timespec='seconds')}, "
                    f"longer than the {self.max_wait_s:g} s we wait; the next run will continue",
                    resumes_at=resumes,
                )
            log.info(
                "social rate limit, waiting",
                extra={"platform": self.platform, "wait_s": verdict.retry_after_s, "reason": verdict.reason},
            )
            self.sleep(verdict.retry_after_s)
            waited += verdict.retry_after_s

    def close(self) -> None:
        self.client.close()


def json_body(platform: str, response: httpx.Response) -> Any:
    """The response's JSON, or :class:`MalformedPayload` naming the body."""
    try:
        return response.json()
    except ValueError:
        raise UnreadableBody(
            platform, "<body>", f"is not JSON (HTTP {response.status_code}, {len(response.content)} bytes)"
        ) from None


_MISSING = object()


def pick(platform: str, payload: Any, path: str, kind: str = "str", *, optional: bool = False) -> Any:
    """The value at dotted ``path`` of ``payload``, checked to be of ``kind``.

    Parameters
    ----------
    kind : ``int`` (an integer or a string of digits, as YouTube sends counts), ``str``,
        ``bool``, ``float``, ``dict``, ``list`` or ``any``.
    optional : return None for a missing or null value instead of raising.

    Raises
    ------
    MalformedPayload naming the platform and ``path`` when the field is missing or mistyped.
    """
    value: Any = payload
    for part in path.split("."):
        if isinstance(value, Mapping):
            value = value.get(part, _MISSING)
        elif isinstance(value, list) and part.isdigit():
            value = value[int(part)] if int(part) < len(value) else _MISSING
        else:
            value = _MISSING
        if value is _MISSING or value is None:
            if optional:
                return None
            raise MalformedPayload(platform, path, "is missing")
    return _coerce(platform, path, value, kind)


def _coerce(platform: str, path: str, value: Any, kind: str) -> Any:
    def bad(expected: str) -> MalformedPayload:
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
        return MalformedPayload(platform, path, f"should be {expected}, got {shown}")

    if kind == "int":
        if isinstance(value, bool):
            raise bad("an integer")
        if isinstance(value, int):
            if value < 0:
                raise bad("a non-negative integer")
            return value
        if isinstance(value, str) and value.isdigit():
            return int(value)
        raise bad("an integer")
    if kind == "float":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        raise bad("a number")
    expected_types: dict[str, type | tuple[type, ...]] = {
        "str": str,
        "bool": bool,
        "dict": dict,
        "list": list,
    }
    if kind in expected_types:
        if not isinstance(value, expected_types[kind]):
            raise bad(f"a {kind}")
        return value
    return value


def parse_time(platform: str, path: str, value: str | int | None) -> datetime | None:
    """An ISO-8601 string or epoch seconds as an aware datetime (None stays None)."""
    if value is None:
        return None
    try:
        if isinstance(value, int) and not isinstance(value, bool):
            return datetime.fromtimestamp(value, UTC)
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError):
        raise MalformedPayload(platform, path, f"should be a time, got {str(value)[:40]!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
