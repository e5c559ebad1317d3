"""The catalog sync under seeded HTTP faults, and SIGKILLed part-way: the fault-free content."""

from __future__ import annotations

from pathlib import Path

from analytics.sandbox.spotify import FaultRule
from reliability.crash import run_sync_kills
from reliability.faults import fault_rules, run_sync_faults
from reliability.ingest_kill import run_ingest_kills


def test_fault_rules_cover_every_kind_at_about_a_fifth_of_requests() -> None:
    rules = fault_rules(0.2)
    assert {r.kind for r in rules} == {"status", "timeout", "reset", "truncate"}
    assert {r.status for r in rules if r.kind == "status"} == {429, 500, 503}
    assert abs(sum(r.probability for r in rules) - 0.2) < 0.02
    assert all(isinstance(r, FaultRule) and r.route == "/v1/*" for r in rules)


def test_a_faulty_sync_ends_with_the_fault_free_warehouse(tmp_path: Path) -> None:
    result = run_sync_faults(trials=1, seed=3, workdir=tmp_path)
    result.assert_ok()
    assert result.trials == 1 and result.faults > 4, "faults were actually injected"


def test_killed_syncs_resume_to_the_uninterrupted_content(tmp_path: Path) -> None:
    result = run_sync_kills(trials=2, seed=7, workdir=tmp_path)
    result.assert_ok()
    assert result.faults == 2, "both trials killed the sync part-way"


def test_killed_streaming_ingests_resume_to_the_uninterrupted_rows(tmp_path: Path) -> None:
    result = run_ingest_kills(trials=3, seed=5, workdir=tmp_path)
    result.assert_ok()
    assert result.trials == 3 and result.faults >= 1
