"""Artist reports in a real headless Chromium: they render offline, safely, on laptop and phone.

One world (demo artists with streaming, social, audio and drafts; a hostile artist whose name and
track title are markup; a bare artist with nothing but a catalog entry) is built and rendered once
for the module; every test opens the pages it needs from file://.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from analytics.config import PROJECT_ROOT, Settings
from analytics.reports import Period, ReportPage, write_index
from tests.e2e.browser import visit
from tests.reports.world import BARE_ID, BARE_NAME, HOSTILE_ID, HOSTILE_NAME, HOSTILE_TRACK, World, copy_world

ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "reports"
FRENCH = "hostile-in-french"
LAPTOP, PHONE = 1280, 390


@pytest.fixture(scope="module")
def reports(report_world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ReportPage]]:
    """The world, rendered: one artist report per artist, the index, the executed notebooks."""
    from flows.reporting import render_artist_report

    root = tmp_path_factory.mktemp("report-world")
    world = copy_world(report_world, root)
    mp = pytest.MonkeyPatch()
    for key in ("ENCORE_DATABASE_URL", "ENCORE_DATA_DIR", "ENCORE_REPORTS_DIR"):
        mp.delenv(key, raising=False)
    mp.setenv("ENCORE_DATABASE_URL", world.warehouse_url)
    mp.setenv("ENCORE_DATA_DIR", str(root / "data"))
    mp.setenv("ENCORE_REPORTS_DIR", str(root / "reports"))
    try:
        settings = Settings()
        period = Period(*world.period, label="2026-10-26_2026-11-22")
        pages = {
            artist_id: render_artist_report(
                world.run_dir, artist_id=artist_id, period=period, settings=settings
            )
            for artist_id in [*world.demo_ids, HOSTILE_ID, BARE_ID]
        }
        french = Period(*world.period, label="2026-10-26_2026-11-22-fr")
        pages[FRENCH] = render_artist_report(
            world.run_dir, artist_id=HOSTILE_ID, period=french, settings=settings, language="fr"
        )
        write_index(settings.reports_dir)
        yield pages
    finally:
        mp.undo()


def _demo(reports: dict[str, ReportPage]) -> list[ReportPage]:
    return [p for a, p in reports.items() if a not in {HOSTILE_ID, BARE_ID, FRENCH}]


def test_demo_reports_render_every_figure_offline_without_errors(reports, chromium) -> None:
    for page in _demo(reports):
        seen = visit(chromium, page.path, width=LAPTOP, screenshot=ARTIFACTS / f"{page.title}-laptop.png")
        assert seen.errors == [], f"{page.title}: console errors {seen.errors}"
        assert seen.outside_requests == [], (
            f"{page.title}: requests outside the file: {seen.outside_requests}"
        )
        assert all(u.startswith("file://") for u in seen.requests) and seen.requests
        facts = seen.facts
        assert facts["plots"] == page.figures >= 7, f"{page.title}: {facts['plots']} plots"
        assert facts["plots_with_svg"] == facts["plots"], f"{page.title}: a plot did not render under the CSP"
        for section in ("Streams and listeners", "Top tracks", "Audience by country", "Social audience"):
            assert section in facts["text"], f"{page.title}: no {section} section"
        assert "no streaming data" not in facts["text"]
        assert page.bytes < 6_000_000


def test_reports_fit_a_phone_without_horizontal_scroll(reports, chromium) -> None:
    for page in reports.values():
        name = re.sub(r"[^A-Za-z0-9]+", "-", page.title).strip("-") or "report"
        seen = visit(chromium, page.path, width=PHONE, height=844, screenshot=ARTIFACTS / f"{name}-phone.png")
        assert seen.facts["scroll_width"] <= seen.facts["client_width"] == PHONE, (
            f"{page.title}: page is {seen.facts['scroll_width']} px wide at {PHONE} px"
        )
        assert seen.facts["plots_with_svg"] == seen.facts["plots"]
        assert seen.errors == []


def test_markup_in_names_shows_as_text_and_never_runs(reports, chromium) -> None:
    page = reports[HOSTILE_ID]
    raw = page.path.read_text(encoding="utf-8")
    assert "<img src=x" not in raw and "<script>alert(2)" not in raw and "</script><script>alert" not in raw
    assert "&lt;img src=x onerror=alert(1)&gt;" in raw
    assert page.figures >= 2, "the hostile track title must travel through the figures"
    seen = visit(chromium, page.path, width=LAPTOP, screenshot=ARTIFACTS / "hostile-artist-laptop.png")
    assert seen.dialogs == [], f"a script from data ran: {seen.dialogs}"
    assert seen.errors == [] and seen.facts["plots_with_svg"] == seen.facts["plots"]
    assert seen.facts["images"] == 0
    assert seen.facts["h1"] == HOSTILE_NAME
    assert HOSTILE_NAME in seen.facts["text"]
    assert HOSTILE_TRACK[:24] in seen.facts["svg_text"], "the track title shows as text in the figure"
    index = visit(chromium, page.path.parents[2] / "index.html", width=LAPTOP)
    assert index.dialogs == [] and HOSTILE_NAME in index.facts["text"]


def test_artist_without_data_gets_a_report_that_says_what_is_missing_and_why(reports, chromium) -> None:
    page = reports[BARE_ID]
    seen = visit(chromium, page.path, width=LAPTOP, screenshot=ARTIFACTS / "bare-artist-laptop.png")
    text = seen.facts["text"].lower()
    assert seen.errors == [] and seen.facts["h1"] == BARE_NAME
    assert "no streaming data for this artist yet" in text and "spotify for artists" in text
    assert "no audio analysis for this artist" in text and "encore run" in text
    assert "development quota mode" in text and "no follower counts" in text
    assert "spotify followers" in text and "unavailable in development quota mode" in text
    assert "no social accounts linked" in text
    assert "traceback" not in text and "error" not in text
    assert seen.facts["plots"] == 0


def test_only_the_page_own_scripts_may_run(reports, chromium, tmp_path: Path) -> None:
    page = next(iter(_demo(reports)))
    raw = page.path.read_text(encoding="utf-8")
    found = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', raw)
    assert found is not None
    csp = html.unescape(found.group(1))
    assert "'unsafe-eval'" not in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    scripts = re.findall(r"<script>(.*?)</script>", raw, flags=re.S)
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    tampered = tmp_path / "tampered.html"
    tampered.write_text(
        raw.replace("</main>", "<script>document.title='ran'</script></main>"), encoding="utf-8"
    )
    seen = visit(chromium, tampered, width=LAPTOP)
    assert seen.facts["title"] == page.title, "a script the page did not hash ran"
    assert any("Content Security Policy" in text for _, text in seen.console)


def test_data_docs_sit_beside_the_report_and_open_offline(reports, chromium) -> None:
    page = next(iter(_demo(reports)))
    raw = page.path.read_text(encoding="utf-8")
    assert 'href="data-docs.html"' in raw
    docs = page.path.parent / "data-docs.html"
    seen = visit(chromium, docs, width=LAPTOP)
    assert seen.outside_requests == [] and "tracks" in seen.facts["text"]


def test_index_lists_every_report_by_artist(reports, chromium) -> None:
    root = next(iter(reports.values())).path.parents[2]
    seen = visit(chromium, root / "index.html", width=PHONE)
    for page in reports.values():
        assert page.title in seen.facts["text"]
        assert page.path.exists()
    assert seen.facts["scroll_width"] <= PHONE and seen.errors == []


def test_a_report_prints_to_pdf_with_headless_chromium(reports, chromium, tmp_path: Path) -> None:
    from analytics.reports.pdf import print_pdf

    page = next(iter(_demo(reports)))
    pdf = print_pdf(page.path, tmp_path / "report.pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 50_000


def test_a_french_report_has_french_headings_and_notes_and_stays_escaped(reports, chromium) -> None:
    page = reports[FRENCH]
    raw = page.path.read_text(encoding="utf-8")
    assert '<html lang="fr">' in raw
    assert "<img src=x" not in raw and "</script><script>alert" not in raw
    assert "&lt;img src=x onerror=alert(1)&gt;" in raw
    seen = visit(chromium, page.path, width=PHONE, screenshot=ARTIFACTS / "hostile-artist-french-phone.png")
    assert seen.dialogs == [] and seen.errors == [] and seen.outside_requests == []
    assert seen.facts["plots_with_svg"] == seen.facts["plots"] == page.figures >= 2
    assert seen.facts["scroll_width"] <= PHONE
    assert seen.facts["h1"] == HOSTILE_NAME
    text = seen.facts["text"]
    for heading in ("L'essentiel", "Écoutes et auditeurs", "Public par pays", "Méthodes et limites"):
        assert heading in text, f"no French heading {heading!r}"
    assert "Rapport d'artiste · 26 oct. 2026 – 22 nov. 2026" in text
    assert "Mode de quota développement" in text and "version du code" in text
    assert "Streams and listeners" not in text and "Methods and limits" not in text
    assert HOSTILE_TRACK[:24] in seen.facts["svg_text"]
