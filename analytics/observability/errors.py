"""Sentry: errors leave the machine only when a DSN is set, and only scrubbed.

:func:`scrub` is the ``before_send`` hook: it walks the whole event and redacts every secret
value and personal datum (e-mail and IP addresses, the OS user name in paths), drops the
request's cookies and headers, the user and the server name, and tags the event with the
``trace_id`` and ``run_id`` of the current run.
"""

from __future__ import annotations

import getpass
import re
from collections.abc import Mapping, Sequence
from typing import Any, cast

from analytics.observability import logs, redaction

_enabled = False
_config: tuple[str, str, str | None] | None = None
_DROP_TOP = ("user", "server_name", "modules")
_DROP_REQUEST = ("cookies", "headers", "env", "data")
_HOME = re.compile(r"(/home/|/Users/|\\Users\\)([^/\\\s\"']+)")


def _os_user() -> str | None:
    try:
        name = getpass.getuser()
    except Exception:
        return None
    return name if len(name) >= 3 else None


def scrub_personal(text: str, *, user: str | None) -> str:
    """``text`` redacted, with home-directory user names (and the OS user name) hidden."""
    text = _HOME.sub(r"\1[USER]", redaction.redact(text))
    if user:
        text = re.sub(rf"(?<![\w-]){re.escape(user)}(?![\w-])", "[USER]", text)
    return text


def _walk(value: Any, user: str | None) -> Any:
    if isinstance(value, str):
        return scrub_personal(value, user=user)
    if isinstance(value, Mapping):
        return {
            (scrub_personal(key, user=user) if isinstance(key, str) else key): (
                "[REDACTED]" if redaction.is_secret_key(key) and item else _walk(item, user)
            )
            for key, item in value.items()
        }
    if isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        return [_walk(item, user) for item in value]
    return value


def scrub(event: dict[str, Any], hint: Any = None) -> dict[str, Any]:
    """Sentry ``before_send``/``before_send_transaction``: the event, safe to send.

    Parameters
    ----------
    event : the Sentry event dict, as the SDK hands it over.
    hint : unused; part of the hook's signature.
    """
    event = dict(event)
    for key in _DROP_TOP:
        event.pop(key, None)
    request = event.get("request")
    if isinstance(request, Mapping):
        event["request"] = {k: v for k, v in request.items() if k not in _DROP_REQUEST}
    tags = dict(event.get("tags") or {})
    tags.setdefault("trace_id", logs.current_trace_id())
    run_id = logs.current_run_id()
    if run_id:
        tags.setdefault("run_id", run_id)
    event["tags"] = tags
    scrubbed: dict[str, Any] = _walk(event, _os_user())
    return scrubbed


def configure_sentry(dsn: str | None, *, environment: str = "production", release: str | None = None) -> bool:
    """Initialise Sentry when ``dsn`` is set, with :func:`scrub` on every event; else turn it off.

    No default integrations (no logging hook, no atexit, no request capture): events are
    sent by :func:`capture_exception` only. Returns whether Sentry is on.
    """
    global _enabled, _config
    if not dsn:
        if _enabled:
            shutdown_sentry()
        return False
    if _enabled and _config == (dsn, environment, release):
        return True  # unchanged: keep the client and its queue
    import sentry_sdk

    sentry_sdk.init(
        dsn=dsn,
        before_send=cast(Any, scrub),
        before_send_transaction=cast(Any, scrub),
        # no personal data and no local variables (data_collection replaces send_default_pii and,
        # once given, decides over include_local_variables)
        data_collection={"user_info": False, "stack_frame_variables": False},
        default_integrations=False,
        auto_enabling_integrations=False,
        integrations=[],
        include_local_variables=False,
        max_breadcrumbs=0,
        traces_sample_rate=None,
        environment=environment,
        release=release,
        server_name="encore",
    )
    _enabled = True
    _config = (dsn, environment, release)
    return True


def sentry_enabled() -> bool:
    """Whether :func:`configure_sentry` turned Sentry on."""
    return _enabled


def capture_exception(
    exc: BaseException, *, tags: Mapping[str, str] | None = None, fingerprint: Sequence[str] | None = None
) -> str | None:
    """Send ``exc`` to Sentry (scrubbed) and return the event id; ``None`` when Sentry is off.

    Parameters
    ----------
    exc : the exception, with its traceback.
    tags : extra tags (``flow``, ``task``, ``artist_id``…); ``trace_id`` and ``run_id`` are added.
    fingerprint : how Sentry groups the event; default: the exception type and the function
        that raised it, so one failure in many runs is one issue.
    """
    if not _enabled:
        return None
    import sentry_sdk

    with sentry_sdk.new_scope() as scope:
        scope.set_tag("trace_id", logs.current_trace_id())
        run_id = logs.current_run_id()
        if run_id:
            scope.set_tag("run_id", run_id)
        for key, value in (tags or {}).items():
            scope.set_tag(key, redaction.redact(str(value)))
        scope.fingerprint = list(fingerprint) if fingerprint else default_fingerprint(exc)
        return sentry_sdk.capture_exception(exc)


def default_fingerprint(exc: BaseException) -> list[str]:
    """``[module.Type, module:function]`` of the innermost frame that raised ``exc``."""
    kind = f"{type(exc).__module__}.{type(exc).__qualname__}"
    frame = exc.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    where = (
        f"{frame.tb_frame.f_globals.get('__name__', '?')}:{frame.tb_frame.f_code.co_name}" if frame else "?"
    )
    return [kind, where]


def flush_sentry(timeout_s: float = 5.0) -> None:
    """Send every queued event now (waits at most ``timeout_s``)."""
    if _enabled:
        import sentry_sdk

        sentry_sdk.flush(timeout=timeout_s)


def shutdown_sentry(timeout_s: float = 5.0) -> None:
    """Flush and close the Sentry client; nothing is sent afterwards."""
    global _enabled, _config
    _config = None
    if _enabled:
        import sentry_sdk

        client = sentry_sdk.get_client()
        client.close(timeout=timeout_s)
        sentry_sdk.init(dsn=None, default_integrations=False)
    _enabled = False
