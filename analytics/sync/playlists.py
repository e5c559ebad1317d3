"""The playlists stage: the user's own and collaborative playlists and their items."""

from __future__ import annotations

from typing import TYPE_CHECKING

from analytics.sync import fetch, rows
from analytics.sync.store import Unit, live_rows, stored_rows
from analytics.sync.tables import PLAYLISTS_OWNER

if TYPE_CHECKING:
    from analytics.sync.engine import Syncer


def sync_playlists(syncer: Syncer) -> None:
    """The user's own playlists; items re-read only where the snapshot_id changed; gone ones marked removed."""
    key = (PLAYLISTS_OWNER, "playlists")
    if syncer._done(key):
        return
    user = fetch.me(syncer.client)
    listed = fetch.own_playlists(syncer.client, user.id)
    playlist_rows = {p.id: rows.playlist_row(p) for p in listed}
    stored = {
        r["playlist_id"]: r
        for r in stored_rows(syncer.warehouse, "playlists", column="playlist_id", values=list(playlist_rows))
    }
    done = list(syncer._cp[key]["position"].get("done", []))
    unchanged = Unit()
    for playlist in listed:
        if playlist.id in done:
            continue
        row, before = playlist_rows[playlist.id], stored.get(playlist.id)
        if (
            not syncer.full
            and before is not None
            and before["removed_run"] is None
            and before["snapshot_id"] == row["snapshot_id"]
        ):
            unchanged.add_rows("playlists", [row])  # same snapshot: the items are not re-read
            continue
        items = rows.item_rows(playlist.id, fetch.playlist_items(syncer.client, playlist))
        unit = Unit()
        unit.add_rows("playlists", [row])
        unit.add_rows("playlist_items", items)
        unit.add_removed(
            "playlist_items",
            [
                (r["playlist_id"], r["position"])
                for r in stored_rows(
                    syncer.warehouse, "playlist_items", column="playlist_id", values=[playlist.id]
                )
                if r["removed_run"] is None and r["position"] >= len(items)
            ],
        )
        done.append(playlist.id)
        unit.checkpoints[key] = syncer._cp_state(PLAYLISTS_OWNER, "in_progress", {"done": done})
        syncer.report.rows_fetched += 1 + len(items)
        syncer._commit(unit)
    gone = [
        r["playlist_id"]
        for r in live_rows(syncer.warehouse, "playlists")
        if r["playlist_id"] not in playlist_rows
    ]
    unchanged.add_removed("playlists", [(p,) for p in gone])
    unchanged.add_removed(
        "playlist_items",
        [
            (r["playlist_id"], r["position"])
            for r in stored_rows(syncer.warehouse, "playlist_items", column="playlist_id", values=gone)
            if r["removed_run"] is None
        ],
    )
    syncer.report.rows_fetched += len(unchanged.rows.get("playlists", []))
    unchanged.checkpoints[key] = syncer._cp_state(
        PLAYLISTS_OWNER, "complete", {"done": done, "user_id": user.id}
    )
    syncer._commit(unchanged)
