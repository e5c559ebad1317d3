"""OpenTelemetry tracing: off (no-op tracer), console (stderr) or OTLP over HTTP.

encore keeps its own SDK :class:`TracerProvider`, so that :func:`configure_tracing` can be
called again (another exporter, a test) without the "overriding the TracerProvider is not
allowed" trap. The process-global provider, which libraries use (Prefect creates a span for
every flow run and task run through it), is set once to a :class:`RunTracerProvider` that
hands each span to encore's tracer of the moment: library spans join the run's trace, are
redacted like ours and cost nothing while tracing is off.
"""

from __future__ import annotations

import logging
import secrets
import sys
import threading
import traceback
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace import Link, SpanKind, Status, StatusCode
from opentelemetry.util.types import Attributes, AttributeValue

from analytics.observability import redaction

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

EXPORTERS = ("off", "console", "otlp")
DEFAULT_OTLP_ENDPOINT = "http://127.0.0.1:4318/v1/traces"
INVALID_TRACE_ID = "0" * 32

_provider: TracerProvider | None = None
_config: tuple[str, str | None, str, str] = ("off", None, "", "")
_tracer: trace.Tracer = trace.NoOpTracer()
_global_lock = threading.Lock()
_global_installed = False


class _Stderr:
    """A file-like that writes to whatever ``sys.stderr`` is now (pytest swaps it)."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def _one_line(finished: Any) -> str:
    return str(finished.to_json(indent=None)) + "\n"


def otlp_traces_url(endpoint: str | None) -> str:
    """The OTLP/HTTP traces URL for ``endpoint``: a base such as ``http://host:4318`` gets
    ``/v1/traces`` appended; a URL with a path is used as it is; ``None`` means the local
    collector at :data:`DEFAULT_OTLP_ENDPOINT`."""
    if not endpoint:
        return DEFAULT_OTLP_ENDPOINT
    parts = urlsplit(endpoint)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError(
            f"otel_endpoint {endpoint!r} is not an http(s) URL; set ENCORE_OTEL_ENDPOINT to the "
            "collector's OTLP/HTTP address, e.g. http://127.0.0.1:4318"
        )
    if parts.path in {"", "/"}:
        return endpoint.rstrip("/") + "/v1/traces"
    return endpoint


def configure_tracing(
    exporter: str, *, endpoint: str | None = None, service_name: str = "encore", version: str = ""
) -> None:
    """Install the tracer that :func:`span` uses, shutting down (and flushing) the previous one.

    Calling it again with the same arguments changes nothing.

    Parameters
    ----------
    exporter : ``off`` (no-op tracer: no spans, no cost), ``console`` (each span as JSON on
        stderr when it ends) or ``otlp`` (batched OTLP/HTTP protobuf to ``endpoint``).
    endpoint : OTLP/HTTP endpoint, see :func:`otlp_traces_url`.
    service_name, version : the ``service.name`` and ``service.version`` resource attributes.
    """
    global _provider, _tracer, _config
    if exporter not in EXPORTERS:
        raise ValueError(
            f"otel_exporter must be one of {', '.join(EXPORTERS)}, not {exporter!r}; "
            "set ENCORE_OTEL_EXPORTER accordingly"
        )
    config = (exporter, otlp_traces_url(endpoint) if exporter == "otlp" else None, service_name, version)
    if config == _config and (exporter == "off" or _provider is not None):
        return  # unchanged: keep the provider, so spans still open (a parent flow's) export normally
    shutdown_tracing()
    _config = config
    if exporter == "off":
        return
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor

    resource = Resource.create({"service.name": service_name, "service.version": version or "unknown"})
    provider = TracerProvider(resource=resource)
    if exporter == "console":
        console = ConsoleSpanExporter(out=cast(IO[str], _Stderr()), formatter=_one_line)
        provider.add_span_processor(SimpleSpanProcessor(console))
    else:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(
            BatchSpanProcessor(OTLPSpanExporter(endpoint=otlp_traces_url(endpoint), timeout=10))
        )
    _provider = provider
    _tracer = provider.get_tracer("analytics")
    install_global_provider()


def tracing_enabled() -> bool:
    """Whether spans are recorded and exported (``otel_exporter`` is not ``off``)."""
    return _provider is not None


def flush_tracing(timeout_s: float = 10.0) -> bool:
    """Export every finished span now; ``True`` when all went out within ``timeout_s``."""
    if _provider is None:
        return True
    return _provider.force_flush(int(timeout_s * 1000))


def shutdown_tracing() -> None:
    """Flush and close the exporter; :func:`span` becomes a no-op until configured again."""
    global _provider, _tracer, _config
    if _provider is not None:
        _provider.shutdown()
    _provider = None
    _tracer = trace.NoOpTracer()
    _config = ("off", None, "", "")


@contextmanager
def span(name: str, *, attributes: Mapping[str, AttributeValue] | None = None) -> Iterator[trace.Span]:
    """An OpenTelemetry span around a block, or a function when used as a decorator.

    Exceptions are recorded on the span and mark it as an error, then propagate. With tracing
    off the span is a no-op and costs next to nothing.

    Examples
    --------
    >>> with span("sync.fetch_albums", attributes={"artist_id": "a1"}):
    ...     pass
    >>> @span("analysis.features")
    ... def features() -> None: ...
    """
    safe = {key: _safe(value) for key, value in (attributes or {}).items()}
    with _tracer.start_as_current_span(
        name, attributes=safe, record_exception=False, set_status_on_exception=False
    ) as current:
        try:
            yield current
        except BaseException as exc:
            _record_exception(current, exc)
            raise


def _safe(value: AttributeValue) -> AttributeValue:
    """An attribute value with its text redacted (strings and sequences of strings)."""
    if isinstance(value, str):
        return redaction.redact(value)
    if isinstance(value, list | tuple) and any(isinstance(item, str) for item in value):
        return [redaction.redact(item) if isinstance(item, str) else item for item in value]  # type: ignore[return-value]
    return value


def _record_exception(current: trace.Span, exc: BaseException) -> None:
    """Like ``Span.record_exception`` but with message and stack trace redacted."""
    if not current.is_recording():
        return
    message = redaction.redact(str(exc))
    stack = redaction.redact("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    kind = f"{type(exc).__module__}.{type(exc).__qualname__}"
    current.add_event(
        "exception",
        {"exception.type": kind, "exception.message": message, "exception.stacktrace": stack},
    )
    current.set_status(Status(StatusCode.ERROR, f"{type(exc).__qualname__}: {message}"))


@contextmanager
def root_span(name: str, *, attributes: Mapping[str, AttributeValue] | None = None) -> Iterator[str]:
    """A span for a whole run; yields its trace id, or a fresh random one with tracing off.

    With tracing on, the span continues the current trace if there is one (a parent flow),
    otherwise it starts a new trace.
    """
    if _provider is None:
        yield _current_span_trace_id() or secrets.token_hex(16)
        return
    with span(name, attributes=attributes) as current:
        yield format(current.get_span_context().trace_id, "032x")


def _current_span_trace_id() -> str | None:
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None


def span_ids() -> tuple[str, str] | None:
    """``(trace_id, span_id)`` of the current valid span as hex, or ``None``."""
    context = trace.get_current_span().get_span_context()
    if not context.is_valid:
        return None
    return format(context.trace_id, "032x"), format(context.span_id, "016x")


def set_attributes(attributes: Mapping[str, Any]) -> None:
    """Set attributes (redacted) on the current span; ignored when there is none or tracing is off."""
    current = trace.get_current_span()
    for key, value in attributes.items():
        if isinstance(value, str | bool | int | float):
            current.set_attribute(key, _safe(value))


def _clean(attributes: Attributes) -> Attributes:
    """String attributes (URLs, SQL, run labels) redacted; others as they are."""
    if not attributes:
        return attributes
    return {key: _safe(value) for key, value in attributes.items()}


class RunTracer(trace.Tracer):
    """Starts each span with encore's tracer of the moment, attributes redacted.

    Looked up at every span, not when the tracer is created: a library that took its tracer
    before :func:`configure_tracing` (or before a reconfiguration) still exports to the
    current exporter, and gets no-op spans while tracing is off.
    """

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
    ) -> trace.Span:
        return _tracer.start_span(
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
    ) -> Iterator[trace.Span]:
        started = self.start_span(
            name, context, kind, attributes, links, start_time, record_exception, set_status_on_exception
        )
        with trace.use_span(
            started,
            end_on_exit=end_on_exit,
            record_exception=record_exception,
            set_status_on_exception=set_status_on_exception,
        ) as current:
            yield current


class RunTracerProvider(trace.TracerProvider):
    """A provider whose tracers are all :class:`RunTracer`: for libraries and instrumentations."""

    def get_tracer(
        self,
        instrumenting_module_name: str,
        instrumenting_library_version: str | None = None,
        schema_url: str | None = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> trace.Tracer:
        return RunTracer()


def install_global_provider() -> bool:
    """Make :class:`RunTracerProvider` OpenTelemetry's global provider; ``True`` if it is.

    Done once per process. OpenTelemetry allows the global provider to be set only once, so
    when something else set it first (``OTEL_PYTHON_TRACER_PROVIDER``, another framework)
    it is left alone and a warning says that library spans (Prefect's task runs) go there.
    """
    global _global_installed
    with _global_lock:
        if _global_installed:
            return True
        current = trace.get_tracer_provider()
        if not isinstance(current, trace.ProxyTracerProvider):
            logging.getLogger(__name__).warning(
                "the global OpenTelemetry tracer provider is already %s; Prefect's flow and task "
                "run spans go to it, not to encore's exporter",
                type(current).__name__,
            )
            return False
        trace.set_tracer_provider(RunTracerProvider())
        _global_installed = isinstance(trace.get_tracer_provider(), RunTracerProvider)
        return _global_installed
