"""Spans for every HTTP request (requests, httpx) and database transaction (SQLAlchemy).

Needs ``opentelemetry-instrumentation-requests`` and ``-httpx`` (project dependencies).

:func:`instrument` installs the OpenTelemetry instrumentations once per process. Their spans go
to whatever tracer ``analytics.observability`` has configured *at the time of the request* (so
they join the run's trace and are redacted the same way), and cost nothing while tracing is off
(``ENCORE_OTEL_EXPORTER=off``). Flow spans come from ``audit.run`` and stage spans from
``observability.timed``; Prefect adds a span for every task run (named after the task run,
e.g. ``validate_tracks-3f1``) through the global provider, which :func:`instrument` points at
the same tracer. These fill in the I/O underneath them.
"""

from __future__ import annotations

import threading
from typing import Any

from opentelemetry import trace
from opentelemetry.trace import SpanKind, Tracer

_lock = threading.Lock()
_installed = False


def _current() -> Tracer:
    from analytics.observability import tracing

    return tracing._tracer


def instrument() -> bool:
    """Install the requests, httpx and SQLAlchemy instrumentations (once); ``True`` the first time.

    Every SQLAlchemy transaction becomes a ``db.transaction`` span (statement count, first
    operation, commit or rollback) inside the current span: the run's, or its task's.
    """
    global _installed
    with _lock:
        if _installed:
            return False
        from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
        from opentelemetry.instrumentation.requests import RequestsInstrumentor
        from sqlalchemy import event
        from sqlalchemy.engine import Engine

        from analytics.observability.tracing import RunTracerProvider, install_global_provider

        # Prefect's own flow-run and task-run spans use the global provider.
        install_global_provider()
        provider = RunTracerProvider()
        RequestsInstrumentor().instrument(tracer_provider=provider)
        HTTPXClientInstrumentor().instrument(tracer_provider=provider)
        # On the Engine class: every engine, also those created before this call.
        event.listen(Engine, "begin", _begin)
        event.listen(Engine, "commit", _end)
        event.listen(Engine, "rollback", _rollback)
        event.listen(Engine, "before_cursor_execute", _statement)
        _installed = True
        return True


_SPAN_KEY = "encore.transaction_span"


def _begin(conn: Any) -> None:
    """A span per transaction (``db.transaction``), child of the current span."""
    url = conn.engine.url
    span = _current().start_span(
        "db.transaction",
        kind=SpanKind.CLIENT,
        attributes={"db.system": url.get_backend_name(), "db.name": url.database or "", "db.statements": 0},
    )
    conn.info[_SPAN_KEY] = [span, 0]


def _statement(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    entry = conn.info.get(_SPAN_KEY)
    if entry is not None:
        entry[1] += 1
        if entry[1] == 1:
            entry[0].set_attribute("db.operation", statement.split(None, 1)[0].upper() if statement else "")


def _finish(conn: Any, outcome: str) -> None:
    entry = conn.info.pop(_SPAN_KEY, None)
    if entry is not None:
        span, count = entry
        span.set_attribute("db.statements", count)
        span.set_attribute("db.outcome", outcome)
        if outcome == "rollback":
            span.set_status(trace.Status(trace.StatusCode.ERROR, "rolled back"))
        span.end()


def _end(conn: Any) -> None:
    _finish(conn, "commit")


def _rollback(conn: Any) -> None:
    _finish(conn, "rollback")
