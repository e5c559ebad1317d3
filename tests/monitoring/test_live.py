"""The live monitor on the machine's real Redis: spike alerts within seconds, resume, SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import yaml

from analytics.monitoring.live import monitor_live
from analytics.observability import reset
from analytics.streaming.realtime import STREAM, EventProducer
from tests.conftest import REDIS_URL
from tests.monitoring.conftest import ARTIST, rules

pytestmark = pytest.mark.redis
HOT, CALM = "1HotTrack0000000000000", "2CalmTrack000000000000"  # Spotify ids: 22 base-62 characters
SPIKE = {
    "id": "spike",
    "kind": "plays_spike",
    "baseline_minutes": 5,
    "factor": 5,
    "min_plays": 20,
    "severity": "critical",
    "dedup_key": "{rule_id}:{artist_id}:{subject}",
}


def plays(track: str, n: int, *, at: datetime) -> list[dict[str, Any]]:
    return [{"ts": at, "track_id": track, "artist_id": ARTIST, "ms_played": 180_000} for _ in range(n)]


def baseline(track: str, *, now: datetime, per_minute: int = 2, minutes: int = 5) -> list[dict[str, Any]]:
    return [e for m in range(1, minutes + 1) for e in plays(track, per_minute, at=now - timedelta(minutes=m))]


class Running:
    """monitor_live in a thread, stopped with its stop_event."""

    def __init__(self, settings: Any, **kwargs: Any) -> None:
        self.stop, self.ready, self.result = threading.Event(), threading.Event(), {}
        self.port: int | None = None
        self.live: Any = None  # the monitor's stats while it runs

        def ready(stats: Any) -> None:
            self.port = stats.metrics_port
            self.live = stats
            self.ready.set()

        def target() -> None:
            try:
                self.result["stats"] = monitor_live(settings, stop_event=self.stop, on_ready=ready, **kwargs)
            except BaseException as exc:
                self.result["error"] = exc
                self.ready.set()
                raise

        self.thread = threading.Thread(target=target, daemon=True)

    def __enter__(self) -> Running:
        self.thread.start()
        assert self.ready.wait(60), "the live monitor did not start"
        assert "error" not in self.result, self.result.get("error")
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(30)
        assert not self.thread.is_alive()
        if "error" in self.result:
            raise AssertionError("the live monitor failed") from self.result["error"]

    @property
    def stats(self) -> Any:
        return self.result["stats"]


def wait_for(condition: Callable[[], bool], *, timeout: float) -> float:
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"condition not met within {timeout} s")
        time.sleep(0.02)
    return time.monotonic() - started


def _settings(settings: Any, receivers: Any, warehouse: Any) -> Any:
    return receivers.configure(settings).model_copy(
        update={"redis_url": REDIS_URL, "database_url": warehouse.url}
    )


def frozen(at: datetime) -> Callable[[], datetime]:
    """A clock that stays at ``at``: the test's plays and the monitor's evaluations share one minute."""
    return lambda: at


def _group(redis_client: Any) -> dict[str, Any]:
    groups = {g["name"].decode(): g for g in redis_client.xinfo_groups(STREAM)}
    return groups.get("monitoring", {})


def test_an_injected_spike_pages_within_five_seconds(warehouse, receivers, settings, redis_client):
    producer = EventProducer(redis_client)
    try:
        now = datetime.now(UTC)
        cfg = _settings(settings, receivers, warehouse)
        with Running(cfg, rules=rules(SPIKE), metrics_port=0, clock=frozen(now)) as live:
            producer.publish(baseline(HOT, now=now) + baseline(CALM, now=now))
            producer.publish(plays(CALM, 6, at=now))  # busy but not a spike: 6 < 20
            wait_for(
                lambda: _group(redis_client).get("lag") == 0 and _group(redis_client)["pending"] == 0,
                timeout=10,
            )
            assert receivers.state.pages == []
            started = time.monotonic()
            producer.publish(plays(HOT, 25, at=now))
            latency = wait_for(lambda: bool(receivers.state.pages), timeout=5)
            print(f"spike to page: {latency:.3f} s")
            assert receivers.state.pages == [f"spike:{ARTIST}:{HOT}"]
            producer.publish(plays(HOT, 10, at=now))  # still spiking: no second page
            wait_for(
                lambda: _group(redis_client)["pending"] == 0 and _group(redis_client).get("lag") == 0,
                timeout=10,
            )
            metrics = httpx.get(f"http://127.0.0.1:{live.port}/metrics", timeout=5).text
            assert 'encore_monitor_alerts_total{action="fired",rule_id="spike"}' in metrics
            assert "encore_monitor_events_total" in metrics
            assert time.monotonic() - started < 30
        assert receivers.state.pages == [f"spike:{ARTIST}:{HOT}"]
        (hook,) = receivers.state.webhooks.values()
        assert hook["encore"]["facts"]["plays_this_minute"] >= 20
        assert hook["encore"]["facts"]["baseline_per_minute"] == 2.0
        assert live.stats.events == 20 + 6 + 25 + 10 and live.stats.rejected == 0
    finally:
        reset()


def test_a_restart_resumes_from_the_group_position_and_claims_a_dead_consumers_entries(
    sqlite_warehouse, receivers, settings, redis_client
):
    producer = EventProducer(redis_client)
    cfg = _settings(settings, receivers, sqlite_warehouse)
    now = datetime.now(UTC)
    try:
        with Running(cfg, rules=rules(SPIKE), consumer="mon-1", idle_eval_s=0.2, clock=frozen(now)) as first:
            producer.publish(plays(HOT, 5, at=now))
            wait_for(
                lambda: _group(redis_client).get("lag") == 0 and _group(redis_client)["pending"] == 0,
                timeout=10,
            )
        assert first.stats.events == 5
        producer.publish(plays(HOT, 7, at=now))  # while nobody listens
        redis_client.xreadgroup("monitoring", "dead-one", {STREAM: ">"}, count=3)  # read, never acknowledged
        assert _group(redis_client)["pending"] == 3
        with Running(cfg, rules=rules(SPIKE), consumer="mon-2", claim_idle_ms=0, clock=frozen(now)) as second:
            wait_for(
                lambda: _group(redis_client).get("lag") == 0 and _group(redis_client)["pending"] == 0,
                timeout=10,
            )
        assert second.stats.events == 7  # the 5 already seen are not read again; the dead one's 3 are
        # the baseline counts the 5 handled before, not the 3 still held nor the 4 never delivered
        assert second.stats.restored == 5
        records = [json.loads(r["body"]) for r in sqlite_warehouse.rows("audit_records", order_by=["seq"])]
        sessions = [r["outputs"]["events"] for r in records if r["flow"] == "monitor_live"]
        assert sessions == [5, 7]
    finally:
        reset()


def test_a_restart_keeps_the_baseline_the_stream_holds(sqlite_warehouse, receivers, settings, redis_client):
    producer = EventProducer(redis_client)
    cfg = _settings(settings, receivers, sqlite_warehouse)
    now = datetime.now(UTC)
    try:
        with Running(cfg, rules=rules(SPIKE), consumer="mon-1", clock=frozen(now)) as first:
            producer.publish(baseline(HOT, now=now, per_minute=10))  # 10 plays a minute for 5 minutes
            wait_for(
                lambda: _group(redis_client).get("lag") == 0 and _group(redis_client)["pending"] == 0,
                timeout=10,
            )
        assert first.stats.events == 50 and receivers.state.pages == []
        # After the restart, 25 plays this minute are the usual rate x2.5: no spike (threshold
        # 5 x 10 = 50). A monitor that forgot the baseline would see 25 >= min_plays and page.
        with Running(cfg, rules=rules(SPIKE), consumer="mon-2", idle_eval_s=0.2, clock=frozen(now)) as second:
            assert second.result.get("stats") is None
            producer.publish(plays(HOT, 25, at=now))
            wait_for(
                lambda: _group(redis_client).get("lag") == 0 and _group(redis_client)["pending"] == 0,
                timeout=10,
            )
            evaluated = second.live.evaluations
            wait_for(
                lambda: second.live.evaluations > evaluated, timeout=5
            )  # an idle evaluation after the batch
            assert receivers.state.pages == []
            producer.publish(plays(HOT, 30, at=now))  # 55 this minute: 5.5x
            wait_for(lambda: bool(receivers.state.pages), timeout=5)
            wait_for(  # the page can fire mid-batch (at 50): every play read before the monitor stops
                lambda: _group(redis_client).get("lag") == 0 and _group(redis_client)["pending"] == 0,
                timeout=10,
            )
        assert receivers.state.pages == [f"spike:{ARTIST}:{HOT}"]
        (hook,) = receivers.state.webhooks.values()
        assert hook["encore"]["facts"]["baseline_per_minute"] == 10.0
        assert second.stats.restored == 50 and second.stats.events == 55
    finally:
        reset()


@pytest.mark.slow
def test_the_command_stops_cleanly_on_sigterm(sqlite_warehouse, receivers, tmp_path, redis_client):
    rules_file = tmp_path / "rules.yaml"
    rules_file.write_text(yaml.safe_dump({"rules": [SPIKE]}))
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENCORE_") or k.startswith("ENCORE_TEST_")}
    env.update(receivers.env())
    env.update(
        ENCORE_DATABASE_URL=sqlite_warehouse.url,
        ENCORE_DATA_DIR=str(tmp_path / "data"),
        ENCORE_ALERT_RULES_FILE=str(rules_file),
        ENCORE_REDIS_URL=REDIS_URL,
    )
    command = [sys.executable, "-m", "analytics.monitoring.cli", "live", "--metrics-port", "0"]
    proc = subprocess.Popen(
        command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        ready = json.loads(proc.stdout.readline())
        assert ready["ready"] is True and ready["metrics_port"] > 0
        EventProducer(redis_client).publish(plays(HOT, 4, at=datetime.now(UTC)))
        wait_for(
            lambda: _group(redis_client).get("lag") == 0 and _group(redis_client)["pending"] == 0, timeout=20
        )
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err[-2000:]
    assert json.loads(out.strip().splitlines()[-1]) == {"events": 4, "fired": 0, "resolved": 0}
    assert "monitor.live.stop" in err


def test_spike_states_follow_the_minutes():
    from analytics.monitoring.live import MinuteCounts, spike_findings

    (rule,) = rules(SPIKE)
    counts = MinuteCounts(keep_minutes=5)
    start = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    for m in range(5):
        for _ in range(2):
            counts.add(ARTIST, HOT, start + timedelta(minutes=m))
    spike_at = start + timedelta(minutes=5, seconds=30)
    for _ in range(19):
        counts.add(ARTIST, HOT, spike_at)
    assert [f.state for f in spike_findings(rule, counts, now=spike_at)] == ["clear"]  # 19 < min_plays
    counts.add(ARTIST, HOT, spike_at)
    (firing,) = spike_findings(rule, counts, now=spike_at)
    assert firing.state == "firing" and firing.facts["baseline_per_minute"] == 2.0
    assert "10.0x its 5-minute baseline" in firing.summary
    assert [f.state for f in spike_findings(rule, counts, now=spike_at + timedelta(minutes=1))] == ["hold"]
    assert [f.state for f in spike_findings(rule, counts, now=spike_at + timedelta(minutes=2))] == ["clear"]
