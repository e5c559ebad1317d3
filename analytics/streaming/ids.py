"""Time-ordered, deterministic event ids.

An id is 128 bits written as 32 hex characters: the first 48 bits are the play's UTC time in
milliseconds since the epoch, the other 80 bits a SHA-256 prefix of the event's identity
(the producer's event id, or a history row's canonical fields). The same event always gets
the same id, so re-delivery and re-ingest dedupe on the primary key; ids sort by time, so
new events append to the end of the key index and a day is a key range.
"""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, date, datetime, time

_MAX_MS = (1 << 48) - 1


def _ms(ts: datetime) -> int:
    ms = int(ts.timestamp() * 1000)
    if not 0 <= ms <= _MAX_MS:
        raise ValueError(f"timestamp {ts.isoformat()} is outside the range an event id can hold")
    return ms


def event_id(ts: datetime, identity: str) -> str:
    """The stored id of the event at ``ts`` whose identity string is ``identity``."""
    digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:20]
    return f"{_ms(ts):012x}{digest}"


def day_bounds(day: date) -> tuple[str, str]:
    """Smallest id of ``day`` and smallest id of the next day (half-open key range)."""
    start = datetime.combine(day, time(0), tzinfo=UTC)
    end_ms = _ms(start) + 86_400_000
    return f"{_ms(start):012x}" + "0" * 20, f"{end_ms:012x}" + "0" * 20


def new_event_id(ts: datetime | None = None) -> str:
    """A fresh producer-side id (time-ordered, random tail), like a UUIDv7 in hex."""
    moment = ts or datetime.now(UTC)
    return f"{_ms(moment):012x}{os.urandom(10).hex()}"
