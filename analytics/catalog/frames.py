"""Pure transforms from a catalog document (``encore-catalog/1``) to typed frames."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import pandas as pd

from analytics.config import QuotaMode

DATASETS = ("artists", "albums", "tracks", "playlists", "playlist_items")
KEYS: dict[str, tuple[str, ...]] = {
    "artists": ("artist_id",),
    "albums": ("album_id",),
    "tracks": ("track_id",),
    "playlists": ("playlist_id",),
    "playlist_items": ("playlist_id", "position"),
}
COLUMNS: dict[str, tuple[str, ...]] = {
    "artists": ("artist_id", "name", "genres", "followers", "popularity"),
    "albums": (
        "album_id",
        "artist_id",
        "name",
        "album_type",
        "album_group",
        "release_date",
        "release_date_precision",
        "total_tracks",
        "label",
        "upc",
    ),
    "tracks": (
        "track_id",
        "album_id",
        "artist_id",
        "name",
        "artist_ids",
        "disc_number",
        "track_number",
        "duration_ms",
        "explicit",
        "isrc",
        "popularity",
    ),
    "playlists": (
        "playlist_id",
        "name",
        "description",
        "owner_id",
        "public",
        "collaborative",
        "snapshot_id",
        "total_items",
    ),
    "playlist_items": ("playlist_id", "position", "track_id", "added_at", "added_by"),
}
NULLABLE_INTS = ("followers", "popularity")


@dataclass
class CatalogFrames:
    """One frame per catalog dataset, with exactly the warehouse's data columns."""

    artists: pd.DataFrame
    albums: pd.DataFrame
    tracks: pd.DataFrame
    playlists: pd.DataFrame
    playlist_items: pd.DataFrame

    def items(self) -> Iterator[tuple[str, pd.DataFrame]]:
        for f in fields(self):
            yield f.name, getattr(self, f.name)

    def counts(self) -> dict[str, int]:
        return {name: len(frame) for name, frame in self.items()}

    def save(self, folder: Path) -> dict[str, str]:
        """Write each frame as Parquet into ``folder`` (a run's datasets); returns the paths."""
        folder.mkdir(parents=True, exist_ok=True)
        paths = {}
        for name, frame in self.items():
            path = folder / f"{name}.parquet"
            frame.to_parquet(path, index=False)
            paths[name] = str(path)
        return paths


def frame(dataset: str, rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """A frame of ``dataset``'s columns (in order), nullable integers kept as ``Int64``."""
    df = pd.DataFrame(list(rows), columns=list(COLUMNS[dataset]))
    for column in NULLABLE_INTS:
        if column in df.columns:
            df[column] = df[column].astype("Int64")
    return df


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts of plain Python values (None for missing), ready for the database."""
    return list(df.astype(object).where(df.notna(), None).to_dict("records"))


def snapshot_id_of(track_ids: Sequence[str | None]) -> str:
    """A stable snapshot id for a list of items, for catalogs that do not carry one."""
    return hashlib.sha256("\n".join(t or "" for t in track_ids).encode()).hexdigest()[:32]


def frames_from_catalog(
    catalog: Mapping[str, Any],
    *,
    artist_ids: Sequence[str] | None = None,
    quota_mode: QuotaMode = QuotaMode.development,
    user_id: str | None = None,
) -> CatalogFrames:
    """Frames for ``artist_ids`` (default: all) as the given quota mode would let us see them.

    Parameters
    ----------
    catalog : an ``encore-catalog/1`` document (see ``analytics.demo``).
    artist_ids : the artists whose albums (own and appears_on) and tracks to take.
    quota_mode : in development mode followers, popularity and label are not available (None).
    user_id : whose playlists to take (owned or collaborative); default: the catalog's first user.
    """
    extended = quota_mode == QuotaMode.extended
    wanted = set(artist_ids or [a["id"] for a in catalog["artists"]])
    albums_by_id = {a["id"]: a for a in catalog["albums"]}
    tracks = [t for t in catalog["tracks"] if wanted & set(t["artist_ids"])]
    album_groups: dict[str, str] = {}
    for album in catalog["albums"]:
        if wanted & set(album["artist_ids"]):
            album_groups[album["id"]] = album["album_type"]
    for track in tracks:
        album_groups.setdefault(track["album_id"], "appears_on")

    artists = [
        {
            "artist_id": a["id"],
            "name": a["name"],
            "genres": list(a.get("genres", [])),
            "followers": a.get("followers") if extended else None,
            "popularity": a.get("popularity") if extended else None,
        }
        for a in catalog["artists"]
        if a["id"] in wanted
    ]
    albums = []
    for album_id, group in album_groups.items():
        a = albums_by_id[album_id]
        albums.append(
            {
                "album_id": a["id"],
                "artist_id": a["artist_ids"][0],
                "name": a["name"],
                "album_type": a["album_type"],
                "album_group": group,
                "release_date": a["release_date"],
                "release_date_precision": a["release_date_precision"],
                "total_tracks": a["total_tracks"],
                "label": a.get("label") if extended else None,
                "upc": a.get("upc"),
            }
        )
    track_rows = [
        {
            "track_id": t["id"],
            "album_id": t["album_id"],
            "artist_id": t["artist_ids"][0],
            "name": t["name"],
            "artist_ids": list(dict.fromkeys(t["artist_ids"])),
            "disc_number": t.get("disc_number", 1),
            "track_number": t["track_number"],
            "duration_ms": t["duration_ms"],
            "explicit": bool(t.get("explicit", False)),
            "isrc": t.get("isrc"),
            "popularity": t.get("popularity") if extended else None,
        }
        for t in tracks
        if t["album_id"] in album_groups
    ]
    user = user_id or (catalog.get("users") or [{"id": None}])[0]["id"]
    playlists, items = [], []
    for p in catalog.get("playlists", []):
        if p["owner_id"] != user and not p.get("collaborative"):
            continue  # other users' playlists are not readable in 2026
        playlists.append(
            {
                "playlist_id": p["id"],
                "name": p["name"],
                "description": p.get("description"),
                "owner_id": p["owner_id"],
                "public": p.get("public"),
                "collaborative": bool(p.get("collaborative", False)),
                "snapshot_id": p.get("snapshot_id") or snapshot_id_of(p["track_ids"]),
                "total_items": len(p["track_ids"]),
            }
        )
        items += [
            {
                "playlist_id": p["id"],
                "position": i,
                "track_id": tid,
                "added_at": None,
                "added_by": p["owner_id"],
            }
            for i, tid in enumerate(p["track_ids"])
        ]
    return CatalogFrames(
        artists=frame("artists", artists),
        albums=frame("albums", albums),
        tracks=frame("tracks", track_rows),
        playlists=frame("playlists", playlists),
        playlist_items=frame("playlist_items", items),
    )
