"""The catalog datasets (artists, albums, tracks, playlists, playlist items) as frames.

Whatever produces the catalog — the demo file, a user's catalog file, the Spotify sync — hands
over :class:`CatalogFrames`; the GX gate validates each frame and :func:`store_catalog` writes
only what changed, keeping history.
"""

from analytics.catalog.frames import (
    DATASETS,
    KEYS,
    CatalogFrames,
    frames_from_catalog,
    records,
    snapshot_id_of,
)
from analytics.catalog.store import store_catalog

__all__ = [
    "DATASETS",
    "KEYS",
    "CatalogFrames",
    "frames_from_catalog",
    "records",
    "snapshot_id_of",
    "store_catalog",
]
