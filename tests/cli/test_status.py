"""``encore status``: the last runs, open alerts, the warehouse's size and the next scheduled runs,
read without writing anything or starting a Prefect server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from prefect.settings import PREFECT_API_URL, temporary_settings
from typer.testing import CliRunner

from analytics import audit
from analytics.config import Settings
from analytics.warehouse import UpsertResult
from flows.cli import app

runner = CliRunner()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for key in ("ENCORE_DATABASE_URL", "ENCORE_ARTIST_IDS"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("ENCORE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ENCORE_REPORTS_DIR", str(tmp_path / "reports"))
    return tmp_path


def test_status_without_a_warehouse_creates_nothing(home: Path) -> None:
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        result = runner.invoke(app, ["status"])
    assert result.exit_code == 0, result.output
    assert "no warehouse yet" in result.output and "last runs: none yet" in result.output
    assert "no Prefect server configured (set PREFECT_API_URL" in result.output
    assert not (home / "data").exists()


def test_status_lists_the_last_runs_and_their_outcome_and_asks_the_server(home: Path) -> None:
    settings = Settings()
    with audit.run("sync_artist_data", settings=settings) as run:
        run.record("sync_catalog", changes=UpsertResult(inserted={"tracks": 3}))
    with pytest.raises(RuntimeError), audit.run("monitor_artist", settings=settings):
        raise RuntimeError("the snapshot service answered 500")
    result = runner.invoke(app, ["status"])  # the session's Prefect server (PREFECT_API_URL)
    assert result.exit_code == 0, result.output
    lines = [
        line for line in result.output.splitlines() if "sync_artist_data" in line or "monitor_artist" in line
    ]
    assert len(lines) == 2 and "monitor_artist" in lines[0] and "failed" in lines[0], result.output
    assert "ok" in lines[1] and "3 rows written" in lines[1], result.output
    assert ("warehouse: sqlite:///" in result.output and "KB" in result.output) or "MB" in result.output
    assert "open alerts: 0" in result.output
    assert "next scheduled runs:" in result.output and "did not answer" not in result.output, result.output


@pytest.mark.usefixtures("prefect_api")  # the session's server answers
def test_status_lists_the_next_scheduled_runs_of_the_configured_server(home: Path) -> None:
    """A deployment with a scheduled run on the session's Prefect server (PREFECT_API_URL): the
    run is listed with its time and the deployment's name."""
    from prefect import get_client
    from prefect.states import Scheduled

    name = f"status-check-{uuid4().hex[:8]}"
    # overdue by a day: no worker polls this server, so it is the soonest of any run scheduled
    # in this session, whatever other tests deployed
    when = datetime.now(UTC) - timedelta(days=1)
    with get_client(sync_client=True) as client:
        flow_id = client.create_flow_from_name("encore-status-check")
        deployment_id = client.create_deployment(flow_id=flow_id, name=name)
        run = client.create_flow_run_from_deployment(deployment_id, state=Scheduled(scheduled_time=when))
    try:
        result = runner.invoke(app, ["status"])
    finally:
        with get_client(sync_client=True) as client:
            client.delete_flow_run(run.id)
            client.delete_deployment(deployment_id)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    listed = lines[lines.index("next scheduled runs:") + 1 :]
    assert any(
        line.strip().startswith(when.strftime("%Y-%m-%d %H:%M")) and f"{name}  ({run.name})" in line
        for line in listed
    ), result.output
