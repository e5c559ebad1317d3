"""The warehouse: SQLAlchemy 2 models, Alembic migrations and idempotent upserts.

SQLite file under ``data_dir`` by default; PostgreSQL by URL (``ENCORE_DATABASE_URL``).
"""

from analytics.warehouse.db import Warehouse, content_hash_of_rows, row_hash
from analytics.warehouse.models import (
    Album,
    Artist,
    AuditRecord,
    Base,
    EntityVersion,
    Playlist,
    PlaylistItem,
    Track,
)
from analytics.warehouse.upsert import UpsertResult, upsert_rows

__all__ = [
    "Album",
    "Artist",
    "AuditRecord",
    "Base",
    "EntityVersion",
    "Playlist",
    "PlaylistItem",
    "Track",
    "UpsertResult",
    "Warehouse",
    "content_hash_of_rows",
    "row_hash",
    "upsert_rows",
]
