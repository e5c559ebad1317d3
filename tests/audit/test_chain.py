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


def _sealed_runs(warehouse: Warehouse, settings, runs: int = 3, records: int = 3) -> None:
    from analytics import audit

    for r in range(runs):
        with audit.run("test", settings=settings, warehouse=warehouse, run_id=f"run{r}") as run:
            for i in range(records):
                run.record(f"task-{i}", outputs={"rows": i})


def _plain_rechain(warehouse: Warehouse, *, from_seq: int) -> None:
    """What someone with database access but without the key can do: recompute plain hashes."""
    from analytics.audit.chain import record_hash

    with warehouse.engine.begin() as conn:
        rows = conn.execute(text("SELECT seq, body, prev_hash FROM audit_records ORDER BY seq")).all()
        prev = None
        for seq, body, prev_hash in rows:
            if seq < from_seq:
                continue
            prev = prev_hash if prev is None else prev
            digest = record_hash(prev, body)
            conn.execute(
                text("UPDATE audit_records SET prev_hash = :p, record_hash = :h WHERE seq = :s"),
                {"p": prev, "h": digest, "s": seq},
            )
            prev = digest


def test_cutting_the_tail_and_the_head_file_is_still_noticed(warehouse: Warehouse, settings) -> None:
    from analytics.audit import audit_key

    _sealed_runs(warehouse, settings)
    last = read_entries(warehouse)[-1]["seq"]
    with warehouse.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_records WHERE seq = :s"), {"s": last})
    (settings.data_dir / "audit-head.json").unlink()
    report = verify(warehouse, head_dir=settings.data_dir, key=audit_key(settings))
    assert not report.ok
    assert report.problems[0].seq == last and "run2/audit-head.json" in str(report)


def test_a_record_forged_with_a_correct_plain_hash_is_named(warehouse: Warehouse, settings) -> None:
    from analytics.audit import audit_key
    from analytics.audit.chain import canonical_json

    _sealed_runs(warehouse, settings)
    entries = read_entries(warehouse)
    append(warehouse, _entry("forged", run_id="run2"))  # the chain's rules, without the key
    assert verify(warehouse).ok  # the hash chain alone cannot tell
    report = verify(warehouse, head_dir=settings.data_dir, key=audit_key(settings))
    forged = len(entries) + 1
    assert [p.seq for p in report.problems] == [forged] and "forged" in str(report)
    assert canonical_json(entries[0])  # the records before it stay readable


def test_an_edited_and_rechained_record_is_named_where_it_was_edited(warehouse: Warehouse, settings) -> None:
    from analytics.audit import audit_key

    _sealed_runs(warehouse, settings)
    with warehouse.engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_records SET body = replace(body, :old, :new) WHERE seq = 8"),
            {"old": '"rows":1', "new": '"rows":7'},
        )
    assert not verify(warehouse).ok  # the edit itself breaks the chain ...
    _plain_rechain(warehouse, from_seq=8)
    assert verify(warehouse).ok  # re-chained: the hashes alone agree
    report = verify(warehouse, head_dir=settings.data_dir, key=audit_key(settings))
    assert not report.ok and report.problems[0].seq == 8, str(report)


def test_the_key_file_is_private_and_sealed_chains_verify(warehouse: Warehouse, settings) -> None:
    from analytics.audit import audit_key

    _sealed_runs(warehouse, settings, runs=2, records=2)
    key_file = settings.data_dir / "audit.key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert verify(warehouse, head_dir=settings.data_dir, key=audit_key(settings)).ok
    assert verify(warehouse, head_dir=settings.data_dir).ok  # the hash chain alone, without the key
    report = verify(warehouse, head_dir=settings.data_dir, key=b"another key")
    assert not report.ok and report.problems[0].seq == 1 and "another key" in str(report)
