"""Page assembly: scripts from data never become scripts, and only the page's own are allowed."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from pathlib import Path

import nbformat
import plotly.graph_objects as go
import pytest

from analytics.reports import display, write_index, write_report_meta
from analytics.reports.display import PLOTLY_MIME
from analytics.reports.html import notebook_to_html
from tests.report_pages import plotly_bundles

HOSTILE = "</script><script>alert(2)</script>"


def executed_notebook() -> nbformat.NotebookNode:
    fig = go.Figure(go.Bar(x=[1, 2], y=[HOSTILE, "b"], orientation="h"))
    outputs = [
        nbformat.v4.new_output(
            "display_data", data={PLOTLY_MIME: json.loads(fig.to_json()), "text/plain": "fig"}
        ),
        nbformat.v4.new_output(
            "display_data", data={"text/html": "<p>ok</p>", "application/javascript": "alert(3)"}
        ),
        nbformat.v4.new_output("stream", name="stderr", text="a warning with a path /secret/place"),
    ]
    cell = nbformat.v4.new_code_cell(source="secret_code_here = 1", outputs=outputs)
    return nbformat.v4.new_notebook(cells=[cell])


def test_page_hides_code_drops_stderr_and_javascript_outputs(tmp_path: Path) -> None:
    page = notebook_to_html(executed_notebook(), output_path=tmp_path / "r.html", title="<i>T</i>")
    raw = page.path.read_text(encoding="utf-8")
    assert page.figures == 1
    assert "secret_code_here" not in raw and "/secret/place" not in raw and "alert(3)" not in raw
    assert "<title>&lt;i&gt;T&lt;/i&gt;</title>" in raw


def test_figure_data_cannot_close_its_script_and_every_script_is_hashed(tmp_path: Path) -> None:
    raw = notebook_to_html(executed_notebook(), output_path=tmp_path / "r.html", title="t").path.read_text()
    assert HOSTILE not in raw and "\\u003c/script\\u003e" in raw
    csp = html.unescape(re.search(r'Content-Security-Policy" content="([^"]+)"', raw).group(1))  # type: ignore[union-attr]
    scripts = re.findall(r"<script>(.*?)</script>", raw, flags=re.S)
    assert len(scripts) == 2  # plotly.js once, one plot
    hashes = re.findall(r"'sha256-([^']+)'", csp)
    assert sorted(hashes) == sorted(
        base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in scripts
    )
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp and "unsafe-eval" not in csp
    outside_scripts = re.sub(r"<script>.*?</script>", "", raw, flags=re.S)
    assert "<script" not in outside_scripts and "require" not in outside_scripts
    assert "MathJax" not in outside_scripts and "http" not in outside_scripts.replace("http-equiv", "")


def test_links_in_reports_are_relative_paths_only() -> None:
    for href in ("javascript:alert(1)", "https://example.com/x", "//evil", "data:text/html,x", "a b.html"):
        with pytest.raises(ValueError, match="relative path"):
            display.link("x", href)


def test_sparkline_is_plain_svg_from_numbers() -> None:
    svg = display.sparkline_svg([1, 2, float("nan"), 3])
    assert svg.startswith("<svg") and "script" not in svg and svg.count(",") == 3
    assert display.sparkline_svg([1]) == ""


def test_index_groups_reports_by_artist_name_escaped(tmp_path: Path) -> None:
    for artist, period in (("A1", "2026-10"), ("A1", "2026-11"), ("B2", "2026-11")):
        page = tmp_path / artist / period / "artist_report.html"
        page.parent.mkdir(parents=True)
        page.write_text("<!DOCTYPE html>")
        write_report_meta(page, artist=f"<b>{artist}</b>", kind="Artist report", period=period)
    raw = write_index(tmp_path).read_text()
    rows = re.findall(r"<tr><td>(.*?)</td><td><a href=\"(.*?)\">", raw)
    assert rows == [
        ("&lt;b&gt;A1&lt;/b&gt;", "A1/2026-11/artist_report.html"),
        ("&lt;b&gt;A1&lt;/b&gt;", "A1/2026-10/artist_report.html"),
        ("&lt;b&gt;B2&lt;/b&gt;", "B2/2026-11/artist_report.html"),
    ]


def test_periods_read_as_dates_in_the_index() -> None:
    from analytics.reports.html import period_label

    assert period_label("2026-11-08_2026-12-05") == "8 Nov 2026 – 5 Dec 2026"
    assert period_label("2026-10-26_2026-11-22-fr") == "26 Oct 2026 – 22 Nov 2026 (fr)"
    assert period_label("2026-12-06") == "6 Dec 2026"
    assert period_label("2026-10") == "Oct 2026"
    assert period_label("2026-13-40") == "2026-13-40" and period_label("latest") == "latest"


def test_the_index_speaks_the_report_language(tmp_path: Path) -> None:
    for group, period, stem in (
        ("A1", "2026-10", "artist_report"),
        ("catalog", "2026-12-06", "catalog_overview"),
    ):
        page = tmp_path / group / period / f"{stem}.html"
        page.parent.mkdir(parents=True)
        page.write_text("<!DOCTYPE html>")
    write_report_meta(tmp_path / "A1" / "2026-10" / "artist_report.html", artist="A1", period="2026-10")
    raw = html.unescape(write_index(tmp_path, language="fr").read_text())
    assert '<html lang="fr">' in raw and "Rapports encore" in raw and "2 rapports" in raw
    assert "<th>Artiste</th><th>Rapport</th><th>Période</th>" in raw
    assert ">Rapport d'artiste<" in raw
    assert ">Vue d'ensemble du catalogue<" in raw and ">Catalogue<" in raw
    assert "6 déc. 2026" in raw and "oct. 2026" in raw
    for english in ("Artist report", "Catalog overview", "Period", "reports", "Generated"):
        assert english not in raw, english
    empty = write_index(tmp_path / "none", language="de").read_text()
    assert "Noch keine Berichte" in empty and "0 Berichte" in empty


def test_periods_read_as_dates_in_the_report_language() -> None:
    from analytics.reports.html import period_label

    assert period_label("2026-10", language="de") == "Okt. 2026"
    assert period_label("2026-12-06", language="fr") == "6 déc. 2026"


def test_tables_show_data_text_without_bidi_or_control_characters(capsys) -> None:
    import ast

    import pandas as pd

    from analytics.reports import display

    capsys.readouterr()
    display.table(pd.DataFrame({"track": ["\u202eesreveR\u202c\x07 <b>x</b>"], "streams": [3]}))
    display.heading("Nebula \u202e")
    # without a kernel, IPython prints each displayed bundle as a dict
    bundles = [
        ast.literal_eval(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")
    ]
    table_html, heading_html = (b["text/html"] for b in bundles)
    assert (
        "esreveR &lt;b&gt;x&lt;/b&gt;" in table_html
        and "\u202e" not in table_html
        and "\x07" not in table_html
    )
    assert heading_html == "<h2>Nebula </h2>"


def test_a_page_of_bars_and_lines_embeds_the_basic_bundle_once(tmp_path: Path) -> None:
    from plotly.offline import get_plotlyjs_version

    from analytics.reports.html import BASIC_BUNDLE, bundle_version

    page = notebook_to_html(executed_notebook(), output_path=tmp_path / "r.html", title="t")
    raw = page.path.read_text(encoding="utf-8")
    assert page.plotly == "basic" and plotly_bundles(raw) == 1
    assert bundle_version(BASIC_BUNDLE.read_text(encoding="utf-8")) == get_plotlyjs_version()
    assert page.bytes < 1_400_000


def test_a_trace_type_beyond_the_basic_bundle_gets_the_full_bundle(tmp_path: Path) -> None:
    nb = executed_notebook()
    polar = go.Figure(go.Barpolar(r=[1, 2], theta=["C", "D"]))
    nb.cells[0].outputs.append(
        nbformat.v4.new_output("display_data", data={PLOTLY_MIME: json.loads(polar.to_json())})
    )
    page = notebook_to_html(nb, output_path=tmp_path / "r.html", title="t")
    assert page.plotly == "full" and page.figures == 2
    assert plotly_bundles(page.path.read_text(encoding="utf-8")) == 1


@pytest.mark.parametrize(("language", "month"), [("fr", "nov."), ("de", "Nov.")])
def test_a_french_or_german_page_registers_its_plotly_locale_hashed_in_the_csp(
    tmp_path: Path, language: str, month: str
) -> None:
    raw = notebook_to_html(
        executed_notebook(), output_path=tmp_path / "r.html", title="t", language=language
    ).path.read_text(encoding="utf-8")
    csp = html.unescape(re.search(r'Content-Security-Policy" content="([^"]+)"', raw).group(1))  # type: ignore[union-attr]
    scripts = re.findall(r"<script>(.*?)</script>", raw, flags=re.S)
    assert len(scripts) == 3  # plotly.js, its locale, one plot
    assert sorted(re.findall(r"'sha256-([^']+)'", csp)) == sorted(
        base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in scripts
    )
    bundle, register, plot = scripts
    assert "plotly.js" in bundle[:400] and plot.startswith("Plotly.newPlot(")
    locale = json.loads(register.removeprefix("Plotly.register(").removesuffix(");"))
    assert locale["moduleType"] == "locale" and locale["name"] == language
    assert month in locale["format"]["shortMonths"] and locale["format"]["decimal"] == ","
    assert len(locale["format"]["days"]) == 7 and locale["format"]["days"][0] in {"dimanche", "Sonntag"}
    assert f'"locale":"{language}"' in plot
    english = notebook_to_html(executed_notebook(), output_path=tmp_path / "en.html", title="t")
    english_scripts = re.findall(
        r"<script>(.*?)</script>", english.path.read_text(encoding="utf-8"), flags=re.S
    )
    assert len(english_scripts) == 2 and not any(s.startswith("Plotly.register(") for s in english_scripts)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "+12% vs previous period"), ("fr", "+12\u00a0% par rapport"), ("de", "+12\u00a0%")],
)
def test_a_change_is_written_with_the_language_s_percent_spacing(language: str, expected: str) -> None:
    shown, trend = display.format_change(0.12, language=language)
    assert shown.startswith(expected) and trend == "up"
    assert display.format_change(-0.2, language=language)[1] == "down"
