"""Routing: each protocol's payload at a loopback receiver, dedup, cooldown, outages, no secrets."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from analytics.monitoring import channels_from_settings, deliver_pending
from analytics.monitoring.tables import OutboxRow
from analytics.observability import configure, get_logger, reset
from tests.monitoring.conftest import (
    ARTIST,
    NOW,
    add_album,
    days_later,
    remove_album,
    rules,
    run_pass,
    seed_catalog,
)

CRITICAL = rules(
    {
        "id": "empty",
        "kind": "threshold",
        "metric": "albums",
        "op": "<",
        "value": 1,
        "severity": "critical",
        "cooldown": "3d",
        "dedup_key": "{rule_id}:{artist_id}",
    }
)
ALL = ("pagerduty", "sentry", "webhook")


def _fire(wh) -> None:
    seed_catalog(wh, at=NOW - timedelta(days=60))
    remove_album(wh, "alb_old", at=NOW)
    run_pass(wh, CRITICAL, at=NOW, channels=ALL)


def test_each_protocol_receives_its_own_payload_shape(warehouse, receivers, settings):
    channels = channels_from_settings(receivers.configure(settings))
    _fire(warehouse)
    report = deliver_pending(warehouse, channels)
    assert report.outcomes == {"pagerduty:sent": 1, "sentry:sent": 1, "webhook:sent": 1}
    key = f"empty:{ARTIST}"

    (event,) = receivers.state.sentry_events.values()
    assert event["level"] == "fatal" and event["fingerprint"] == ["encore-alert", key]
    assert event["tags"]["rule_id"] == "empty" and event["tags"]["artist_id"] == ARTIST
    assert event["contexts"]["trace"]["trace_id"] == "a" * 32
    assert event["extra"]["facts"]["observed"] == 0 and event["extra"]["rule"]["op"] == "<"

    (trigger,) = receivers.state.pd_events
    assert trigger["event_action"] == "trigger" and trigger["dedup_key"] == key
    assert trigger["payload"]["severity"] == "critical" and "albums" in trigger["payload"]["summary"]
    assert trigger["payload"]["custom_details"]["rule"]["id"] == "empty"
    assert receivers.state.pages == [key]

    (hook,) = receivers.state.webhooks.values()
    assert hook["text"].startswith(":red_circle: FIRING [empty]") and hook["blocks"][0]["type"] == "section"
    assert hook["encore"]["facts"]["observed"] == 0 and hook["encore"]["rule"]["kind"] == "threshold"


def test_a_second_run_over_the_same_data_sends_nothing_new(warehouse, receivers, settings):
    channels = channels_from_settings(receivers.configure(settings))
    _fire(warehouse)
    deliver_pending(warehouse, channels)
    before = (
        receivers.state.sentry_requests,
        len(receivers.state.pd_events),
        receivers.state.webhook_requests,
    )
    again = run_pass(warehouse, CRITICAL, at=NOW + timedelta(minutes=10), channels=ALL)
    report = deliver_pending(warehouse, channels)
    assert again.decisions.fired == [] and again.decisions.deduplicated == 1
    assert report.sent == 0
    assert (
        receivers.state.sentry_requests,
        len(receivers.state.pd_events),
        receivers.state.webhook_requests,
    ) == before


def test_resolve_is_sent_once_and_a_refire_within_the_cooldown_stays_quiet(warehouse, receivers, settings):
    channels = channels_from_settings(receivers.configure(settings))
    _fire(warehouse)
    deliver_pending(warehouse, channels)
    add_album(warehouse, "alb_old", at=days_later(1), release_date="2020-01-01")
    run_pass(warehouse, CRITICAL, at=days_later(1), channels=ALL)
    run_pass(warehouse, CRITICAL, at=days_later(1) + timedelta(hours=1), channels=ALL)
    report = deliver_pending(warehouse, channels, now=days_later(2))
    assert report.outcomes == {"pagerduty:sent": 1, "webhook:sent": 1}
    assert receivers.state.resolves == [f"empty:{ARTIST}"]
    assert [e["event_action"] for e in receivers.state.pd_events] == ["trigger", "resolve"]
    remove_album(warehouse, "alb_old", at=days_later(2))
    cooling = run_pass(warehouse, CRITICAL, at=days_later(2), channels=ALL)
    assert cooling.decisions.cooling_down == 1 and cooling.decisions.fired == []
    refire = run_pass(warehouse, CRITICAL, at=days_later(5), channels=ALL)
    assert len(refire.decisions.fired) == 1  # past the 3-day cooldown: a new incident
    deliver_pending(warehouse, channels, now=days_later(5))
    assert len(receivers.state.pages) == 2


def test_receiver_down_then_up_delivers_each_message_once(warehouse, receivers, settings):
    channels = channels_from_settings(receivers.configure(settings))
    _fire(warehouse)
    receivers.down()
    failed = deliver_pending(warehouse, channels)
    assert failed.outcomes == {"pagerduty:retry": 1, "sentry:retry": 1, "webhook:retry": 1}
    rows = warehouse.rows("monitoring_outbox")
    assert {r["status"] for r in rows} == {"pending"} and all(r["attempts"] == 1 for r in rows)
    assert all("unreachable" in r["last_error"] for r in rows)
    assert deliver_pending(warehouse, channels).sent == 0  # waiting for the retry time
    receivers.up()
    later = NOW.replace(year=2100)
    assert deliver_pending(warehouse, channels, now=later).sent == 3
    assert deliver_pending(warehouse, channels, now=later).sent == 0
    assert len(receivers.state.pages) == 1 and len(receivers.state.sentry_events) == 1
    assert len(receivers.state.webhooks) == 1 and receivers.state.webhook_requests == 1


def test_a_resend_after_a_lost_mark_is_dropped_by_every_receiver(warehouse, receivers, settings):
    channels = channels_from_settings(receivers.configure(settings))
    _fire(warehouse)
    deliver_pending(warehouse, channels)
    with warehouse.session() as session:  # as if the process died between send and mark
        session.execute(update(OutboxRow).values(status="pending", sent_at=None))
    assert deliver_pending(warehouse, channels).sent == 3
    assert receivers.state.sentry_requests == 2 and len(receivers.state.sentry_events) == 1
    assert receivers.state.webhook_requests == 2 and len(receivers.state.webhooks) == 1
    assert len(receivers.state.pd_events) == 2 and receivers.state.pages == [f"empty:{ARTIST}"]


def test_no_secret_in_logs_outbox_alerts_or_payloads(sqlite_warehouse, receivers, settings, capfd):
    wh = sqlite_warehouse
    configured = receivers.configure(settings)
    canaries = [receivers.state.routing_key, receivers.state.sentry_key, receivers.state.webhook_token]
    configure(configured)
    try:
        channels = channels_from_settings(configured)
        _fire(wh)
        receivers.down()
        deliver_pending(wh, channels)
        receivers.up()
        deliver_pending(wh, channels, now=NOW.replace(year=2100))
        get_logger("test").info("delivery", settings=configured.public_dict())
    finally:
        reset()
    captured = capfd.readouterr()
    stored = json.dumps([wh.rows("monitoring_outbox"), wh.rows("monitoring_alerts")], default=str)
    received = json.dumps(
        [receivers.state.sentry_events, receivers.state.pd_events, receivers.state.webhooks], default=str
    )
    assert "alert.delivered" in captured.err and "alert.delivery_failed" in captured.err
    for canary in canaries:
        assert canary not in captured.out + captured.err
        assert canary not in stored
        assert canary not in received


def test_concurrent_deciders_open_one_incident(postgres_warehouse):
    import threading

    from sqlalchemy import insert

    from analytics.monitoring import decide
    from analytics.monitoring.findings import Finding
    from analytics.monitoring.tables import AlertRow

    wh = postgres_warehouse
    (rule,) = CRITICAL
    finding = Finding(
        rule, ARTIST, "albums", "firing", "albums of the artist is 0", {"observed": 0}, "albums"
    )
    barrier, errors = threading.Barrier(4), []

    def decider(n: int) -> None:
        barrier.wait()
        try:
            decide(
                wh, [finding], rules=[rule], artist_id=ARTIST, channels=ALL, run_id=f"r{n}", trace_id="a" * 32
            )
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=decider, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert [a["status"] for a in wh.rows("monitoring_alerts")] == ["firing"]
    assert sorted(o["channel"] for o in wh.rows("monitoring_outbox")) == ["pagerduty", "sentry", "webhook"]
    row = {**wh.rows("monitoring_alerts")[0], "alert_id": "x" * 32}
    with pytest.raises(IntegrityError), wh.engine.begin() as conn:
        conn.execute(insert(AlertRow.__table__), [row])


def test_a_hostile_track_name_reaches_the_webhook_as_text_not_as_mentions_or_links():
    from datetime import UTC, datetime

    from analytics.monitoring.channels import AlertMessage, webhook_message

    name = "<!channel> <https://ev.il|Pay> By-Product & <@U123>"
    message = AlertMessage(
        alert_id="a1",
        action="trigger",
        dedup_key="k",
        rule_id="new_track",
        kind="catalog_change",
        severity="warning",
        artist_id=ARTIST,
        subject="track",
        summary=f"new track {name}",
        facts={"track": name},
        rule={},
        at=datetime(2026, 11, 20, tzinfo=UTC),
        trace_id="a" * 32,
        run_id="r",
    )
    payload = webhook_message(message)
    shown = [payload["text"], payload["blocks"][0]["text"]["text"]]
    shown += [e["text"] for e in payload["blocks"][1]["elements"]]
    for text in shown:
        assert "<" not in text and ">" not in text
    assert "&lt;!channel&gt; &lt;https://ev.il|Pay&gt; By-Product &amp; &lt;@U123&gt;" in payload["text"]
    assert "&lt;!channel&gt;" in shown[3]
    assert payload["encore"]["summary"] == f"new track {name}"  # the machine-readable copy stays exact
