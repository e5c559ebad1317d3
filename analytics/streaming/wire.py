"""The wire format of a play event (Redis Streams entries, JSON-lines replays).

One JSON object: ``v`` (format version 1), ``event_id`` (the producer's id), ``ts``
(ISO 8601 UTC), ``track_id``, ``artist_id``, ``ms_played`` and optional ``country``,
``platform``, ``reason_start``, ``reason_end``, ``shuffle``, ``skipped``, ``offline``,
``listener`` (an opaque, already pseudonymous token; stored only as a one-way key).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from analytics.streaming.events import normalise_play
from analytics.streaming.ids import new_event_id
from analytics.streaming.parsing import parse_timestamp

WIRE_VERSION = 1
MAX_CLOCK_SKEW = timedelta(minutes=10)
_OPTIONAL = ("country", "platform", "reason_start", "reason_end", "shuffle", "skipped", "offline", "listener")


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
    return json.dumps(body, separators=(",", ":")).encode()


def decode_event(payload: bytes | str, *, now: datetime) -> dict[str, Any]:
    """A validated event row from one entry's ``e`` field; ValueError with a reason otherwise."""
    try:
        body = json.loads(payload)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ValueError("malformed JSON payload") from None
    if not isinstance(body, dict) or body.get("v") != WIRE_VERSION:
        raise ValueError(
            f"unsupported event format version {body.get('v') if isinstance(body, dict) else None!r}"
        )
    producer_id = body.get("event_id")
    if not isinstance(producer_id, str) or not producer_id:
        raise ValueError("missing value in event_id")
    ts = parse_timestamp(body.get("ts"), column="ts", now=now + MAX_CLOCK_SKEW)
    return normalise_play(
        ts=ts,
        track_id=body.get("track_id"),
        ms_played=body.get("ms_played"),
        source="realtime",
        identity=f"realtime|{producer_id}",
        artist_id=body.get("artist_id"),
        country=body.get("country"),
        platform=body.get("platform"),
        reason_start=body.get("reason_start"),
        reason_end=body.get("reason_end"),
        shuffle=body.get("shuffle"),
        skipped=body.get("skipped"),
        offline=body.get("offline"),
        listener=body.get("listener"),
    )
