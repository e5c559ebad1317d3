"""Typed models of what encore reads from the Web API.

Fields that a quota mode does not give (followers and popularity in development mode, ...)
are ``None``, never 0, so that nothing downstream mistakes "not shown" for "zero". Both
playlist shapes are read: ``items``/``item`` (2026) and ``tracks``/``track`` (older).
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

T = TypeVar("T")


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


def _total(value: Any) -> Any:
    """``{"href": None, "total": 12}`` -> 12; absent or null -> None."""
    if isinstance(value, dict):
        return value.get("total")
    return value


class Image(_Model):
    url: str
    height: int | None = None
    width: int | None = None


class ExternalIds(_Model):
    isrc: str | None = None
    ean: str | None = None
    upc: str | None = None


class SimplifiedArtist(_Model):
    id: str
    name: str
    uri: str | None = None


class Artist(SimplifiedArtist):
    genres: list[str] | None = None
    images: list[Image] = Field(default_factory=list)
    followers: int | None = None
    popularity: int | None = None

    _followers = field_validator("followers", mode="before")(_total)


class SimplifiedTrack(_Model):
    id: str | None = None
    name: str
    artists: list[SimplifiedArtist] = Field(default_factory=list)
    disc_number: int | None = None
    track_number: int | None = None
    duration_ms: int | None = None
    explicit: bool | None = None
    is_local: bool = False
    uri: str | None = None
    external_ids: ExternalIds | None = None

    @property
    def isrc(self) -> str | None:
        return self.external_ids.isrc if self.external_ids else None


class Paging(_Model, Generic[T]):
    """One page of an offset-paged list; ``next`` is the URL of the following page."""

    items: list[T] = Field(default_factory=list)
    href: str | None = None
    limit: int | None = None
    offset: int | None = None
    total: int | None = None
    next: str | None = None
    previous: str | None = None


class CursorPaging(_Model, Generic[T]):
    """One page of a cursor-paged list (followed artists)."""

    items: list[T] = Field(default_factory=list)
    href: str | None = None
    limit: int | None = None
    total: int | None = None
    next: str | None = None
    after: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _cursor(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("cursors"), dict):
            data = {**data, "after": data["cursors"].get("after")}
        return data


class SimplifiedAlbum(_Model):
    id: str
    name: str
    album_type: str | None = None
    album_group: str | None = None
    total_tracks: int | None = None
    release_date: str | None = None
    release_date_precision: str | None = None
    artists: list[SimplifiedArtist] = Field(default_factory=list)
    images: list[Image] = Field(default_factory=list)
    uri: str | None = None


class Album(SimplifiedAlbum):
    tracks: Paging[SimplifiedTrack] | None = None
    label: str | None = None
    popularity: int | None = None
    genres: list[str] | None = None
    external_ids: ExternalIds | None = None
    available_markets: list[str] | None = None

    @property
    def upc(self) -> str | None:
        return self.external_ids.upc if self.external_ids else None


class Track(SimplifiedTrack):
    album: SimplifiedAlbum | None = None
    popularity: int | None = None
    available_markets: list[str] | None = None


class User(_Model):
    id: str
    display_name: str | None = None
    uri: str | None = None
    country: str | None = None
    product: str | None = None
    email: str | None = None
    followers: int | None = None

    _followers = field_validator("followers", mode="before")(_total)


class PlaylistItem(_Model):
    """A playlist entry: ``item`` (2026 shape) or ``track`` (older shape), read the same way.

    Episodes and unavailable entries leave ``item`` None; ``item_type`` says which it was.
    """

    added_at: str | None = None
    added_by: User | None = None
    is_local: bool = False
    item: Track | None = None
    item_type: str | None = None
    item_uri: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _either_shape(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        entry = data.get("item") if data.get("item") is not None else data.get("track")
        out = {k: v for k, v in data.items() if k not in ("item", "track")}
        if isinstance(entry, dict):
            out["item_type"] = entry.get("type", "track")
            out["item_uri"] = entry.get("uri")
            out["item"] = entry if out["item_type"] == "track" else None
        return out

    @property
    def track(self) -> Track | None:
        return self.item


class Playlist(_Model):
    """A playlist; ``items`` holds the first page of entries when the API embeds it."""

    id: str
    name: str
    description: str | None = None
    owner: User | None = None
    public: bool | None = None
    collaborative: bool = False
    snapshot_id: str | None = None
    uri: str | None = None
    images: list[Image] = Field(default_factory=list)
    followers: int | None = None
    items: Paging[PlaylistItem] | None = None
    total_items: int | None = None

    _followers = field_validator("followers", mode="before")(_total)

    @model_validator(mode="before")
    @classmethod
    def _either_shape(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        entries = data.get("items") if data.get("items") is not None else data.get("tracks")
        out = {k: v for k, v in data.items() if k not in ("items", "tracks")}
        if isinstance(entries, dict):
            out["total_items"] = entries.get("total")
            # a simplified playlist only carries {"href", "total"}: no page of entries
            out["items"] = entries if "items" in entries else None
        return out
