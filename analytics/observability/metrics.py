"""Prometheus metrics of encore, on one registry that a run pushes or a process serves.

Packages declare their metrics here or with :func:`counter` / :func:`histogram` on
:data:`REGISTRY`, so every figure of a run is pushed together.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    push_to_gateway,
    start_http_server,
)

from analytics.observability.redaction import redact

if TYPE_CHECKING:
    from wsgiref.simple_server import WSGIServer

    from analytics.config import Settings

REGISTRY = CollectorRegistry(auto_describe=True)
_METRICS: dict[str, Counter | Histogram] = {}


def counter(name: str, documentation: str, labelnames: tuple[str, ...] = ()) -> Counter:
    """The counter ``name`` on :data:`REGISTRY`, created once (safe to call repeatedly)."""
    metric = _METRICS.get(name)
    if metric is None:
        metric = Counter(name, documentation, labelnames, registry=REGISTRY)
        _METRICS[name] = metric
    assert isinstance(metric, Counter), f"{name} is already registered as another type"
    return metric


def histogram(name: str, documentation: str, labelnames: tuple[str, ...] = ()) -> Histogram:
    """The histogram ``name`` on :data:`REGISTRY`, created once."""
    metric = _METRICS.get(name)
    if metric is None:
        metric = Histogram(name, documentation, labelnames, registry=REGISTRY)
        _METRICS[name] = metric
    assert isinstance(metric, Histogram), f"{name} is already registered as another type"
    return metric


# -- the standard figures of every run ---------------------------------------------------------
FLOW_RUNS = counter(
    "encore_flow_runs_total", "Flow runs by outcome (success, failure, …)", ("flow", "outcome")
)
TASK_DURATION = histogram("encore_task_duration_seconds", "Wall time of each task", ("flow", "task"))
ROWS_WRITTEN = counter("encore_rows_written_total", "Warehouse rows inserted or updated", ("table",))
VALIDATION_FAILURES = counter(
    "encore_validation_failures_total", "Great Expectations suites that failed", ("suite",)
)


def push_metrics(
    settings: Settings,
    *,
    job: str = "encore",
    grouping: Mapping[str, str] | None = None,
    timeout_s: float = 10.0,
    raise_on_error: bool = False,
) -> bool:
    """Push :data:`REGISTRY` to the Pushgateway at ``settings.pushgateway_url``.

    Uses the Pushgateway's PUT protocol (``/metrics/job/<job>/<label>/<value>…``): the group's
    previous metrics are replaced by this run's.

    Parameters
    ----------
    settings : where ``pushgateway_url`` comes from; unset means nothing is pushed.
    job : the ``job`` label of the group.
    grouping : further grouping labels, e.g. ``{"run_id": run.run_id}`` or ``{"flow": …}``.
    timeout_s : HTTP timeout.
    raise_on_error : raise :class:`MetricsPushError` instead of logging a warning and returning
        ``False`` when the gateway cannot be reached or refuses the push.

    Returns
    -------
    ``True`` when pushed, ``False`` when no gateway is configured or the push failed.
    """
    url = settings.pushgateway_url
    if not url:
        return False
    try:
        push_to_gateway(url, job=job, registry=REGISTRY, grouping_key=dict(grouping or {}), timeout=timeout_s)
    except Exception as exc:
        message = redact(f"pushing metrics to {url} failed: {exc.__class__.__name__}: {exc}")
        if raise_on_error:
            raise MetricsPushError(
                f"{message}; check ENCORE_PUSHGATEWAY_URL and that the gateway runs"
            ) from exc
        logging.getLogger(__name__).warning("%s", message)
        return False
    return True


class MetricsPushError(RuntimeError):
    """The Pushgateway could not be reached or refused the metrics."""


def serve_metrics(port: int, *, host: str = "127.0.0.1") -> WSGIServer:
    """Serve :data:`REGISTRY` on ``http://host:port/metrics`` from a daemon thread.

    For long-running processes (workers, the sandbox). ``port=0`` picks a free port; read it
    from ``server.server_port``. Stop with ``server.shutdown(); server.server_close()``.
    """
    server, _thread = start_http_server(port, addr=host, registry=REGISTRY)
    return server


def metrics_text() -> str:
    """The registry in the Prometheus text format, as a scrape would see it."""
    return generate_latest(REGISTRY).decode("utf-8")
