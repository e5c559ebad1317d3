"""Running the report notebooks with papermill and rendering them to HTML: shared by the flows
that render reports (``render_reports``, ``analyze_tracks``) and the ``encore`` command.

Papermill lives here, not in the library (``analytics`` never imports it); the HTML assembly,
figures and texts are ``analytics.reports``'s.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import papermill
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines

from analytics.audit import AuditRecord, AuditRun, code_version
from analytics.config import PROJECT_ROOT, Settings
from analytics.reports import Period, ReportPage, load_run, notebook_to_html, write_index, write_report_meta
from analytics.reports.kernel import ReportKernelManager, SharedReportKernel
from analytics.reports.pdf import print_pdf
from analytics.reports.texts import check_language, long_date, text

NOTEBOOKS = PROJECT_ROOT / "notebooks"
ARTIST_NOTEBOOK = "artist_report.ipynb"
ARTIST_ID = re.compile(r"^[A-Za-z0-9]{1,64}$")
TRACK_NOTEBOOK = "track_analysis.ipynb"
TRACK_KIND = "Track analysis"


class _SharedKernelEngine(NBClientEngine):  # type: ignore[misc]
    """papermill's nbclient engine on a kernel it does not own (``km``): after the notebook the
    client's channels are closed and the kernel lives on for the next notebook."""

    @classmethod
    def execute_managed_notebook(  # type: ignore[override]
        cls,
        nb_man: Any,
        kernel_name: str,
        log_output: bool = False,
        stdout_file: Any = None,
        stderr_file: Any = None,
        start_timeout: int = 60,
        execution_timeout: int | None = None,
        **kwargs: Any,
    ) -> Any:
        for unused in ("input_path", "timeout", "startup_timeout"):
            kwargs.pop(unused, None)
        client = PapermillNotebookClient(
            nb_man,
            timeout=execution_timeout,
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
            **kwargs,
        )
        try:
            return client.execute()
        finally:
            if client.kc is not None:
                client.kc.stop_channels()


SHARED_KERNEL_ENGINE = "encore-shared-kernel"
papermill_engines.register(SHARED_KERNEL_ENGINE, _SharedKernelEngine)
_shared_kernel: ContextVar[SharedReportKernel | None] = ContextVar("encore_report_kernel", default=None)


@contextmanager
def one_report_kernel() -> Iterator[SharedReportKernel]:
    """The notebooks run inside (on this thread) share one kernel, reset between them (see
    :class:`analytics.reports.kernel.SharedReportKernel`); inside another such block, its kernel."""
    outer = _shared_kernel.get()
    if outer is not None:
        yield outer
        return
    kernel = SharedReportKernel()
    token = _shared_kernel.set(kernel)
    try:
        yield kernel
    finally:
        _shared_kernel.reset(token)
        kernel.stop()


def run_notebook(notebook: str, *, output: Path, parameters: dict[str, Any]) -> Path:
    """Run one notebook with papermill; the executed copy stays in data/ as evidence.

    Inside :func:`one_report_kernel` it runs in that block's kernel, else in a kernel of its
    own. The kernel keeps its compiled bytecode between runs (see :mod:`analytics.reports.kernel`).
    """
    output.parent.mkdir(parents=True, exist_ok=True)
    common: dict[str, Any] = {
        "parameters": parameters,
        "kernel_name": "python3",
        "progress_bar": False,
        "cwd": str(PROJECT_ROOT),
        # The executed notebook is written once, at the end, not after every cell.
        "request_save_on_cell_execute": False,
    }
    shared = _shared_kernel.get()
    if shared is None:
        # The kernel, whose outputs are all in by the end, is stopped at once rather than asked
        # to shut down and waited for: with the single save, about a second of every report.
        papermill.execute_notebook(
            str(NOTEBOOKS / notebook),
            str(output),
            kernel_manager_class=ReportKernelManager,
            shutdown_kernel="immediate",
            **common,
        )
        return output
    try:
        papermill.execute_notebook(
            str(NOTEBOOKS / notebook),
            str(output),
            engine_name=SHARED_KERNEL_ENGINE,
            km=shared.ready(),
            **common,
        )
    except BaseException:
        shared.stop()  # a notebook that failed may leave its kernel in any state: the next starts anew
        raise
    return output


OVERVIEW_NOTEBOOK = "catalog_overview.ipynb"


def render_overview(
    run_path: Path,
    *,
    notebook: str,
    folder: Path,
    title: str,
    parameters: dict[str, Any],
    language: str,
    settings: Settings,
) -> ReportPage:
    """Execute a run-wide notebook (the catalog overview by default) and render it to
    ``reports/<folder>/<stem>.html``, its executed copy kept under ``data/notebooks/<folder>``.

    The catalog overview speaks ``language`` and gets its translated title; another notebook
    takes its own parameters, and ``title`` or its name as title.
    """
    stem = Path(notebook).stem
    spoken = notebook == OVERVIEW_NOTEBOOK
    executed = run_notebook(
        notebook,
        output=settings.data_dir / "notebooks" / folder / f"{stem}.ipynb",
        parameters={"run_dir": str(run_path), **({"language": language} if spoken else {}), **parameters},
    )
    default_title = text("page.title.catalog_overview", language=language) if spoken else stem
    return notebook_to_html(
        executed,
        output_path=settings.reports_dir / folder / f"{stem}.html",
        title=title or default_title,
        subtitle=folder.name,
        footer=text("page.footer", language=language, run=run_path.name, version=code_version()),
        language=language if spoken else "en",
    )


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
        footer=text("page.footer", language=language, run=run_id, version=code_version()),
        language=language,
    )
    write_report_meta(page.path, artist=name, kind="Artist report", period=period.label)
    if pdf:
        print_pdf(page.path, page.path.with_suffix(".pdf"))
    return page


def render_track_analysis(
    run: AuditRun, *, artist_id: str, name: str, label: str, settings: Settings
) -> ReportPage:
    """Execute notebooks/track_analysis.ipynb for one artist and render it beside the artist's
    other reports: ``reports/<artist_id>/<label>/track_analysis.html`` (+ its index entry).

    Raises
    ------
    ValueError : ``artist_id`` is not a Spotify-style id (it names a folder).
    """
    if not ARTIST_ID.match(artist_id):
        raise ValueError(f"artist id {artist_id!r} must be letters and digits only (a Spotify artist id)")
    stem, language = Path(TRACK_NOTEBOOK).stem, settings.report_language
    executed = run_notebook(
        TRACK_NOTEBOOK,
        output=settings.data_dir / "notebooks" / artist_id / label / TRACK_NOTEBOOK,
        parameters={"artist_id": artist_id, "run_dir": str(run.run_dir.resolve()), "language": language},
    )
    page = notebook_to_html(
        executed,
        output_path=settings.reports_dir / artist_id / label / f"{stem}.html",
        title=name,
        subtitle=text("page.subtitle.track_analysis", language=language, label=label),
        footer=text("page.footer", language=language, run=run.run_id, version=code_version()),
        language=language,
    )
    write_report_meta(page.path, artist=name, kind=TRACK_KIND, period=label)
    return page


@dataclass
class TrackPages:
    """The track analysis pages rendered for ``artists`` artists under ``label``, and the artists
    whose page failed (id -> error)."""

    artists: int
    label: str
    pages: list[ReportPage] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)

    def audit_record(self) -> AuditRecord:
        """The ``render_track_analysis`` record: pages and their figures; ``partial`` if one failed."""
        return {
            "inputs": {"artists": self.artists, "label": self.label},
            "outputs": {
                "reports": [str(p.path) for p in self.pages],
                "figures": {p.title: p.figures for p in self.pages},
            },
            "details": {"failed": self.failed} if self.failed else None,
            "outcome": "partial" if self.failed else "ok",
        }


def render_track_pages(
    run: AuditRun, artists: dict[str, str], *, label: str, settings: Settings
) -> TrackPages:
    """One track analysis page per artist (by id), then the refreshed reports/index.html.

    A page that fails to render is kept with its error and the others still render.
    """
    done = TrackPages(artists=len(artists), label=label)
    with one_report_kernel():
        for artist_id, name in sorted(artists.items()):
            try:
                done.pages.append(
                    render_track_analysis(run, artist_id=artist_id, name=name, label=label, settings=settings)
                )
            except Exception as error:  # one artist's page must not hide the others'
                done.failed[artist_id] = f"{error.__class__.__name__}: {error}"[:2000]
    if done.pages:
        write_index(settings.reports_dir, language=settings.report_language)
    return done
