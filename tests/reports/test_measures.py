"""Headline numbers, momentum, countries and the audio map, computed from small known frames."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from analytics.reports.measures import (
    audio_map,
    cached_audio_map,
    country_totals,
    headlines,
    pick_source,
    previous_window,
    track_momentum,
)

START, END = date(2026, 11, 1), date(2026, 11, 7)


def days(first: date, n: int) -> list[date]:
    return [first + timedelta(days=i) for i in range(n)]


def test_previous_window_has_the_same_length_and_ends_the_day_before() -> None:
    assert previous_window(START, END) == (date(2026, 10, 25), date(2026, 10, 31))
    assert previous_window(date(2026, 3, 1), date(2026, 3, 31)) == (date(2026, 1, 29), date(2026, 2, 28))


def test_headlines_sum_streams_but_average_listeners() -> None:
    daily = pd.DataFrame(
        {
            "day": days(date(2026, 10, 25), 14),
            "streams": [10] * 7 + [20] * 7,
            "listeners": [5] * 7 + [8] * 7,
        }
    )
    streams, listeners = headlines(daily, start=START, end=END)
    assert (streams.value, streams.previous, streams.change) == (140, 70, 1.0)
    assert streams.series == [20.0] * 7
    assert listeners.label == "Listeners a day" and listeners.value == 8 and listeners.previous == 5
    assert listeners.change == pytest.approx(0.6)


def test_headlines_without_an_earlier_period_have_no_change() -> None:
    daily = pd.DataFrame({"day": days(START, 7), "streams": range(7)})
    (streams,) = headlines(daily, start=START, end=END)
    assert streams.value == 21 and streams.previous is None and streams.change is None


def test_track_momentum_ranks_by_period_streams_and_marks_new_tracks() -> None:
    rows = [
        *({"day": d, "entity_id": "a", "streams": 10} for d in days(date(2026, 10, 25), 14)),
        *({"day": d, "entity_id": "b", "streams": 30} for d in days(START, 7)),
    ]
    tracks = pd.DataFrame({"track_id": ["a", "b"], "name": ["Old", "New"]})
    out = track_momentum(pd.DataFrame(rows), tracks, start=START, end=END)
    assert list(out["name"]) == ["New", "Old"]
    assert np.isnan(out.loc[0, "growth"]) and out.loc[1, "growth"] == 0.0
    assert list(out["new"]) == [True, False]
    assert out["share"].sum() == pytest.approx(1.0)


def test_track_momentum_calls_no_track_new_when_the_data_starts_within_the_period() -> None:
    rows = [{"day": d, "entity_id": t, "streams": 10} for d in days(START, 7) for t in ("a", "b")]
    tracks = pd.DataFrame({"track_id": ["a", "b"], "name": ["Old", "Older"]})
    out = track_momentum(pd.DataFrame(rows), tracks, start=START, end=END)
    assert out["growth"].isna().all() and not out["new"].any()


def test_country_totals_keep_the_top_and_sum_the_rest() -> None:
    countries = pd.DataFrame(
        {
            "day": [START] * 4 + [date(2026, 10, 1)],
            "country": ["FR", "DE", "US", "SE", "FR"],
            "streams": [5, 9, 1, 2, 100],
        }
    )
    out = country_totals(countries, start=START, end=END, top=2)
    assert list(out["country"]) == ["DE", "FR", "other"] and list(out["streams"]) == [9, 5, 3]


def test_pick_source_prefers_exports() -> None:
    assert pick_source(pd.DataFrame({"source": ["history", "realtime"]})) == "realtime"
    assert pick_source(pd.DataFrame({"source": ["history", "s4a"]})) == "s4a"
    assert pick_source(pd.DataFrame({"source": []})) is None


def _slow_and_fast() -> pd.DataFrame:
    """Three slow, calm, dark tracks and three fast, energetic, bright ones."""
    rng = np.random.default_rng(3)
    slow = {"tempo_bpm": 80, "energy": 0.2, "loudness_lufs": -20, "spectral_centroid_hz": 900}
    fast = {"tempo_bpm": 170, "energy": 0.9, "loudness_lufs": -8, "spectral_centroid_hz": 3000}
    rows = [
        {
            "track_id": f"{kind}-{i}",
            "name": f"{kind}{i}",
            **{k: v * (1 + 0.02 * rng.standard_normal()) for k, v in base.items()},
        }
        for kind, base in (("slow", slow), ("fast", fast))
        for i in range(3)
    ]
    return pd.DataFrame(rows)


def test_audio_map_groups_similar_tracks_and_names_the_nearest() -> None:
    rows = _slow_and_fast()
    out = audio_map(rows)
    assert len(out) == 6
    groups = out.groupby(out["name"].str[:4])["cluster"].nunique()
    assert groups.to_dict() == {"fast": 1, "slow": 1}
    assert out["cluster"].nunique() == 2
    assert all(n[:4] == m[:4] for n, m in zip(out["name"], out["nearest"], strict=True))
    assert set(out["group"]) != {""} and all(isinstance(w, str) for w in out["why"])
    again = audio_map(rows)
    pd.testing.assert_frame_equal(out, again)


def test_the_sounds_like_map_says_its_groups_and_reasons_in_the_report_language() -> None:
    from analytics.reports.words import group_words, reason_words, sound_words

    out = audio_map(_slow_and_fast())
    english = sound_words(out, language="en")
    # the catalog's English words are the ones the ML modules write
    assert list(english["group"]) == list(out["group"]) and list(english["why"]) == list(out["why"])
    german, french = sound_words(out, language="de"), sound_words(out, language="fr")
    slow = out["name"].str.startswith("slow")
    assert set(out.loc[slow, "group"]) == {"dark, calm, slow"}
    assert set(german.loc[slow, "group"]) == {"dunkel, ruhig, langsam"}
    assert set(french.loc[slow, "group"]) == {"sombre, calme, lent"}
    assert all(w.startswith("beide ") for w in german["why"]), list(german["why"])
    assert all(w.startswith("tous deux ") for w in french["why"]), list(french["why"])
    assert group_words("", language="de") == "typisch für den Katalog"
    assert reason_words("", language="fr") == "proches en tout, sans trait marquant"
    assert reason_words("mfcc_03_mean+,tempo_bpm+", language="de").startswith("ähnlich: mfcc 03 mean")
    assert reason_words("timbre,mode_minor+", language="fr") == "timbre proche, tous deux en mineur"
    # a map stored before the tokens existed keeps its English words
    stored = out.drop(columns=["group_traits", "why_traits"])
    pd.testing.assert_frame_equal(sound_words(stored, language="de"), stored)


def test_audio_map_needs_three_tracks() -> None:
    two = pd.DataFrame(
        {"track_id": ["a", "b"], "name": ["a", "b"], "tempo_bpm": [90, 100], "energy": [0.1, 0.2]}
    )
    assert audio_map(two).empty


def test_the_sounds_like_map_is_stored_by_content_and_read_back_unchanged(tmp_path) -> None:
    rng = np.random.default_rng(5)
    rows = pd.DataFrame(
        {
            "track_id": [f"t{i}" for i in range(6)],
            "name": [f"<b>{i}</b>" for i in range(6)],
            "tempo_bpm": rng.uniform(70, 180, 6),
            "energy": rng.uniform(0, 1, 6),
            "loudness_lufs": rng.uniform(-20, -6, 6),
        }
    )
    fresh = cached_audio_map(rows, cache_dir=tmp_path)
    stored = list(tmp_path.glob("audio-map-*.parquet"))
    assert len(stored) == 1
    pd.testing.assert_frame_equal(fresh, audio_map(rows))
    pd.testing.assert_frame_equal(cached_audio_map(rows, cache_dir=tmp_path), fresh)
    # Other audio is another key; a stored map is what is read, not recomputed.
    changed = rows.assign(tempo_bpm=rows["tempo_bpm"] + 1)
    cached_audio_map(changed, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("audio-map-*.parquet"))) == 2
    marked = fresh.assign(why="from the store")
    marked.to_parquet(stored[0], index=False)
    assert set(cached_audio_map(rows, cache_dir=tmp_path)["why"]) == {"from the store"}
    assert not list(tmp_path.glob("*.tmp"))
