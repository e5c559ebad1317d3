"""One unit of work: upsert the changed rows, mark what disappeared, move the checkpoints — atomically."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from analytics.catalog import KEYS
from analytics.sync import checkpoints
from analytics.warehouse import Base, UpsertResult, Warehouse, upsert_rows
from analytics.warehouse.upsert import mark_removed


@dataclass
class Unit:
    """What one transaction writes: rows per dataset, keys to mark removed, checkpoints to save."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    removed: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
    checkpoints: dict[checkpoints.Key, dict[str, Any]] = field(default_factory=dict)

    def add_rows(self, dataset: str, rows: Iterable[Mapping[str, Any]]) -> None:
        self.rows.setdefault(dataset, []).extend(dict(r) for r in rows)

    def add_removed(self, dataset: str, keys: Iterable[tuple[Any, ...]]) -> None:
        self.removed.setdefault(dataset, []).extend(keys)

    @property
    def row_count(self) -> int:
        return sum(len(r) for r in self.rows.values())


def apply(warehouse: Warehouse, unit: Unit, *, run_id: str) -> UpsertResult:
    """Write ``unit`` in one transaction: all of it or, on any error, none of it."""
    result = UpsertResult()
    with warehouse.session() as session:
        for dataset, rows in unit.rows.items():
            if rows:
                result.add(upsert_rows(session, dataset, rows, key=KEYS[dataset], run_id=run_id))
        removed: dict[str, int] = {}
        for dataset, keys in unit.removed.items():
            unique = sorted(set(keys))
            if unique:
                removed[dataset] = mark_removed(session, dataset, unique, key=KEYS[dataset], run_id=run_id)
        result.add(UpsertResult(removed={k: v for k, v in removed.items() if v}))
        for key, cp in unit.checkpoints.items():
            checkpoints.save(session, key, run_id=run_id, **cp)
    return _nonzero(result)


def _nonzero(result: UpsertResult) -> UpsertResult:
    """The same counts without the zero entries (``{"tracks": 1}``, not ``{"tracks": 1, "albums": 0}``)."""
    return UpsertResult(
        inserted={k: v for k, v in result.inserted.items() if v},
        updated={k: v for k, v in result.updated.items() if v},
        unchanged={k: v for k, v in result.unchanged.items() if v},
        removed={k: v for k, v in result.removed.items() if v},
    )


def stored_rows(
    warehouse: Warehouse, dataset: str, *, column: str, values: Sequence[Any]
) -> list[dict[str, Any]]:
    """Stored rows of ``dataset`` (bookkeeping columns included) whose ``column`` is in ``values``."""
    if not values:
        return []
    table = Base.metadata.tables[dataset]
    out: list[dict[str, Any]] = []
    with warehouse.engine.connect() as conn:
        for start in range(0, len(values), 500):
            chunk = list(values[start : start + 500])
            out += [dict(r._mapping) for r in conn.execute(select(table).where(table.c[column].in_(chunk)))]
    return out


def changed_only(warehouse: Warehouse, dataset: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows that differ from what is stored (new, changed, or coming back after removal)."""
    from analytics.warehouse import row_hash

    if not rows:
        return []
    key = KEYS[dataset]
    table = Base.metadata.tables[dataset]
    first = key[0]
    stored: dict[tuple[Any, ...], tuple[str, Any]] = {}
    values = sorted({r[first] for r in rows})
    with warehouse.engine.connect() as conn:
        for start in range(0, len(values), 500):
            chunk = values[start : start + 500]
            stmt = select(*(table.c[k] for k in key), table.c.content_hash, table.c.removed_run).where(
                table.c[first].in_(chunk)
            )
            for rec in conn.execute(stmt):
                stored[tuple(rec[: len(key)])] = (rec.content_hash, rec.removed_run)
    out = []
    for row in rows:
        hit = stored.get(tuple(row[k] for k in key))
        if hit is None or hit[1] is not None or hit[0] != row_hash(row):
            out.append(row)
    return out


def live_rows(warehouse: Warehouse, dataset: str) -> list[dict[str, Any]]:
    """Stored rows of ``dataset`` that are not marked removed."""
    table = Base.metadata.tables[dataset]
    with warehouse.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(table).where(table.c.removed_run.is_(None)))]
