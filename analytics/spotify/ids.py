"""Spotify ids, URIs and URLs: accept any of the three, send what the endpoint wants."""

from __future__ import annotations

import re
from collections.abc import Sequence

from analytics.config import InvalidInput

_URI = re.compile(r"^spotify:(?P<kind>[a-z]+):(?P<id>[0-9A-Za-z]+)$")
_URL = re.compile(
    r"^https?://open\.spotify\.com/(?:intl-[\w-]+/)?(?P<kind>[a-z]+)/(?P<id>[0-9A-Za-z]+)(?:[?#].*)?$"
)
_ID = re.compile(r"^[0-9A-Za-z]+$")


def spotify_id(kind: str, value: str) -> str:
    """The bare id of ``value`` (an id, ``spotify:<kind>:<id>`` or an open.spotify.com URL).

    Raises
    ------
    ValueError : ``value`` is not an id, or is a URI/URL of another kind.
    """
    text = value.strip()
    match = _URI.match(text) or _URL.match(text)
    if match:
        if match["kind"] != kind:
            raise ValueError(f"expected a Spotify {kind}, got a {match['kind']}: {value!r}")
        return match["id"]
    if _ID.match(text):
        return text
    raise ValueError(f"not a Spotify {kind} id, URI or URL: {value!r}")


def artist_id_given(value: str) -> str:
    """The bare id of an artist as a person gives it: an id, ``spotify:artist:<id>`` or an
    ``open.spotify.com/artist/<id>`` URL.

    Raises
    ------
    InvalidInput : any other form; names the value and the accepted forms.
    """
    try:
        return spotify_id("artist", value)
    except ValueError as error:
        raise InvalidInput(
            f"{error}; give an artist id (22 letters and digits), spotify:artist:<id> "
            "or https://open.spotify.com/artist/<id>"
        ) from None


def artist_ids_given(values: Sequence[str] | None) -> list[str] | None:
    """:func:`artist_id_given` of each value (None stays None: nothing was given)."""
    return None if values is None else [artist_id_given(v) for v in values]


def spotify_uri(kind: str, value: str) -> str:
    """``spotify:<kind>:<id>`` for an id, URI or URL of that kind."""
    return f"spotify:{kind}:{spotify_id(kind, value)}"


def chunks(values: list[str], size: int) -> list[list[str]]:
    """``values`` cut into consecutive lists of at most ``size`` (size >= 1)."""
    if size < 1:
        raise ValueError(f"chunk size must be >= 1, got {size}")
    return [values[i : i + size] for i in range(0, len(values), size)]
