"""Streaming metrics: sources, idempotent ingest, real-time events, aggregation, anomalies.

Public entry points (imported lazily, so that a real-time consumer process does not load
pandas or scikit-learn):

- :func:`ingest_s4a_csv`, :func:`ingest_history_json` - files, idempotent by content hash
- :func:`find_exports` - the exports in a folder of downloads, with their kind and artist
- :class:`EventProducer`, :class:`PlayEventConsumer`, :func:`consume_events` - Redis Streams
- :func:`aggregate` - daily metrics per track, artist, day, country and source (incremental)
- :func:`detect_anomalies` - robust day-of-week baseline and IsolationForest, stored
- :class:`IngestSummary`, :class:`SourceFormatError`
"""

from __future__ import annotations

import importlib
from typing import Any

import analytics.streaming.tables  # noqa: F401  (registers the tables on the warehouse Base)

_EXPORTS = {
    "ingest_s4a_csv": "analytics.streaming.ingest",
    "ingest_history_json": "analytics.streaming.ingest",
    "EventProducer": "analytics.streaming.realtime",
    "PlayEventConsumer": "analytics.streaming.realtime",
    "consume_events": "analytics.streaming.realtime",
    "decode_event": "analytics.streaming.wire",
    "decode_events": "analytics.streaming.wire",
    "STREAM": "analytics.streaming.realtime",
    "aggregate": "analytics.streaming.aggregate",
    "AggregateSummary": "analytics.streaming.aggregate",
    "detect_anomalies": "analytics.streaming.anomalies",
    "IngestSummary": "analytics.streaming.summary",
    "SourceFormatError": "analytics.streaming.summary",
    "S4AKind": "analytics.streaming.s4a",
    "ExportFile": "analytics.streaming.exports",
    "find_exports": "analytics.streaming.exports",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'analytics.streaming' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
