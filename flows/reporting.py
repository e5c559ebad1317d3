"""render_reports: execute the report notebooks with papermill and render them to HTML.

``render_reports(run_dir)`` renders the catalog overview (reports/catalog/<day>/);
``render_reports(run_dir, artist_ids=[...], period="2026-10")`` also renders one artist report
per artist into reports/<artist_id>/<period>/ (with the run's Data Docs beside it and, with
``pdf=True``, a PDF printed by headless Chromium), then refreshes reports/index.html.
"""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import papermill
from prefect import flow, task

from analytics.audit import code_version
from analytics.config import PROJECT_ROOT, Settings
from analytics.observability import progress
from analytics.reports import (
    Period,
    ReportPage,
    load_run,
    notebook_to_html,
    parse_period,
    write_index,
    write_report_meta,
)
from analytics.reports.kernel import ReportKernelManager
from analytics.reports.pdf import print_pdf
from analytics.reports.texts import check_language, long_date, text

NOTEBOOKS = PROJECT_ROOT / "notebooks"
ARTIST_NOTEBOOK = "artist_report.ipynb"
ARTIST_ID = re.compile(r"^[A-Za-z0-9]{1,64}$")


def run_notebook(notebook: str, *, output: Path, parameters: dict[str, Any]) -> Path:
    """Run one notebook with papermill; the executed copy stays in data/ as evidence.

    The kernel keeps its compiled bytecode between runs (see :mod:`analytics.reports.kernel`).
    """
    output.parent.mkdir(parents=True, exist_ok=True)
    papermill.execute_notebook(
        str(NOTEBOOKS / notebook),
        str(output),
        parameters=parameters,
        kernel_name="python3",
        kernel_manager_class=ReportKernelManager,
        progress_bar=False,
        cwd=str(PROJECT_ROOT),
        # The executed notebook is written once, at the end, not after every cell; and the
        # kernel, whose outputs are all in by then, is stopped at once rather than asked to
        # shut down and waited for: together about a second of every report.
        request_save_on_cell_execute=False,
        shutdown_kernel="immediate",
    )
    return output


def copy_data_docs(run_path: Path, folder: Path) -> str:
    """Write the Data Docs of every dataset the report reads beside it, with the result files
    they link to; returns the relative link ('' if there are no results)."""
    from analytics.reports.artist_data import REPORT_DATASETS
    from analytics.validation import build_data_docs, latest_results

    results = latest_results(run_path, datasets=REPORT_DATASETS)
    if not results:
        return ""
    files = folder / "validation"
    files.mkdir(parents=True, exist_ok=True)
    copied = [Path(shutil.copyfile(r, files / r.name)) for r in results]
    build_data_docs(run_path, results=copied, output=folder / "data-docs.html", files_href="validation/")
    return "data-docs.html"


def render_artist_report(
    run_path: Path,
    *,
    artist_id: str,
    period: Period,
    settings: Settings,
    language: str = "en",
    pdf: bool = False,
) -> ReportPage:
    """Execute the artist notebook for one artist and period and render it to HTML (and PDF).

    Raises
    ------
    ValueError : ``artist_id`` is not a Spotify-style id (it names a folder), or the report does
        not speak ``language`` (the message lists the languages it speaks).
    KeyError : the artist is not in the run's catalog.
    """
    check_language(language)
    if not ARTIST_ID.match(artist_id):
        raise ValueError(f"artist id {artist_id!r} must be letters and digits only (a Spotify artist id)")
    run = load_run(run_path, artist_id=artist_id)
    artists = run.datasets.get("artists")
    if artists is None or artists.empty:
        raise KeyError(f"artist {artist_id!r} is not in the run at {run_path}")
    name = str(artists.iloc[0]["name"])
    run_id = str(run.manifest.get("run_id", run_path.name))
    folder = settings.reports_dir / artist_id / period.label
    href = copy_data_docs(run_path, folder)
    executed = run_notebook(
        ARTIST_NOTEBOOK,
        output=settings.data_dir / "notebooks" / artist_id / period.label / ARTIST_NOTEBOOK,
        parameters={
            "artist_id": artist_id,
            "period_start": period.start.isoformat(),
            "period_end": period.end.isoformat(),
            "run_dir": str(run_path),
            "language": language,
            "data_docs_href": href,
            "run_id": run_id,
            "code_version": code_version(),
        },
    )
    page = notebook_to_html(
        executed,
        output_path=folder / "artist_report.html",
        title=name,
        subtitle=text(
            "subtitle",
            language=language,
            start=long_date(period.start, language=language),
            end=long_date(period.end, language=language),
        ),
        footer=f"run {run_id} · encore {code_version()}",
        language=language,
    )
    write_report_meta(page.path, artist=name, kind="Artist report", period=period.label)
    if pdf:
        print_pdf(page.path, page.path.with_suffix(".pdf"))
    return page


@task
def execute_notebook(notebook: str, *, output: Path, parameters: dict[str, Any]) -> Path:
    return run_notebook(notebook, output=output, parameters=parameters)


@task
def render_page(executed: Path, *, output: Path, title: str, subtitle: str, footer: str) -> ReportPage:
    return notebook_to_html(executed, output_path=output, title=title, subtitle=subtitle, footer=footer)


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
    language: str = "en",
    pdf: bool = False,
    group: str = "catalog",
    notebook: str = "catalog_overview.ipynb",
    title: str = "Catalog overview",
    parameters: dict[str, Any] | None = None,
) -> list[Path]:
    """Render the catalog overview and, for each of ``artist_ids``, the artist report.

    Parameters
    ----------
    run_dir : the run folder (default data/runs/latest).
    artist_ids : artists to render a report for; None or empty: the catalog overview only.
    period : ``YYYY-MM``, ``YYYY-MM-DD..YYYY-MM-DD`` or ``last-<N>d`` (default: last 28 days).
    language : en, fr or de: the artist reports' headings and notes, number and date format, and
        drafts in that language first.
    pdf : also print each artist report to PDF with headless Chromium.

    Returns the report pages written (catalog overview first) and refreshes reports/index.html.
    """
    check_language(language)
    settings = Settings()
    run_path = (Path(run_dir) if run_dir else settings.data_dir / "runs" / "latest").resolve()
    label = parse_period(period).label if period else datetime.now(UTC).date().isoformat()
    with progress.stage("reports", total=1 + len(artist_ids or [])) as step:
        stem = Path(notebook).stem
        executed = execute_notebook(
            notebook,
            output=settings.data_dir / "notebooks" / group / label / f"{stem}.ipynb",
            parameters={"run_dir": str(run_path), **(parameters or {})},
        )
        page = render_page(
            executed,
            output=settings.reports_dir / group / label / f"{stem}.html",
            title=title,
            subtitle=f"{group} · {label}",
            footer=f"run {run_path.name} · encore {code_version()}",
        )
        pages = [page.path]
        step.advance()
        if artist_ids:
            window = parse_period(period)
            for artist_id in artist_ids:
                report = artist_report(
                    run_path,
                    artist_id=artist_id,
                    period=window,
                    settings=settings,
                    language=language,
                    pdf=pdf,
                )
                pages.append(report.path)
                step.advance()
        step.note(f"{len(pages)} pages")
    write_index(settings.reports_dir)
    return pages
