"""The sandbox's catalog entities and the ``encore-catalog/1`` JSON format they load from."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analytics.sandbox.spotify.ids import USER_ID, is_base62_id

CATALOG_FORMAT = "encore-catalog/1"


@dataclass(slots=True)
class Artist:
    id: str
    name: str
    genres: list[str] = field(default_factory=list)
    followers: int = 0
    popularity: int = 0


@dataclass(slots=True)
class Album:
    id: str
    name: str
    album_type: str
    artist_ids: list[str]
    release_date: str
    release_date_precision: str
    track_ids: list[str]
    label: str = ""
    upc: str | None = None
    popularity: int = 0


@dataclass(slots=True)
class Track:
    id: str
    name: str
    album_id: str
    artist_ids: list[str]
    disc_number: int
    track_number: int
    duration_ms: int
    explicit: bool = False
    isrc: str | None = None
    popularity: int = 0


@dataclass(slots=True)
class User:
    id: str
    display_name: str
    country: str = "US"
    product: str = "free"
    email: str = ""
    followed_artist_ids: list[str] = field(default_factory=list)
    followed_playlist_ids: list[str] = field(default_factory=list)
    followed_user_ids: list[str] = field(default_factory=list)
    saved_uris: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Entry:
    """One occurrence of a track in a playlist; ``uid`` tells equal tracks apart across snapshots."""

    uid: int
    track_id: str
    added_at: str
    added_by: str


@dataclass(slots=True)
class Playlist:
    id: str
    name: str
    owner_id: str
    description: str = ""
    public: bool = True
    collaborative: bool = False
    collaborator_ids: list[str] = field(default_factory=list)
    followers: int = 0
    entries: list[Entry] = field(default_factory=list)
    snapshots: dict[str, tuple[Entry, ...]] = field(default_factory=dict)
    snapshot_id: str = ""
    version: int = 0


class CatalogFormatError(ValueError):
    """A catalog file that does not follow ``encore-catalog/1``."""


def _need(obj: dict[str, Any], key: str, where: str) -> Any:
    if key not in obj:
        raise CatalogFormatError(f"{where}: missing field {key!r}; see docs/sandbox.md for the format")
    return obj[key]


# The type of each field a catalog entry may carry: "str", "int" (non-negative), "bool",
# "strs" (a list of strings); a trailing "?" allows null.
FIELD_TYPES: dict[str, dict[str, str]] = {
    "artists": {"name": "str", "genres": "strs", "followers": "int?", "popularity": "int?"},
    "albums": {
        "name": "str",
        "album_type": "str",
        "artist_ids": "strs",
        "release_date": "str",
        "release_date_precision": "str",
        "track_ids": "strs",
        "total_tracks": "int",
        "label": "str?",
        "upc": "str?",
    },
    "tracks": {
        "name": "str",
        "album_id": "str",
        "artist_ids": "strs",
        "duration_ms": "int",
        "disc_number": "int",
        "track_number": "int",
        "explicit": "bool",
        "isrc": "str?",
        "popularity": "int?",
    },
    "playlists": {"name": "str", "owner_id": "str", "track_ids": "strs", "public": "bool?"},
}
_KINDS = {
    "str": ("a string", lambda v: isinstance(v, str)),
    "int": ("a whole number >= 0", lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0),
    "bool": ("true or false", lambda v: isinstance(v, bool)),
    "strs": ("a list of strings", lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v)),
}


def _check_types(item: Any, section: str, position: int, source: str) -> None:
    """Refuse a field of the wrong type, naming the entry and the field ("genres": "rock" is not a list)."""
    if not isinstance(item, dict):
        raise CatalogFormatError(f"{source}: {section}[{position}] is not an object")
    for key, kind in FIELD_TYPES.get(section, {}).items():
        if key not in item or (item[key] is None and kind.endswith("?")):
            continue
        label, fits = _KINDS[kind.rstrip("?")]
        if not fits(item[key]):
            name = item.get("name", item.get("id"))
            raise CatalogFormatError(
                f"{source}: {section}[{position}] {name!r}: {key} must be {label}, not {str(item[key])[:40]!r}"
            )


def _check_id(value: str, where: str) -> str:
    if not is_base62_id(value):
        raise CatalogFormatError(f"{where}: id {value!r} is not a 22-character base-62 Spotify id")
    return value


def parse_catalog(data: dict[str, Any], *, source: str = "catalog") -> dict[str, list[Any]]:
    """Entities of a catalog document, checked for shape and references.

    Returns
    -------
    ``{"artists": [...], "albums": [...], "tracks": [...], "playlists": [...], "users": [...]}``
    with plain dicts from the document (the state builds its objects from them).

    Raises
    ------
    CatalogFormatError
        naming the entity and the field at fault.
    """
    if data.get("format") != CATALOG_FORMAT:
        raise CatalogFormatError(f"{source}: format is {data.get('format')!r}, expected {CATALOG_FORMAT!r}")
    out: dict[str, list[Any]] = {}
    for section in ("artists", "albums", "tracks", "playlists", "users"):
        items = data.get(section, [])
        if not isinstance(items, list):
            raise CatalogFormatError(f"{source}: {section!r} must be a list")
        out[section] = items
        for position, item in enumerate(items):
            _check_types(item, section, position, source)
        _check_unique(items, section=section, source=source)
    artist_ids = {_check_id(_need(a, "id", f"{source} artist"), f"{source} artist") for a in out["artists"]}
    track_ids = {_check_id(_need(t, "id", f"{source} track"), f"{source} track") for t in out["tracks"]}
    album_ids = set()
    for album in out["albums"]:
        where = f"{source} album {album.get('id')!r}"
        album_ids.add(_check_id(_need(album, "id", where), where))
        for key in ("name", "album_type", "artist_ids", "release_date", "track_ids"):
            _need(album, key, where)
        if album["album_type"] not in ("album", "single", "compilation"):
            raise CatalogFormatError(
                f"{where}: album_type {album['album_type']!r} is not album/single/compilation"
            )
        _check_refs(album["artist_ids"], artist_ids, f"{where} artist_ids")
        _check_refs(album["track_ids"], track_ids, f"{where} track_ids")
    for track in out["tracks"]:
        where = f"{source} track {track['id']!r}"
        for key in ("name", "album_id", "artist_ids", "duration_ms"):
            _need(track, key, where)
        _check_refs([track["album_id"]], album_ids, f"{where} album_id")
        _check_refs(track["artist_ids"], artist_ids, f"{where} artist_ids")
    user_ids = set()
    for user in out["users"]:
        user_id = _need(user, "id", f"{source} user")
        if not USER_ID.match(user_id):
            raise CatalogFormatError(
                f"{source} user {user_id!r}: ids are 1-64 letters, digits, '.', '_' or '-'"
            )
        user_ids.add(user_id)
        _check_refs(
            user.get("followed_artist_ids", []), artist_ids, f"{source} user {user_id!r} followed_artist_ids"
        )
    for playlist in out["playlists"]:
        where = f"{source} playlist {playlist.get('id')!r}"
        _check_id(_need(playlist, "id", where), where)
        _need(playlist, "name", where)
        _check_refs([_need(playlist, "owner_id", where)], user_ids, f"{where} owner_id")
        _check_refs(playlist.get("track_ids", []), track_ids, f"{where} track_ids")
    return out


def _check_unique(items: list[Any], *, section: str, source: str) -> None:
    """Refuse two entries of one section with the same id, naming both (position and name)."""
    seen: dict[str, tuple[int, Any]] = {}
    for position, item in enumerate(items):
        key = item.get("id") if isinstance(item, dict) else None
        if not isinstance(key, str):
            continue  # a missing or malformed id is reported by the field checks
        name = item.get("name", item.get("display_name"))
        if key in seen:
            first, first_name = seen[key]
            raise CatalogFormatError(
                f"{source}: {section}[{first}] {first_name!r} and {section}[{position}] {name!r} "
                f"have the same id {key!r}; give each {section[:-1]} its own id"
            )
        seen[key] = (position, name)


def _check_refs(values: list[str], known: set[str], where: str) -> None:
    missing = [value for value in values if value not in known]
    if missing:
        raise CatalogFormatError(
            f"{where}: unknown ids {missing[:5]} (every reference must be defined in the file)"
        )


def load_catalog_file(path: Path | str) -> dict[str, Any]:
    """The JSON document at ``path``, with a clear error when it is missing or not JSON."""
    path = Path(path)
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CatalogFormatError(f"catalog file {path} does not exist") from exc
    except json.JSONDecodeError as exc:
        raise CatalogFormatError(f"catalog file {path} is not valid JSON: {exc}") from exc
    return data
