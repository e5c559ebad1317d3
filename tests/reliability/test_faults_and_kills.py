"""The sync under seeded HTTP faults; the sync, ingest, playlist apply and alert delivery SIGKILLed part-way."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from analytics.sandbox.social import SocialSandbox
from analytics.sandbox.spotify import FaultRule
from analytics.warehouse import Warehouse, content_hash_of_rows
from reliability.alert_kill import run_alert_kills
from reliability.crash import run_sync_kills
from reliability.faults import (
    SOCIAL_PLATFORMS,
    SOCIAL_RUN_COLUMNS,
    SOCIAL_TABLES,
    fault_rules,
    run_social_faults,
    run_sync_faults,
    social_hash,
    social_sync,
)
from reliability.ingest_kill import run_ingest_kills
from reliability.playlist_kill import run_playlist_kills


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


# Three ingests killed part-way in child processes, then resumed: 30-95 s.
@pytest.mark.slow
def test_killed_streaming_ingests_resume_to_the_uninterrupted_rows(tmp_path: Path) -> None:
    result = run_ingest_kills(trials=3, seed=5, workdir=tmp_path)
    result.assert_ok()
    assert result.trials == 3 and result.faults >= 1


def test_killed_playlist_applies_end_at_the_target_with_no_change_twice(tmp_path: Path) -> None:
    result = run_playlist_kills(trials=2, seed=23, workdir=tmp_path)
    result.assert_ok()
    assert result.trials == 2 and result.faults == 2, "both applies were killed part-way"


def test_killed_alert_deliveries_leave_each_alert_delivered_once(tmp_path: Path) -> None:
    result = run_alert_kills(trials=3, seed=17, workdir=tmp_path)
    result.assert_ok()
    assert result.trials == 3 and result.faults == 3, "every trial killed the delivery"


def test_a_faultysocial_sync_is_completed_by_the_rerun(tmp_path: Path) -> None:
    platforms = tuple(p for p in SOCIAL_PLATFORMS if p != "musicbrainz")
    result = run_social_faults(trials=1, seed=0, workdir=tmp_path, platforms=platforms)
    result.assert_ok()
    assert result.trials == 1 and result.faults > 1, "faults were actually injected"


def _current_social_hash(warehouse: Warehouse) -> str:
    """The social tables' hash over current rows only: retracted rows (``removed_run`` set) are history."""
    parts = []
    for name in sorted(SOCIAL_TABLES):
        current = [r for r in warehouse.rows(name) if r.get("removed_run") is None]
        parts.append(f"{name}:{content_hash_of_rows(current, exclude=SOCIAL_RUN_COLUMNS)}")
    return "\n".join(parts)


def test_a_link_made_while_musicbrainz_was_down_is_retracted_by_the_rerun(tmp_path: Path) -> None:
    # "Equal to the fault-free run" means: the current rows are equal; the provisional account and
    # its snapshot stay as history, marked removed by the rerun, and are compared separately.
    with SocialSandbox(seed=7, today=date(2026, 11, 23)).running() as sb:
        reference = Warehouse(f"sqlite:///{tmp_path / 'reference.sqlite'}")
        reference.migrate()
        social_sync(sb, reference, tmp_path / "reference", run_id="reference")
        warehouse = Warehouse(f"sqlite:///{tmp_path / 'down.sqlite'}")
        warehouse.migrate()
        sb.set_down("musicbrainz")
        # MusicBrainz answers a down service with 503, its rate-limit signal: give up after 2 s
        social_sync(sb, warehouse, tmp_path / "down", run_id="down", max_retry_wait_s=2)
        provisional = {
            (r["platform"], r["platform_id"])
            for r in warehouse.rows("social_accounts")
            if r["link_source"] == "search"
        }
        sb.set_down("musicbrainz", False)
        reports = social_sync(sb, warehouse, tmp_path / "down", run_id="rerun")
        assert _current_social_hash(warehouse) == _current_social_hash(reference)
        retracted = {pair for report in reports for pair in report.retracted}
        assert retracted and retracted <= provisional
        history = [
            r
            for name in ("social_accounts", "social_snapshots")
            for r in warehouse.rows(name)
            if r["removed_run"] is not None
        ]
        assert {(r["platform"], r["platform_id"]) for r in history} == retracted
        assert all(r["removed_run"] == "rerun" for r in history)
        assert social_hash(warehouse) != social_hash(reference), "the retracted rows are kept, not deleted"
