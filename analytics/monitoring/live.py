"""Real-time monitoring: plays from Redis Streams, per-minute spike rules, alerts within seconds.

:func:`monitor_live` reads the play stream of :mod:`analytics.streaming.realtime` with its own
consumer group (``monitoring``), counts plays per track and minute, and evaluates the
``plays_spike`` rules after every batch: the current minute against the mean of the previous
``baseline_minutes``. A spike opens an incident and its outbox rows in one transaction, the
batch is acknowledged, and the outbox is delivered at once. SIGTERM (or ``stop_event``)
stops it after the current batch; a restart resumes from the group's position, first
finishing any entries it had read but not acknowledged. The per-minute counts live in memory;
at start they are rebuilt from the stream's entries of the last minutes the rules look at
(:func:`restore_counts`), so a restart neither forgets a baseline nor pages on one.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from analytics.config import Settings
from analytics.monitoring.channels import channels_from_settings
from analytics.monitoring.deliver import deliver_pending
from analytics.monitoring.findings import Finding
from analytics.monitoring.incidents import decide
from analytics.monitoring.rules import PlaysSpikeRule, load_rules, rules_path
from analytics.observability.metrics import counter, histogram
from analytics.warehouse import Warehouse

GROUP = "monitoring"
EVENTS = counter("encore_monitor_events_total", "Play events read by the live monitor", ("outcome",))
ALERTS = counter("encore_monitor_alerts_total", "Live monitor decisions", ("rule_id", "action"))
LATENCY = histogram("encore_monitor_alert_latency_seconds", "From XADD of the spiking play to alert delivery")


@dataclass
class LiveStats:
    """What a live monitor did."""

    events: int = 0
    rejected: int = 0
    batches: int = 0
    fired: list[str] = field(default_factory=list)
    resolved: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    metrics_port: int | None = None
    restored: int = 0  # plays counted again at start from the stream, to rebuild the baselines
    evaluations: int = 0  # times the rules were evaluated (after a batch, or idle)


class MinuteCounts:
    """Plays per (artist, track) and minute, keeping only the minutes the rules look at."""

    def __init__(self, *, keep_minutes: int) -> None:
        self.keep = keep_minutes + 2
        self.counts: dict[tuple[str, str], dict[int, int]] = defaultdict(dict)

    def add(self, artist_id: str, track_id: str, ts: datetime) -> None:
        minute = int(ts.timestamp() // 60)
        buckets = self.counts[(artist_id, track_id)]
        buckets[minute] = buckets.get(minute, 0) + 1
        for old in [m for m in buckets if m < minute - self.keep]:
            del buckets[old]

    def window(self, key: tuple[str, str], *, minute: int, baseline_minutes: int) -> tuple[int, float]:
        """(plays in ``minute``, the mean plays per minute over the ``baseline_minutes`` before it)."""
        buckets = self.counts.get(key, {})
        base = sum(buckets.get(minute - i, 0) for i in range(1, baseline_minutes + 1)) / baseline_minutes
        return buckets.get(minute, 0), base


def spike_findings(
    rule: PlaysSpikeRule,
    counts: MinuteCounts,
    *,
    now: datetime,
    keys: Iterable[tuple[str, str]] | None = None,
) -> list[Finding]:
    """The rule over ``keys`` (default: every counted track) at ``now``.

    A track is firing (this minute's plays reach ``min_plays`` and ``factor`` times the
    baseline), holding (the previous minute did) or clear.
    """
    minute = int(now.timestamp() // 60)
    out = []
    for artist_id, track_id in sorted(keys if keys is not None else counts.counts):
        key, n = (artist_id, track_id), rule.baseline_minutes
        current, base = counts.window(key, minute=minute, baseline_minutes=n)
        previous, previous_base = counts.window(key, minute=minute - 1, baseline_minutes=n)
        threshold = max(float(rule.min_plays), rule.factor * base)
        spiked_before = previous >= max(float(rule.min_plays), rule.factor * previous_base)
        state = "firing" if current >= threshold else ("hold" if spiked_before else "clear")
        summary = (
            f"track {track_id} has {current} plays this minute, {current / base:.1f}x its "
            f"{rule.baseline_minutes}-minute baseline of {base:.2f}/min"
            if base
            else f"track {track_id} has {current} plays this minute (no plays in the previous {rule.baseline_minutes} minutes)"
        )
        facts = {
            "track_id": track_id,
            "minute": datetime.fromtimestamp(minute * 60, UTC).isoformat(),
            "plays_this_minute": current,
            "plays_previous_minute": previous,
            "baseline_per_minute": round(base, 4),
            "factor": rule.factor,
            "min_plays": rule.min_plays,
        }
        out.append(Finding(rule, artist_id, track_id, state, summary, facts))
    return out


def _install_sigterm(stop: threading.Event) -> Callable[[], None]:
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = signal.getsignal(signal.SIGTERM)
    signal.signal(signal.SIGTERM, lambda *_: stop.set())

    def restore() -> None:
        signal.signal(signal.SIGTERM, previous)

    return restore


def monitor_live(
    settings: Settings,
    *,
    stop_event: threading.Event | None = None,
    metrics_port: int | None = None,
    stream: str | None = None,
    group: str = GROUP,
    consumer: str | None = None,
    rules: Sequence[Any] | None = None,
    block_ms: int = 200,
    claim_idle_ms: int = 30_000,
    idle_eval_s: float = 5.0,
    on_ready: Callable[[LiveStats], None] | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> LiveStats:
    """Consume play events and raise real-time alerts until SIGTERM or ``stop_event``.

    Parameters
    ----------
    settings : Redis URL, warehouse, alert channels and the rules file.
    stop_event : set it to stop (the CLI stops on SIGTERM/SIGINT instead).
    metrics_port : serve Prometheus ``/metrics`` on 127.0.0.1 at this port (0: a free one,
        reported in ``LiveStats.metrics_port``); None: no endpoint.
    stream, group, consumer : the play stream (default: the streaming package's), this
        monitor's consumer group, and this process's name in it (default: host and pid).
    rules : the rules (default: the rules file); only ``plays_spike`` rules apply here.
    block_ms : longest wait for new entries per read.
    claim_idle_ms : entries left unacknowledged this long by another consumer (e.g. a
        killed one) are claimed at start.
    idle_eval_s : with no new events, rules are still evaluated this often (resolves).
    on_ready : called once the group exists and ``/metrics`` is up.
    clock : the current time (UTC) the minutes are counted and the rules evaluated at; the
        wall clock by default.
    """
    import redis

    from analytics.observability import configure, current_trace_id, get_logger, serve_metrics
    from analytics.streaming.realtime import STREAM
    from analytics.streaming.wire import decode_event

    configure(settings)
    log = get_logger("encore.monitoring.live")
    spikes = [
        r
        for r in (rules if rules is not None else load_rules(rules_path(settings)))
        if r.kind == "plays_spike" and r.enabled
    ]
    stream = stream or STREAM
    name = consumer or f"{socket.gethostname()}-{os.getpid()}"
    stop = stop_event or threading.Event()
    restore = _install_sigterm(stop) if stop_event is None else (lambda: None)
    client: Any = redis.Redis.from_url(settings.redis_url)
    warehouse = Warehouse.from_settings(settings)
    warehouse.migrate()
    channels = channels_from_settings(settings)
    stats = LiveStats()
    server = serve_metrics(metrics_port) if metrics_port is not None else None
    stats.metrics_port = server.server_port if server is not None else None
    counts = MinuteCounts(keep_minutes=max((r.baseline_minutes for r in spikes), default=1))
    run_id = f"live-{name}-{int(time.time())}"
    try:
        try:
            client.xgroup_create(stream, group, id="$", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise
        log.info(
            "monitor.live.start",
            stream=stream,
            group=group,
            rules=[r.id for r in spikes],
            metrics_port=stats.metrics_port,
        )
        if on_ready:
            on_ready(stats)
        _claim_stale(client, stream, group, name, idle_ms=claim_idle_ms)
        stats.restored = restore_counts(client, stream, group, counts, minutes=counts.keep, now=clock())
        log.info("monitor.live.restored", plays=stats.restored, minutes=counts.keep)
        opened = open_incidents(warehouse, spikes)
        pending_first, last_eval = True, 0.0
        while not stop.is_set():
            reply = client.xreadgroup(
                group,
                name,
                {stream: "0" if pending_first else ">"},
                count=500,
                block=None if pending_first else block_ms,
            )
            entries = [e for e in (reply[0][1] if reply else []) if e[1]]
            if pending_first and not entries:
                pending_first = False
                continue
            now = clock()
            newest_ms, touched, before = 0, set(), stats.events
            for entry_id, fields in entries:
                try:
                    event = decode_event(fields.get(b"e", b""), now=now)
                except ValueError as exc:
                    if stats.rejected < 10:
                        log.warning("monitor.live.rejected", entry=entry_id.decode(), reason=str(exc))
                    stats.rejected += 1
                    EVENTS.labels(outcome="rejected").inc()
                    continue
                pair = (event.get("artist_id") or "unknown", event["track_id"])
                counts.add(*pair, event["ts"])
                touched.add(pair)
                newest_ms = max(newest_ms, int(entry_id.split(b"-", 1)[0]))
                stats.events += 1
            EVENTS.labels(outcome="ok").inc(stats.events - before)
            if not entries and time.monotonic() - last_eval < idle_eval_s:
                continue
            last_eval = time.monotonic()
            _evaluate(
                warehouse,
                spikes,
                counts,
                touched=touched,
                opened=opened,
                channels=channels,
                run_id=run_id,
                trace_id=current_trace_id(),
                stats=stats,
                newest_ms=newest_ms,
                now=clock(),
            )
            stats.evaluations += 1
            if entries:
                client.xack(stream, group, *[e[0] for e in entries])
                stats.batches += 1
    finally:
        restore()
        if server is not None:
            server.shutdown()
            server.server_close()
        for channel in channels.values():
            getattr(channel, "close", lambda: None)()
        client.close()
        try:
            _audit_stop(
                warehouse,
                settings,
                stats,
                run_id=run_id,
                trace_id=current_trace_id(),
                stream=stream,
                group=group,
            )
        finally:
            warehouse.dispose()
        log.info(
            "monitor.live.stop",
            events=stats.events,
            rejected=stats.rejected,
            fired=len(stats.fired),
            resolved=len(stats.resolved),
        )
    return stats


def open_incidents(
    warehouse: Warehouse, rules: Iterable[PlaysSpikeRule]
) -> dict[str, dict[tuple[str, str], str]]:
    """Open incidents of the real-time rules: rule id -> {(artist, track): dedup key}."""
    from sqlalchemy import select

    from analytics.monitoring.tables import AlertRow

    out: dict[str, dict[tuple[str, str], str]] = {r.id: {} for r in rules}
    with warehouse.engine.connect() as conn:
        rows = conn.execute(
            select(AlertRow.rule_id, AlertRow.artist_id, AlertRow.subject, AlertRow.dedup_key).where(
                AlertRow.rule_id.in_(list(out)), AlertRow.status == "firing"
            )
        )
        for rule_id, artist_id, subject, key in rows:
            out[rule_id][(artist_id, subject)] = key
    return out


def _evaluate(
    warehouse: Warehouse,
    spikes: Iterable[PlaysSpikeRule],
    counts: MinuteCounts,
    *,
    touched: set[tuple[str, str]],
    opened: dict[str, dict[tuple[str, str], str]],
    channels: dict[str, Any],
    run_id: str,
    trace_id: str,
    stats: LiveStats,
    newest_ms: int,
    now: datetime,
) -> None:
    """Evaluate the tracks just played and those with an open incident; decide only on a change."""
    decided_any = False
    for rule in spikes:
        mine = opened[rule.id]
        by_artist: dict[str, list[Finding]] = defaultdict(list)
        for finding in spike_findings(rule, counts, now=now, keys=touched | set(mine)):
            by_artist[finding.artist_id].append(finding)
        for artist_id, findings in by_artist.items():
            changed = any(
                (f.state == "firing" and (artist_id, f.subject) not in mine)
                or (f.state == "clear" and (artist_id, f.subject) in mine)
                for f in findings
            )
            if not changed:
                continue
            decisions = decide(
                warehouse,
                findings,
                rules=[rule],
                artist_id=artist_id,
                channels=channels,
                run_id=run_id,
                trace_id=trace_id,
                now=now,
            )
            by_key = {f.key: (artist_id, f.subject) for f in findings}
            for key in decisions.fired:
                mine[by_key[key]] = key
                ALERTS.labels(rule_id=rule.id, action="fired").inc()
                stats.fired.append(key)
            for key in decisions.resolved:
                for pair in [p for p, k in mine.items() if k == key]:
                    del mine[pair]
                ALERTS.labels(rule_id=rule.id, action="resolved").inc()
                stats.resolved.append(key)
            decided_any = decided_any or bool(decisions.fired or decisions.resolved)
    if decided_any:
        report = deliver_pending(warehouse, channels)
        if newest_ms and report.sent:
            latency = time.time() - newest_ms / 1000
            stats.latencies.append(latency)
            LATENCY.observe(latency)


def _audit_stop(
    warehouse: Warehouse,
    settings: Settings,
    stats: LiveStats,
    *,
    run_id: str,
    trace_id: str,
    stream: str,
    group: str,
) -> None:
    """One audit record per live session: events read, alerts fired and resolved."""
    from analytics.audit import AuditEntry, append, code_version, parameters_hash
    from analytics.observability import redact

    entry = AuditEntry(
        run_id=run_id,
        trace_id=trace_id,
        flow="monitor_live",
        task="run",
        code_version=code_version(),
        parameters_hash=parameters_hash({"stream": stream, "group": group}),
        outcome="ok",
        outputs={
            "events": stats.events,
            "rejected": stats.rejected,
            "batches": stats.batches,
            "alerts_fired": len(stats.fired),
            "alerts_resolved": len(stats.resolved),
        },
        details={"fired": stats.fired[:50], "resolved": stats.resolved[:50]},
    )
    append(warehouse, entry, head_dir=settings.data_dir, redact=redact)


def restore_counts(
    client: Any, stream: str, group: str, counts: MinuteCounts, *, minutes: int, now: datetime
) -> int:
    """Count again the plays the group has already handled that arrived in the last ``minutes``.

    Reads the stream from ``minutes`` before ``now`` up to the group's last-delivered entry,
    leaving out the entries some consumer still holds unacknowledged (the read loop counts
    those, once). Entries that do not decode are skipped, as the read loop skips them. Returns
    how many plays were counted.
    """
    from analytics.streaming.wire import decode_event

    group_info = {_text(g["name"]): g for g in client.xinfo_groups(stream)}.get(group)
    if group_info is None:
        return 0
    last = _text(group_info["last-delivered-id"])
    held: set[str] = set()
    cursor = "-"
    while group_info["pending"]:
        rows = client.xpending_range(stream, group, min=cursor, max="+", count=1000)
        held.update(_text(r["message_id"]) for r in rows)
        if len(rows) < 1000:
            break
        cursor = "(" + _text(rows[-1]["message_id"])
    counted = 0
    cursor = f"{int(now.timestamp() * 1000) - minutes * 60_000}-0"
    while True:
        entries = client.xrange(stream, min=cursor, max=last, count=1000)
        for entry_id, fields in entries:
            if _text(entry_id) in held:
                continue
            try:
                event = decode_event(fields.get(b"e", b""), now=now)
            except ValueError:
                continue
            counts.add(event.get("artist_id") or "unknown", event["track_id"], event["ts"])
            counted += 1
        if len(entries) < 1000:
            return counted
        cursor = "(" + _text(entries[-1][0])


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _claim_stale(client: Any, stream: str, group: str, name: str, *, idle_ms: int) -> None:
    """Take over entries another consumer of the group read but never acknowledged."""
    start: Any = "0-0"
    for _ in range(100):
        reply = client.xautoclaim(stream, group, name, idle_ms, start, count=500)
        start = reply[0]
        if start in (b"0-0", "0-0"):
            return


def main() -> None:
    """``python -m analytics.monitoring.live``: run with the environment's settings, print stats as JSON."""
    port = os.environ.get("ENCORE_MONITOR_METRICS_PORT")
    stats = monitor_live(
        Settings(),
        metrics_port=int(port) if port else None,
        on_ready=lambda s: print(json.dumps({"ready": True, "metrics_port": s.metrics_port}), flush=True),
    )
    print(json.dumps({"events": stats.events, "fired": stats.fired, "resolved": stats.resolved}), flush=True)


if __name__ == "__main__":
    main()
