"""The stored catalog, read without creating or migrating anything: jobs check their inputs with it.

A warehouse that does not exist yet (no SQLite file, no table) holds no rows, and reading it
creates nothing, so a job that stops on a missing input leaves no warehouse behind.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa

from analytics.config import NO_CATALOG, MissingInput, Settings


def stored_rows(settings: Settings, table: str, columns: tuple[str, ...]) -> list[dict[str, Any]]:
    """The current rows (``removed_run`` unset) of a catalog table, read-only.

    A warehouse that does not exist yet (no SQLite file, no table) has none: nothing is created,
    so a job that stops on a missing input leaves no warehouse behind.
    """
    url = sa.engine.make_url(settings.warehouse_url)
    if url.get_backend_name() == "sqlite":
        path = url.database
        if not path or path == ":memory:" or not Path(path).is_file():
            return []
        # read-only: a path with ?, % or # is quoted, not read as a query string
        url = url.set(database=f"file:{quote(path)}?mode=ro", query={"uri": "true"})
    engine = sa.create_engine(url)
    try:
        if not sa.inspect(engine).has_table(table):
            return []
        meta = sa.Table(table, sa.MetaData(), autoload_with=engine)
        query = sa.select(*(meta.c[c] for c in columns))
        if "removed_run" in meta.c:
            query = query.where(meta.c.removed_run.is_(None))
        with engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]
    finally:
        engine.dispose()


def require_catalog(settings: Settings, *, table: str = "tracks") -> list[dict[str, Any]]:
    """The stored ``table`` rows of the catalog (id and name); :class:`MissingInput` when there are none."""
    key = {"tracks": "track_id", "artists": "artist_id"}[table]
    rows = stored_rows(settings, table, (key, "name"))
    if not rows:
        raise MissingInput(NO_CATALOG, setting="encore sync")
    return rows


def require_artist_stored(settings: Settings, artist_id: str) -> None:
    """Raise :class:`MissingInput` unless the warehouse's catalog holds ``artist_id``."""
    stored = {r["artist_id"] for r in require_catalog(settings, table="artists")}
    if artist_id not in stored:
        raise MissingInput(
            f"artist {artist_id} is not in the warehouse's catalog: add it to ENCORE_ARTIST_IDS "
            "and run `encore sync` first",
            setting="ENCORE_ARTIST_IDS",
        )
