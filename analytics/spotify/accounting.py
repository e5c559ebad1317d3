"""Request accounting: every HTTP request to Spotify counted by endpoint template and status.

Counts go to the Prometheus counter ``encore_spotify_requests_total{endpoint,status}`` on the
shared registry, and to a per-client tally that audit records carry.
"""

from __future__ import annotations

import threading
from collections import Counter
from urllib.parse import urlsplit

from analytics.observability.metrics import counter

REQUESTS_TOTAL = counter(
    "encore_spotify_requests_total",
    "HTTP requests sent to the Spotify Web API and accounts service, by endpoint template and status.",
    ("endpoint", "status"),
)

# path segments after which the next segment is an object id
_COLLECTIONS = frozenset(
    {"artists", "albums", "tracks", "playlists", "users", "shows", "episodes", "audiobooks", "chapters",
     "categories", "audio-features", "audio-analysis"}
)  # fmt: skip
# segments that may follow a collection name without being an id
_KEYWORDS = frozenset({"contains"})


def endpoint_template(method: str, url: str, *, api_url: str, accounts_url: str) -> str:
    """``"GET /artists/{id}/albums"`` for ``GET https://…/v1/artists/0TnOYIS…/albums?limit=10``.

    Paths outside the API base keep their path (the token endpoint reads ``POST /api/token``).
    """
    path = urlsplit(url).path
    for base in (api_url, accounts_url):
        base_path = urlsplit(base).path.rstrip("/")
        if base_path and path.startswith(base_path + "/") and urlsplit(url).netloc == urlsplit(base).netloc:
            path = path[len(base_path) :]
            break
    segments = [s for s in path.split("/") if s]
    out: list[str] = []
    for i, seg in enumerate(segments):
        prev = segments[i - 1] if i else ""
        is_id = prev in _COLLECTIONS and seg not in _KEYWORDS and (i < 2 or segments[i - 2] != "me")
        out.append("{id}" if is_id else seg)
    return f"{method.upper()} /" + "/".join(out)


class RequestTally:
    """Thread-safe per-client counts keyed by ``(endpoint template, status)``.

    ``status`` is the HTTP status as a string, or ``"connection_error"`` / ``"timeout"`` when
    no response came back.
    """

    def __init__(self) -> None:
        self._counts: Counter[tuple[str, str]] = Counter()
        self._lock = threading.Lock()

    def record(self, endpoint: str, status: str) -> None:
        REQUESTS_TOTAL.labels(endpoint=endpoint, status=status).inc()
        with self._lock:
            self._counts[(endpoint, status)] += 1

    def counts(self) -> dict[tuple[str, str], int]:
        with self._lock:
            return dict(self._counts)

    def total(self, *, api_only: bool = False) -> int:
        """All requests; with ``api_only``, leave out the accounts service (token requests)."""
        with self._lock:
            return sum(
                n for (ep, _), n in self._counts.items() if not (api_only and ep.endswith("/api/token"))
            )

    def as_records(self) -> list[dict[str, object]]:
        """JSON-ready rows ``{"endpoint", "status", "count"}``, sorted, for audit records."""
        with self._lock:
            items = sorted(self._counts.items())
        return [{"endpoint": ep, "status": st, "count": n} for (ep, st), n in items]
