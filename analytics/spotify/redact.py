"""Keep tokens and secrets out of every log line written by encore's client and by spotipy.

spotipy logs the ``Authorization`` header and token request bodies at DEBUG level; a filter on
its loggers and on ``analytics.spotify`` rewrites each record before any handler sees it.
"""

from __future__ import annotations

import logging
import re
import threading

LOGGER_NAME = "analytics.spotify"
log = logging.getLogger(LOGGER_NAME)

_MASK = "***"
_KEYS = r"(?:access_token|refresh_token|client_secret|code_verifier|code|id_token)"
_PATTERNS = [
    # Authorization: Bearer <token> / Basic <base64 id:secret>
    (re.compile(r"(?i)\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+"), r"\1 ***"),
    # dict or JSON reprs: 'refresh_token': '...'
    (re.compile(r"(['\"]" + _KEYS + r"['\"]\s*:\s*['\"])[^'\"]*"), r"\1***"),
    # form bodies and query strings: refresh_token=...
    (re.compile(r"(\b" + _KEYS + r"=)[^&\s'\"]+"), r"\1***"),
]
_WATCHED = (
    "spotipy",
    "spotipy.client",
    "spotipy.oauth2",
    "spotipy.cache_handler",
    "spotipy.util",
    LOGGER_NAME,
)


class _Secrets:
    def __init__(self) -> None:
        self._values: set[str] = set()
        self._lock = threading.Lock()

    def add(self, value: str | None) -> None:
        if value and len(value) >= 4:
            with self._lock:
                self._values.add(value)

    def snapshot(self) -> list[str]:
        with self._lock:
            return sorted(self._values, key=len, reverse=True)


SECRETS = _Secrets()


def register_secret(value: str | None) -> None:
    """Mask ``value`` wherever it appears in a log line from now on (tokens, client secret)."""
    SECRETS.add(value)


def redact(text: str) -> str:
    """``text`` with registered secrets, bearer/basic credentials and token fields masked."""
    for value in SECRETS.snapshot():
        text = text.replace(value, _MASK)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites a record's message (and exception text) with :func:`redact`; never drops it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


_FILTER = RedactingFilter()
_installed = False
_install_lock = threading.Lock()


def install() -> None:
    """Attach the redacting filter to spotipy's loggers and encore's Spotify logger (idempotent)."""
    global _installed
    with _install_lock:
        if _installed:
            return
        for name in _WATCHED:
            logger = logging.getLogger(name)
            if _FILTER not in logger.filters:
                logger.addFilter(_FILTER)
        _installed = True
