from .aggregate import AggregateSummary, aggregate
from .anomalies import detect_anomalies
from .exports import ExportFile, find_exports
from .ingest import ingest_history_json, ingest_s4a_csv
from .realtime import STREAM, EventProducer, PlayEventConsumer, consume_events
from .s4a import S4AKind
from .summary import IngestSummary, SourceFormatError
from .wire import decode_event, decode_events

__all__ = [
    "STREAM",
    "AggregateSummary",
    "EventProducer",
    "ExportFile",
    "IngestSummary",
    "PlayEventConsumer",
    "S4AKind",
    "SourceFormatError",
    "aggregate",
    "consume_events",
    "decode_event",
    "decode_events",
    "detect_anomalies",
    "find_exports",
    "ingest_history_json",
    "ingest_s4a_csv",
]
