"""Structured logs: structlog and stdlib logging through one redacting chain, JSON or console.

Every line carries the ``run_id`` and ``trace_id`` bound by :func:`bind_run` (and the
``span_id`` of the current span when tracing is on). Library loggers (prefect, urllib3,
spotipy, …) go through the same processors on the root handler, and every stdlib record is
also redacted where it is created, so a handler that is not ours (Prefect's API log handler,
pytest's caplog) never sees a secret either.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast
from uuid import uuid4

import structlog

from analytics.config import LOG_FORMATS
from analytics.observability import redaction, tracing

_saved_factory: Callable[..., logging.LogRecord] | None = None
_saved_root_level: int | None = None
_displaced: list[logging.Handler] = []


# Where the root handler writes instead of stderr, and in which format (see :func:`send_to`).
_sink: Any = None
_sink_format: str | None = None


class EncoreHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The root handler: writes to the sink of :func:`send_to`, else to whatever ``sys.stderr``
    is at the time of each record."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return _sink if _sink is not None else sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        """Ignored: the stream is always the current ``sys.stderr``."""


def redact_event(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: every value of the event, nested ones too, redacted."""
    return cast(MutableMapping[str, Any], redaction.redact_value(dict(event_dict)))


def redact_foreign(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Formatter processor: drops structlog's formatter meta keys, then :func:`redact_event` for
    library records; structlog events were redacted (exceptions included) in their own chain."""
    from_structlog = event_dict.pop("_from_structlog", False)
    event_dict.pop("_record", None)
    return event_dict if from_structlog else redact_event(_logger, _method, event_dict)


def add_trace_context(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: ``trace_id``/``span_id`` of the current OpenTelemetry span, if any."""
    ids = tracing.span_ids()
    if ids is not None:
        event_dict["trace_id"], event_dict["span_id"] = ids
    return event_dict


_FIRST_KEYS = ("timestamp", "level", "logger", "event", "run_id", "trace_id", "span_id", "flow")


def order_keys(_logger: Any, _method: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """structlog processor: timestamp, level, logger, event and the run's ids first, then the rest."""
    ordered = {key: event_dict[key] for key in _FIRST_KEYS if key in event_dict}
    ordered.update((key, value) for key, value in event_dict.items() if key not in ordered)
    return ordered


def _shared_processors() -> list[Any]:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        add_trace_context,
    ]


def _configure_structlog(*, handler_renders: bool) -> None:
    """The structlog chain; the :class:`EncoreHandler`'s formatter renders when ``handler_renders``,
    otherwise (before configure) each event becomes a JSON string for whatever handlers exist."""
    final: list[Any] = (
        [structlog.stdlib.ProcessorFormatter.wrap_for_formatter]
        if handler_renders
        else [order_keys, structlog.processors.JSONRenderer(default=str)]
    )
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_shared_processors(),
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            redact_event,
            *final,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )


def _redact_record(record: logging.LogRecord) -> None:
    if isinstance(record.msg, dict):
        return  # a structlog event, redacted by its own chain
    try:
        message = record.getMessage()
    except Exception:
        return  # let logging report the broken format string as usual
    record.msg, record.args = redaction.redact(message), ()
    if record.exc_info and not record.exc_text:
        record.exc_text = redaction.redact("".join(traceback.format_exception(*record.exc_info)).rstrip())
    if record.stack_info:
        record.stack_info = redaction.redact(record.stack_info)


def _install_record_factory() -> None:
    global _saved_factory
    if _saved_factory is not None:
        return
    base = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = base(*args, **kwargs)
        _redact_record(record)
        return record

    _saved_factory = base
    logging.setLogRecordFactory(factory)


def _is_console(handler: logging.Handler) -> bool:
    """A root handler printing to the terminal (Prefect's console handler, ``basicConfig``'s)."""
    if not isinstance(handler, logging.StreamHandler) or isinstance(handler, logging.FileHandler):
        return False
    if type(handler).__name__ == "PrefectConsoleHandler":
        # Always a terminal handler, even when its stream is a stderr since replaced (a closed
        # capture in tests): left on, it would print unredacted tracebacks as logging errors.
        return True
    stream = getattr(handler, "stream", None)
    return any(stream is s for s in (sys.stderr, sys.stdout, sys.__stderr__, sys.__stdout__))


# Libraries whose INFO lines narrate their own internals (a line per HTTP request, per GX
# function registered, per notebook cell), not the run.
CHATTY_LOGGERS = (
    "httpx",
    "httpcore",
    "urllib3",
    "asyncio",
    "alembic.runtime",
    "great_expectations",
    "papermill",
)


def _quiet_transport(record: logging.LogRecord) -> bool:
    """Transport chatter (a line per HTTP request to Prefect's own API) drowns the run's story:
    below WARNING it stays out of our output (other handlers, such as pytest's, still get it)."""
    return record.levelno >= logging.WARNING or not record.name.startswith(CHATTY_LOGGERS)


def configure_logging(*, level: str = "INFO", fmt: str = "json") -> None:
    """Route structlog and stdlib logging to stderr through the redacting chain.

    Idempotent: the root logger gets exactly one :class:`EncoreHandler`. Other root handlers that
    print to the terminal (Prefect's console handler, ``logging.basicConfig``'s) are taken off, so
    each line is printed once, in our format; :func:`unconfigure_logging` puts them back. Handlers
    that write elsewhere (pytest's caplog, files, Prefect's API handler on its own loggers) stay.
    Parameters are the settings ``log_level`` and ``log_format``.
    """
    global _saved_root_level
    fmt = _sink_format or fmt
    names = logging.getLevelNamesMapping()
    if level.upper() not in names:
        raise ValueError(f"log_level {level!r} is not a logging level; use DEBUG, INFO, WARNING or ERROR")
    if fmt not in LOG_FORMATS:
        raise ValueError(f"log_format must be json or console, not {fmt!r}; set ENCORE_LOG_FORMAT")
    _configure_structlog(handler_renders=True)
    renderer: Any = (
        structlog.processors.JSONRenderer(default=str, sort_keys=False)
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=_sink is None and sys.stderr.isatty())
    )
    handler = EncoreHandler()
    if names[level.upper()] > logging.DEBUG:
        handler.addFilter(_quiet_transport)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=_shared_processors(),
            processors=[
                structlog.processors.format_exc_info,
                redact_foreign,
                order_keys,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    for old in list(root.handlers):
        if isinstance(old, EncoreHandler):
            root.removeHandler(old)
        elif _is_console(old):
            root.removeHandler(old)
            _displaced.append(old)
    root.addHandler(handler)
    if _saved_root_level is None:
        _saved_root_level = root.level
    root.setLevel(names[level.upper()])
    _install_record_factory()


@contextmanager
def send_to(stream: Any, *, fmt: str | None = None) -> Iterator[None]:
    """Inside the block, log lines go to ``stream`` (anything with ``write`` and ``flush``) instead
    of stderr, in ``fmt`` (``json`` or ``console``) whatever the settings say; a later
    :func:`configure_logging` (each run calls it) keeps both.

    The ``encore`` command uses it to keep a terminal for people: the JSON lines go to the run's
    evidence folder, or to stdout where no person is watching.
    """
    global _sink, _sink_format
    if fmt is not None and fmt not in LOG_FORMATS:
        raise ValueError(f"log format must be json or console, not {fmt!r}")
    saved = _sink, _sink_format
    _sink, _sink_format = stream, fmt
    try:
        yield
    finally:
        _sink, _sink_format = saved


def unconfigure_logging() -> None:
    """Undo :func:`configure_logging`: handler, record factory, root level and structlog."""
    global _saved_factory, _saved_root_level
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, EncoreHandler)]:
        root.removeHandler(old)
    if _saved_factory is not None:
        logging.setLogRecordFactory(_saved_factory)
        _saved_factory = None
    for displaced in _displaced:
        root.addHandler(displaced)
    _displaced.clear()
    if _saved_root_level is not None:
        root.setLevel(_saved_root_level)
        _saved_root_level = None
    structlog.reset_defaults()


def get_logger(name: str | None = None, **initial: Any) -> structlog.stdlib.BoundLogger:
    """A structlog logger; call as ``log.info("sync.start", artist_id=…)``.

    Usable before :func:`analytics.observability.configure`: lines are then JSON strings,
    redacted by pattern, handed to whatever stdlib logging does (pytest's caplog, a library's
    ``basicConfig``); configure() adds the secret values, the handler and the format.
    """
    if not structlog.is_configured():
        _configure_structlog(handler_renders=False)
    return cast(structlog.stdlib.BoundLogger, structlog.stdlib.get_logger(name, **initial))


@dataclass(frozen=True)
class RunContext:
    """What :func:`bind_run` bound: the run id, its trace id and the flow name."""

    run_id: str
    trace_id: str
    flow: str | None


def current_trace_id() -> str:
    """The trace id of this run, 32 hex characters, stable within a :func:`bind_run` block.

    The current span's trace id when tracing is on, else the id bound by :func:`bind_run`;
    outside any run and span, ``"0" * 32`` (OpenTelemetry's "no trace").
    """
    ids = tracing.span_ids()
    if ids is not None:
        return ids[0]
    bound = structlog.contextvars.get_contextvars().get("trace_id")
    return bound if isinstance(bound, str) else tracing.INVALID_TRACE_ID


def current_run_id() -> str | None:
    """The run id bound by the enclosing :func:`bind_run`, if any."""
    bound = structlog.contextvars.get_contextvars().get("run_id")
    return bound if isinstance(bound, str) else None


@contextmanager
def bind_run(*, run_id: str | None = None, flow: str | None = None, **fields: Any) -> Iterator[RunContext]:
    """Bind ``run_id``, ``trace_id`` and ``flow`` (and ``fields``) to every log line in the block.

    With tracing on, the block is a span named after the flow (``encore.run`` without one) and
    the trace id is that span's; with tracing off it is inherited from an enclosing run or a
    fresh random 32-hex id. ``run_id`` defaults to a fresh uuid4 hex.

    Examples
    --------
    >>> with bind_run(run_id="r1", flow="sync_artist_data") as run:
    ...     get_logger(__name__).info("sync.start", artist_id="a1")
    """
    run_id = run_id or uuid4().hex
    attributes = {"encore.run_id": run_id, **({"encore.flow": flow} if flow else {})}
    with tracing.root_span(flow or "encore.run", attributes=attributes) as span_trace_id:
        trace_id = span_trace_id
        if not tracing.tracing_enabled() and current_trace_id() != tracing.INVALID_TRACE_ID:
            trace_id = current_trace_id()
        bound = {"run_id": run_id, "trace_id": trace_id, **({"flow": flow} if flow else {}), **fields}
        with structlog.contextvars.bound_contextvars(**bound):
            yield RunContext(run_id=run_id, trace_id=trace_id, flow=flow)
