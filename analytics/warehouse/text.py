"""One text sanitiser for storage, the same on SQLite and PostgreSQL.

PostgreSQL refuses a NUL character in text and psycopg refuses a lone UTF-16 surrogate (which
JSON and some exports can carry); SQLite stores both and hands them back to every reader. A
name from Spotify or an export file is stored without NULs and with each lone surrogate as
U+FFFD on both databases, so the two agree and a second run finds nothing changed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

_SURROGATE = re.compile("[\ud800-\udfff]")


def storage_text(value: str) -> str:
    """``value`` without NUL characters and with lone surrogates replaced by U+FFFD."""
    if value.isascii():
        return value.replace("\x00", "") if "\x00" in value else value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = _SURROGATE.sub("\ufffd", value)
    return value.replace("\x00", "") if "\x00" in value else value


def storage_value(value: Any) -> Any:
    """:func:`storage_text` applied to a string, or to the strings inside lists and mappings."""
    if isinstance(value, str):
        return storage_text(value)
    if isinstance(value, Mapping):
        return {storage_value(k): storage_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(storage_value(v) for v in value)
    return value


def storage_parameters(parameters: Any, *, many: bool) -> Any:
    """Statement parameters (one set, or a list of sets when ``many``) with text made storable."""
    if many and isinstance(parameters, Sequence) and not isinstance(parameters, str):
        return [storage_parameters(p, many=False) for p in parameters]
    if isinstance(parameters, Mapping):
        return {k: storage_value(v) for k, v in parameters.items()}
    if isinstance(parameters, list | tuple):
        return type(parameters)(storage_value(v) for v in parameters)
    return parameters
