"""Rate limiting, seeded fault injection, and the request log with counters per route and status."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

from analytics.sandbox.spotify.options import FaultRule

WINDOW_S = 30.0


@dataclass(frozen=True)
class RequestRecord:
    """One request as the sandbox saw it (``status`` 0: the connection was dropped without a response)."""

    at: float
    method: str
    path: str
    route: str
    query: str
    status: int
    duration_ms: float
    fault: str | None = None


@dataclass(frozen=True)
class Stats:
    """Counters per ``(method, route template, status)`` and their total."""

    total: int
    counts: dict[tuple[str, str, int], int] = field(default_factory=dict)

    def count(self, *, method: str | None = None, route: str | None = None, status: int | None = None) -> int:
        """Requests matching every given criterion."""
        return sum(
            n
            for (m, r, s), n in self.counts.items()
            if (method is None or m == method)
            and (route is None or r == route)
            and (status is None or s == status)
        )

    def to_json(self) -> dict[str, Any]:
        rows = [
            {"method": m, "route": r, "status": s, "count": n} for (m, r, s), n in sorted(self.counts.items())
        ]
        return {"total": self.total, "by_route": rows}


class Controls:
    """The sandbox's runtime knobs; thread-safe, changed by tests while the server runs."""

    def __init__(
        self,
        *,
        faults: list[FaultRule],
        seed: int,
        rate_limit_per_30s: int | None,
        retry_after_s: int,
        log_size: int = 10000,
        clock: Any = time.monotonic,
    ) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self._seed = seed
        self._rng = random.Random(seed)
        self._faults: list[FaultRule] = list(faults)
        self._fault_hits: list[int] = [0] * len(self._faults)
        self.rate_limit_per_30s = rate_limit_per_30s
        self.retry_after_s = retry_after_s
        self._window: deque[float] = deque()
        self._forced: deque[int] = deque()
        self._counts: Counter[tuple[str, str, int]] = Counter()
        self.requests: deque[RequestRecord] = deque(maxlen=log_size)

    # -- configuration ------------------------------------------------------------------------
    def set_faults(self, rules: list[FaultRule], *, seed: int | None = None) -> None:
        """Replace the fault rules; the fault generator restarts from ``seed`` (default: the sandbox seed)."""
        with self._lock:
            self._faults = list(rules)
            self._fault_hits = [0] * len(self._faults)
            self._rng = random.Random(self._seed if seed is None else seed)

    @property
    def faults(self) -> list[FaultRule]:
        return list(self._faults)

    def set_rate_limit(self, per_30s: int | None, *, retry_after_s: int | None = None) -> None:
        with self._lock:
            self.rate_limit_per_30s = per_30s
            if retry_after_s is not None:
                self.retry_after_s = retry_after_s
            self._window.clear()

    def force_rate_limit(self, *, retry_after_s: int, count: int = 1) -> None:
        """Answer the next ``count`` API requests with 429 and ``Retry-After: retry_after_s``."""
        with self._lock:
            self._forced.extend([retry_after_s] * count)

    def reset_stats(self) -> None:
        with self._lock:
            self._counts.clear()
            self.requests.clear()

    # -- decisions ------------------------------------------------------------------------------
    def rate_limited(self) -> int | None:
        """The Retry-After to answer with if this request is over quota, else None (and it is counted)."""
        with self._lock:
            if self._forced:
                return self._forced.popleft()
            if self.rate_limit_per_30s is None:
                return None
            now = float(self._clock())
            while self._window and self._window[0] <= now - WINDOW_S:
                self._window.popleft()
            if len(self._window) >= self.rate_limit_per_30s:
                return self.retry_after_s
            self._window.append(now)
            return None

    def pick_fault(self, *, method: str, path: str, template: str | None) -> FaultRule | None:
        """The first matching rule whose seeded draw fires and whose budget is not spent."""
        with self._lock:
            for index, rule in enumerate(self._faults):
                if not rule.matches(method=method, path=path, template=template):
                    continue
                if rule.times is not None and self._fault_hits[index] >= rule.times:
                    continue
                if rule.probability < 1.0 and self._rng.random() >= rule.probability:
                    continue
                self._fault_hits[index] += 1
                return rule
            return None

    # -- accounting -----------------------------------------------------------------------------
    def record(self, record: RequestRecord) -> None:
        with self._lock:
            self._counts[(record.method, record.route, record.status)] += 1
            self.requests.append(record)

    def stats(self) -> Stats:
        with self._lock:
            counts = dict(self._counts)
        return Stats(total=sum(counts.values()), counts=counts)
