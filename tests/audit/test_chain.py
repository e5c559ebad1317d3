"""The audit chain detects every edit, deletion and reordering, and names the record."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from analytics.audit import AuditEntry, append, read_entries, verify
from analytics.warehouse import Warehouse


def _entry(task: str, run_id: str = "run-1") -> AuditEntry:
    return AuditEntry(
        run_id=run_id,
        trace_id="0" * 32,
        flow="test",
        task=task,
        code_version="test",
        parameters_hash="p",
        outcome="ok",
        outputs={"rows": 3},
    )


@pytest.fixture
def chain(warehouse: Warehouse, tmp_path: Path) -> tuple[Warehouse, Path]:
    for i in range(1, 6):
        append(warehouse, _entry(f"task-{i}"), head_dir=tmp_path)
    return warehouse, tmp_path


def test_intact_chain_verifies(chain: tuple[Warehouse, Path]) -> None:
    warehouse, head = chain
    report = verify(warehouse, head_dir=head)
    assert report.ok and report.records == 5, str(report)
    assert [e["task"] for e in read_entries(warehouse)] == [f"task-{i}" for i in range(1, 6)]


def test_edited_record_is_named(chain: tuple[Warehouse, Path]) -> None:
    warehouse, head = chain
    with warehouse.engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_records SET body = replace(body, :old, :new) WHERE seq = 3"),
            {"old": '"rows":3', "new": '"rows":4'},
        )
    report = verify(warehouse, head_dir=head)
    assert not report.ok
    assert [p.seq for p in report.problems] == [3]
    assert "edited" in str(report) and "#3" in str(report)


def test_deleted_record_is_named(chain: tuple[Warehouse, Path]) -> None:
    warehouse, head = chain
    with warehouse.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_records WHERE seq = 2"))
    report = verify(warehouse, head_dir=head)
    assert not report.ok and "#2" in str(report) and "deleted" in str(report)


def test_deleted_tail_is_detected_through_the_head(chain: tuple[Warehouse, Path]) -> None:
    warehouse, head = chain
    with warehouse.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_records WHERE seq = 5"))
    report = verify(warehouse, head_dir=head)
    assert not report.ok and "#5" in str(report)


def test_reordered_records_are_named(chain: tuple[Warehouse, Path]) -> None:
    warehouse, head = chain
    with warehouse.engine.begin() as conn:
        conn.execute(text("UPDATE audit_records SET seq = 100 WHERE seq = 2"))
        conn.execute(text("UPDATE audit_records SET seq = 2 WHERE seq = 4"))
        conn.execute(text("UPDATE audit_records SET seq = 4 WHERE seq = 100"))
    report = verify(warehouse, head_dir=head)
    assert not report.ok
    assert {p.seq for p in report.problems} >= {2}
    assert "link broken" in str(report)


def test_redaction_is_applied_before_hashing(warehouse: Warehouse, tmp_path: Path) -> None:
    secret = "canary-audit-secret-123"
    entry = AuditEntry(
        run_id="r",
        trace_id="t",
        flow="f",
        task="t",
        code_version="v",
        parameters_hash="p",
        outcome="failed",
        details={"error": f"token {secret} rejected"},
    )
    append(warehouse, entry, head_dir=tmp_path, redact=lambda s: s.replace(secret, "[REDACTED]"))
    (row,) = warehouse.rows("audit_records")
    assert secret not in row["body"]
    assert verify(warehouse, head_dir=tmp_path).ok
