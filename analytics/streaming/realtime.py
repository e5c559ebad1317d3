"""Real-time play events over Redis Streams: a producer, and a consumer-group consumer.

Delivery is at least once (an entry stays pending in its group until acknowledged); the
warehouse makes it exactly once: every event's stored id is derived from the producer's
event id (:mod:`analytics.streaming.ids`) and written with the dedupe path of
:func:`analytics.streaming.load.store_events`, and entries are acknowledged only after the
transaction that stored them has committed. A consumer that dies leaves its entries pending;
any live consumer of the group claims them with ``XAUTOCLAIM`` once they have been idle for
``claim_idle_ms`` and finishes them.

Other readers (e.g. real-time alerting) use the same stream with their own group name and
:func:`decode_event`; groups do not disturb each other.

Wire format: one stream entry per play, field ``e`` = compact JSON with ``v`` (format
version 1), ``event_id``, ``ts`` (ISO 8601 UTC), ``track_id``, ``artist_id``, ``ms_played``
and optional ``country``, ``platform``, ``reason_start``, ``reason_end``, ``shuffle``,
``skipped``, ``offline``, ``listener`` (an opaque, already pseudonymous token).
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from analytics.observability.metrics import histogram
from analytics.streaming.ingest import store_event_tuples
from analytics.streaming.summary import IngestSummary, Rejection
from analytics.streaming.wire import decode_events, encode_event
from analytics.warehouse import Warehouse

log = logging.getLogger(__name__)
STREAM = "encore:plays"
GROUP = "warehouse"
LAG = histogram("encore_streaming_event_lag_seconds", "Seconds from XADD to commit in the warehouse")


class StreamsClient(Protocol):
    """The part of ``redis.Redis`` used here (the real adapter is redis-py's client)."""

    def xadd(self, name: Any, fields: Any, *args: Any, **kwargs: Any) -> Any: ...
    def xreadgroup(
        self, groupname: Any, consumername: Any, streams: Any, *args: Any, **kwargs: Any
    ) -> Any: ...
    def xautoclaim(
        self, name: Any, groupname: Any, consumername: Any, min_idle_time: Any, *a: Any, **k: Any
    ) -> Any: ...
    def xack(self, name: Any, groupname: Any, *ids: Any) -> Any: ...
    def xgroup_create(self, name: Any, groupname: Any, *args: Any, **kwargs: Any) -> Any: ...
    def pipeline(self, transaction: bool = True) -> Any: ...


class EventProducer:
    """Publishes plays to a stream (pipelined ``XADD``).

    Parameters
    ----------
    client : a redis-py client.
    stream : the stream key.
    maxlen : approximate cap of the stream's length (``MAXLEN ~``); None keeps everything
        until consumers' groups have read it (trim only if every group keeps up).
    """

    def __init__(self, client: StreamsClient, *, stream: str = STREAM, maxlen: int | None = None) -> None:
        self.client, self.stream, self.maxlen = client, stream, maxlen

    def publish(self, events: Iterable[Mapping[str, Any]], *, chunk: int = 1000) -> int:
        """Publish every event; returns how many were added."""
        sent = 0
        pipe = self.client.pipeline(transaction=False)
        for event in events:
            pipe.xadd(self.stream, {"e": encode_event(event)}, maxlen=self.maxlen, approximate=True)
            sent += 1
            if sent % chunk == 0:
                pipe.execute()
        pipe.execute()
        return sent


@dataclass
class ConsumerStats:
    """What a consumer did: the ingest summary plus delivery facts and lags (seconds)."""

    summary: IngestSummary = field(default_factory=lambda: IngestSummary(source="realtime"))
    batches: int = 0
    claimed: int = 0
    acked: int = 0
    lags: list[float] = field(default_factory=list, repr=False)

    def lag_quantile(self, q: float) -> float | None:
        if not self.lags:
            return None
        ordered = sorted(self.lags)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class PlayEventConsumer:
    """Reads plays with a consumer group, stores them once, then acknowledges them.

    Parameters
    ----------
    client, warehouse : the Redis client and the warehouse to write.
    stream, group : the stream and this reader's group (``warehouse``); other readers pick
        their own group.
    name : this consumer's name in the group (default: host and pid).
    batch : entries per read and per transaction.
    claim_idle_ms : entries pending longer than this in a dead consumer are claimed.
    """

    def __init__(
        self,
        client: StreamsClient,
        warehouse: Warehouse,
        *,
        stream: str = STREAM,
        group: str = GROUP,
        name: str | None = None,
        batch: int = 2000,
        block_ms: int = 200,
        claim_idle_ms: int = 30_000,
    ) -> None:
        self.client, self.warehouse = client, warehouse
        self.stream, self.group = stream, group
        self.name = name or f"{socket.gethostname()}-{os.getpid()}"
        self.batch, self.block_ms, self.claim_idle_ms = batch, block_ms, claim_idle_ms
        self.stats = ConsumerStats()

    def ensure_group(self) -> None:
        """Create the group at the stream's start (and the stream) if it does not exist."""
        try:
            self.client.xgroup_create(self.stream, self.group, id="0", mkstream=True)
        except Exception as exc:  # redis.ResponseError: BUSYGROUP when it exists
            if "BUSYGROUP" not in str(exc):
                raise

    def read_new(self) -> list[tuple[bytes, dict[bytes, bytes]]]:
        """Up to ``batch`` entries never delivered to this group (they become pending here)."""
        reply = self.client.xreadgroup(
            self.group, self.name, {self.stream: ">"}, count=self.batch, block=self.block_ms
        )
        return list(reply[0][1]) if reply else []

    def read_own_pending(self) -> list[tuple[bytes, dict[bytes, bytes]]]:
        reply = self.client.xreadgroup(self.group, self.name, {self.stream: "0"}, count=self.batch)
        return [e for e in reply[0][1] if e[1]] if reply else []

    def claim_stale(self) -> list[tuple[bytes, dict[bytes, bytes]]]:
        """Entries idle in any consumer (e.g. a dead one) for ``claim_idle_ms``, now ours."""
        claimed: list[tuple[bytes, dict[bytes, bytes]]] = []
        start: Any = "0-0"
        while True:
            reply = self.client.xautoclaim(
                self.stream, self.group, self.name, self.claim_idle_ms, start, count=self.batch
            )
            start, entries = reply[0], reply[1]
            claimed.extend(e for e in entries if e[1])  # entries trimmed away come back empty
            if start in (b"0-0", "0-0") or len(claimed) >= self.batch:
                break
        self.stats.claimed += len(claimed)
        return claimed

    def process(self, entries: Sequence[tuple[bytes, dict[bytes, bytes]]]) -> IngestSummary:
        """Store a batch in one transaction, then acknowledge it; bad entries go to ``<stream>:rejected``.

        The whole batch is decoded at once into row tuples (no per-event dict), stored with
        the bulk path in one transaction, and acknowledged with one ``XACK`` after the commit.
        """
        batch = decode_events([fields.get(b"e", b"") for _, fields in entries], now=datetime.now(UTC))
        with self.warehouse.engine.begin() as conn:
            summary = store_event_tuples(conn, batch.rows, source="realtime")
        committed = time.time()
        summary.rows_read = len(entries)
        summary.reject([Rejection(position + 1, reason) for position, reason in batch.rejected])
        pipe = self.client.pipeline(transaction=False)
        for position, reason in batch.rejected:
            pipe.xadd(f"{self.stream}:rejected", {"entry": entries[position][0], "reason": reason})
        ids = [entry_id for entry_id, _ in entries]
        if ids:
            pipe.xack(self.stream, self.group, *ids)
        pipe.execute()
        self._record_lags(ids, committed=committed)
        self.stats.acked += len(ids)
        self.stats.batches += 1
        self.stats.summary.add(summary)
        return summary

    def _record_lags(self, ids: Sequence[bytes], *, committed: float) -> None:
        # An entry id starts with the stream's XADD time in milliseconds.
        lags = [committed - int(entry_id.partition(b"-")[0]) / 1000 for entry_id in ids]
        self.stats.lags.extend(lags)
        observe = LAG.observe
        for lag in lags:
            observe(lag)

    def run(
        self,
        *,
        duration_s: float | None = None,
        idle_exit_s: float | None = None,
        claim_every_s: float = 5.0,
    ) -> ConsumerStats:
        """Consume until ``duration_s`` has passed or nothing arrived for ``idle_exit_s``.

        Starts by finishing its own pending entries (a restart under the same name), then
        alternates new entries with a periodic ``XAUTOCLAIM`` sweep of dead consumers' entries.
        """
        self.ensure_group()
        started = last_seen = time.monotonic()
        last_claim = started - claim_every_s
        while entries := self.read_own_pending():
            self.process(entries)
        while duration_s is None or time.monotonic() - started < duration_s:
            entries = []
            if time.monotonic() - last_claim >= claim_every_s:
                entries, last_claim = self.claim_stale(), time.monotonic()
            if not entries:
                entries = self.read_new()
            if not entries and idle_exit_s is not None and time.monotonic() - last_seen >= idle_exit_s:
                entries = self.claim_stale()
                if not entries:
                    break
            if entries:
                self.process(entries)
                last_seen = time.monotonic()
        return self.stats


def consume_events(
    warehouse: Warehouse,
    client: StreamsClient,
    *,
    stream: str = STREAM,
    group: str = GROUP,
    name: str | None = None,
    duration_s: float | None = None,
    idle_exit_s: float | None = 2.0,
    claim_idle_ms: int = 30_000,
    batch: int = 2000,
) -> IngestSummary:
    """Consume play events into the warehouse; by default until the stream is idle for 2 s.

    Returns the run's :class:`IngestSummary` (the flow's audit record).
    """
    consumer = PlayEventConsumer(
        client, warehouse, stream=stream, group=group, name=name, batch=batch, claim_idle_ms=claim_idle_ms
    )
    stats = consumer.run(duration_s=duration_s, idle_exit_s=idle_exit_s)
    log.info(
        "consumer %s: %d batches, %d claimed, %d acknowledged",
        consumer.name,
        stats.batches,
        stats.claimed,
        stats.acked,
    )
    return stats.summary


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m analytics.streaming.realtime --database-url … --redis-url …``: run one consumer."""
    import argparse

    import redis

    parser = argparse.ArgumentParser(description="Consume play events from Redis Streams into the warehouse.")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--redis-url", required=True)
    parser.add_argument("--stream", default=STREAM)
    parser.add_argument("--group", default=GROUP)
    parser.add_argument("--name", default=None)
    parser.add_argument("--batch", type=int, default=2000)
    parser.add_argument("--claim-idle-ms", type=int, default=30_000)
    parser.add_argument("--duration-s", type=float, default=None)
    parser.add_argument("--idle-exit-s", type=float, default=None)
    args = parser.parse_args(argv)
    warehouse = Warehouse(args.database_url)
    client = redis.Redis.from_url(args.redis_url)
    consumer = PlayEventConsumer(
        client,
        warehouse,
        stream=args.stream,
        group=args.group,
        name=args.name,
        batch=args.batch,
        claim_idle_ms=args.claim_idle_ms,
    )
    stats = consumer.run(duration_s=args.duration_s, idle_exit_s=args.idle_exit_s)
    report = {"summary": stats.summary.as_dict(), "batches": stats.batches, "claimed": stats.claimed}
    print(json.dumps(report))


if __name__ == "__main__":
    main()
