"""Crash safety of alert delivery: SIGKILL between deciding and sending, and after a send.

Four rules fire on one artist, so one monitoring pass decides four alerts and writes twelve
outbox messages (Sentry, PagerDuty, webhook each). The pass runs in a forked child; the loopback
receivers count every request and kill the child at a seeded one: before the receiver takes it
(the message was decided, not sent) or after the receiver stored it and before the child reads
the answer (sent, not marked). The rerun must leave every alert delivered to every receiver
exactly once: no message lost, none doubled (a resend is dropped by its idempotency key).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import random
import shutil
import signal
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from analytics.config import Settings
from analytics.monitoring import parse_rules
from analytics.monitoring.service import monitor_once
from analytics.sandbox.alert_receivers import AlertReceivers
from analytics.warehouse import Warehouse
from reliability.result import ScenarioResult

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
ALERTS = 4
CHANNELS = ("sentry", "pagerduty", "webhook")
RULES = [
    {
        "id": f"few-albums-{n}",
        "kind": "threshold",
        "metric": "albums",
        "op": "<",
        "value": n,
        "severity": "critical",
        "dedup_key": "{rule_id}:{artist_id}",
    }
    for n in range(1, ALERTS + 1)
]


class KillSwitch:
    """ASGI layer in front of the receivers: SIGKILL the sender at its ``at``-th request.

    ``after`` False: the child dies before the receiver sees the request; True: the receiver
    handles it and the child dies before the answer leaves.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.pid: int | None = None
        self.at = 0
        self.after = False
        self.seen = 0
        self.fired = False

    def arm(self, *, at: int, after: bool) -> None:
        self.pid, self.at, self.after, self.seen, self.fired = None, at, after, 0, False

    async def _kill(self) -> None:
        while self.pid is None:  # the parent sets it right after starting the child
            await asyncio.sleep(0.005)
        os.kill(self.pid, signal.SIGKILL)
        self.fired = True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.at == 0:
            await self.app(scope, receive, send)
            return
        self.seen += 1
        if self.seen != self.at or self.fired:
            await self.app(scope, receive, send)
            return
        if not self.after:
            await self._kill()
            await send({"type": "http.response.start", "status": 503, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return

        async def kill_then_send(message: Message) -> None:
            if message["type"] == "http.response.start" and not self.fired:
                await self._kill()
            await send(message)

        await self.app(scope, receive, kill_then_send)


def seed_warehouse(warehouse: Warehouse) -> str:
    """One artist whose only album was removed a minute ago: every rule fires. Returns its id."""
    from tests.monitoring.conftest import ARTIST, remove_album, seed_catalog

    seed_catalog(warehouse, at=NOW - timedelta(days=60))
    remove_album(warehouse, "alb_old", at=NOW - timedelta(minutes=1))
    return ARTIST


def _pass(db: str, artist: str, settings: Settings, now: datetime) -> dict[str, Any]:
    warehouse = Warehouse(db)
    try:
        return monitor_once(
            warehouse,
            artist,
            settings=settings,
            run_id=uuid.uuid4().hex,
            trace_id=uuid.uuid4().hex,
            rules=parse_rules({"rules": RULES}),
            now=now,
        )
    finally:
        warehouse.dispose()


def _delivered(rx: AlertReceivers) -> dict[str, int]:
    """Distinct messages each receiver kept, and the requests it got."""
    s = rx.state
    return {
        "sentry": len(s.sentry_events),
        "pagerduty": len(s.pages),
        "webhook": len(s.webhooks),
        "requests": s.sentry_requests + len(s.pd_events) + s.webhook_requests,
    }


def _reset(rx: AlertReceivers) -> None:
    s = rx.state
    with s.lock:
        s.sentry_events.clear()
        s.pd_events.clear()
        s.pd_incidents.clear()
        s.pages.clear()
        s.resolves.clear()
        s.webhooks.clear()
        s.received_at.clear()
        s.sentry_requests = s.webhook_requests = 0


def _trial(
    rx: AlertReceivers,
    switch: KillSwitch,
    settings: Callable[[Path], Settings],
    folder: Path,
    *,
    template: Path,
    artist: str,
    **kill: Any,
) -> tuple[bool, dict[str, int], Warehouse]:
    """One pass on a copy of ``template`` killed at ``kill`` (at, after), then a rerun."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(template, folder / "warehouse.sqlite")
    warehouse = Warehouse(f"sqlite:///{folder / 'warehouse.sqlite'}")
    _reset(rx)
    switch.arm(**kill)
    child = multiprocessing.get_context("fork").Process(
        target=_pass, args=(warehouse.url, artist, settings(folder), NOW), daemon=True
    )
    child.start()
    switch.pid = child.pid
    child.join(timeout=120)
    killed = child.exitcode == -signal.SIGKILL
    switch.arm(at=0, after=False)
    _pass(warehouse.url, artist, settings(folder), NOW + timedelta(minutes=1))
    return killed, _delivered(rx), warehouse


def run_alert_kills(*, trials: int = 3, seed: int = 0, workdir: Path) -> ScenarioResult:
    """``trials`` monitoring passes killed at seeded receiver requests, each followed by a rerun."""
    result = ScenarioResult("SIGKILL of alert delivery (before send, after send), then rerun")
    rng = random.Random(seed)
    rx = AlertReceivers()
    switch = KillSwitch(rx.app)
    rx.app = switch  # served in front of the receivers: it sees each request first

    def settings(folder: Path) -> Settings:
        base = Settings(data_dir=folder / "data", quota_mode="extended")
        configured: Settings = rx.configure(base)
        return configured

    template = workdir / "seeded.sqlite"
    seeded = Warehouse(f"sqlite:///{template}")
    seeded.migrate()
    artist = seed_warehouse(seeded)
    seeded.dispose()
    messages = ALERTS * len(CHANNELS)
    before = after = resent = 0
    with rx.running():
        for trial in range(trials):
            folder = workdir / f"kill{trial}"
            at, when = rng.randint(1, messages), rng.random() < 0.5
            killed, got, warehouse = _trial(
                rx, switch, settings, folder, template=template, artist=artist, at=at, after=when
            )
            result.check(killed, f"trial {trial}: the delivery was not killed at request {at}")
            for channel in CHANNELS:
                result.tally(expected=ALERTS, found=got[channel])
            outbox = warehouse.rows("monitoring_outbox")
            alerts = warehouse.rows("monitoring_alerts")
            result.check(
                len(outbox) == messages, f"trial {trial}: {len(outbox)} outbox rows, want {messages}"
            )
            result.check(
                all(r["status"] == "sent" for r in outbox), f"trial {trial}: an outbox row is not marked sent"
            )
            result.tally(expected=ALERTS, found=len(alerts))
            extra = got["requests"] - messages
            result.check(extra <= int(when), f"trial {trial}: {extra} resends after one kill")
            resent += extra
            before += not when
            after += when
            result.faults += int(killed)
            result.trials += 1
            warehouse.dispose()
    result.notes = (
        f"{ALERTS} alerts x {len(CHANNELS)} channels a pass; killed before the receiver took request k "
        f"({before} trials) or after it stored it ({after}), k seeded in 1..{messages}; "
        f"{resent} resends dropped by idempotency key"
    )
    return result
