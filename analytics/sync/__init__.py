"""Incremental, idempotent, audited catalog sync from Spotify, with checkpoints per artist and resource.

>>> with world(settings) as w:         # flows.world: the real API or the sandbox  # doctest: +SKIP
...     report = sync_catalog(w.spotify, warehouse, artist_ids=ids, run_id=run_id)
...     report.outcome, report.changes, report.requests, report.resume_at

See docs/sync.md.
"""

from analytics.sync.catalog import StoredCatalog, fetch_catalog, stored_catalog
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
from analytics.sync.source import SANDBOX_TOKEN_CACHE, sandbox_client
from analytics.sync.tables import PLAYLISTS_OWNER, SyncCheckpoint

__all__ = [
    "PLAYLISTS_OWNER",
    "SANDBOX_TOKEN_CACHE",
    "STAGES",
    "CatalogShape",
    "StoredCatalog",
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
    "stored_catalog",
    "sync_catalog",
]
