"""The Spotify client's logger, kept free of tokens and secrets by encore's one redactor.

spotipy logs the ``Authorization`` header and token request bodies at DEBUG level; the shared
:class:`~analytics.observability.redaction.RedactingFilter` on its loggers and on
``analytics.spotify`` rewrites each record before any handler sees it.
"""

from __future__ import annotations

import logging

from analytics.observability.redaction import CLIENT_MASK, install_log_filter

LOGGER_NAME = "analytics.spotify"
log = logging.getLogger(LOGGER_NAME)

_WATCHED = (
    "spotipy",
    "spotipy.client",
    "spotipy.oauth2",
    "spotipy.cache_handler",
    "spotipy.util",
    LOGGER_NAME,
)


def install() -> None:
    """Attach the redacting filter to spotipy's loggers and encore's Spotify logger (idempotent)."""
    install_log_filter(_WATCHED, mask=CLIENT_MASK)
