"""Incremental, idempotent, audited catalog sync from Spotify, with checkpoints per artist and resource.

>>> with spotify_client(settings) as client:                                   # doctest: +SKIP
...     report = sync_catalog(client, warehouse, artist_ids=ids, run_id=run_id)
...     report.outcome, report.changes, report.requests, report.resume_at

See docs/sync.md.
"""

from analytics.sync.catalog import fetch_catalog, stored_catalog
from analytics.sync.engine import STAGES, Syncer
from analytics.sync.errors import SyncPayloadError, UnknownArtist
from analytics.sync.plan import (
    CatalogShape,
    change_detection_floor,
    detection_requests,
    minimum_requests,
    shape_of,
)
from analytics.sync.report import SyncReport, Validator, gx_validator
from analytics.sync.run import resolve_artist_ids, sync_catalog
from analytics.sync.source import sandbox_client, spotify_client
from analytics.sync.tables import PLAYLISTS_OWNER, SyncCheckpoint

__all__ = [
    "PLAYLISTS_OWNER",
    "STAGES",
    "CatalogShape",
    "SyncCheckpoint",
    "SyncPayloadError",
    "SyncReport",
    "Syncer",
    "UnknownArtist",
    "Validator",
    "change_detection_floor",
    "detection_requests",
    "fetch_catalog",
    "gx_validator",
    "minimum_requests",
    "resolve_artist_ids",
    "sandbox_client",
    "shape_of",
    "spotify_client",
    "stored_catalog",
    "sync_catalog",
]
