"""The gate: validate a DataFrame against its suite, keep the result, raise on failure."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analytics.validation import summary
from analytics.validation._context import batch_definition, check_dataset_name, gx_lock
from analytics.validation.suites import SuiteFile, read_suite

if TYPE_CHECKING:
    import pandas as pd

    from analytics.audit import AuditRecord

PARTIAL_UNEXPECTED_COUNT = 20


@dataclass(frozen=True)
class ValidationOutcome:
    """What one validation found; the full result is the JSON file at ``result_path``.

    Attributes
    ----------
    dataset, run_id : what was validated, in which run.
    suite, suite_sha256, suite_version : the suite's name, content hash and version.
    success : True when no critical expectation failed.
    evaluated, failed : expectations evaluated and failed (any severity).
    rows : rows in the frame.
    result_path : the saved GX result, ``run_dir/validation/<dataset>.json``.
    failures : one line per failed critical expectation (what, how many rows, a sample).
    warnings : the same for failed expectations of severity ``warning`` or ``info``.
    seconds : time spent validating.
    data_docs : the Data Docs page built for the run, once there is one.
    """

    dataset: str
    run_id: str
    suite: str
    suite_sha256: str
    suite_version: str
    success: bool
    evaluated: int
    failed: int
    rows: int
    result_path: Path
    failures: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0
    data_docs: Path | None = None

    def evidence(self) -> dict[str, Any]:
        """A small JSON-ready summary for an audit record (the sync keeps it per unit of work)."""
        return {
            "dataset": self.dataset,
            "suite": self.suite,
            "suite_sha256": self.suite_sha256,
            "suite_version": self.suite_version,
            "success": self.success,
            "evaluated": self.evaluated,
            "failed": self.failed,
            "rows": self.rows,
            "result_path": str(self.result_path),
        } | ({"data_docs": str(self.data_docs)} if self.data_docs is not None else {})

    def audit_record(self) -> AuditRecord:
        """The ``validate.<dataset>`` record: the rows checked and the evidence."""
        return {"inputs": {"rows": self.rows}, "validation": {self.dataset: self.evidence()}}


@dataclass(frozen=True)
class FailedValidation:
    """A dataset whose suite failed, as the audit records it: the evidence and the whole error
    (which names every failed expectation of every dataset that failed with it)."""

    outcome: ValidationOutcome
    error: str

    def audit_record(self) -> AuditRecord:
        return {
            **self.outcome.audit_record(),
            "outcome": "failed",
            "details": {"error": self.error[:4000]},
        }


class DatasetValidationError(Exception):
    """Datasets failed critical expectations.

    ``outcome`` is the (first) failed dataset's outcome, ``outcomes`` every failed one; each
    has the failure lines and the path of its saved result.
    """

    def __init__(self, outcome: ValidationOutcome, *more: ValidationOutcome) -> None:
        self.outcome = outcome
        self.outcomes = (outcome, *more)
        super().__init__(_error_message(self.outcomes))

    @property
    def failures(self) -> list[FailedValidation]:
        """Each failed dataset as the audit records it (``validate.<dataset>``)."""
        return [FailedValidation(o, str(self)) for o in self.outcomes]

    def audit_record(self) -> AuditRecord:
        """The record of the first dataset that failed: one suite's validation has only that one
        (a unit of several datasets records each of :attr:`failures`)."""
        return self.failures[0].audit_record()


def validate(
    df: pd.DataFrame,
    *,
    suite: str,
    run_dir: Path,
    run_id: str,
    dataset: str | None = None,
    suites_dir: Path | None = None,
    raise_on_failure: bool = True,
) -> ValidationOutcome:
    """Run the suite ``suite`` on ``df``, save the result, raise if any critical expectation fails.

    Parameters
    ----------
    df : the dataset, one row per entity, columns as in the warehouse model.
    suite : the suite's name: ``expectations/<suite>.json``.
    run_dir : the run's directory; the result goes to ``run_dir/validation/<dataset>.json``.
    run_id : the run's id, recorded in the result.
    dataset : the dataset's name (file name of the result); default: ``suite``.
    suites_dir : where suite files are; default: the repository's ``expectations/``.
    raise_on_failure : raise :class:`DatasetValidationError` on failure (default), or only return.

    Returns
    -------
    ValidationOutcome

    Raises
    ------
    DatasetValidationError
        When an expectation of severity ``critical`` (the default) fails; its message names
        each failed expectation with a short sample of bad rows and the evidence path.
    SuiteError
        When the suite file is missing or invalid.
    """
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise TypeError(
            f"validate() needs a pandas DataFrame, got {type(df).__name__}; build one with pd.DataFrame(rows)"
        )
    name = check_dataset_name(suite if dataset is None else dataset)
    spec = read_suite(suite, directory=suites_dir)
    if df.empty and len(df.columns) == 0:
        # no rows, hence no columns (``pd.DataFrame([])`` of an empty table): validate the empty
        # table it stands for, not a table whose every column is missing
        df = pd.DataFrame(columns=_suite_columns(spec))
    id_columns = [c for c in spec.id_columns if c in df.columns]
    result_format = {
        "result_format": "SUMMARY",
        "partial_unexpected_count": PARTIAL_UNEXPECTED_COUNT,
        "unexpected_index_column_names": id_columns,
        "return_unexpected_index_query": False,
    }
    started = time.perf_counter()
    with gx_lock():
        batch = batch_definition(name).get_batch(batch_parameters={"dataframe": df})
        result = batch.validate(spec.suite, result_format=result_format)
    seconds = time.perf_counter() - started
    document = result.to_json_dict()
    document["meta"]["encore"] = _encore_meta(
        spec, dataset=name, run_id=run_id, rows=len(df), seconds=seconds
    )
    path = _write_json(Path(run_dir) / "validation" / f"{name}.json", document)
    outcome = _outcome(
        document, spec=spec, dataset=name, run_id=run_id, rows=len(df), path=path, seconds=seconds
    )
    _count(outcome)
    if not outcome.success and raise_on_failure:
        raise DatasetValidationError(outcome)
    return outcome


def validate_frames(
    frames: Mapping[str, pd.DataFrame],
    *,
    run_dir: Path,
    run_id: str,
    suites_dir: Path | None = None,
    raise_on_failure: bool = True,
) -> dict[str, ValidationOutcome]:
    """Validate several datasets, each against the suite of its own name; raise once for all.

    Every frame is validated (and its result saved) even when an earlier one fails, so one
    error names every problem of the run.

    Parameters
    ----------
    frames : dataset name -> DataFrame, e.g. ``{"artists": ..., "tracks": ...}``.
    run_dir, run_id, suites_dir : as for :func:`validate`.
    raise_on_failure : raise :class:`DatasetValidationError` listing every failed dataset.

    Returns
    -------
    dict of dataset name -> ValidationOutcome, in the order of ``frames``.
    """
    outcomes = {
        name: validate(
            frame, suite=name, run_dir=run_dir, run_id=run_id, suites_dir=suites_dir, raise_on_failure=False
        )
        for name, frame in frames.items()
    }
    failed = [outcome for outcome in outcomes.values() if not outcome.success]
    if failed and raise_on_failure:
        raise DatasetValidationError(*failed)
    return outcomes


def _count(outcome: ValidationOutcome) -> None:
    """Prometheus figures on the shared registry (imported here: it is slow to import)."""
    from analytics.observability.metrics import counter, histogram

    name = outcome.dataset
    histogram("encore_validation_seconds", "Time to validate one dataset", ("dataset",)).labels(name).observe(
        outcome.seconds
    )
    runs = counter(
        "encore_validation_runs_total", "Datasets validated, by dataset and outcome", ("dataset", "outcome")
    )
    runs.labels(name, "success" if outcome.success else "failure").inc()
    failed = counter(
        "encore_validation_failed_expectations_total", "Failed expectations, by dataset", ("dataset",)
    )
    failed.labels(name).inc(outcome.failed)


def _suite_columns(spec: Any) -> list[str]:
    """The columns the suite's expectations name, in their order."""
    columns: list[str] = []
    for expectation in spec.suite.expectations:
        kwargs = expectation.configuration.kwargs
        for key in ("column", "column_A", "column_B"):
            if isinstance(kwargs.get(key), str) and kwargs[key] not in columns:
                columns.append(kwargs[key])
        for name in kwargs.get("column_list") or []:
            if name not in columns:
                columns.append(name)
    return columns


def _encore_meta(spec: SuiteFile, *, dataset: str, run_id: str, rows: int, seconds: float) -> dict[str, Any]:
    return {
        "dataset": dataset,
        "run_id": run_id,
        "suite": spec.name,
        "suite_sha256": spec.sha256,
        "suite_version": spec.version,
        "id_columns": list(spec.id_columns),
        "rows": rows,
        "validated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": round(seconds, 4),
    }


def _outcome(
    document: dict[str, Any],
    *,
    spec: SuiteFile,
    dataset: str,
    run_id: str,
    rows: int,
    path: Path,
    seconds: float,
) -> ValidationOutcome:
    failures: list[str] = []
    warnings: list[str] = []
    results = document.get("results") or []
    for entry in sorted(results, key=lambda entry: _suite_position(spec, entry)):
        if entry.get("success"):
            continue
        line = summary.failure_line(entry, id_columns=spec.id_columns)
        severity = (entry.get("expectation_config") or {}).get("severity", "critical")
        (failures if severity == "critical" else warnings).append(line)
    return ValidationOutcome(
        dataset=dataset,
        run_id=run_id,
        suite=spec.name,
        suite_sha256=spec.sha256,
        suite_version=spec.version,
        success=not failures,
        evaluated=len(results),
        failed=len(failures) + len(warnings),
        rows=rows,
        result_path=path,
        failures=tuple(failures),
        warnings=tuple(warnings),
        seconds=seconds,
    )


def _suite_position(spec: SuiteFile, entry: Mapping[str, Any]) -> int:
    config = entry.get("expectation_config") or {}
    kwargs = {k: v for k, v in (config.get("kwargs") or {}).items() if k != "batch_id"}
    for position, expectation in enumerate(spec.content["expectations"]):
        if expectation.get("type") == config.get("type") and _same(expectation.get("kwargs") or {}, kwargs):
            return position
    return len(spec.content["expectations"])


def _same(left: Mapping[str, Any], right: Mapping[str, Any]) -> bool:
    return _normal(dict(left)) == _normal(dict(right))


def _normal(value: Any) -> Any:
    """JSON-like value with numbers as floats (GX turns ``1000`` into ``1000.0``)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, Mapping):
        return {str(k): _normal(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_normal(v) for v in value]
    return str(value)


def _write_json(path: Path, document: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial.write_text(json.dumps(document, indent=1, sort_keys=False, default=str) + "\n", encoding="utf-8")
    partial.replace(path)
    return path


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _error_message(outcomes: Sequence[ValidationOutcome]) -> str:
    lines: list[str] = []
    for outcome in outcomes:
        run = outcome.run_id if len(outcome.run_id) <= 12 else outcome.run_id[:8] + "…"
        lines.append(
            f"dataset {outcome.dataset!r} failed {len(outcome.failures)} of {outcome.evaluated} "
            f"expectations (run {run}, suite {outcome.suite} v{outcome.suite_version}):"
        )
        lines += [f"  {line}" for line in outcome.failures]
    evidence = ", ".join(_display_path(outcome.result_path) for outcome in outcomes)
    suites = ", ".join(f"expectations/{outcome.suite}.json" for outcome in outcomes)
    lines.append(f"Nothing was stored. Evidence: {evidence}")
    lines.append(f"Fix the data at its source, or if a rule is wrong, its suite ({suites}), then run again.")
    return "\n".join(lines)
