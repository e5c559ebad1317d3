"""Spotify ids, URIs and URLs: parsing as the Web API does, and seeded generation of new ids."""

from __future__ import annotations

import random
import re
import string

from analytics.sandbox.spotify.errors import ApiError

BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
_ID = re.compile(r"^[0-9A-Za-z]{22}$")
_URI = re.compile(r"^spotify:(?P<type>[a-z]+):(?P<id>[^:]+)$")
_URL = re.compile(
    r"^https?://open\.spotify\.com/(?:intl-[a-z]{2}/)?(?P<type>[a-z]+)/(?P<id>[^/?#]+)(?:[?#].*)?$"
)
USER_ID = re.compile(r"^[0-9A-Za-z._\-]{1,64}$")


def is_base62_id(value: str) -> bool:
    """Whether ``value`` is a 22-character base-62 Spotify id."""
    return bool(_ID.match(value))


def split_reference(value: str) -> tuple[str | None, str]:
    """``(type, id)`` of an id, a ``spotify:type:id`` URI or an open.spotify.com URL (type None for an id)."""
    value = value.strip()
    for pattern in (_URI, _URL):
        match = pattern.match(value)
        if match:
            return match.group("type"), match.group("id")
    return None, value


def parse_id(value: str, *, kind: str) -> str:
    """The base-62 id of ``value`` (id, URI or URL of a ``kind`` object).

    Raises
    ------
    ApiError
        400 ``Invalid base62 id`` when the id is malformed or the URI names another type.
    """
    found_kind, raw = split_reference(value)
    if (found_kind is not None and found_kind != kind) or not is_base62_id(raw):
        raise ApiError(400, "Invalid base62 id")
    return raw


def parse_uri(value: str, *, kinds: tuple[str, ...] = ("track",)) -> tuple[str, str]:
    """``(kind, id)`` of a Spotify URI (or URL) naming one of ``kinds``; 400 ``Invalid base62 id`` else."""
    found_kind, raw = split_reference(value)
    if found_kind is None or found_kind not in kinds:
        raise ApiError(400, f"Invalid track uri: {value}" if "track" in kinds else "Invalid base62 id")
    if found_kind == "user":
        if not USER_ID.match(raw):
            raise ApiError(400, "Invalid user id")
        return found_kind, raw
    if not is_base62_id(raw):
        raise ApiError(400, "Invalid base62 id")
    return found_kind, raw


def parse_id_list(raw: str | None, *, kind: str, maximum: int) -> list[str]:
    """The ids of a comma-separated ``ids`` parameter, at most ``maximum`` of them."""
    if not raw:
        raise ApiError(400, "invalid id")
    parts = [part for part in raw.split(",") if part.strip()]
    if len(parts) > maximum:
        raise ApiError(400, "Too many ids requested")
    return [parse_id(part, kind=kind) for part in parts]


def new_id(rng: random.Random) -> str:
    """A fresh 22-character base-62 id drawn from ``rng``."""
    return "".join(rng.choice(BASE62) for _ in range(22))


def uri(kind: str, object_id: str) -> str:
    return f"spotify:{kind}:{object_id}"


def open_url(kind: str, object_id: str) -> str:
    return f"https://open.spotify.com/{kind}/{object_id}"
