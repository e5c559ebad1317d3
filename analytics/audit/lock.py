"""One run at a time per warehouse: a lock file for SQLite, an advisory lock for PostgreSQL.

Two ``encore run`` on the same data would both ingest, aggregate and append to the audit
chain, counting the same rows twice. The lock is held by the process for the whole run and
released with it — also when the process is killed (the kernel drops a ``flock`` with its
file descriptor; PostgreSQL drops an advisory lock with its session). Runs nested in one
process (the main job calling the other jobs) share the lock.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa

from analytics.warehouse import Warehouse


class RunLocked(RuntimeError):
    """Another process is running a job on this warehouse."""


@dataclass
class _Held:
    depth: int
    release: Any


_HELD: dict[str, _Held] = {}
_GUARD = threading.Lock()


@contextmanager
def warehouse_lock(warehouse: Warehouse, *, flow: str, run_id: str) -> Iterator[None]:
    """Hold the warehouse's run lock for the block; raise :class:`RunLocked` if another has it.

    Parameters
    ----------
    warehouse : the warehouse the run writes to.
    flow, run_id : who holds the lock, shown to a second run that finds it taken.
    """
    key = warehouse.engine.url.render_as_string(hide_password=False)
    with _GUARD:
        held = _HELD.get(key)
        if held is not None:
            held.depth += 1
        else:
            holder = {
                "flow": flow,
                "run_id": run_id,
                "pid": os.getpid(),
                "since": datetime.now(UTC).isoformat(timespec="seconds"),
            }
            if warehouse.engine.dialect.name == "postgresql":
                release = _postgres_lock(warehouse, holder)
            else:
                release = _file_lock(_lock_path(warehouse), holder)
            _HELD[key] = _Held(1, release)
    try:
        yield
    finally:
        with _GUARD:
            held = _HELD[key]
            held.depth -= 1
            if held.depth == 0:
                del _HELD[key]
                held.release()


def _lock_path(warehouse: Warehouse) -> Path:
    database = warehouse.engine.url.database
    if not database or database == ":memory:":
        raise RunLocked("an in-memory SQLite warehouse cannot be shared between runs; use a file")
    return Path(database).with_name(Path(database).name + ".lock")


def _describe(holder: dict[str, Any] | None) -> str:
    if not holder:
        return "another process"
    return f"{holder.get('flow')} run {holder.get('run_id')} (pid {holder.get('pid')}, since {holder.get('since')})"


def _message(who: str, where: str) -> str:
    return (
        f"another encore run is using this warehouse ({where}): {who}. "
        "Wait for it to finish, or stop it; a killed run releases the lock with its process."
    )


def _file_lock(path: Path, holder: dict[str, Any]) -> Any:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle: IO[str] = path.open("a+", encoding="utf-8")
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        try:
            current = json.loads(handle.read() or "null")
        except ValueError:
            current = None
        handle.close()
        raise RunLocked(_message(_describe(current), str(path))) from None
    handle.seek(0)
    handle.truncate()
    handle.write(json.dumps(holder))
    handle.flush()

    def release() -> None:
        handle.seek(0)
        handle.truncate()
        handle.flush()
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        handle.close()

    return release


def _postgres_lock(warehouse: Warehouse, holder: dict[str, Any]) -> Any:
    """A session-level advisory lock keyed on database and schema, on its own connection."""
    label = f"encore {holder['flow']} run {holder['run_id'][:12]} (pid {holder['pid']})"
    conn = warehouse.engine.connect()
    try:
        place = conn.execute(sa.text("SELECT current_database() || '.' || current_schema()")).scalar_one()
        key = int.from_bytes(hashlib.sha256(f"encore-run:{place}".encode()).digest()[:8], "big", signed=True)
        conn.execute(sa.text("SELECT set_config('application_name', :label, false)"), {"label": label[:63]})
        got = conn.execute(sa.text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar_one()
        conn.commit()
        if not got:
            unsigned = key % 2**64  # pg_locks shows a bigint key as two oids: high and low half
            other = conn.execute(
                sa.text(
                    "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                    "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
                    "AND l.classid::bigint = :high AND l.objid::bigint = :low"
                ),
                {"high": unsigned >> 32, "low": unsigned & 0xFFFFFFFF},
            ).scalar()
            who = str(other).removeprefix("encore ") if other else "another process"
            raise RunLocked(_message(who, f"PostgreSQL {place}"))
    except BaseException:
        conn.close()
        raise

    def release() -> None:
        try:
            conn.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            conn.commit()
        finally:
            conn.close()

    return release
