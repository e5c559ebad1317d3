"""How plays started: streams by way and shuffle, from play events in frames and in the warehouse."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest

from analytics.streaming.events import play_tuple
from analytics.streaming.load import store_events
from analytics.streaming.play_starts import (
    WAYS,
    play_sources,
    read_play_sources,
    shuffle_share,
    start_way,
    way_shares,
)
from analytics.warehouse import Warehouse

ARTIST = "YQhOGXX8g2pM1yHEFVFAjK"
DAY = date(2026, 11, 20)


@pytest.mark.parametrize(
    ("reason", "way"),
    [
        ("clickrow", "chosen"),
        ("playbtn", "chosen"),
        ("TrackDone", "after"),
        ("fwdbtn", "skipped_to"),
        ("backbtn", "skipped_to"),
        ("appload", "unknown"),
        (None, "unknown"),
        ("", "unknown"),
    ],
)
def test_each_reason_a_play_started_reads_as_a_way(reason: object, way: str) -> None:
    assert start_way(reason) == way


def _plays() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "track_id": ["a", "a", "a", "a", "b", "b"],
            "reason_start": ["clickrow", "trackdone", "trackdone", "fwdbtn", "clickrow", None],
            "shuffle": [True, False, False, None, False, True],
            "ms_played": [31_000, 200_000, 29_999, 45_000, 60_000, 40_000],  # one play under 30 s
        }
    )


def test_only_streams_count_by_track_way_and_shuffle() -> None:
    counted = play_sources(_plays())
    assert counted.to_dict("records") == [
        {"track_id": "a", "way": "after", "shuffle": False, "streams": 1},
        {"track_id": "a", "way": "chosen", "shuffle": True, "streams": 1},
        {"track_id": "a", "way": "skipped_to", "shuffle": False, "streams": 1},
        {"track_id": "b", "way": "chosen", "shuffle": False, "streams": 1},
        {"track_id": "b", "way": "unknown", "shuffle": True, "streams": 1},
    ]


def test_shares_list_every_way_and_narrow_to_one_songs_tracks() -> None:
    counted = play_sources(_plays())
    everyone = way_shares(counted)
    assert list(everyone["way"]) == list(WAYS)
    assert list(everyone["streams"]) == [2, 1, 1, 1]
    assert everyone["share"].sum() == pytest.approx(1.0)
    song = way_shares(counted, track_ids={"b"})
    assert dict(zip(song["way"], song["share"], strict=True)) == {
        "chosen": 0.5,
        "after": 0.0,
        "skipped_to": 0.0,
        "unknown": 0.5,
    }
    assert shuffle_share(counted) == pytest.approx(2 / 5)
    assert shuffle_share(counted, track_ids={"missing"}) is None
    assert list(way_shares(counted, track_ids={"missing"})["share"]) == [0.0] * 4


def test_no_plays_count_nothing() -> None:
    assert play_sources(pd.DataFrame()).empty


def _tuple(k: int, *, source: str, day: date, reason: str, ms: int = 40_000) -> tuple[object, ...]:
    ts = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(minutes=k)
    return play_tuple(
        ts=ts,
        track_id="6rqhFgbbKwnb9MLmUQDhG6",
        ms_played=ms,
        source=source,
        identity=f"{source}|{day}|{k}",
        artist_id=ARTIST,
        reason_start=reason,
        shuffle=k % 2 == 0,
    )


def test_the_warehouse_counts_one_source_of_plays_in_the_period(sqlite_warehouse: Warehouse) -> None:
    engine = sqlite_warehouse.engine
    assert read_play_sources(engine, artist_id=ARTIST, start=DAY, end=DAY) is not None
    rows = [
        *(_tuple(k, source="realtime", day=DAY, reason="clickrow") for k in range(3)),
        _tuple(3, source="realtime", day=DAY, reason="trackdone"),
        _tuple(4, source="realtime", day=DAY, reason="trackdone", ms=10_000),  # not a stream
        _tuple(5, source="realtime", day=DAY + timedelta(days=1), reason="trackdone"),  # after the period
        *(
            _tuple(10 + k, source="history", day=DAY, reason="fwdbtn") for k in range(4)
        ),  # the same plays again
    ]
    with engine.begin() as conn:
        store_events(conn, rows)
    counted = read_play_sources(engine, artist_id=ARTIST, start=DAY, end=DAY)
    assert counted is not None
    shares = way_shares(counted)
    assert dict(zip(shares["way"], shares["streams"], strict=True)) == {
        "chosen": 3,
        "after": 1,
        "skipped_to": 0,  # the history's plays are not added to the real-time ones
        "unknown": 0,
    }
    assert read_play_sources(engine, artist_id="nobody", start=DAY, end=DAY).empty  # type: ignore[union-attr]
