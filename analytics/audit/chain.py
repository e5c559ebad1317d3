"""Records, hashing, appending and verification of the audit chain."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import subprocess
import time
import uuid
from collections.abc import Mapping, Sequence
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


def seal(digest: str, *, key: bytes) -> str:
    """A record's seal: HMAC-SHA256 of its hash under the audit key.

    The hash chain shows edits to anyone; the seal shows them even to someone who re-chains
    the hashes after an edit, or appends a record with a correct hash, without the key.
    """
    return hmac.new(key, digest.encode(), hashlib.sha256).hexdigest()


def append(
    warehouse: Warehouse,
    entry: AuditEntry,
    *,
    head_dir: Path | None = None,
    anchor_dirs: Sequence[Path] = (),
    redact: Any = None,
    key: bytes | None = None,
) -> dict[str, Any]:
    """Append ``entry`` at the end of the chain; returns the stored record as a dict.

    Concurrent writers are serialised by the primary key on ``seq``: a writer that loses the
    race re-reads the head and tries again. ``redact`` (text -> text) is applied to the JSON
    body before hashing so that no secret can ever be stored. ``key`` seals the record (see
    :func:`record_hash`). The new head is written to ``head_dir`` and to each of
    ``anchor_dirs`` (a run's folder), so that cutting the tail of the log together with one
    head file is still noticed.
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
                        seal=seal(digest, key=key) if key is not None else None,
                    )
                )
        except IntegrityError:
            time.sleep(0.01 * (attempt + 1))
            continue
        for folder in [*([head_dir] if head_dir is not None else []), *anchor_dirs]:
            _write_head(folder, seq=seq, record_hash=digest, record_id=record_id)
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


def anchors(head_dir: Path) -> list[tuple[Path, dict[str, Any]]]:
    """Every head written under ``head_dir``: its own and those in the run folders."""
    found = []
    in_runs = [p for p in sorted((head_dir / "runs").glob(f"*/{HEAD_FILE}")) if not p.parent.is_symlink()]
    for path in [head_dir / HEAD_FILE, *in_runs]:
        head = _read_head(path.parent)
        if head is not None and isinstance(head.get("seq"), int):
            found.append((path, head))
    return found


def verify(warehouse: Warehouse, *, head_dir: Path | None = None, key: bytes | None = None) -> VerifyReport:
    """Check every record's hash and link; name each edited, deleted, forged or reordered record.

    Parameters
    ----------
    head_dir : the data folder whose head files (its own and each run folder's) anchor the
        chain's end; a record they name must exist with the hash they recorded.
    key : the audit key; each record's seal is checked against it, and once one sealed
        record has been seen a record without a seal after it is reported as forged.
    """
    with warehouse.session() as session:
        rows = session.execute(
            select(
                AuditRecord.seq,
                AuditRecord.record_id,
                AuditRecord.body,
                AuditRecord.prev_hash,
                AuditRecord.record_hash,
                AuditRecord.run_id,
                AuditRecord.seal,
            ).order_by(AuditRecord.seq)
        ).all()
        count = session.scalar(select(func.count()).select_from(AuditRecord)) or 0
    problems: list[ChainProblem] = []
    expected_prev = GENESIS_HASH
    expected_seq = 1
    sealed_seen = False
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
        if key is not None:
            if row.seal is not None and not hmac.compare_digest(seal(row.record_hash, key=key), row.seal):
                problems.append(
                    ChainProblem(
                        row.seq,
                        row.record_id,
                        "edited and re-chained, or sealed with another key: its seal does not match",
                    )
                )
            elif row.seal is None and sealed_seen:
                problems.append(
                    ChainProblem(
                        row.seq,
                        row.record_id,
                        "forged: not sealed with the audit key like the records before it",
                    )
                )
            sealed_seen = sealed_seen or row.seal is not None
        if row.prev_hash != expected_prev and row.seq == expected_seq:
            problems.append(
                ChainProblem(
                    row.seq, row.record_id, "out of order or its predecessor was changed: link broken"
                )
            )
        expected_prev = row.record_hash
        expected_seq = row.seq + 1
    if head_dir is not None:
        problems += _anchor_problems(rows, anchors(head_dir))
    problems.sort(key=lambda p: p.seq)
    return VerifyReport(records=count, problems=problems)


def _anchor_problems(rows: Sequence[Any], found: list[tuple[Path, dict[str, Any]]]) -> list[ChainProblem]:
    """Records the heads name but the log no longer has, or has with another hash."""
    by_seq = {row.seq: row for row in rows}
    last_seq = rows[-1].seq if rows else 0
    problems: dict[int, ChainProblem] = {}
    for path, head in found:
        seq = head["seq"]
        where = f"{path.parent.name}/{path.name}" if path.parent.parent.name == "runs" else path.name
        if seq > last_seq and seq not in problems:
            problems[seq] = ChainProblem(
                seq,
                str(head.get("record_id")),
                f"deleted: the log ends at #{last_seq} but #{seq} was written (anchor {where})",
            )
        elif seq in by_seq and by_seq[seq].record_hash != head.get("record_hash") and seq not in problems:
            problems[seq] = ChainProblem(
                seq, by_seq[seq].record_id, f"edited: differs from the head recorded in {where}"
            )
    return list(problems.values())
