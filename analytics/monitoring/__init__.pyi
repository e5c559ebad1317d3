from .channels import (
    AlertMessage,
    Channel,
    DeliveryError,
    PagerDutyChannel,
    SentryChannel,
    WebhookChannel,
    channels_from_settings,
)
from .deliver import DeliveryReport, deliver_pending
from .evaluation import evaluate
from .facts import ArtistFacts, gather_facts
from .findings import Finding
from .incidents import Decisions, decide
from .live import LiveStats, monitor_live
from .rules import RulesFileError, load_rules, parse_rules, rules_path
from .service import (
    Evaluation,
    Snapshot,
    alerts_frame,
    evaluate_and_decide,
    monitor_once,
    snapshots_frame,
    take_snapshot,
)
from .snapshot import DEV_MODE, MetricValue, snapshot_values
from .timeseries import change, trends

__all__ = [
    "DEV_MODE",
    "AlertMessage",
    "ArtistFacts",
    "Channel",
    "Decisions",
    "DeliveryError",
    "DeliveryReport",
    "Evaluation",
    "Finding",
    "LiveStats",
    "MetricValue",
    "PagerDutyChannel",
    "RulesFileError",
    "SentryChannel",
    "Snapshot",
    "WebhookChannel",
    "alerts_frame",
    "change",
    "channels_from_settings",
    "decide",
    "deliver_pending",
    "evaluate",
    "evaluate_and_decide",
    "gather_facts",
    "load_rules",
    "monitor_live",
    "monitor_once",
    "parse_rules",
    "rules_path",
    "snapshot_values",
    "snapshots_frame",
    "take_snapshot",
    "trends",
]
