"""A real process killed between deciding and sending (and between sending and marking)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from tests.monitoring.conftest import ARTIST, remove_album, seed_catalog

RULE = {
    "id": "empty",
    "kind": "threshold",
    "metric": "albums",
    "op": "<",
    "value": 1,
    "severity": "critical",
    "dedup_key": "{rule_id}:{artist_id}",
}


def _once(warehouse, receivers, tmp_path: Path, *, kill_at: str | None) -> subprocess.CompletedProcess[str]:
    rules_file = tmp_path / "rules.yaml"
    rules_file.write_text(yaml.safe_dump({"rules": [RULE]}))
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENCORE_") or k.startswith("ENCORE_TEST_")}
    env.update(receivers.env())
    env.update(
        ENCORE_DATABASE_URL=warehouse.url,
        ENCORE_DATA_DIR=str(tmp_path / "data"),
        ENCORE_ALERT_RULES_FILE=str(rules_file),
        ENCORE_QUOTA_MODE="extended",
    )
    if kill_at:
        env["ENCORE_MONITORING_KILL_AT"] = kill_at
    command = [sys.executable, "-m", "analytics.monitoring.cli", "once", ARTIST]
    return subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)


def _setup(warehouse) -> None:
    now = datetime.now(UTC)
    seed_catalog(warehouse, at=now - timedelta(days=60))
    remove_album(warehouse, "alb_old", at=now - timedelta(minutes=1))


@pytest.mark.slow
def test_killed_after_deciding_then_after_sending_delivers_each_message_once(warehouse, receivers, tmp_path):
    _setup(warehouse)
    killed = _once(warehouse, receivers, tmp_path, kill_at="after_decide")
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    assert receivers.state.pd_events == [] and receivers.state.sentry_requests == 0
    assert receivers.state.webhook_requests == 0
    assert {r["status"] for r in warehouse.rows("monitoring_outbox")} == {"pending"}
    assert [a["status"] for a in warehouse.rows("monitoring_alerts")] == ["firing"]

    # the restart decides nothing new and dies again, after its first send, before marking it
    killed = _once(warehouse, receivers, tmp_path, kill_at="after_send")
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    sent = receivers.state.sentry_requests + len(receivers.state.pd_events) + receivers.state.webhook_requests
    assert sent == 1
    assert {r["status"] for r in warehouse.rows("monitoring_outbox")} == {"pending"}

    restarted = _once(warehouse, receivers, tmp_path, kill_at=None)
    assert restarted.returncode == 0, restarted.stderr[-2000:]
    assert receivers.state.pages == [f"empty:{ARTIST}"]
    assert len(receivers.state.sentry_events) == 1 and len(receivers.state.webhooks) == 1
    resent = (
        receivers.state.sentry_requests + len(receivers.state.pd_events) + receivers.state.webhook_requests
    )
    assert resent == 4  # the unmarked message went out twice; its receiver dropped the copy
    assert {r["status"] for r in warehouse.rows("monitoring_outbox")} == {"sent"}
    assert len(warehouse.rows("monitoring_alerts")) == 1
