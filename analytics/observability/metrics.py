"""Prometheus metrics of encore, on one registry that a run pushes or a process serves.

Packages declare their metrics here or with :func:`counter` / :func:`histogram` on
:data:`REGISTRY`, so every figure of a run is pushed together.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

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
