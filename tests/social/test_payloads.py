"""Typed payloads: a platform's change of format is named field by field, never coerced away."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from analytics.social import MalformedPayload
from analytics.social.payloads import Count, Flag, Payload, Text, Time, parse


class _Stats(Payload):
    views: Count
    likes: Count | None = None


class _Item(Payload):
    id: Text
    public: Flag | None = None
    at: Time | None = None
    stats: _Stats


def test_counts_accept_digit_strings_and_times_accept_iso_and_epoch() -> None:
    item = parse("youtube", _Item, {"id": "v1", "at": "2026-12-01T10:00:00Z", "stats": {"views": "12"}})
    assert item.stats.views == 12 and item.stats.likes is None
    assert item.at == datetime(2026, 12, 1, 10, tzinfo=UTC)
    assert parse("tiktok", _Item, {"id": "v", "at": 0, "stats": {"views": 1}}).at == datetime(
        1970, 1, 1, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("data", "field", "problem"),
    [
        ({"stats": {"views": 1}}, "id", "is missing"),
        ({"id": None, "stats": {"views": 1}}, "id", "is missing"),
        ({"id": 7, "stats": {"views": 1}}, "id", "should be a str, got 7"),
        ({"id": "v", "stats": {"views": "12k"}}, "stats.views", "should be an integer, got '12k'"),
        ({"id": "v", "stats": {"views": -1}}, "stats.views", "should be a non-negative integer, got -1"),
        ({"id": "v", "stats": {"views": True}}, "stats.views", "should be an integer, got True"),
        ({"id": "v", "public": "yes", "stats": {"views": 1}}, "public", "should be a bool, got 'yes'"),
        ({"id": "v", "at": "soon", "stats": {"views": 1}}, "at", "should be a time, got 'soon'"),
        ({"id": "v", "stats": []}, "stats", "should be a dict, got []"),
    ],
)
def test_the_first_bad_field_is_named_with_what_is_wrong(data: object, field: str, problem: str) -> None:
    with pytest.raises(MalformedPayload) as caught:
        parse("x", _Item, data)
    assert caught.value.platform == "x" and caught.value.field == field
    assert f"field '{field}' {problem}" in str(caught.value)
