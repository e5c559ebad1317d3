"""encore's retry policy for Spotify: bounded exponential backoff with jitter, bounded Retry-After.

spotipy's own retries are turned off (its default sleeps for the whole ``Retry-After``, which
can be an hour); this module decides instead, as pure functions the transport applies.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry.

    Parameters
    ----------
    max_attempts : attempts per request for transient failures (5xx, resets, timeouts, invalid
        JSON), the first included.
    base_delay_s : the first backoff delay; attempt ``n`` waits up to ``base * factor**(n-1)``.
    factor : growth of the delay envelope per attempt.
    max_delay_s : cap of one backoff delay.
    jitter : fraction of the delay drawn at random (0: none, 1: "full jitter").
    max_retry_wait_s : the longest ``Retry-After`` honoured by sleeping; longer ones raise
        :class:`~analytics.spotify.errors.QuotaExhausted` at once.
    max_rate_limited : how many 429 answers in a row one request sleeps through before giving up.
    timeout_s : connect and read timeout of one HTTP request.
    """

    max_attempts: int = 5
    base_delay_s: float = 0.5
    factor: float = 2.0
    max_delay_s: float = 8.0
    jitter: float = 0.5
    max_retry_wait_s: float = 30.0
    max_rate_limited: int = 3
    timeout_s: float = 10.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"RetryPolicy.max_attempts must be >= 1, got {self.max_attempts}")
        if not 0.0 <= self.jitter <= 1.0:
            raise ValueError(f"RetryPolicy.jitter must be within [0, 1], got {self.jitter}")
        if self.base_delay_s < 0 or self.max_delay_s < 0 or self.factor < 1:
            raise ValueError("RetryPolicy delays must be >= 0 and factor >= 1")

    def envelope(self, attempt: int) -> float:
        """The largest delay after failed attempt number ``attempt`` (1-based)."""
        return min(self.max_delay_s, self.base_delay_s * self.factor ** max(0, attempt - 1))

    def backoff(self, attempt: int, *, rng: random.Random) -> float:
        """The delay after failed attempt ``attempt``: within ``[(1-jitter)·env, env]``."""
        env = self.envelope(attempt)
        return env * (1.0 - self.jitter) + env * self.jitter * rng.random()

    def schedule(self, *, rng: random.Random) -> list[float]:
        """The delays between all attempts of one request (``max_attempts - 1`` of them)."""
        return [self.backoff(n, rng=rng) for n in range(1, self.max_attempts)]

    def honours(self, retry_after_s: float) -> bool:
        """Whether a ``Retry-After`` of this many seconds is waited out (else: QuotaExhausted)."""
        return retry_after_s <= self.max_retry_wait_s


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date; None if absent.

    Unparseable values give None (the caller then backs off on its own schedule).
    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
