"""Typed payloads of the social platforms and MusicBrainz, as ``analytics.spotify.models`` is for Spotify.

Each platform module declares pydantic models of the parts of its answers it reads; :func:`parse`
validates one and turns the first problem into a :class:`MalformedPayload` that names the field
(``statistics.subscriberCount``) and what is wrong with it, so a platform's change of format is
reported, never stored. Counts are non-negative integers (YouTube sends them as strings of
digits), texts are strings, flags are booleans, times are ISO-8601 or epoch seconds.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, StrictBool, StrictStr, ValidationError
from pydantic_core import PydanticCustomError

from analytics.social.errors import MalformedPayload

M = TypeVar("M", bound=BaseModel)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _count(value: Any) -> Any:
    if isinstance(value, str) and value.isdigit():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise PydanticCustomError("malformed", "should be an integer, got {shown}", {"shown": _shown(value)})
    if value < 0:
        raise PydanticCustomError(
            "malformed", "should be a non-negative integer, got {shown}", {"shown": _shown(value)}
        )
    return value


def _time(value: Any) -> Any:
    try:
        if isinstance(value, int) and not isinstance(value, bool):
            return datetime.fromtimestamp(value, UTC)
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError):
        raise PydanticCustomError(
            "malformed", "should be a time, got {shown}", {"shown": repr(str(value)[:40])}
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


Count = Annotated[int, BeforeValidator(_count)]
"""A non-negative integer, or a string of digits (as YouTube sends counts)."""
Time = Annotated[datetime, BeforeValidator(_time)]
"""An aware datetime from an ISO-8601 string or epoch seconds (UTC when no zone is given)."""
Text = StrictStr
Flag = StrictBool


class Payload(BaseModel):
    """A part of a platform's answer: unknown fields ignored, nothing coerced beyond the types above."""

    model_config = ConfigDict(extra="ignore", frozen=True)


_EXPECTED = {
    "string_type": "a str",
    "bool_type": "a bool",
    "list_type": "a list",
    "dict_type": "a dict",
    "model_type": "a dict",
    "model_attributes_type": "a dict",
    "int_type": "an integer",
    "float_type": "a number",
}


def parse(platform: str, model: type[M], data: Any) -> M:
    """``data`` validated as ``model``.

    Parameters
    ----------
    platform : named in the error.

    Raises
    ------
    MalformedPayload naming the platform, the first bad field's dotted path and the problem:
    ``is missing`` (absent or null), ``should be an integer, got '12k'`` and so on.
    """
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        path = ".".join(str(part) for part in first["loc"])
        raise MalformedPayload(platform, path or "<body>", _problem(first)) from None


def _problem(error: Any) -> str:
    if error["type"] == "missing" or error.get("input", "") is None:
        return "is missing"
    if error["type"] == "malformed":
        return str(error["msg"])
    expected = _EXPECTED.get(error["type"])
    if expected is None:
        return str(error["msg"]).lower()
    return f"should be {expected}, got {_shown(error.get('input'))}"
