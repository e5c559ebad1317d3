"""Structured logs with trace ids, OpenTelemetry spans, Prometheus metrics and Sentry.

A flow or command calls :func:`configure` once with its settings, then wraps each run::

    configure(settings)
    with bind_run(run_id=run_id, flow="sync_artist_data"):
        log = get_logger(__name__)
        log.info("sync.start", artist_id=artist_id)      # carries run_id and trace_id
        with span("sync.fetch_albums", attributes={"artist_id": artist_id}):
            ...
    push_metrics(settings, grouping={"run_id": run_id})
    shutdown()

Nothing happens at import: no handler, no tracer, no Sentry client.
"""

from __future__ import annotations

from analytics.config import Settings
from analytics.observability.errors import capture_exception, scrub, sentry_enabled
from analytics.observability.logs import (
    RunContext,
    bind_run,
    current_run_id,
    current_trace_id,
    get_logger,
)
from analytics.observability.metrics import (
    FLOW_RUNS,
    REGISTRY,
    ROWS_WRITTEN,
    TASK_DURATION,
    VALIDATION_FAILURES,
    MetricsPushError,
    counter,
    histogram,
    metrics_text,
    push_metrics,
    serve_metrics,
)
from analytics.observability.redaction import Redactor, redact, redact_value
from analytics.observability.timing import timed
from analytics.observability.tracing import span, tracing_enabled

__all__ = [
    "FLOW_RUNS",
    "REGISTRY",
    "ROWS_WRITTEN",
    "TASK_DURATION",
    "VALIDATION_FAILURES",
    "MetricsPushError",
    "Redactor",
    "RunContext",
    "bind_run",
    "capture_exception",
    "configure",
    "counter",
    "current_run_id",
    "current_trace_id",
    "flush",
    "get_logger",
    "histogram",
    "metrics_text",
    "push_metrics",
    "redact",
    "redact_value",
    "reset",
    "scrub",
    "sentry_enabled",
    "serve_metrics",
    "shutdown",
    "span",
    "timed",
    "tracing_enabled",
]


def configure(settings: Settings, *, service_version: str = "", environment: str = "production") -> None:
    """Set up logs, redaction, tracing and Sentry from ``settings``; safe to call again.

    Every run may call it (``audit.run`` does): with unchanged settings the tracer provider and
    the Sentry client are kept, so a parent flow's open span and queued events are not lost.

    - redaction of every value in ``settings.secret_values()`` plus the patterns of
      :func:`redact` (tokens, Authorization headers, URL passwords, e-mail and IP addresses);
    - structlog and stdlib logging to stderr as JSON (``log_format=json``) or readable lines
      (``console``) at ``log_level``, one root handler however often this is called;
    - OpenTelemetry per ``otel_exporter`` (``off`` | ``console`` | ``otlp`` to ``otel_endpoint``);
    - Sentry when ``sentry_dsn`` is set, with :func:`scrub` on every event.

    Parameters
    ----------
    settings : the run's settings.
    service_version : reported as ``service.version`` (spans) and ``release`` (Sentry).
    environment : Sentry environment name.

    Raises
    ------
    ValueError : an unknown ``log_level``, ``log_format`` or ``otel_exporter``, or an
        ``otel_endpoint`` that is not an http(s) URL; the message names the setting to fix.
    """
    from analytics.observability import errors, logs, redaction, tracing

    secrets = settings.secret_values()
    if redaction.Redactor.usable(secrets) != redaction.active().secrets:
        redaction.set_active(redaction.Redactor(secrets))
    logs.configure_logging(level=settings.log_level, fmt=settings.log_format)
    tracing.configure_tracing(
        settings.otel_exporter, endpoint=settings.otel_endpoint, version=service_version
    )
    dsn = settings.sentry_dsn.get_secret_value() if settings.sentry_dsn else None
    errors.configure_sentry(dsn, environment=environment, release=service_version or None)


def flush(timeout_s: float = 10.0) -> None:
    """Export finished spans and send queued Sentry events now (end of a run)."""
    from analytics.observability import errors, tracing

    tracing.flush_tracing(timeout_s)
    errors.flush_sentry(timeout_s)


def shutdown(timeout_s: float = 10.0) -> None:
    """Flush, then close the span exporter and the Sentry client; logging keeps working."""
    from analytics.observability import errors, tracing

    tracing.shutdown_tracing()
    errors.shutdown_sentry(timeout_s)


def reset() -> None:
    """:func:`shutdown`, then undo :func:`configure` entirely (for tests and embedding)."""
    from analytics.observability import logs, redaction

    shutdown()
    logs.unconfigure_logging()
    redaction.set_active(redaction.Redactor())
