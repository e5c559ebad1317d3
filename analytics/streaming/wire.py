"""The wire format of a play event (Redis Streams entries, JSON-lines replays).

One JSON object: ``v`` (format version 1), ``event_id`` (the producer's id), ``ts``
(ISO 8601 UTC), ``track_id``, ``artist_id``, ``ms_played`` and optional ``country``,
``platform``, ``reason_start``, ``reason_end``, ``shuffle``, ``skipped``, ``offline``,
``listener`` (an opaque, already pseudonymous token; stored only as a one-way key).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from analytics.streaming.events import EVENT_COLUMNS, play_row
from analytics.streaming.ids import new_event_id
from analytics.streaming.parsing import parse_timestamp

try:  # orjson (installed with Prefect) reads and writes a play about 5x faster than the standard
    # library; it writes non-ASCII as UTF-8 where json escapes it: the same JSON values either way
    from orjson import dumps as _json_dumps
    from orjson import loads as _json_loads
except ImportError:  # pragma: no cover - the standard library gives the same values

    def _json_dumps(value: Any) -> bytes:  # type: ignore[misc]
        return json.dumps(value, separators=(",", ":")).encode()

    from json import loads as _json_loads  # type: ignore[assignment]

WIRE_VERSION = 1
MAX_CLOCK_SKEW = timedelta(minutes=10)
_OPTIONAL = ("country", "platform", "reason_start", "reason_end", "shuffle", "skipped", "offline", "listener")


@dataclass
class DecodedBatch:
    """A batch of wire payloads decoded at once.

    Attributes
    ----------
    rows : valid events as tuples in :data:`EVENT_COLUMNS` order (the bulk loaders' input).
    rejected : ``(position in the batch, reason)`` of each payload that is not a valid event.
    """

    rows: list[tuple[Any, ...]] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)


def encode_event(event: Mapping[str, Any]) -> bytes:
    """The wire form of one play; ``event_id`` is made (time-ordered) when absent."""
    ts = event["ts"]
    when = (
        ts
        if isinstance(ts, datetime)
        else parse_timestamp(ts, column="ts", now=datetime.max.replace(tzinfo=UTC))
    )
    body = {
        "v": WIRE_VERSION,
        "event_id": event.get("event_id") or new_event_id(when),
        "ts": when.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "track_id": event["track_id"],
        "artist_id": event.get("artist_id"),
        "ms_played": event["ms_played"],
    }
    body.update({k: event[k] for k in _OPTIONAL if event.get(k) is not None})
    return _json_dumps(body)


def _timestamp(raw: object, *, latest: datetime) -> datetime:
    """The play's instant; the common case (ISO 8601 with ``Z`` or an offset) in one C call."""
    if isinstance(raw, str):
        try:
            ts = datetime.fromisoformat(raw)
        except ValueError:
            pass  # the general parser below gives the reason
        else:
            if ts.tzinfo is UTC and ts <= latest:
                return ts
    return parse_timestamp(raw, column="ts", now=latest)


def _event_tuple(payload: bytes | str, *, latest: datetime) -> tuple[Any, ...]:
    """One payload as a validated row tuple; ValueError with a reason otherwise."""
    try:
        body = _json_loads(payload)
    except (ValueError, RecursionError):  # JSON syntax, bytes that are not UTF-8, nesting
        raise ValueError("malformed JSON payload") from None
    if not isinstance(body, dict) or body.get("v") != WIRE_VERSION:
        raise ValueError(
            f"unsupported event format version {body.get('v') if isinstance(body, dict) else None!r}"
        )
    get = body.get
    producer_id = get("event_id")
    if not isinstance(producer_id, str) or not producer_id:
        raise ValueError("missing value in event_id")
    return play_row(
        _timestamp(get("ts"), latest=latest),
        get("track_id"),
        get("ms_played"),
        "realtime",
        "realtime|" + producer_id,
        get("artist_id"),
        get("country"),
        get("platform"),
        get("reason_start"),
        get("reason_end"),
        get("shuffle"),
        get("skipped"),
        get("offline"),
        get("listener"),
    )


def decode_event(payload: bytes | str, *, now: datetime) -> dict[str, Any]:
    """A validated event row from one entry's ``e`` field; ValueError with a reason otherwise."""
    return dict(zip(EVENT_COLUMNS, _event_tuple(payload, latest=now + MAX_CLOCK_SKEW), strict=True))


def decode_events(payloads: Sequence[bytes | str], *, now: datetime) -> DecodedBatch:
    """Decode a whole batch of payloads (e.g. one ``XREADGROUP`` reply) into row tuples.

    No per-event dict is built: each valid payload becomes the tuple the bulk loaders store,
    each invalid one a ``(position, reason)`` pair; one bad payload never stops the batch.
    """
    latest = now + MAX_CLOCK_SKEW
    batch = DecodedBatch()
    append = batch.rows.append
    for position, payload in enumerate(payloads):
        try:
            append(_event_tuple(payload, latest=latest))
        except ValueError as exc:
            batch.rejected.append((position, str(exc)))
    return batch
