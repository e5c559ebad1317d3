"""One full run of the main job (plus a monitoring run that pages and a flow that fails) on a
hostile catalog and hostile exports, with a canary in every secret setting.

The run is a child process (its output is captured whole) reporting to the session's Prefect
API, whose database the leak scan reads; it takes one to a few minutes, the bulk of this
package's time, so the checks share it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from analytics.warehouse import Warehouse
from reliability import leaks
from reliability.pipeline_run import (
    PipelineRun,
    PrefectServer,
    check_injection,
    check_leaks,
    check_set_aside,
    run_pipeline_child,
)

# One whole pipeline run in a child process: 1-4 min on a loaded 2-core machine.
pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(600)]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory, prefect_api: str) -> Iterator[PipelineRun]:
    # The session's API keeps its database in PREFECT_HOME (tests/conftest.py); where the
    # environment named another API, whose database cannot be scanned, the run starts its own.
    home = Path(os.environ["PREFECT_HOME"])
    server = PrefectServer(prefect_api, home) if (home / "prefect.db").exists() else None
    yield run_pipeline_child(tmp_path_factory.mktemp("reliability"), prefect=server)


def test_hostile_names_are_stored_verbatim_and_shown_escaped_and_nothing_runs(run: PipelineRun) -> None:
    result = check_injection(run)
    result.assert_ok()
    assert run.result["outcome"] == "partial"  # what it set aside: the test below


def test_one_bad_draft_export_file_and_row_are_set_aside_and_named_while_the_run_completes(
    run: PipelineRun,
) -> None:
    result = check_set_aside(run)
    result.assert_ok()
    assert result.lost == result.injected == 0


def test_no_canary_in_logs_files_tables_or_alert_payloads(run: PipelineRun) -> None:
    result = check_leaks(run)
    result.assert_ok()
    assert len(run.canaries) >= 15
    assert run.receivers["sentry"] and (run.receivers["pagerduty"] or run.receivers["webhook"])


def test_dropped_personal_fields_of_the_history_export_reach_no_table_file_log_or_report(
    run: PipelineRun,
) -> None:
    """history_hostile.json carries an ip_addr and a username: dropped at ingest, so found nowhere."""
    personal = ["198.51.100.99", "private-user-name"]
    found = leaks.find_in_text(run.stdout + run.stderr, personal, where="logs")
    for folder in {run.home / "data", run.home / "reports", run.home / "prefect", run.prefect_home}:
        found += leaks.scan_tree(folder, personal)
    warehouse = Warehouse(f"sqlite:///{run.home / 'data' / 'encore.sqlite'}")
    in_tables, cells = leaks.scan_warehouse(warehouse, personal)
    warehouse.dispose()
    assert cells > 0 and any((run.home / "reports").rglob("*.html"))
    assert not found + in_tables, found + in_tables
