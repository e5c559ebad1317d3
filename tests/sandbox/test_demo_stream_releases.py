"""The demo's streams plant a release-day rise only where the catalog dates a release."""

from __future__ import annotations

from datetime import date

import numpy as np

from analytics.sandbox.streams.model import Song, plan, release_day, window

DAYS = window(date(2026, 12, 5), 90)


def _songs(*released: date | None) -> list[Song]:
    return [Song(f"t{i}", "artist", f"song {i}", 200_000, 40, when) for i, when in enumerate(released)]


def test_a_song_released_inside_the_window_gets_its_release_day_rise() -> None:
    songs = _songs(date(2008, 6, 1), DAYS[60], date(2012, 12, 15))
    planned = plan(songs, DAYS, np.random.default_rng(7), scale=1.0)
    assert planned.release == {1: 60}
    (rise,) = [label for label in planned.labels if label.kind == "release_spike"]
    assert rise.start == DAYS[60] and planned.level[1, :60].sum() == 0


def test_a_catalog_of_old_releases_gets_no_release_day_rise() -> None:
    songs = _songs(date(2008, 6, 1), date(2008, 6, 1), None)
    planned = plan(songs, DAYS, np.random.default_rng(7), scale=1.0)
    assert planned.release == {} and all(label.kind != "release_spike" for label in planned.labels)
    assert (planned.level > 0).all(), "no song is silenced before a release that is not there"


def test_catalog_release_dates_of_every_precision_read_as_their_first_day() -> None:
    assert release_day("2013") == date(2013, 1, 1) and release_day("2020-06") == date(2020, 6, 1)
    assert release_day("2012-12-15") == date(2012, 12, 15) and release_day("") is None
