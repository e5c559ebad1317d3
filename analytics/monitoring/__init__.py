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

import importlib
from typing import Any

import analytics.monitoring.tables  # noqa: F401  (registers the tables on the warehouse Base)

# Imported on first use, so that the live monitor and the deliverer do not load pandas.
_EXPORTS = {
    "AlertMessage": "channels",
    "Channel": "channels",
    "DeliveryError": "channels",
    "PagerDutyChannel": "channels",
    "SentryChannel": "channels",
    "WebhookChannel": "channels",
    "channels_from_settings": "channels",
    "Decisions": "incidents",
    "decide": "incidents",
    "DeliveryReport": "deliver",
    "deliver_pending": "deliver",
    "evaluate": "evaluation",
    "ArtistFacts": "facts",
    "gather_facts": "facts",
    "Finding": "findings",
    "LiveStats": "live",
    "monitor_live": "live",
    "RulesFileError": "rules",
    "load_rules": "rules",
    "parse_rules": "rules",
    "rules_path": "rules",
    "Evaluation": "service",
    "Snapshot": "service",
    "alerts_frame": "service",
    "evaluate_and_decide": "service",
    "monitor_once": "service",
    "snapshots_frame": "service",
    "take_snapshot": "service",
    "DEV_MODE": "snapshot",
    "MetricValue": "snapshot",
    "snapshot_values": "snapshot",
    "change": "timeseries",
    "trends": "timeseries",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'analytics.monitoring' has no attribute {name!r}")
    return getattr(importlib.import_module(f"analytics.monitoring.{module}"), name)
