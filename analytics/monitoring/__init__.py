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

import lazy_loader as lazy

import analytics.monitoring.tables  # noqa: F401  (registers the tables on the warehouse Base)

# The exports (``__init__.pyi``) are loaded on first use: the live monitor and the deliverer do
# not load pandas.
__getattr__, __dir__, __all__ = lazy.attach_stub(__name__, __file__)
