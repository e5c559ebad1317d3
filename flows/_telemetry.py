"""Spans for every HTTP request (requests, httpx) and database transaction (SQLAlchemy).

Needs ``opentelemetry-instrumentation-requests`` and ``-httpx`` (project dependencies).

:func:`instrument` installs the OpenTelemetry instrumentations once per process. Their spans go
to whatever tracer ``analytics.observability`` has configured *at the time of the request* (so
they join the run's trace and are redacted the same way), and cost nothing while tracing is off
(``ENCORE_OTEL_EXPORTER=off``). Flow and task spans come from ``audit.run`` and
``observability.timed``; these fill in the I/O underneath them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace import Link, Span, SpanKind, Tracer, TracerProvider
from opentelemetry.util.types import Attributes

_lock = threading.Lock()
_installed = False


def _current() -> Tracer:
    from analytics.observability import tracing

    return tracing._tracer


def _clean(attributes: Attributes) -> Attributes:
    if not attributes:
        return attributes
    from analytics.observability import redact

    return {k: redact(v) if isinstance(v, str) else v for k, v in attributes.items()}


class _RunTracer(Tracer):
    """Delegates to the run's tracer of the moment; redacts string attributes (URLs, SQL)."""

    def start_span(
        self,
        name: str,
        context: Context | None = None,
        kind: SpanKind = SpanKind.INTERNAL,
        attributes: Attributes = None,
        links: Sequence[Link] | None = None,
        start_time: int | None = None,
        record_exception: bool = True,
        set_status_on_exception: bool = True,
    ) -> Span:
        return _current().start_span(
            name,
            context,
            kind,
            _clean(attributes),
            links,
            start_time,
            record_exception,
            set_status_on_exception,
        )

    @contextmanager
    def start_as_current_span(  # type: ignore[override]
        self,
        name: str,
        context: Context | None = None,
        kind: SpanKind = SpanKind.INTERNAL,
        attributes: Attributes = None,
        links: Sequence[Link] | None = None,
        start_time: int | None = None,
        record_exception: bool = True,
        set_status_on_exception: bool = True,
        end_on_exit: bool = True,
    ) -> Iterator[Span]:
        span = self.start_span(
            name, context, kind, attributes, links, start_time, record_exception, set_status_on_exception
        )
        with trace.use_span(
            span,
            end_on_exit=end_on_exit,
            record_exception=record_exception,
            set_status_on_exception=set_status_on_exception,
        ) as current:
            yield current


class _RunTracerProvider(TracerProvider):
    def get_tracer(
        self,
        instrumenting_module_name: str,
        instrumenting_library_version: str | None = None,
        schema_url: str | None = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> Tracer:
        return _RunTracer()


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

        provider = _RunTracerProvider()
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
