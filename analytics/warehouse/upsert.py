"""Idempotent upserts keyed on natural keys, with history.

A row whose content hash is unchanged is not written; a changed row is updated and its old
version closed in ``entity_versions``; nothing is ever deleted: rows that disappear are marked
removed by :func:`mark_removed`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, and_, insert, select, tuple_, update
from sqlalchemy.orm import Session

from analytics.warehouse.db import row_hash
from analytics.warehouse.models import Base, EntityVersion
from analytics.warehouse.text import storage_value

BOOKKEEPING_COLUMNS = ("content_hash", "first_seen_run", "last_changed_run", "removed_run", "removed_at")


@dataclass
class UpsertResult:
    """What one upsert changed, per table."""

    inserted: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)

    def add(self, other: UpsertResult) -> UpsertResult:
        for mine, theirs in (
            (self.inserted, other.inserted),
            (self.updated, other.updated),
            (self.unchanged, other.unchanged),
            (self.removed, other.removed),
        ):
            for k, v in theirs.items():
                mine[k] = mine.get(k, 0) + v
        return self

    @property
    def rows_written(self) -> int:
        return sum(self.inserted.values()) + sum(self.updated.values()) + sum(self.removed.values())

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {
            "inserted": dict(self.inserted),
            "updated": dict(self.updated),
            "unchanged": dict(self.unchanged),
            "removed": dict(self.removed),
        }


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _key_of(row: Mapping[str, Any], key: Sequence[str]) -> tuple[Any, ...]:
    return tuple(row[k] for k in key)


def _entity_key(key_values: tuple[Any, ...]) -> str:
    return "/".join(str(v) for v in key_values)


def upsert_rows(
    session: Session,
    table_name: str,
    rows: Iterable[Mapping[str, Any]],
    *,
    key: Sequence[str],
    run_id: str,
    now: datetime | None = None,
    chunk_size: int = 500,
) -> UpsertResult:
    """Insert new rows and update changed ones of a catalog table, keeping every version.

    Parameters
    ----------
    session : an open session; the caller owns the transaction (one unit of work).
    table_name : a table with the catalog bookkeeping columns (see ``models._CatalogEntity``).
    rows : dicts of the table's data columns (no bookkeeping columns).
    key : the natural key columns.
    run_id : the run that writes; recorded as first_seen_run / last_changed_run.

    Returns
    -------
    UpsertResult with inserted / updated / unchanged counts for ``table_name``.
    A row that was marked removed and comes back counts as updated and is revived.
    """
    now = now or datetime.now(UTC)
    table = _table(table_name)
    result = UpsertResult(
        inserted={table_name: 0}, updated={table_name: 0}, unchanged={table_name: 0}, removed={}
    )
    incoming: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        data = {k: storage_value(v) for k, v in row.items() if k not in BOOKKEEPING_COLUMNS}
        incoming[_key_of(data, key)] = data  # last one wins: duplicates in input are not doubled
    keys = list(incoming)
    key_cols = [table.c[k] for k in key]
    for start in range(0, len(keys), chunk_size):
        chunk = keys[start : start + chunk_size]
        existing: dict[tuple[Any, ...], tuple[str, str | None]] = {}
        stmt = select(*key_cols, table.c.content_hash, table.c.removed_run).where(
            tuple_(*key_cols).in_(chunk) if len(key) > 1 else key_cols[0].in_([k[0] for k in chunk])
        )
        for rec in session.execute(stmt):
            existing[tuple(rec[: len(key)])] = (rec.content_hash, rec.removed_run)
        to_insert: list[dict[str, Any]] = []
        versions: list[dict[str, Any]] = []
        for k in chunk:
            data = incoming[k]
            digest = row_hash(data)
            entity_key = _entity_key(k)
            if k not in existing:
                to_insert.append(
                    {**data, "content_hash": digest, "first_seen_run": run_id, "last_changed_run": run_id}
                )
                versions.append(_version(table_name, entity_key, digest, data, now, run_id, "inserted"))
                result.inserted[table_name] += 1
                continue
            old_hash, removed_run = existing[k]
            if old_hash == digest and removed_run is None:
                result.unchanged[table_name] += 1
                continue
            where = and_(*(c == v for c, v in zip(key_cols, k, strict=True)))
            session.execute(
                update(table)
                .where(where)
                .values(
                    **data, content_hash=digest, last_changed_run=run_id, removed_run=None, removed_at=None
                )
            )
            _close_version(session, table_name, entity_key, now)
            versions.append(_version(table_name, entity_key, digest, data, now, run_id, "updated"))
            result.updated[table_name] += 1
        if to_insert:
            session.execute(table.insert(), to_insert)
        if versions:
            session.execute(insert(EntityVersion), versions)
    return result


def mark_removed(
    session: Session,
    table_name: str,
    keys: Iterable[Sequence[Any]],
    *,
    key: Sequence[str],
    run_id: str,
    now: datetime | None = None,
) -> int:
    """Mark rows as removed (never delete); returns how many were newly marked."""
    now = now or datetime.now(UTC)
    table = _table(table_name)
    key_cols = [table.c[k] for k in key]
    count = 0
    for k in keys:
        where = and_(*(c == v for c, v in zip(key_cols, k, strict=True)), table.c.removed_run.is_(None))
        res = session.execute(update(table).where(where).values(removed_run=run_id, removed_at=now))
        if res.rowcount:  # type: ignore[attr-defined]
            entity_key = _entity_key(tuple(k))
            _close_version(session, table_name, entity_key, now)
            session.execute(
                insert(EntityVersion),
                [_version(table_name, entity_key, "", {}, now, run_id, "removed")],
            )
            count += 1
    return count


def _version(
    entity_type: str,
    entity_key: str,
    digest: str,
    data: Mapping[str, Any],
    now: datetime,
    run_id: str,
    change: str,
) -> dict[str, Any]:
    return {
        "entity_type": entity_type,
        "entity_key": entity_key,
        "content_hash": digest,
        "data": {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in data.items()},
        "valid_from": now,
        "valid_to": None,
        "run_id": run_id,
        "change": change,
    }


def _close_version(session: Session, entity_type: str, entity_key: str, now: datetime) -> None:
    session.execute(
        update(EntityVersion)
        .where(
            EntityVersion.entity_type == entity_type,
            EntityVersion.entity_key == entity_key,
            EntityVersion.valid_to.is_(None),
        )
        .values(valid_to=now)
    )
