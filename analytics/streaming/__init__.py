"""Streaming metrics: sources, idempotent ingest, real-time events, aggregation, anomalies.

Public entry points (listed in ``__init__.pyi`` and loaded on first use, so that a real-time
consumer process does not load pandas or scikit-learn):

- :func:`ingest_s4a_csv`, :func:`ingest_history_json` - files, idempotent by content hash
- :func:`find_exports` - the exports in a folder of downloads, with their kind and artist
- :class:`EventProducer`, :class:`PlayEventConsumer`, :func:`consume_events` - Redis Streams
- :func:`aggregate` - daily metrics per track, artist, day, country and source (incremental)
- :func:`detect_anomalies` - robust day-of-week baseline and IsolationForest, stored
- :class:`IngestSummary`, :class:`SourceFormatError`
"""

import lazy_loader as lazy

import analytics.streaming.tables  # noqa: F401  (registers the tables on the warehouse Base)

__getattr__, __dir__, __all__ = lazy.attach_stub(__name__, __file__)
