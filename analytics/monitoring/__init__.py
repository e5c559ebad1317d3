"""Artist monitoring: snapshots, trends, alert rules as data, routing with an outbox, real time.

Public entry points (see ``docs/monitoring.md``)::

    take_snapshot(warehouse, artist_id, *, quota_mode, run_id, now=None) -> Snapshot
    evaluate_and_decide(warehouse, snapshot, *, rules, channels, run_id, trace_id) -> Evaluation
    deliver_pending(warehouse, channels) -> DeliveryReport
    monitor_once(warehouse, artist_id, *, settings, run_id, trace_id) -> dict
    load_rules(path) / parse_rules(document) -> list[Rule]      (RulesFileError per bad rule)
    channels_from_settings(settings) -> dict[str, Channel]
    trends(series, *, as_of) -> DataFrame;  change(current, earlier) -> (delta, growth)
    monitor_live(settings, *, stop_event=None, metrics_port=None) -> LiveStats
"""

from __future__ import annotations

import analytics.monitoring.tables  # noqa: F401  (registers the tables on the warehouse Base)
from analytics.monitoring.channels import (
    AlertMessage,
    Channel,
    DeliveryError,
    PagerDutyChannel,
    SentryChannel,
    WebhookChannel,
    channels_from_settings,
)
from analytics.monitoring.decide import Decisions, decide
from analytics.monitoring.deliver import DeliveryReport, deliver_pending
from analytics.monitoring.evaluate import Finding, evaluate
from analytics.monitoring.facts import ArtistFacts, gather_facts
from analytics.monitoring.rules import RulesFileError, load_rules, parse_rules
from analytics.monitoring.service import (
    Evaluation,
    Snapshot,
    alerts_frame,
    evaluate_and_decide,
    monitor_once,
    rules_path,
    snapshots_frame,
    take_snapshot,
)
from analytics.monitoring.snapshot import DEV_MODE, MetricValue, snapshot_values
from analytics.monitoring.trends import change, trends

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


def __getattr__(name: str) -> object:
    if name == "monitor_live":
        from analytics.monitoring.live import monitor_live

        return monitor_live
    raise AttributeError(f"module 'analytics.monitoring' has no attribute {name!r}")
