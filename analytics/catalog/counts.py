"""How a catalog is counted, once for every place that states it (reports, drafts, notebooks).

A recording is an ISRC: the same recording on an album, its single and a compilation is one.
A release is one of the artist's own albums, singles or compilations; a compilation the artist
only appears on (Spotify's ``album_group`` ``appears_on``) is an appearance, not a release.
A track belongs to every artist it credits (``tracks.artist_ids``): the main artist and the
featured ones; for a featured artist, the other artist's release it is on is an appearance.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

APPEARS_ON = "appears_on"


@dataclass(frozen=True)
class Catalog:
    """A catalog counted by recording: tracks sharing an ISRC are one recording."""

    recordings: int
    tracks: int
    releases: int
    appearances: int = 0

    @property
    def differs(self) -> bool:
        """True when the catalog lists some recordings more than once (the count needs saying)."""
        return self.tracks != self.recordings


def count_recordings(tracks: pd.DataFrame) -> int:
    """Distinct ISRCs among ``tracks``; a track without one counts alone."""
    if tracks.empty:
        return 0
    if "isrc" not in tracks:
        return len(tracks)
    isrc = tracks["isrc"].replace("", None)
    return int(isrc.dropna().nunique() + isrc.isna().sum())


def count_catalog(albums: pd.DataFrame, tracks: pd.DataFrame) -> Catalog:
    """Recordings, catalog tracks, and the releases and appearances those tracks are on.

    Parameters
    ----------
    albums : the artist's releases, with ``album_id`` and optionally ``album_group``. A release
        the tracks are on that is not listed here, or is listed as ``appears_on``, is an
        appearance. Without an ``album_id`` column (nothing known about the releases), every
        release the tracks are on counts as the artist's own.
    tracks : the tracks, with ``album_id`` and optionally ``isrc``; when empty or without
        ``album_id``, the releases are the albums listed.
    """
    known = "album_id" in albums
    own = set(albums["album_id"]) if known else set()
    if known and "album_group" in albums:
        own -= set(albums.loc[albums["album_group"].eq(APPEARS_ON), "album_id"])
    if "album_id" not in tracks or tracks.empty:
        return Catalog(recordings=count_recordings(tracks), tracks=len(tracks), releases=len(own))
    on = set(tracks["album_id"].dropna())
    return Catalog(
        recordings=count_recordings(tracks),
        tracks=len(tracks),
        releases=len(on & own) if known else len(on),
        appearances=len(on - own) if known else 0,
    )


def credits_artist(track: Mapping[str, Any], artist_id: str) -> bool:
    """Whether ``track`` credits ``artist_id``: as its main artist or as a featured one.

    ``track`` has ``artist_id`` (the main artist) and, when known, ``artist_ids`` (every
    credited artist); a row read back from Parquet carries the list as an array.
    """
    if track.get("artist_id") == artist_id:
        return True
    credits = track.get("artist_ids")
    if credits is None or isinstance(credits, str | float):
        return False
    return artist_id in list(credits)


def tracks_crediting(tracks: pd.DataFrame, artist_id: str) -> pd.DataFrame:
    """The rows of ``tracks`` crediting ``artist_id`` (main or featured), in their order."""
    if tracks.empty or "artist_id" not in tracks:
        return tracks
    if "artist_ids" not in tracks:
        return tracks[tracks["artist_id"] == artist_id].reset_index(drop=True)
    mask = [credits_artist(row, artist_id) for row in tracks[["artist_id", "artist_ids"]].to_dict("records")]
    return tracks[mask].reset_index(drop=True)


def count_artist_catalog(albums: pd.DataFrame, tracks: pd.DataFrame, *, artist_id: str) -> Catalog:
    """The catalog of one artist: every track crediting it, its own releases, its appearances.

    A release is an album the artist made (``albums.artist_id``, not ``appears_on``); a release
    of another artist that carries a track the artist is featured on is an appearance, as in
    Spotify's ``appears_on`` group.
    """
    credited = tracks_crediting(tracks, artist_id)
    if albums.empty or "artist_id" not in albums:
        return count_catalog(albums, credited)
    return count_catalog(albums[albums["artist_id"] == artist_id], credited)
