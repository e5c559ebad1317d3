"""One call per task: a span, and its wall time in ``encore_task_duration_seconds``."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import structlog
from opentelemetry import trace
from opentelemetry.util.types import AttributeValue

from analytics.observability.metrics import TASK_DURATION
from analytics.observability.tracing import span


@contextmanager
def timed(
    task: str, *, flow: str | None = None, attributes: Mapping[str, AttributeValue] | None = None
) -> Iterator[trace.Span]:
    """A span named ``task`` whose duration is also observed on ``encore_task_duration_seconds``.

    Works as a context manager or a decorator. The ``flow`` label defaults to the flow bound by
    the enclosing :func:`~analytics.observability.bind_run` (empty outside a run). The duration
    is recorded whether the block succeeds or raises.

    Examples
    --------
    >>> with timed("sync.fetch_albums", attributes={"artist_id": "a1"}):
    ...     pass
    """
    flow_label = flow if flow is not None else str(structlog.contextvars.get_contextvars().get("flow") or "")
    started = time.perf_counter()
    try:
        with span(task, attributes=attributes) as current:
            yield current
    finally:
        TASK_DURATION.labels(flow=flow_label, task=task).observe(time.perf_counter() - started)
