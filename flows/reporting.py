"""render_reports: execute the report notebooks with papermill and render them to HTML.

``render_reports(run_dir)`` renders the catalog overview (reports/catalog/<day>/);
``render_reports(run_dir, artist_ids=[...], period="2026-10")`` also renders one artist report
per artist into reports/<artist_id>/<period>/ (with the run's Data Docs beside it and, with
``pdf=True``, a PDF printed by headless Chromium), then refreshes reports/index.html.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import flow, task

from analytics.audit import code_version
from analytics.config import Settings
from analytics.observability import progress
from analytics.reports import Period, ReportPage, notebook_to_html, parse_period, write_index
from analytics.reports.texts import check_language
from flows._notebooks import one_report_kernel, render_artist_report, render_overview
from flows._report import report_periods


@task
def overview_page(
    run_path: Path,
    *,
    notebook: str,
    folder: Path,
    title: str,
    parameters: dict[str, Any],
    language: str,
    settings: Settings,
) -> ReportPage:
    return render_overview(
        run_path,
        notebook=notebook,
        folder=folder,
        title=title,
        parameters=parameters,
        language=language,
        settings=settings,
    )


@task
def render_page(
    executed: Path, *, output: Path, title: str, subtitle: str, footer: str, language: str = "en"
) -> ReportPage:
    return notebook_to_html(
        executed, output_path=output, title=title, subtitle=subtitle, footer=footer, language=language
    )


@task
def artist_report(
    run_path: Path, *, artist_id: str, period: Period, settings: Settings, language: str, pdf: bool
) -> ReportPage:
    return render_artist_report(
        run_path, artist_id=artist_id, period=period, settings=settings, language=language, pdf=pdf
    )


@flow(name="render-reports", version=code_version())
def render_reports(
    run_dir: str | None = None,
    *,
    artist_ids: list[str] | None = None,
    period: str | None = None,
    language: str | None = None,
    pdf: bool = False,
    group: str = "catalog",
    notebook: str = "catalog_overview.ipynb",
    title: str = "",
    parameters: dict[str, Any] | None = None,
) -> list[Path]:
    """Render the catalog overview and, for each of ``artist_ids``, the artist report.

    Parameters
    ----------
    run_dir : the run folder (default data/runs/latest).
    artist_ids : artists to render a report for; None or empty: the catalog overview only.
    period : ``YYYY-MM``, ``YYYY-MM-DD..YYYY-MM-DD`` or ``last-<N>d`` (default: each artist's
        latest 28 days with streaming numbers, as ``encore report`` and the notebooks choose).
    language : en, fr or de: the catalog overview's and the artist reports' headings and notes,
        number and date format, and drafts in that language first (default: the
        ``report_language`` setting, ``ENCORE_REPORT_LANGUAGE``).
    pdf : also print each artist report to PDF with headless Chromium.

    Returns the report pages written (catalog overview first) and refreshes reports/index.html.
    """
    settings = Settings()
    language = check_language(language or settings.report_language)
    run_path = (Path(run_dir) if run_dir else settings.data_dir / "runs" / "latest").resolve()
    label = parse_period(period).label if period else datetime.now(UTC).date().isoformat()
    periods = report_periods(settings, artist_ids=artist_ids or [], period=period)
    with one_report_kernel(), progress.stage("reports", total=1 + len(artist_ids or [])) as step:
        page = overview_page(
            run_path,
            notebook=notebook,
            folder=Path(group) / label,
            title=title,
            parameters=parameters or {},
            language=language,
            settings=settings,
        )
        pages = [page.path]
        step.advance()
        for artist_id, window in periods.items():
            report = artist_report(
                run_path, artist_id=artist_id, period=window, settings=settings, language=language, pdf=pdf
            )
            pages.append(report.path)
            step.advance()
        step.note(f"{len(pages)} pages")
    write_index(settings.reports_dir, language=settings.report_language)
    return pages
