"""Reading and writing checkpoints, always inside the caller's unit of work."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from analytics.sync.tables import SyncCheckpoint
from analytics.warehouse import Warehouse

Key = tuple[str, str]  # (artist_id, resource)


def load(warehouse: Warehouse, owners: Iterable[str]) -> dict[Key, dict[str, Any]]:
    """Every checkpoint of ``owners`` (artist ids or ``@me``) as plain dicts."""
    wanted = list(owners)
    if not wanted:
        return {}
    with warehouse.session() as session:
        rows = session.execute(select(SyncCheckpoint).where(SyncCheckpoint.artist_id.in_(wanted))).scalars()
        return {(r.artist_id, r.resource): _as_dict(r) for r in rows}


def _as_dict(row: SyncCheckpoint) -> dict[str, Any]:
    return {
        "artist_id": row.artist_id,
        "resource": row.resource,
        "cycle_id": row.cycle_id,
        "status": row.status,
        "full": row.full,
        "position": dict(row.position or {}),
        "run_id": row.run_id,
        "updated_at": row.updated_at,
        "resume_at": row.resume_at,
    }


def save(
    session: Session,
    key: Key,
    *,
    cycle_id: str,
    status: str,
    full: bool,
    position: dict[str, Any],
    run_id: str,
    resume_at: datetime | None = None,
) -> dict[str, Any]:
    """Insert or replace one checkpoint in ``session``'s transaction; returns it as a dict."""
    row = SyncCheckpoint(
        artist_id=key[0],
        resource=key[1],
        cycle_id=cycle_id,
        status=status,
        full=full,
        position=position,
        run_id=run_id,
        updated_at=datetime.now(UTC),
        resume_at=resume_at,
    )
    session.merge(row)
    return _as_dict(row)


def summary(checkpoints: dict[Key, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Checkpoint positions for an audit record: status and counts, not whole id lists."""
    out: dict[str, dict[str, Any]] = {}
    for (owner, resource), cp in sorted(checkpoints.items()):
        position = cp["position"]
        brief: dict[str, Any] = {"status": cp["status"], "cycle_id": cp["cycle_id"]}
        for name, value in position.items():
            brief[name] = len(value) if isinstance(value, list) else value
        if cp.get("resume_at"):
            brief["resume_at"] = cp["resume_at"].isoformat()
        out[f"{owner}/{resource}"] = brief
    return out
