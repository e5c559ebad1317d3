"""encore's one retry policy for every external HTTP API, applied with tenacity.

A caller sends one attempt and classifies what came back. Two kinds of failure are retried:

- :class:`Transient`: a network error, a 5xx, a body cut short in transit. Retried with
  bounded exponential backoff and jitter, at most ``max_attempts`` attempts in all.
- :class:`Throttled`: a rate limit (429, or what a platform uses instead). Waited out for its
  ``Retry-After`` when that is short enough; a longer one is a quota stop, raised at once.

Anything else (a 4xx other than 429, a payload that does not parse into the model, an
explicit quota stop) propagates from the first attempt: retrying it would only repeat it.
All waits of one call add up to at most ``wait_budget_s``.
"""

from __future__ import annotations

import json
import math
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Literal, NoReturn, TypeVar

from tenacity import RetryCallState, Retrying, retry_if_exception_type

T = TypeVar("T")


def retryable_status(status: int) -> bool:
    """Whether an HTTP status is worth another attempt: timeouts, conflicts, 429 and every 5xx."""
    return status in (408, 409, 425, 429) or status >= 500


def raise_for_retry(status: int, retry_after: str | None, *, what: str) -> None:
    """Raise :class:`Throttled` for a 429 and :class:`Transient` for another retryable status.

    Parameters
    ----------
    status : the HTTP status of the answer.
    retry_after : its ``Retry-After`` header, if any.
    what : how the failure is named in logs and the final error.

    Any other status returns: the caller then reads the answer, or refuses it without retrying.
    """
    if status == 429:
        raise Throttled(what, retry_after_s=parse_retry_after(retry_after))
    if retryable_status(status):
        raise Transient(what, retry_after_s=parse_retry_after(retry_after))


class Transient(Exception):
    """A failure that another attempt may not meet.

    Parameters
    ----------
    what : what happened, for logs and the final error (``"HTTP 503"``, ``"timeout"``).
    sent : whether the request may have reached the server (a write may then be applied).
    retry_after_s : the server's ``Retry-After``, when it sent one with a 5xx.
    """

    def __init__(self, what: str, *, sent: bool = True, retry_after_s: float | None = None) -> None:
        super().__init__(what)
        self.what = what
        self.sent = sent
        self.retry_after_s = retry_after_s


class Throttled(Exception):
    """A rate-limit answer: wait ``retry_after_s`` (None: back off on the policy's schedule)."""

    def __init__(self, what: str, *, retry_after_s: float | None = None) -> None:
        super().__init__(what)
        self.what = what
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry.

    Parameters
    ----------
    max_attempts : attempts per request for transient failures, the first included.
    base_delay_s : the first backoff delay; attempt ``n`` waits up to ``base * factor**(n-1)``.
    factor : growth of the delay envelope per attempt.
    max_delay_s : cap of one backoff delay.
    jitter : fraction of the delay drawn at random (0: none, 1: "full jitter").
    max_retry_wait_s : the longest single ``Retry-After`` honoured by sleeping; a longer one
        is a quota stop at once.
    max_rate_limited : how many rate-limit answers one request sleeps through before giving up.
    wait_budget_s : the most time all waits of one request may add up to (None: no bound
        beyond the others).
    rate_limits_are_attempts : count a rate-limit answer as one of ``max_attempts`` (for APIs
        that give one budget of tries whatever went wrong) instead of on its own count.
    timeout_s : connect and read timeout of one HTTP request.
    """

    max_attempts: int = 5
    base_delay_s: float = 0.5
    factor: float = 2.0
    max_delay_s: float = 8.0
    jitter: float = 0.5
    max_retry_wait_s: float = 30.0
    max_rate_limited: int = 3
    wait_budget_s: float | None = None
    rate_limits_are_attempts: bool = False
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
        if not self.jitter:
            return env
        return env * (1.0 - self.jitter) + env * self.jitter * rng.random()

    def schedule(self, *, rng: random.Random) -> list[float]:
        """The delays between all attempts of one request (``max_attempts - 1`` of them)."""
        return [self.backoff(n, rng=rng) for n in range(1, self.max_attempts)]

    def honours(self, retry_after_s: float) -> bool:
        """Whether a ``Retry-After`` of this many seconds is waited out (else: a quota stop)."""
        return retry_after_s <= self.max_retry_wait_s


StopReason = Literal["attempts", "rate_limited", "too_long", "budget"]


@dataclass(frozen=True)
class GiveUp:
    """Why the policy stopped retrying one request, for the caller to raise its own error.

    ``failure`` is the last failure; ``attempts`` and ``rate_limited`` count the transient
    failures and rate-limit answers met; ``wait_s`` is the wait that was refused (0 when
    the attempts ran out); ``waited_s`` the time already spent waiting.
    """

    reason: StopReason
    failure: Transient | Throttled
    attempts: int
    rate_limited: int
    wait_s: float
    waited_s: float

    @property
    def quota(self) -> bool:
        """Whether this is a quota stop (the API asked for more waiting than the policy allows)."""
        return isinstance(self.failure, Throttled) or self.reason == "too_long"


@dataclass
class _Tally:
    """The counts and the decision of one request, read by tenacity's wait and stop hooks."""

    policy: RetryPolicy
    rng: random.Random
    attempts: int = 0
    rate_limited: int = 0
    waited_s: float = 0.0
    next_wait_s: float = 0.0
    stop: GiveUp | None = field(default=None)

    def decide(self, failure: Transient | Throttled) -> float:
        policy = self.policy
        reason: StopReason | None = None
        if isinstance(failure, Throttled):
            self.rate_limited += 1
            if policy.rate_limits_are_attempts:
                self.attempts += 1
            count = self.attempts if policy.rate_limits_are_attempts else self.rate_limited
            backoff = policy.backoff(count, rng=self.rng)
            wait = failure.retry_after_s if failure.retry_after_s is not None else backoff
            if policy.rate_limits_are_attempts:
                wait = max(wait, backoff)
            if not policy.honours(wait):
                reason = "too_long"
            elif policy.rate_limits_are_attempts and self.attempts >= policy.max_attempts:
                reason = "attempts"
            elif not policy.rate_limits_are_attempts and self.rate_limited > policy.max_rate_limited:
                reason = "rate_limited"
        else:
            self.attempts += 1
            wait = policy.backoff(self.attempts, rng=self.rng)
            if self.attempts >= policy.max_attempts:
                reason = "attempts"
            elif failure.retry_after_s is not None:
                if not policy.honours(failure.retry_after_s):
                    reason, wait = "too_long", failure.retry_after_s
                else:
                    wait = max(wait, failure.retry_after_s)
        if (
            reason is None
            and policy.wait_budget_s is not None
            and self.waited_s + wait > policy.wait_budget_s
        ):
            reason = "budget"
        if reason is not None:
            self.stop = GiveUp(
                reason=reason,
                failure=failure,
                attempts=self.attempts,
                rate_limited=self.rate_limited,
                wait_s=0.0 if reason == "attempts" else wait,
                waited_s=self.waited_s,
            )
            return 0.0
        self.waited_s += wait
        return wait


def call_with_retries(
    attempt: Callable[[], T],
    *,
    policy: RetryPolicy,
    give_up: Callable[[GiveUp], BaseException],
    sleep: Callable[[float], None] = time.sleep,
    rng: random.Random | None = None,
    before_retry: Callable[[Transient | Throttled, float, int], None] | None = None,
) -> T:
    """Run ``attempt`` until it returns, retrying :class:`Transient` and :class:`Throttled` per ``policy``.

    Parameters
    ----------
    attempt : sends one request and returns its decoded answer, or raises. Any exception but
        the two retried ones propagates at once.
    give_up : turns the reason the policy stopped into the caller's own error, which is raised.
    sleep : the clock's sleep, injectable so tests can record waits.
    rng : the jitter's random source (seed it for reproducible waits).
    before_retry : told each failure, the wait about to be slept and the number of transient
        attempts failed so far (logs, metrics).

    Returns
    -------
    What the first successful ``attempt`` returned.
    """
    tally = _Tally(policy=policy, rng=rng or random.Random())

    def wait(state: RetryCallState) -> float:
        failure = state.outcome.exception() if state.outcome else None
        assert isinstance(failure, Transient | Throttled)
        tally.next_wait_s = tally.decide(failure)
        return tally.next_wait_s

    def announce(state: RetryCallState) -> None:
        failure = state.outcome.exception() if state.outcome else None
        if before_retry is not None and isinstance(failure, Transient | Throttled):
            before_retry(failure, tally.next_wait_s, tally.attempts)

    def stopped(state: RetryCallState) -> NoReturn:
        assert tally.stop is not None
        raise give_up(tally.stop)

    retrying = Retrying(
        retry=retry_if_exception_type((Transient, Throttled)),
        wait=wait,
        stop=lambda state: tally.stop is not None,
        sleep=sleep,
        before_sleep=announce,
        retry_error_callback=stopped,
    )
    return retrying(attempt)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date; None if absent.

    Unparseable values give None (the caller then backs off on its own schedule).
    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def cut_short(text: str) -> bool:
    """Whether ``text``, which is not valid JSON, reads as a JSON document cut short in transit.

    A body that stops mid-way (inside a string, or where more was expected at its end) is
    a transport failure worth another attempt; one that goes wrong before its end (an HTML
    error page, plain text) is a bad payload that another attempt would only repeat.
    """
    stripped = text.rstrip()
    if not stripped or stripped[0] not in "{[":
        return False
    try:
        json.loads(stripped)
    except json.JSONDecodeError as exc:
        rest = stripped[exc.pos :]
        return (
            exc.msg.startswith(("Unterminated string", "Invalid \\uXXXX"))
            or not rest
            or any(word.startswith(rest) for word in ("true", "false", "null"))
            or _NUMBER_TAIL.fullmatch(rest) is not None
        )
    return False


# what a number may end with when the body stops inside it: "-", "1." or "1e-"
_NUMBER_TAIL = re.compile(r"-|\.|[eE][-+]?")
