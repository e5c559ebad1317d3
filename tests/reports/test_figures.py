"""Figure builders: the data each figure carries, and data text shown as text."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pandas as pd
import pytest

from analytics.reports import figures
from analytics.reports.figures_audio import PITCH_CLASSES, STREAMING_NORM_LUFS

HOSTILE = "</script><script>alert(2)</script>"
DAYS = [date(2026, 11, 1) + timedelta(days=i) for i in range(7)]


def daily() -> pd.DataFrame:
    return pd.DataFrame(
        {"day": DAYS, "streams": [10, 12, 11, 90, 13, 12, 11], "listeners": [5, 6, 5, 30, 6, 6, 5]}
    )


def test_streams_over_time_marks_anomalies_on_their_day_and_releases_by_name() -> None:
    anomalies = pd.DataFrame(
        {"day": [DAYS[3]], "kind": ["spike"], "metric": ["streams"], "observed": [90.0], "expected": [11.0]}
    )
    releases = pd.DataFrame({"name": [HOSTILE], "release_date": [DAYS[1]]})
    fig = figures.streams_over_time(daily(), anomalies=anomalies, releases=releases)
    bars, listeners, marks = fig.data
    assert list(bars.y) == [10, 12, 11, 90, 13, 12, 11] and listeners.yaxis == "y2"
    assert list(marks.x) == [DAYS[3]] and list(marks.y) == [90]
    assert marks.customdata[0][0] == "spike" and marks.customdata[0][3] == "11"
    (note,) = fig.layout.annotations
    assert "<script>" not in note.text and note.text.startswith("&lt;/script&gt;")
    assert len(fig.layout.shapes) == 1


@pytest.mark.parametrize(
    ("streams", "listeners"), [(1_513, 1_057), (150, 124), (3, 2), (1, 0), (98_765, 4_321)]
)
def test_streams_and_listeners_ticks_are_round_and_on_the_same_gridlines(
    streams: int, listeners: int
) -> None:
    frame = daily().assign(streams=[streams] * 7, listeners=[listeners] * 7)
    layout = figures.streams_over_time(frame).to_plotly_json()["layout"]
    for axis, top in (("yaxis", streams), ("yaxis2", listeners)):
        step, (low, high) = layout[axis]["dtick"], layout[axis]["range"]
        assert low == 0 and high == 4 * step and high > top  # four steps from zero, above the data
        mantissa = step / 10 ** math.floor(math.log10(step))
        assert mantissa in {1, 2, 2.5, 5} and step >= 1, (axis, step)  # round whole steps: 250, 500, 750
        assert layout[axis]["tickformat"] == ",d"  # both axes group thousands alike


def test_streams_over_time_without_listeners_has_one_axis() -> None:
    fig = figures.streams_over_time(daily().drop(columns="listeners"))
    assert len(fig.data) == 1 and "yaxis2" not in fig.to_plotly_json()["layout"]


def test_top_tracks_colour_growth_and_mark_new_tracks() -> None:
    momentum = pd.DataFrame(
        {"name": ["Up", "Down", HOSTILE], "streams": [300, 200, 100], "growth": [0.5, -0.25, float("nan")]}
    )
    (bars,) = figures.top_tracks_momentum(momentum).data
    assert list(bars.x) == [100, 200, 300]  # largest on top
    assert list(bars.text) == ["new", "-25%", "+50%"]
    assert bars.marker.color[1] != bars.marker.color[2]
    assert all("<" not in y for y in bars.y)


def test_top_tracks_without_an_earlier_period_call_no_track_new() -> None:
    """The data starts within the period: no bar says "new", the hover says there is nothing earlier."""
    momentum = pd.DataFrame(
        {"name": ["A", "B"], "streams": [300, 200], "growth": [float("nan")] * 2, "new": [False, False]}
    )
    (bars,) = figures.top_tracks_momentum(momentum).data
    assert list(bars.text) == ["", ""] and list(bars.customdata) == ["no earlier data"] * 2
    momentum["new"] = [True, False]
    (bars,) = figures.top_tracks_momentum(momentum).data
    assert list(bars.text) == ["", "new"] and list(bars.customdata) == [
        "no earlier data",
        "new vs previous period",
    ]


def test_country_bars_use_country_names_and_shares() -> None:
    (bars,) = figures.country_bars(
        pd.DataFrame({"country": ["FR", "DE", "other"], "streams": [75, 20, 5]})
    ).data
    assert list(bars.y) == ["Other countries", "Germany", "France"] and list(bars.text) == [
        "5%",
        "20%",
        "75%",
    ]


def test_social_audience_one_line_per_platform_with_gaps_kept() -> None:
    snapshots = pd.DataFrame(
        {
            "platform": ["instagram"] * 3 + ["youtube"] * 3,
            "day": DAYS[:3] * 2,
            "followers": [10, None, 12, 100, 101, 102],
        }
    )
    fig = figures.social_audience(snapshots)
    assert [t.name for t in fig.data] == ["Instagram", "YouTube"]
    assert pd.isna(fig.data[0].y[1]) and fig.data[0].connectgaps is False


def test_social_audience_shows_a_single_snapshot_on_the_reports_days() -> None:
    one_day = pd.DataFrame(
        {"platform": ["instagram", "x"], "day": [date(2026, 12, 5)] * 2, "followers": [1479, 989]}
    )
    fig = figures.social_audience(one_day, start=date(2026, 11, 8), end=date(2026, 12, 5))
    assert all("markers" in t.mode for t in fig.data)  # a lone day is a visible point
    low, high = (pd.Timestamp(v) for v in fig.layout.xaxis.range)
    assert low <= pd.Timestamp("2026-11-08") and high >= pd.Timestamp("2026-12-05")
    assert high - low < pd.Timedelta(days=29)
    today = one_day.assign(day=date(2026, 12, 6))  # taken the day after the period ends
    high = pd.Timestamp(
        figures.social_audience(today, start=date(2026, 11, 8), end=date(2026, 12, 5)).layout.xaxis.range[1]
    )
    assert high > pd.Timestamp("2026-12-06")
    alone = figures.social_audience(one_day)  # without a period: a week around the day, not hours
    low, high = (pd.Timestamp(v) for v in alone.layout.xaxis.range)
    assert high - low >= pd.Timedelta(days=6)


def test_key_bars_count_major_and_minor_per_pitch_class() -> None:
    features = pd.DataFrame({"key": ["A", "A", "C#", 0], "mode": ["minor", "minor", "major", 1]})
    fig = figures.key_bars(features)
    major, minor = fig.data
    assert list(minor.x) == list(PITCH_CLASSES) and minor.type == "bar"
    assert minor.y[9] == 2 and sum(minor.y) == 2
    assert major.y[1] == 1 and major.y[0] == 1 and sum(major.y) == 2
    assert fig.layout.barmode == "stack"


def test_histograms_are_bars_of_counts_binned_here_with_empty_bins_kept() -> None:
    bins = figures.binned(pd.Series([91.0, 99.9, 120.0, 121.0, None]), width=10)
    assert list(bins["low"]) == [90, 100, 110, 120] and list(bins["count"]) == [2, 0, 0, 2]
    durations = figures.duration_distribution(pd.DataFrame({"duration_ms": [60_000, 75_000, 200_000]}))
    (bars,) = durations.data
    assert bars.type == "bar" and list(bars.y) == [2, 0, 0, 0, 1] and bars.customdata[0] == "1–1.5"
    assert figures.binned(pd.Series([], dtype=float), width=1).empty


def test_loudness_bars_start_at_the_norm_and_say_how_much_is_turned_down() -> None:
    features = pd.DataFrame({"name": ["Loud", "Quiet"], "loudness_lufs": [-8.0, -18.5]})
    (bars,) = figures.loudness_against_norm(features).data
    assert bars.base == STREAMING_NORM_LUFS
    assert list(bars.x) == pytest.approx([-4.5, 6.0])
    assert bars.customdata[1] == "turned down 6.0 dB" and "below the norm" in bars.customdata[0]


def test_tempo_histogram_and_sounds_like_map_carry_every_track() -> None:
    features = pd.DataFrame({"tempo_bpm": [90.0, 120.0, 121.0]})
    tempo = figures.tempo_histogram(features)
    assert list(tempo.data[0].x) == [95.0, 105.0, 115.0, 125.0] and list(tempo.data[0].y) == [1, 0, 0, 2]
    assert tempo.data[0].customdata[0] == "90–100"
    assert tempo.layout.yaxis.tickformat == "d" and tempo.layout.yaxis.dtick == 1  # whole tracks
    points = pd.DataFrame(
        {
            "name": ["a", "b", HOSTILE],
            "x": [0.0, 1.0, 2.0],
            "y": [0.0, 1.0, 0.0],
            "cluster": [0, 0, 1],
            "group": ["slow, quiet", "slow, quiet", "<b>loud</b>"],
            "nearest": ["b", "a", "b"],
            "why": ["both slow", "both slow", "both fast"],
        }
    )
    fig = figures.sounds_like_map(points)
    assert [len(t.x) for t in fig.data] == [2, 1]
    assert fig.data[1].text[0].startswith("&lt;/script&gt;")
    assert [t.name for t in fig.data] == ["slow, quiet", "&lt;b&gt;loud&lt;/b&gt;"]
    assert list(fig.data[0].customdata[0]) == ["b", "both slow"]


def test_plot_text_escapes_shortens_and_flattens() -> None:
    assert figures.plot_text("<b>x</b>\n y") == "&lt;b&gt;x&lt;/b&gt; y"
    assert figures.plot_text("a" * 100, max_chars=10) == "a" * 9 + "…"


def test_plot_text_escapes_once_what_plotly_reads_and_drops_bidi_controls() -> None:
    # plotly decodes &amp; &lt; &gt; but shows &quot; and &#x27; as written
    assert figures.plot_text('Say "hi" & it\'s <3') == 'Say "hi" &amp; it\'s &lt;3'
    assert figures.plot_text("\u202eesreveR\u202c By-Product") == "esreveR By-Product"


def test_tracks_per_release_writes_names_above_the_bars_and_counts_beside_them() -> None:
    albums = pd.DataFrame(
        {
            "album_id": ["a", "b"],
            "name": [HOSTILE, "Older"],
            "album_group": ["album", "single"],
            "release_date": ["2024-01-01", "2020-01-01"],
        }
    )
    tracks = pd.DataFrame({"album_id": ["a", "a", "b"], "duration_ms": [240_000, 180_000, 60_000]})
    fig = figures.tracks_per_release(albums, tracks)
    (bars,) = fig.data
    assert list(bars.x) == [1, 2] and list(bars.text) == ["1 track · 1 min", "2 tracks · 7 min"]
    older, newer = (a.text for a in fig.layout.annotations)
    assert older == "Older (single)" and newer.startswith("&lt;/script&gt;") and "<" not in newer
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False


ENGLISH_CHART_WORDS = ("streams", "listeners", "anomaly", "tracks", "beats per minute", "integrated")


def _plain(value: object) -> str:
    if isinstance(value, list | tuple):
        return " ".join(_plain(v) for v in value)
    return "" if value is None else str(value)


def _words_drawn(fig) -> str:
    """Every word a figure carries for the reader: title, axes, legend, bar texts, hover texts."""
    spec = fig.to_plotly_json()
    layout = spec["layout"]
    parts = [str(layout.get("title", {}).get("text", ""))]
    for name, axis in layout.items():
        if name.startswith(("xaxis", "yaxis")):
            parts += [str(axis.get("title", {}).get("text", "")), _plain(axis.get("ticktext"))]
    parts += [str(a.get("text", "")) for a in layout.get("annotations", [])]
    for trace in spec["data"]:
        parts += [_plain(trace.get(k)) for k in ("name", "hovertemplate", "text", "customdata", "y")]
    return " | ".join(parts)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "fr",
            [
                "écoutes par jour",
                "auditeurs par jour",
                "jour inhabituel",
                "par rapport à la période précédente",
                "battements par minute",
                "titres",
                "LUFS (intégré)",
                "baissé de 6,0 dB",
                "mineur",
                "Autres pays",
                "Allemagne",
                "+50\u00a0%",
                "nouveau",
                "abonnés",
                "%-d %b",
            ],
        ),
        (
            "de",
            [
                "Streams pro Tag",
                "Hörer pro Tag",
                "ungewöhnlicher Tag",
                "gegenüber dem vorherigen Zeitraum",
                "Schläge pro Minute",
                "Titel",
                "LUFS (integriert)",
                "um 6,0 dB leiser gestellt",
                "Moll",
                "Andere Länder",
                "Deutschland",
                "+50\u00a0%",
                "neu",
                "Follower",
                "%-d. %b",
            ],
        ),
    ],
)
def test_every_word_a_figure_draws_is_in_the_reports_language(language: str, expected: list[str]) -> None:
    anomalies = pd.DataFrame(
        {"day": [DAYS[3]], "kind": ["x"], "metric": ["y"], "observed": [1234.0], "expected": [11.0]}
    )
    audio = pd.DataFrame(
        {
            "name": ["Loud", "Quiet"],
            "loudness_lufs": [-8.0, -18.5],
            "tempo_bpm": [90.0, 121.0],
            "key": ["A", "B"],
            "mode": ["minor", "major"],
        }
    )
    momentum = pd.DataFrame({"name": ["Up", "New"], "streams": [300, 100], "growth": [0.5, float("nan")]})
    snapshots = pd.DataFrame({"platform": ["instagram"] * 3, "day": DAYS[:3], "followers": [10, 11, 12]})
    built = [
        figures.streams_over_time(daily(), anomalies=anomalies, language=language),
        figures.top_tracks_momentum(momentum, language=language),
        figures.country_bars(
            pd.DataFrame({"country": ["DE", "other"], "streams": [75, 25]}), language=language
        ),
        figures.social_audience(snapshots, language=language),
        figures.tempo_histogram(audio, language=language),
        figures.key_bars(audio, language=language),
        figures.loudness_against_norm(audio, language=language),
    ]
    drawn = " | ".join(_words_drawn(f) for f in built)
    drawn += " | " + " ".join(str(f.layout.xaxis.tickformat) for f in built[:1] + built[3:4])
    for words in expected:
        assert words in drawn, f"{language}: {words!r} not drawn"
    for english in ENGLISH_CHART_WORDS:
        assert english not in drawn, f"{language}: {english!r} is still drawn"
    assert ("1\u202f234" if language == "fr" else "1.234") in drawn  # the anomaly's numbers, grouped
    notes = built[5].data[0].x  # the notes as the language names them: the categories themselves
    assert notes[-1] == ("H" if language == "de" else "B") and notes[0] == "C"
    english = " | ".join(_words_drawn(f) for f in (figures.streams_over_time(daily(), anomalies=anomalies),))
    assert "streams a day" in english and "listeners a day" in english and "1,234" in english


def test_stream_counts_on_bar_axes_group_thousands_as_the_language_does() -> None:
    """ "1 000" in French, "1,000" in English: plotly groups by the page's locale when told to."""
    tracks = figures.top_tracks_momentum(
        pd.DataFrame(
            {
                "track_id": ["a", "b"],
                "name": ["A", "B"],
                "streams": [2_500, 900],
                "previous": [2_000, 1_000],
                "growth": [0.25, -0.1],
                "new": [False, False],
            }
        ),
        language="fr",
    )
    countries = figures.country_bars(
        pd.DataFrame({"country": ["FR", "DE"], "streams": [2_500, 900]}), language="fr"
    )
    assert tracks.layout.xaxis.tickformat == ",d" and countries.layout.xaxis.tickformat == ",d"
