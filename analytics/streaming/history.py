"""Spotify extended streaming history (``Streaming_History_Audio_*.json``).

Only an allow-list of fields is read: :data:`ALLOWED_FIELDS`. ``ip_addr``, user agent,
user name and every field Spotify may add later are never copied, so they cannot reach the
warehouse, a log line or a rejection reason. Podcast episodes and audiobooks are rejected
as not music tracks.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from analytics.streaming.events import normalise_play
from analytics.streaming.ids import event_id
from analytics.streaming.parsing import parse_timestamp
from analytics.streaming.summary import ParseResult, Rejection, SourceFormatError

ALLOWED_FIELDS = (
    "ts",
    "ms_played",
    "spotify_track_uri",
    "conn_country",
    "platform",
    "reason_start",
    "reason_end",
    "shuffle",
    "skipped",
    "offline",
)


def load_records(text: str, *, where: str) -> list[Any]:
    """The JSON array of a history file; a truncated or malformed file is rejected whole."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        problem = f"malformed or truncated JSON at line {exc.lineno}, column {exc.colno} ({exc.msg})"
        raise SourceFormatError(
            where, problem, hint="Download the export again; the file is incomplete."
        ) from None
    except RecursionError:
        raise SourceFormatError(
            where, "JSON nested too deeply to be a streaming history", hint="This is not a Spotify export."
        ) from None
    except ValueError as exc:  # e.g. an integer of thousands of digits
        raise SourceFormatError(
            where, f"unreadable JSON ({str(exc)[:120]})", hint="This is not a Spotify export."
        ) from None
    if not isinstance(data, list):
        raise SourceFormatError(
            where, "expected a JSON array of plays", hint="Use the Streaming_History_Audio_*.json files."
        )
    return data


def parse_history(
    text: str,
    *,
    where: str,
    now: datetime,
    track_artists: Mapping[str, str] | None = None,
) -> ParseResult:
    """Validated play-event rows of one history file (source ``history``).

    Parameters
    ----------
    text : the decoded JSON file.
    now : plays after this instant are rejected as future dates.
    track_artists : track id -> artist id, to attribute plays (unknown tracks keep NULL).
    """
    records = load_records(text, where=where)
    artists = track_artists or {}
    result = ParseResult(rows=[], read=len(records))
    seen: set[str] = set()
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            result.rejected.append(Rejection(number, "not a JSON object"))
            continue
        fields = {k: record.get(k) for k in ALLOWED_FIELDS}  # the allow-list: nothing else is read
        try:
            row = _play(fields, now=now, artists=artists)
        except ValueError as exc:
            result.rejected.append(Rejection(number, str(exc)))
            continue
        if row["event_id"] in seen:
            result.duplicates += 1
            continue
        seen.add(row["event_id"])
        result.rows.append(row)
    return result


def _play(fields: dict[str, Any], *, now: datetime, artists: Mapping[str, str]) -> dict[str, Any]:
    uri = fields["spotify_track_uri"]
    if uri is None:
        raise ValueError("not a music track (podcast episode or audiobook)")
    if not isinstance(uri, str) or not uri.startswith("spotify:track:"):
        raise ValueError("invalid track URI in spotify_track_uri")
    track_id = uri.removeprefix("spotify:track:")
    ts = parse_timestamp(fields["ts"], column="ts", now=now)
    row = normalise_play(
        ts=ts,
        track_id=track_id,
        ms_played=fields["ms_played"],
        source="history",
        identity="",  # replaced below: the identity is made of the normalised values
        artist_id=artists.get(track_id),
        country=fields["conn_country"],
        platform=fields["platform"],
        reason_start=fields["reason_start"],
        reason_end=fields["reason_end"],
        shuffle=fields["shuffle"],
        skipped=fields["skipped"],
        offline=fields["offline"],
    )
    row["event_id"] = event_id(row["ts"], history_identity(row))
    return row


def history_identity(row: Mapping[str, Any]) -> str:
    """A history play's identity from its stored, normalised values.

    The instant in UTC to the microsecond, the track, whole milliseconds played, the
    normalised start and end reasons and the platform's category: ``…Z``, ``…+00:00`` and
    ``….000Z``; ``200000`` and ``200000.0``; ``Android`` and ``android`` are one play.
    Migration ``0010_history_play_ids`` recomputes stored ids with a frozen copy of this.
    """
    ts = row["ts"].astimezone(UTC)
    parts = (
        ts.isoformat(timespec="microseconds"),
        row["track_id"],
        str(row["ms_played"]),
        row["reason_start"] or "",
        row["reason_end"] or "",
        row["platform"] or "",
    )
    return "history|" + "|".join(parts)
