"""The track analysis and streaming explorer notebooks run under papermill on a small real world
(tests/reports/world.py: demo artists with streaming, anomalies and analysed audio, a bare
artist with nothing) and render through the report page assembler."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import pytest

from analytics.config import PROJECT_ROOT
from analytics.reports import notebook_to_html
from analytics.reports.display import PLOTLY_MIME
from tests.report_pages import plotly_bundles
from tests.reports.world import BARE_ID, World, copy_world

# The first test also waits for the shared report world (1-2.5 min on a loaded 2-core machine);
# each notebook runs in its own kernel.
pytestmark = [pytest.mark.timeout(600), pytest.mark.slow]
MAXSTACK = "YQhOGXX8g2pM1yHEFVFAjK"


@pytest.fixture(scope="module")
def world(report_world: World, tmp_path_factory: pytest.TempPathFactory) -> World:
    return copy_world(report_world, tmp_path_factory.mktemp("world"))


def execute(
    notebook: str, *, world: World, out: Path, monkeypatch: pytest.MonkeyPatch, **parameters: Any
) -> Path:
    """Run one notebook of notebooks/ against the world's warehouse (from the environment)."""
    import papermill

    monkeypatch.setenv("ENCORE_DATABASE_URL", world.warehouse_url)
    papermill.execute_notebook(
        str(PROJECT_ROOT / "notebooks" / notebook),
        str(out),
        parameters=parameters,
        kernel_name="python3",
        progress_bar=False,
        cwd=str(PROJECT_ROOT),
    )
    return out


def outputs(executed: Path) -> list[dict[str, Any]]:
    nb = nbformat.read(executed, as_version=4)
    return [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]


def html_of(found: list[dict[str, Any]]) -> str:
    return "".join(o.get("data", {}).get("text/html", "") for o in found)


def figure_titles(found: list[dict[str, Any]]) -> list[str]:
    return [
        str(o["data"][PLOTLY_MIME]["layout"]["title"]["text"])
        for o in found
        if PLOTLY_MIME in o.get("data", {})
    ]


def test_track_analysis_shows_features_keys_tempo_loudness_and_similarity(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    executed = execute(
        "track_analysis.ipynb",
        world=world,
        out=tmp_path / "track_analysis.ipynb",
        monkeypatch=monkeypatch,
        artist_id=MAXSTACK,
        run_dir=str(world.run_dir),
    )
    found = outputs(executed)
    assert not [o for o in found if o.get("output_type") == "error"]
    html = html_of(found)
    titles = figure_titles(found)
    assert titles == [
        "Tempo",
        "Keys, major and minor",
        "Integrated loudness against -14 LUFS",
        "Sounds like: close points sound alike",
    ]
    assert "Recordings analysed" in html and "tempo (BPM)" in html and "loudness (LUFS)" in html
    assert "<td>Awakening</td>" in html and "sounds most like" in html and "Seeded k-means" in html
    page = notebook_to_html(executed, output_path=tmp_path / "track_analysis.html", title="Maxstack")
    text = page.path.read_text(encoding="utf-8")
    assert page.figures == 4 and text.count('class="plot"') == 4
    assert text.count("Plotly.newPlot") == 4 and plotly_bundles(text) == 1  # one bundle
    assert "Content-Security-Policy" in text and "unsafe-eval" not in text


TRACK_ANALYSIS_ENGLISH = (
    "Recordings analysed",
    "Median tempo",
    "tempo (BPM)",
    "sounds most like",
    "Keys, major and minor",
    "Integrated loudness",
    "Sounds like",
    "Groups and outliers",
    "Methods and limits",
    "typical of the catalog",
    "both ",
    "similar timbre",
    "well above",
    "well below",
    "Seeded k-means",
    "Data quality",
)


def test_track_analysis_speaks_german_when_asked(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    executed = execute(
        "track_analysis.ipynb",
        world=world,
        out=tmp_path / "track_analysis_de.ipynb",
        monkeypatch=monkeypatch,
        artist_id=MAXSTACK,
        run_dir=str(world.run_dir),
        language="de",
    )
    found = outputs(executed)
    assert not [o for o in found if o.get("output_type") == "error"]
    html = html_of(found)
    titles = figure_titles(found)
    assert titles == [
        "Tempo",
        "Tonarten, Dur und Moll",
        "Integrierte Lautheit gegenüber -14 LUFS",
        "Klangverwandtschaft: nahe Punkte klingen ähnlich",
    ]
    for words in ("Analysierte Aufnahmen", "Tempo (BPM)", "klingt am ehesten wie", "k-Means mit festem Seed"):
        assert words in html, f"{words!r} not shown"
    legend = [
        str(t.get("name", ""))
        for o in found
        if PLOTLY_MIME in o.get("data", {})
        for t in o["data"][PLOTLY_MIME]["data"]
    ]
    for english in TRACK_ANALYSIS_ENGLISH:
        assert english not in html + " | ".join(titles + legend), f"{english!r} is still English"


def test_track_analysis_says_when_the_artist_has_no_audio(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    executed = execute(
        "track_analysis.ipynb",
        world=world,
        out=tmp_path / "bare.ipynb",
        monkeypatch=monkeypatch,
        artist_id=BARE_ID,
        run_dir=str(world.run_dir),
    )
    found = outputs(executed)
    assert not [o for o in found if o.get("output_type") == "error"]
    assert not figure_titles(found)
    assert "No audio analysis for this artist yet" in html_of(found)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("de", ["Katalogdauer", "Titel pro Veröffentlichung", "Titellängen", "Kontingentmodus: Entwicklung"]),
        (
            "fr",
            ["Durée du catalogue", "Titres par sortie", "Durée des titres", "Mode de quota : développement"],
        ),
    ],
)
def test_the_catalog_overview_speaks_the_language_it_is_given(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str, words: list[str]
) -> None:
    executed = execute(
        "catalog_overview.ipynb",
        world=world,
        out=tmp_path / f"catalog-{language}.ipynb",
        monkeypatch=monkeypatch,
        run_dir=str(world.run_dir),
        artist_ids=[MAXSTACK],
        language=language,
    )
    found = outputs(executed)
    assert not [o for o in found if o.get("output_type") == "error"]
    shown = html_of(found) + " | ".join(figure_titles(found))
    drawn = " | ".join(
        str(t)
        for o in found
        if PLOTLY_MIME in o.get("data", {})
        for t in o["data"][PLOTLY_MIME]["data"][0].get("text") or []
    )
    for word in words:
        assert word in shown, f"{language}: {word!r} not shown"
    for english in (
        "Catalog length",
        "Own playlists",
        "Tracks per release",
        "Track durations",
        "Quota mode",
        " tracks",
    ):
        assert english not in shown + drawn, f"{language}: {english!r} is still English"


def test_streaming_explorer_shows_daily_metrics_rolling_sums_and_explained_anomalies(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    start, end = world.period
    executed = execute(
        "streaming_explorer.ipynb",
        world=world,
        out=tmp_path / "streaming_explorer.ipynb",
        monkeypatch=monkeypatch,
        artist_id=MAXSTACK,
        start=start.isoformat(),
        end=end.isoformat(),
    )
    found = outputs(executed)
    assert not [o for o in found if o.get("output_type") == "error"]
    html = html_of(found)
    titles = figure_titles(found)
    assert "Streams, 7- and 28-day sums (s4a)" in titles
    assert "Skip, completion and save rates (realtime)" in titles
    assert "Anomalies by track and kind" in titles
    assert "streams_28d" in html and "streams_delta_7d" in html and "never summed" in html
    assert "Observed against the expected range" in html and "robust z" in html
    assert "Streams by country" in titles


def test_playlist_curation_explains_scores_left_out_order_and_cost(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    executed = execute(
        "playlist_curation.ipynb",
        world=world,
        out=tmp_path / "playlist_curation.ipynb",
        monkeypatch=monkeypatch,
        definition="maxstack-essentials",
        today="2026-11-23",
    )
    found = outputs(executed)
    assert not [o for o in found if o.get("output_type") == "error"]
    html = html_of(found)
    titles = figure_titles(found)
    assert "Energy along the playlist" in titles and "Cost of each transition" in titles
    assert "why here" in html and "pinned at position 1" in html and "placed after" in html
    assert "not in the definition&#x27;s pool" in html or "not in the definition's pool" in html
    assert "max_per_album" in html or "below the cut" in html  # each candidate out says why
    assert "Lower bound" in html and "the exact optimum" in html  # 10 tracks: Held-Karp
    assert "Nearest neighbour" in html and "% below" in html
