"""Records, hashing, appending and verification of the audit chain."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from analytics.warehouse import AuditRecord, Warehouse

GENESIS_HASH = "0" * 64
HEAD_FILE = "audit-head.json"


def canonical_json(value: Any) -> str:
    """The one serialisation that is hashed: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def parameters_hash(parameters: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(dict(parameters)).encode()).hexdigest()


@cache
def code_version() -> str:
    """Package version plus the git commit (and ``-dirty``) when run from a checkout."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        base = version("encore-analytics")
    except PackageNotFoundError:
        base = "0+unknown"
    if env := os.environ.get("ENCORE_CODE_VERSION"):
        return env
    root = Path(__file__).resolve().parents[2]
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"], cwd=root, capture_output=True, text=True, timeout=5
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return base
    if not sha:
        return base
    return f"{base}+g{sha}{'.dirty' if dirty else ''}"


@dataclass(frozen=True)
class AuditEntry:
    """One audit record's content (what is hashed), without its chain position."""

    run_id: str
    trace_id: str
    flow: str
    task: str
    code_version: str
    parameters_hash: str
    outcome: str  # ok | partial | failed | unchanged
    inputs: Mapping[str, Any] = field(default_factory=dict)
    outputs: Mapping[str, Any] = field(default_factory=dict)
    requests: Mapping[str, Any] = field(default_factory=dict)
    validation: Mapping[str, Any] = field(default_factory=dict)
    details: Mapping[str, Any] = field(default_factory=dict)

    def body(self, *, record_id: str, created_at: str) -> dict[str, Any]:
        return {
            "record_id": record_id,
            "created_at": created_at,
            "run_id": self.run_id,
            "trace_id": self.trace_id,
            "flow": self.flow,
            "task": self.task,
            "code_version": self.code_version,
            "parameters_hash": self.parameters_hash,
            "outcome": self.outcome,
            "inputs": dict(self.inputs),
            "outputs": dict(self.outputs),
            "requests": dict(self.requests),
            "validation": dict(self.validation),
            "details": dict(self.details),
        }


def record_hash(prev_hash: str, body_json: str) -> str:
    return hashlib.sha256(f"{prev_hash}\n{body_json}".encode()).hexdigest()


def append(
    warehouse: Warehouse,
    entry: AuditEntry,
    *,
    head_dir: Path | None = None,
    redact: Any = None,
) -> dict[str, Any]:
    """Append ``entry`` at the end of the chain; returns the stored record as a dict.

    Concurrent writers are serialised by the primary key on ``seq``: a writer that loses the
    race re-reads the head and tries again. ``redact`` (text -> text) is applied to the JSON
    body before hashing so that no secret can ever be stored.
    """
    for attempt in range(20):
        record_id = uuid.uuid4().hex
        created_at = datetime.now(UTC).isoformat(timespec="microseconds")
        body_json = canonical_json(entry.body(record_id=record_id, created_at=created_at))
        if redact is not None:
            body_json = redact(body_json)
        try:
            with warehouse.session() as session:
                last = session.execute(
                    select(AuditRecord.seq, AuditRecord.record_hash).order_by(AuditRecord.seq.desc()).limit(1)
                ).first()
                seq = (last.seq + 1) if last else 1
                prev = last.record_hash if last else GENESIS_HASH
                digest = record_hash(prev, body_json)
                session.add(
                    AuditRecord(
                        seq=seq,
                        record_id=record_id,
                        run_id=entry.run_id,
                        created_at=created_at,
                        body=body_json,
                        prev_hash=prev,
                        record_hash=digest,
                    )
                )
        except IntegrityError:
            time.sleep(0.01 * (attempt + 1))
            continue
        if head_dir is not None:
            _write_head(head_dir, seq=seq, record_hash=digest, record_id=record_id)
        return {"seq": seq, "record_id": record_id, "record_hash": digest, **json.loads(body_json)}
    raise RuntimeError("could not append to the audit log: 20 concurrent-writer conflicts in a row")


def _write_head(head_dir: Path, *, seq: int, record_hash: str, record_id: str) -> None:
    """Remember the newest record outside the database, so that cutting the tail is detected."""
    head_dir.mkdir(parents=True, exist_ok=True)
    path = head_dir / HEAD_FILE
    current = _read_head(head_dir)
    if current and current.get("seq", 0) > seq:
        return
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"seq": seq, "record_hash": record_hash, "record_id": record_id}))
    os.replace(tmp, path)


def _read_head(head_dir: Path) -> dict[str, Any] | None:
    path = head_dir / HEAD_FILE
    if not path.exists():
        return None
    try:
        data: dict[str, Any] = json.loads(path.read_text())
        return data
    except (OSError, ValueError):
        return None


def read_entries(warehouse: Warehouse, *, run_id: str | None = None) -> list[dict[str, Any]]:
    """Stored records in chain order (optionally of one run), bodies decoded."""
    with warehouse.session() as session:
        stmt = select(AuditRecord).order_by(AuditRecord.seq)
        if run_id:
            stmt = stmt.where(AuditRecord.run_id == run_id)
        rows = session.scalars(stmt).all()
        return [
            {"seq": r.seq, "record_hash": r.record_hash, "prev_hash": r.prev_hash, **json.loads(r.body)}
            for r in rows
        ]


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    record_id: str
    problem: str

    def __str__(self) -> str:
        return f"record #{self.seq} ({self.record_id}): {self.problem}"


@dataclass
class VerifyReport:
    records: int
    problems: list[ChainProblem]

    @property
    def ok(self) -> bool:
        return not self.problems

    def __str__(self) -> str:
        if self.ok:
            return f"audit chain verified: {self.records} records, no problem found"
        lines = [f"audit chain BROKEN: {len(self.problems)} problem(s) in {self.records} records"]
        lines += [f"  {p}" for p in self.problems]
        return "\n".join(lines)


def verify(warehouse: Warehouse, *, head_dir: Path | None = None) -> VerifyReport:
    """Check every record's hash and link; name each edited, deleted or reordered record."""
    with warehouse.session() as session:
        rows = session.execute(
            select(
                AuditRecord.seq,
                AuditRecord.record_id,
                AuditRecord.body,
                AuditRecord.prev_hash,
                AuditRecord.record_hash,
                AuditRecord.run_id,
            ).order_by(AuditRecord.seq)
        ).all()
        count = session.scalar(select(func.count()).select_from(AuditRecord)) or 0
    problems: list[ChainProblem] = []
    expected_prev = GENESIS_HASH
    expected_seq = 1
    for row in rows:
        if row.seq != expected_seq:
            missing = (
                f"#{expected_seq}" if row.seq == expected_seq + 1 else f"#{expected_seq}..#{row.seq - 1}"
            )
            problems.append(
                ChainProblem(row.seq, row.record_id, f"record(s) {missing} before it were deleted")
            )
        if record_hash(row.prev_hash, row.body) != row.record_hash:
            problems.append(
                ChainProblem(row.seq, row.record_id, "edited: its content does not match its hash")
            )
        else:
            try:
                body = json.loads(row.body)
            except ValueError:
                body = {}
            if body.get("record_id") != row.record_id or body.get("run_id") != row.run_id:
                problems.append(
                    ChainProblem(row.seq, row.record_id, "edited: its columns disagree with its content")
                )
        if row.prev_hash != expected_prev and row.seq == expected_seq:
            problems.append(
                ChainProblem(
                    row.seq, row.record_id, "out of order or its predecessor was changed: link broken"
                )
            )
        expected_prev = row.record_hash
        expected_seq = row.seq + 1
    if head_dir is not None and (head := _read_head(head_dir)):
        last_seq = rows[-1].seq if rows else 0
        if head["seq"] > last_seq:
            problems.append(
                ChainProblem(
                    head["seq"],
                    head["record_id"],
                    f"deleted: the log ends at #{last_seq} but #{head['seq']} was written",
                )
            )
        elif head["seq"] == last_seq and rows and rows[-1].record_hash != head["record_hash"]:
            problems.append(
                ChainProblem(last_seq, rows[-1].record_id, "edited: differs from the recorded head")
            )
    return VerifyReport(records=count, problems=problems)
