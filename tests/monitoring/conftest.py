"""Fixtures of the monitoring tests: a crafted catalog history, rules, the loopback receivers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert

from analytics.monitoring import parse_rules
from analytics.sandbox.alert_receivers import AlertReceivers
from analytics.warehouse import Base, Warehouse, upsert_rows
from analytics.warehouse.upsert import mark_removed

ARTIST = "4Z8W4fKeB5YxbusRsdQVPb"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
TODAY = NOW.date()


def album(album_id: str, *, release_date: str = "2020-01-01", name: str | None = None) -> dict[str, Any]:
    return {
        "album_id": album_id,
        "artist_id": ARTIST,
        "name": name or f"Album {album_id}",
        "album_type": "album",
        "album_group": "album",
        "release_date": release_date,
        "release_date_precision": "day",
        "total_tracks": 2,
        "label": None,
        "upc": None,
    }


def track(track_id: str, album_id: str, number: int) -> dict[str, Any]:
    return {
        "track_id": track_id,
        "album_id": album_id,
        "artist_id": ARTIST,
        "name": f"Song {track_id}",
        "disc_number": 1,
        "track_number": number,
        "duration_ms": 200_000,
        "explicit": False,
        "isrc": None,
        "popularity": None,
    }


def seed_catalog(
    wh: Warehouse, *, at: datetime, followers: int | None = None, popularity: int | None = None
) -> None:
    """One artist, one old album with two tracks, one playlist holding both tracks."""
    with wh.session() as s:
        upsert_rows(
            s,
            "artists",
            [
                {
                    "artist_id": ARTIST,
                    "name": "Max Stack",
                    "genres": ["indie"],
                    "followers": followers,
                    "popularity": popularity,
                }
            ],
            key=["artist_id"],
            run_id="seed",
            now=at,
        )
        upsert_rows(s, "albums", [album("alb_old")], key=["album_id"], run_id="seed", now=at)
        upsert_rows(
            s,
            "tracks",
            [track("trk_a", "alb_old", 1), track("trk_b", "alb_old", 2)],
            key=["track_id"],
            run_id="seed",
            now=at,
        )
        upsert_rows(
            s,
            "playlists",
            [
                {
                    "playlist_id": "pl_1",
                    "name": "Night Drive",
                    "description": None,
                    "owner_id": "me",
                    "public": True,
                    "collaborative": False,
                    "snapshot_id": "s1",
                    "total_items": 2,
                }
            ],
            key=["playlist_id"],
            run_id="seed",
            now=at,
        )
        set_playlist(s, ["trk_a", "trk_b"], at=at)


def set_playlist(session: Any, tracks: list[str], *, at: datetime, previous: int = 2) -> None:
    """Replace playlist pl_1's items (positions 0..n-1), marking trailing positions removed."""
    rows = [
        {"playlist_id": "pl_1", "position": i, "track_id": t, "added_at": None, "added_by": None}
        for i, t in enumerate(tracks)
    ]
    upsert_rows(
        session,
        "playlist_items",
        rows,
        key=["playlist_id", "position"],
        run_id=f"pl-{at.isoformat()}",
        now=at,
    )
    gone = [("pl_1", i) for i in range(len(tracks), previous)]
    mark_removed(
        session,
        "playlist_items",
        gone,
        key=["playlist_id", "position"],
        run_id=f"pl-{at.isoformat()}",
        now=at,
    )


def add_album(wh: Warehouse, album_id: str, *, at: datetime, release_date: str) -> None:
    with wh.session() as s:
        upsert_rows(
            s, "albums", [album(album_id, release_date=release_date)], key=["album_id"], run_id="rel", now=at
        )


def remove_album(wh: Warehouse, album_id: str, *, at: datetime) -> None:
    with wh.session() as s:
        mark_removed(s, "albums", [(album_id,)], key=["album_id"], run_id="gone", now=at)


def set_followers(wh: Warehouse, followers: int, *, at: datetime) -> None:
    with wh.session() as s:
        upsert_rows(
            s,
            "artists",
            [
                {
                    "artist_id": ARTIST,
                    "name": "Max Stack",
                    "genres": ["indie"],
                    "followers": followers,
                    "popularity": 40,
                }
            ],
            key=["artist_id"],
            run_id=f"f-{followers}",
            now=at,
        )


def add_streams(wh: Warehouse, day: date, streams: int, streams_7d: int, *, source: str = "s4a") -> None:
    row = {
        "level": "artist", "entity_id": ARTIST, "source": source, "day": day, "artist_id": ARTIST,
        "streams": streams, "plays": None, "listeners": None, "skips": None, "completions": None,
        "saves": None, "followers": None, "ms_played": None, "streams_7d": streams_7d,
        "streams_28d": streams_7d * 4, "streams_delta_7d": None, "streams_delta_28d": None,
        "streams_per_listener": None, "skip_rate": None, "completion_rate": None, "save_rate": None,
        "country_hhi": None, "hour_entropy": None,
    }  # fmt: skip
    with wh.engine.begin() as conn:
        conn.execute(insert(Base.metadata.tables["stream_metrics_daily"]), [row])


def add_anomaly(wh: Warehouse, anomaly_id: str, day: date) -> None:
    row = {
        "anomaly_id": anomaly_id, "day": day, "level": "track", "entity_id": "trk_a", "artist_id": ARTIST,
        "source": "s4a", "detector": "robust_dow", "kind": "spike", "metric": "streams", "observed": 900.0,
        "expected": 100.0, "expected_low": 60.0, "expected_high": 140.0, "score": 9.5, "features": {},
        "model_version": "test", "run_id": "anomaly-run",
    }  # fmt: skip
    with wh.engine.begin() as conn:
        conn.execute(insert(Base.metadata.tables["stream_anomalies"]), [row])


def rules(*items: dict[str, Any]) -> list[Any]:
    return parse_rules({"rules": list(items)})


def days_later(n: float) -> datetime:
    return NOW + timedelta(days=n)


@pytest.fixture
def receivers() -> Iterator[AlertReceivers]:
    with AlertReceivers().running() as rx:
        yield rx


def run_pass(
    wh: Warehouse,
    rule_list: list[Any],
    *,
    at: datetime,
    quota_mode: str = "extended",
    channels: tuple[str, ...] = (),
) -> Any:
    """One monitoring pass at ``at``: snapshot, evaluate, decide (nothing delivered)."""
    from analytics.monitoring import evaluate_and_decide, take_snapshot

    snap = take_snapshot(wh, ARTIST, quota_mode=quota_mode, run_id=f"run-{at.isoformat()}", now=at)
    return evaluate_and_decide(
        wh,
        snap,
        rules=rule_list,
        channels=channels,
        run_id=f"run-{at.isoformat()}",
        trace_id="a" * 32,
        now=at,
    )


def alert_states(wh: Warehouse, rule_id: str) -> list[tuple[str, str]]:
    """(subject, status) of the rule's stored alerts, in firing order."""
    rows = sorted(wh.rows("monitoring_alerts"), key=lambda r: (r["fired_at"], r["subject"]))
    return [(r["subject"], r["status"]) for r in rows if r["rule_id"] == rule_id]


def record_sync_run(wh: Warehouse, *, outcome: str, resume_at: datetime | None = None) -> None:
    """Append a sync_artist_data run (a task record and the closing record) to the audit log."""
    from analytics.audit import AuditEntry, append

    run_id = f"sync-{outcome}-{resume_at}"
    common = {
        "run_id": run_id,
        "trace_id": "b" * 32,
        "flow": "sync_artist_data",
        "code_version": "t",
        "parameters_hash": "p",
    }
    details = {"resume_at": resume_at.isoformat() if resume_at else None, "message": f"sync {outcome}"}
    append(wh, AuditEntry(task="sync", outcome=outcome, details=details, **common))
    append(wh, AuditEntry(task="run", outcome=outcome, details={"message": f"sync {outcome}"}, **common))
