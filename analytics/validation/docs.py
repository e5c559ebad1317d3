"""Data Docs: one static HTML page over a run's validation results that opens offline.

Great Expectations' own site builder loads Bootstrap and jQuery from CDNs; this page is
rendered from the saved result JSON with Jinja2 autoescaping instead: no scripts, no
external assets, every value from the data escaped.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analytics.validation import summary

if TYPE_CHECKING:
    import jinja2

TEMPLATE = Path(__file__).with_name("data_docs.html.j2")
INDEX_NAME = "index.html"


def build_data_docs(
    run_dir: Path,
    *,
    run_id: str | None = None,
    results: Sequence[Path] | None = None,
    output: Path | None = None,
    files_href: str = "",
) -> Path:
    """Render ``run_dir/validation/*.json`` (or ``results``) as one HTML page.

    Parameters
    ----------
    run_dir : the run's directory (results are in its ``validation/`` folder).
    run_id : shown in the title; default: the results' own run id, else the folder's name.
    results : the result files to show instead of the run's own (e.g. the newest of each
        dataset a report reads, from several runs).
    output : where to write the page; default ``run_dir/validation/index.html``.
    files_href : the folder, relative to the page, where each result's JSON file is linked
        (``""``: beside the page).

    Returns
    -------
    Path of the HTML page; it opens from ``file://`` without network.
    """
    folder = Path(run_dir) / "validation"
    if results is None:
        folder.mkdir(parents=True, exist_ok=True)
    paths = sorted(results) if results is not None else sorted(folder.glob("*.json"))
    datasets: list[dict[str, Any]] = []
    problems: list[str] = []
    for path in paths:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            datasets.append(dataset_view(document, file_name=files_href + path.name))
        except (OSError, ValueError, TypeError, AttributeError, KeyError):
            problems.append(path.name)
    datasets.sort(key=lambda d: (d["success"], d["dataset"]))  # failed datasets first
    found_run_ids = {d["run_id"] for d in datasets if d["run_id"]}
    html = (
        _environment()
        .get_template(TEMPLATE.name)
        .render(
            run_id=run_id or (found_run_ids.pop() if len(found_run_ids) == 1 else Path(run_dir).name),
            datasets=datasets,
            passed=sum(1 for d in datasets if d["success"]),
            problems=problems,
            built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
    )
    index = output or folder / INDEX_NAME
    index.parent.mkdir(parents=True, exist_ok=True)
    index.write_text(html, encoding="utf-8")
    return index


def latest_results(run_dir: Path, *, datasets: Iterable[str]) -> list[Path]:
    """The newest saved result of each of ``datasets`` among ``run_dir`` and the runs beside it.

    Each flow of the main job validates its own datasets in its own run folder; a report that
    reads the catalog, the streams, the social numbers and the drafts shows all of their results.
    """
    run = Path(run_dir).resolve()
    folders = [run / "validation"] + [
        p / "validation"
        for p in sorted(run.parent.iterdir())
        if p.is_dir() and not p.is_symlink() and p != run
    ]
    found: dict[str, Path] = {}
    for name in datasets:
        candidates = [f / f"{name}.json" for f in folders if (f / f"{name}.json").is_file()]
        if candidates:
            # the report's own run first, then the newest
            own = [c for c in candidates if c.parent.parent == run]
            found[name] = own[0] if own else max(candidates, key=lambda c: c.stat().st_mtime)
    return [found[n] for n in datasets if n in found]


def dataset_view(document: Mapping[str, Any], *, file_name: str) -> dict[str, Any]:
    """The template's view of one saved result (pure)."""
    meta = document.get("meta") or {}
    encore: Mapping[str, Any] = meta.get("encore") or {}
    id_columns = list(encore.get("id_columns") or [])
    results = document.get("results") or []
    expectations = [_expectation_view(entry, id_columns=id_columns) for entry in results]
    # failures first, then the suite's order
    expectations.sort(key=lambda e: e["status"] == "pass")
    dataset = str(encore.get("dataset") or Path(file_name).stem)
    return {
        "dataset": dataset,
        "anchor": "ds-" + "".join(ch if ch.isalnum() else "-" for ch in dataset),
        "file": file_name,
        "success": bool(document.get("success")),
        "suite": str(encore.get("suite") or document.get("suite_name") or "?"),
        "suite_version": str(encore.get("suite_version") or "?"),
        "suite_sha256": str(encore.get("suite_sha256") or ""),
        "run_id": str(encore.get("run_id") or ""),
        "rows": encore.get("rows", "?"),
        "validated_at": str(encore.get("validated_at") or ""),
        "evaluated": len(results),
        "failed": sum(1 for e in expectations if e["status"] != "pass"),
        "expectations": expectations,
    }


def _expectation_view(entry: Mapping[str, Any], *, id_columns: list[str]) -> dict[str, str]:
    config = entry.get("expectation_config") or {}
    severity = str(config.get("severity") or "critical")
    if entry.get("success"):
        status, text = "pass", "passed"
    elif severity == "critical":
        status, text = "fail", "failed"
    else:
        status, text = "warn", severity
    why = (config.get("meta") or {}).get("why", "")
    return {
        "status": status,
        "status_text": text,
        "label": summary.expectation_label(config),
        "result": summary.result_text(entry, id_columns=id_columns),
        "why": str(why),
    }


def _environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE.parent),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
