"""Playlist edits against a snapshot: add, replace, reorder and remove, as the Web API applies them.

A ``snapshot_id`` names the content the positions refer to. A stale (older) snapshot is accepted:
positions are checked against that snapshot and the change is applied to the current content,
entry by entry, "even if more recent changes have been made" (Spotify's documented behaviour).
An unknown snapshot_id is a 400.
"""

from __future__ import annotations

from typing import Any

from analytics.sandbox.spotify.catalog import Entry, Playlist
from analytics.sandbox.spotify.errors import ApiError
from analytics.sandbox.spotify.ids import parse_uri
from analytics.sandbox.spotify.state import CatalogState

MAX_ITEMS_PER_REQUEST = 100


def track_ids_of(uris: list[Any], state: CatalogState) -> list[str]:
    """Track ids of ``spotify:track:`` URIs (or URLs), each existing in the catalog."""
    if len(uris) > MAX_ITEMS_PER_REQUEST:
        raise ApiError(400, f"You can add a maximum of {MAX_ITEMS_PER_REQUEST} tracks per request.")
    out = []
    for value in uris:
        if not isinstance(value, str):
            raise ApiError(400, "Invalid track uri")
        _, track_id = parse_uri(value, kinds=("track",))
        if track_id not in state.tracks:
            raise ApiError(400, "Payload contains a non-existing ID")
        out.append(track_id)
    return out


def base_snapshot(playlist: Playlist, snapshot_id: Any) -> tuple[Entry, ...]:
    if snapshot_id is None:
        return tuple(playlist.entries)
    if not isinstance(snapshot_id, str) or snapshot_id not in playlist.snapshots:
        raise ApiError(400, "Invalid snapshot id")
    return playlist.snapshots[snapshot_id]


def add(state: CatalogState, playlist: Playlist, track_ids: list[str], *, position: Any, user_id: str) -> str:
    entries = list(playlist.entries)
    if position is None:
        at = len(entries)
    elif isinstance(position, int) and not isinstance(position, bool) and 0 <= position <= len(entries):
        at = position
    else:
        raise ApiError(400, "Index out of bounds")
    entries[at:at] = state.new_entries(track_ids, added_by=user_id)
    return state.commit_playlist(playlist, entries)


def replace(state: CatalogState, playlist: Playlist, track_ids: list[str], *, user_id: str) -> str:
    return state.commit_playlist(playlist, state.new_entries(track_ids, added_by=user_id))


def _int(body: dict[str, Any], key: str, default: int | None = None) -> int:
    value = body.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ApiError(400, f"Missing or invalid {key}")
    return value


def reorder(state: CatalogState, playlist: Playlist, body: dict[str, Any]) -> str:
    base = base_snapshot(playlist, body.get("snapshot_id"))
    start, before, length = (
        _int(body, "range_start"),
        _int(body, "insert_before"),
        _int(body, "range_length", 1),
    )
    n = len(base)
    if length < 1 or start < 0 or start + length > n or not 0 <= before <= n:
        raise ApiError(400, "Index out of bounds")
    moving = base[start : start + length]
    moving_uids = {e.uid for e in moving}
    current = list(playlist.entries)
    if start <= before <= start + length:
        return state.commit_playlist(playlist, current)  # moving a range next to itself changes nothing
    kept = [e for e in current if e.uid not in moving_uids]
    still_there = {e.uid for e in current}
    moved = [e for e in moving if e.uid in still_there]
    anchors = [e.uid for e in base[before:] if e.uid not in moving_uids]
    kept_index = {e.uid: i for i, e in enumerate(kept)}
    at = next((kept_index[uid] for uid in anchors if uid in kept_index), len(kept))
    kept[at:at] = moved
    return state.commit_playlist(playlist, kept)


def remove(state: CatalogState, playlist: Playlist, body: dict[str, Any]) -> str:
    items = body.get("items", body.get("tracks"))
    if not isinstance(items, list) or not items:
        raise ApiError(400, "Missing items")
    if len(items) > MAX_ITEMS_PER_REQUEST:
        raise ApiError(400, f"Too many tracks, max {MAX_ITEMS_PER_REQUEST}")
    base = base_snapshot(playlist, body.get("snapshot_id"))
    doomed: set[int] = set()
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("uri"), str):
            raise ApiError(400, "Invalid track uri")
        _, track_id = parse_uri(item["uri"], kinds=("track",))
        positions = item.get("positions")
        if positions is None:
            doomed.update(e.uid for e in base if e.track_id == track_id)
            continue
        if not isinstance(positions, list):
            raise ApiError(400, "Invalid positions")
        for pos in positions:
            if not isinstance(pos, int) or not 0 <= pos < len(base) or base[pos].track_id != track_id:
                raise ApiError(400, "Could not remove tracks, please check parameters.")
            doomed.add(base[pos].uid)
    return state.commit_playlist(playlist, [e for e in playlist.entries if e.uid not in doomed])
