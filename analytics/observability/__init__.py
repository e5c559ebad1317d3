"""Structured logs with trace ids, OpenTelemetry spans, Prometheus metrics and Sentry."""
