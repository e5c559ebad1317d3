"""monitor_artist under Prefect: snapshot, rules, alerts delivered once, audited and validated."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from analytics.sandbox.alert_receivers import AlertReceivers
from analytics.warehouse import Warehouse
from tests.monitoring.conftest import ARTIST, remove_album, seed_catalog


def test_monitor_artist_fires_once_reports_unavailable_metrics_and_audits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.artist_monitoring import monitor_artist

    data = tmp_path / "data"
    warehouse = Warehouse(f"sqlite:///{data / 'encore.sqlite'}")
    warehouse.migrate()
    now = datetime.now(UTC)
    seed_catalog(warehouse, at=now - timedelta(days=60))
    remove_album(warehouse, "alb_old", at=now - timedelta(minutes=1))
    rules = yaml.safe_load(Path("config/alert_rules.yaml").read_text())
    rules["rules"][3]["severity"] = "critical"  # catalog-empty pages
    (tmp_path / "rules.yaml").write_text(yaml.safe_dump(rules))
    for key in [k for k in os.environ if k.startswith("ENCORE_") and not k.startswith("ENCORE_TEST_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("ENCORE_DATA_DIR", str(data))
    monkeypatch.setenv("ENCORE_ALERT_RULES_FILE", str(tmp_path / "rules.yaml"))
    with AlertReceivers().running() as rx:
        for key, value in rx.env().items():
            monkeypatch.setenv(key, value)
        first = monitor_artist(ARTIST)
        second = monitor_artist(ARTIST)
    assert first.outcome == "ok" and first.outputs["alerts_fired"] == 1
    assert second.outcome == "unchanged" and second.outputs["deliveries_sent"] == 0
    assert rx.state.pages == [f"catalog-empty:{ARTIST}"]
    notices = [w for w in rx.state.webhooks.values() if w["encore"]["action"] == "notice"]
    reasons = {n["encore"]["subject"]: n["encore"]["facts"]["reason"] for n in notices}  # once each
    assert reasons == {
        "followers": "unavailable in development mode",
        "streams_7d": "no streaming data ingested for this artist",
        "streams_1d": "no streaming data ingested for this artist",
    }
    records = [json.loads(r["body"]) for r in warehouse.rows("audit_records")]
    mine = [r for r in records if r["run_id"] == first.run_id]
    tasks = {r["task"]: r for r in mine}
    assert tasks[f"snapshot.{ARTIST}"]["outputs"]["unavailable"] >= 2
    assert tasks[f"rules.{ARTIST}"]["outputs"]["fired"] == 1
    assert tasks["deliver"]["outputs"]["deliveries"] == {
        "pagerduty:sent": 1,
        "sentry:sent": 1,
        "webhook:sent": 4,
    }
    assert tasks["validate.monitoring_snapshots"]["validation"]["monitoring_snapshots"]["success"] is True
    assert tasks["validate.alerts"]["validation"]["alerts"]["success"] is True


def test_monitor_artist_without_an_id_covers_every_artist_of_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the hourly deployment runs: no artist id, every configured artist in one run."""
    from analytics.warehouse import upsert_rows
    from flows.artist_monitoring import monitor_artist

    second = "0OdUWJ0sBjDrqHygGUXeCF"
    data = tmp_path / "data"
    warehouse = Warehouse(f"sqlite:///{data / 'encore.sqlite'}")
    warehouse.migrate()
    now = datetime.now(UTC)
    seed_catalog(warehouse, at=now - timedelta(days=60))
    with warehouse.session() as s:
        upsert_rows(
            s,
            "artists",
            [{"artist_id": second, "name": "Second", "genres": [], "followers": None, "popularity": None}],
            key=["artist_id"],
            run_id="seed",
            now=now - timedelta(days=60),
        )
    for key in [k for k in os.environ if k.startswith("ENCORE_") and not k.startswith("ENCORE_TEST_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("ENCORE_DATA_DIR", str(data))
    monkeypatch.setenv("ENCORE_ARTIST_IDS", json.dumps([ARTIST, second]))
    summary = monitor_artist(granularity="hour")
    records = [json.loads(r["body"]) for r in warehouse.rows("audit_records")]
    tasks = {r["task"] for r in records if r["run_id"] == summary.run_id}
    assert {f"snapshot.{ARTIST}", f"snapshot.{second}", f"rules.{ARTIST}", f"rules.{second}"} <= tasks
    assert summary.outcome == "ok"
