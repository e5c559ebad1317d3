"""The sync's entry point: one call that runs every stage."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from analytics.spotify import SpotifyApi
from analytics.sync.engine import Syncer
from analytics.sync.fetch import resolve_artist_ids
from analytics.sync.report import SyncReport, Validator
from analytics.warehouse import Warehouse


def sync_catalog(
    client: SpotifyApi,
    warehouse: Warehouse,
    *,
    artist_ids: Sequence[str],
    run_id: str | None = None,
    full: bool = False,
    validate: Validator | None = None,
    unit_albums: int | None = None,
) -> SyncReport:
    """Sync the artists' catalogs and the user's own playlists into ``warehouse``.

    Incremental: continues an interrupted cycle from its checkpoints, asks with ETags, re-reads
    an album's tracks only when its track list changed, a playlist's items only when its
    snapshot_id changed. ``full`` re-reads everything; only differences are written either way.

    Returns
    -------
    SyncReport: ``outcome`` ``ok`` / ``unchanged`` / ``partial`` (quota exhausted: checkpoints
    saved, ``resume_at`` says when to run again), changes per table, requests by endpoint and
    status, checkpoint positions, validation evidence.

    Raises
    ------
    SyncPayloadError : a payload that cannot be stored (that unit is not written).
    DatasetValidationError : rows failed their suite (that unit is not written).
    UnknownArtist : an artist id Spotify does not know.
    """
    syncer = Syncer(
        client,
        warehouse,
        run_id=run_id or uuid.uuid4().hex,
        full=full,
        validate=validate,
        unit_albums=unit_albums,
    )
    return syncer.run(list(artist_ids))


__all__ = ["resolve_artist_ids", "sync_catalog"]
