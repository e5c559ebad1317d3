"""What every flow's tasks share: no caching by default, tags, and when a task is retried.

- **No cache by default.** encore's tasks write to the warehouse and the audit log: two runs
  with equal inputs must both do their work. Prefect's own setting says so for every task
  (``PREFECT_TASKS_DEFAULT_NO_CACHE``, set here before Prefect reads its settings, and in the
  Makefile, the ``encore`` command, prefect.yaml's worker environment and the tests); a task
  that is worth caching (the audio analysis) names its cache policy itself.
- **Retries only for the network's passing trouble.** A task that talks to an external API
  takes :data:`NETWORK` (or :func:`network`): a few retries with exponential backoff and jitter,
  and the condition :func:`worth_retrying`: connection errors, timeouts, 5xx and 429 are tried
  again; a bad payload, a quota stop, a 4xx or a failed suite never are.
- **Tags.** Every task that calls the Spotify Web API carries :data:`SPOTIFY_TAG`.
"""

from __future__ import annotations

import os
import sys

# Before Prefect builds its settings (a task reads the setting when it is defined).
os.environ.setdefault("PREFECT_TASKS_DEFAULT_NO_CACHE", "true")

from typing import Any

import httpx
import requests
from prefect.tasks import exponential_backoff
from pydantic import ValidationError

from analytics import social, spotify, sync
from analytics.spotify.auth import TokenEndpointUnavailable
from analytics.validation import DatasetValidationError


def _no_cache_in_force() -> None:
    """Where Prefect was imported before encore (a worker loading a flow from its entrypoint),
    its settings were read without the default above: read them again, once, from the
    environment (a value set there explicitly still wins)."""
    if "prefect.context" not in sys.modules:
        return
    from prefect.context import refresh_global_settings_context
    from prefect.settings import get_current_settings

    if not get_current_settings().tasks.default_no_cache and os.environ.get(
        "PREFECT_TASKS_DEFAULT_NO_CACHE", ""
    ).lower() in {"1", "true", "yes"}:
        refresh_global_settings_context()


_no_cache_in_force()

# Every task that calls the Spotify Web API carries this tag: the server's tag concurrency
# limit of the same name (prefect.yaml, definitions.encore_limits.task_tags) caps how many run
# at once across all workers. Deployment tags are not inherited by task runs, so the tag must
# be on the task itself.
SPOTIFY_TAG = "spotify"

# Failures that another attempt cannot fix, whatever they wrap: a quota stop (resume after it,
# from the checkpoint), a payload the code cannot use, an id Spotify does not know, a suite
# that failed, credentials, a write whose outcome is unknown (re-plan rather than repeat).
NEVER = (
    spotify.QuotaExhausted,
    social.QuotaExhausted,
    social.RateLimited,  # asked to wait longer than encore waits: a quota stop
    spotify.AuthError,
    spotify.CapabilityUnavailable,
    spotify.WriteOutcomeUnknown,
    social.MalformedPayload,
    social.TokenExpired,
    sync.SyncPayloadError,
    sync.UnknownArtist,
    DatasetValidationError,
    ValidationError,
    ValueError,  # json.JSONDecodeError too: a body that is not what was asked for
)
# The network's passing trouble: the connection, a timeout, or a server that said "later".
TRANSIENT = (
    spotify.RetriesExhausted,  # 5xx, resets, timeouts that outlasted the client's own retries
    TokenEndpointUnavailable,
    social.PlatformUnavailable,
    httpx.TransportError,  # connect, read, write, pool timeouts; protocol errors; resets
    requests.ConnectionError,
    requests.Timeout,
    ConnectionError,
    TimeoutError,
)


def _status(error: BaseException) -> int | None:
    """The HTTP status an error carries (``httpx``/``requests`` status errors, encore's own)."""
    response = getattr(error, "response", None)
    for holder, name in ((response, "status_code"), (error, "status"), (error, "status_code")):
        value = getattr(holder, name, None) if holder is not None else None
        if isinstance(value, int):
            return value
    return None


def is_transient(error: BaseException) -> bool:
    """Whether another attempt may succeed: a connection error, a timeout, a 5xx or a 429.

    The error and what it was raised from (``__cause__``) are read in turn; the first that
    says "never" (:data:`NEVER`: bad payloads, quota stops, failed suites) or carries a 4xx
    other than 429 decides no.
    """
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, NEVER):
            return False
        status = _status(current)
        if status is not None:
            return status == 429 or status >= 500
        if isinstance(current, TRANSIENT):
            return True
        current = current.__cause__
    return False


def worth_retrying(_task: Any, _task_run: Any, state: Any) -> bool:
    """Prefect retry condition (``retry_condition_fn``): retry only what :func:`is_transient` says."""
    try:
        state.result()
    except Exception as error:
        return is_transient(error)
    return False


def network(*, retries: int = 3) -> dict[str, Any]:
    """The task options of a task that talks to an external API: ``retries`` retries with
    exponential backoff (2, 4, 8 … s) and jitter, on transient network errors only."""
    return {
        "retries": retries,
        "retry_delay_seconds": exponential_backoff(backoff_factor=2),
        "retry_jitter_factor": 0.5,
        "retry_condition_fn": worth_retrying,
    }


NETWORK = network()
SPOTIFY = {**NETWORK, "tags": {SPOTIFY_TAG}}
