"""Write catalog frames to the warehouse: one transaction, only differences, history kept."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from analytics.catalog.frames import KEYS, CatalogFrames, records
from analytics.warehouse import UpsertResult, Warehouse, upsert_rows
from analytics.warehouse.models import Base
from analytics.warehouse.upsert import mark_removed


def store_catalog(
    warehouse: Warehouse,
    frames: CatalogFrames,
    *,
    run_id: str,
    removal_scope: Sequence[str] = (),
) -> UpsertResult:
    """Upsert every dataset in one unit of work; nothing is stored if any part fails.

    Parameters
    ----------
    removal_scope : artist ids whose catalog this load is complete for: their stored albums and
        tracks that are absent from ``frames`` are marked removed (never deleted). Playlist
        items beyond a playlist's new length are marked removed too.
    """
    result = UpsertResult()
    with warehouse.session() as session:
        for name, frame in frames.items():
            result.add(upsert_rows(session, name, records(frame), key=KEYS[name], run_id=run_id))
        removed: dict[str, int] = {}
        for name, owner_column in (("albums", "artist_id"), ("tracks", "artist_id")):
            if not removal_scope:
                break
            table = Base.metadata.tables[name]
            key = KEYS[name][0]
            present = set(getattr(frames, name)[key])
            stored = session.execute(
                select(table.c[key]).where(
                    table.c[owner_column].in_(list(removal_scope)), table.c.removed_run.is_(None)
                )
            ).scalars()
            gone = [(k,) for k in stored if k not in present]
            removed[name] = mark_removed(session, name, gone, key=KEYS[name], run_id=run_id)
        items = Base.metadata.tables["playlist_items"]
        present_items = {(r.playlist_id, r.position) for r in frames.playlist_items.itertuples()}
        playlist_ids = list(frames.playlists["playlist_id"])
        stale = [
            (pid, pos)
            for pid, pos in session.execute(
                select(items.c.playlist_id, items.c.position).where(
                    items.c.playlist_id.in_(playlist_ids), items.c.removed_run.is_(None)
                )
            )
            if (pid, pos) not in present_items
        ]
        removed["playlist_items"] = mark_removed(
            session, "playlist_items", stale, key=KEYS["playlist_items"], run_id=run_id
        )
        result.add(UpsertResult(removed={k: v for k, v in removed.items() if v}))
    return result
