"""render_reports: execute the report notebooks with papermill and render them to HTML."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import papermill
from prefect import flow, task

from analytics.audit import code_version
from analytics.config import PROJECT_ROOT, Settings
from analytics.reports import ReportPage, notebook_to_html, write_index

NOTEBOOKS = PROJECT_ROOT / "notebooks"


@task
def execute_notebook(notebook: str, *, output: Path, parameters: dict[str, Any]) -> Path:
    """Run one notebook with papermill; the executed copy stays beside the report as evidence."""
    output.parent.mkdir(parents=True, exist_ok=True)
    papermill.execute_notebook(
        str(NOTEBOOKS / notebook),
        str(output),
        parameters=parameters,
        kernel_name="python3",
        progress_bar=False,
        cwd=str(PROJECT_ROOT),
    )
    return output


@task
def render_page(executed: Path, *, output: Path, title: str, subtitle: str, footer: str) -> ReportPage:
    return notebook_to_html(executed, output_path=output, title=title, subtitle=subtitle, footer=footer)


@flow(name="render-reports", version=code_version())
def render_reports(
    run_dir: str | None = None,
    *,
    group: str = "catalog",
    notebook: str = "catalog_overview.ipynb",
    title: str = "Catalog overview",
    period: str | None = None,
    parameters: dict[str, Any] | None = None,
) -> list[Path]:
    """Execute ``notebook`` on a run's datasets and render it to reports/<group>/<period>/.

    Returns the report pages written (and refreshes reports/index.html).
    """
    settings = Settings()
    run_path = Path(run_dir) if run_dir else settings.data_dir / "runs" / "latest"
    period = period or datetime.now(UTC).date().isoformat()
    folder = settings.reports_dir / group / period
    stem = Path(notebook).stem
    executed = execute_notebook(
        notebook,
        output=settings.data_dir / "notebooks" / group / period / f"{stem}.ipynb",
        parameters={"run_dir": str(run_path.resolve()), **(parameters or {})},
    )
    page = render_page(
        executed,
        output=folder / f"{stem}.html",
        title=title,
        subtitle=f"{group} · {period}",
        footer=f"run {run_path.resolve().name} · encore {code_version()}",
    )
    write_index(settings.reports_dir)
    return [page.path]
