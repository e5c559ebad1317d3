"""``audit.run``: the context every flow runs in — run id, trace id, run folder, audit records."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Unpack

from analytics.audit.chain import AuditEntry, append, code_version, parameters_hash
from analytics.audit.key import audit_key
from analytics.audit.lock import warehouse_lock
from analytics.audit.record import Audited, AuditRecord
from analytics.config import Settings
from analytics.warehouse import UpsertResult, Warehouse


@dataclass
class RunSummary:
    """What a run did, as flows return it and the CLI prints it."""

    run_id: str
    flow: str
    outcome: str
    rows_written: int
    trace_id: str
    run_dir: Path
    message: str = ""
    outputs: dict[str, Any] = field(default_factory=dict)
    set_aside: list[SetAside] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.flow} run {self.run_id}: {self.outcome} — {self.message}"


@dataclass(frozen=True)
class SetAside:
    """One input a run rejected and went on without: a draft, an export file, an export row.

    Attributes
    ----------
    what : the kind of item (``draft``, ``export file``, ``export row``).
    item : which one, as a person finds it (a file and row number, a draft's kind, language
        and platform).
    reason : why it was rejected.
    """

    what: str
    item: str
    reason: str

    def __str__(self) -> str:
        return f"{self.what} {self.item}: {self.reason}"

    def as_dict(self) -> dict[str, str]:
        return {"what": self.what, "item": self.item, "reason": self.reason}


@dataclass(frozen=True)
class JobRun:
    """A sub-job's own run (its summary) as one step of the run that started it.

    ``job`` names the step; its rows written count under that name in the parent's totals, so
    the main job's result says which sub-job wrote what.
    """

    job: str
    summary: RunSummary

    def audit_record(self) -> AuditRecord:
        summary = self.summary
        return {
            "outputs": {"run_id": summary.run_id, "outcome": summary.outcome, "message": summary.message},
            "changes": UpsertResult(inserted={self.job: summary.rows_written}),
            "outcome": "partial" if summary.outcome in {"partial", "failed"} else "ok",
            "details": {"set_aside": [r.as_dict() for r in summary.set_aside]} if summary.set_aside else None,
        }


@dataclass
class AuditRun:
    """A run in progress: where its evidence goes and how it records what each task did."""

    flow: str
    run_id: str
    trace_id: str
    settings: Settings
    warehouse: Warehouse
    run_dir: Path
    parameters: Mapping[str, Any]
    changes: UpsertResult = field(default_factory=UpsertResult)
    requests: dict[str, int] = field(default_factory=dict)
    validations: dict[str, Any] = field(default_factory=dict)
    outcome: str = "ok"
    message: str = ""
    outputs: dict[str, Any] = field(default_factory=dict)
    records: list[dict[str, Any]] = field(default_factory=list)
    set_aside: list[SetAside] = field(default_factory=list)

    def record(
        self, task: str, result: Audited | None = None, /, **parts: Unpack[AuditRecord]
    ) -> dict[str, Any]:
        """Append one step's record to the chain; accumulate the run's totals.

        Parameters
        ----------
        task : the step's name (``snapshot.<artist id>``, ``validate.<dataset>``).
        result : what the step returned, reporting itself (:class:`Audited`); flows record
            only such results. The run's own bookkeeping (start, close, what it set aside)
            passes the record's ``parts`` instead.

        Raises
        ------
        TypeError : both a result and parts (a record has one source), or a result that does not
            report itself.
        """
        if result is not None:
            if parts:
                raise TypeError(f"record {task!r}: give the result or the record's parts, not both")
            if not isinstance(result, Audited):
                raise TypeError(f"record {task!r}: a {type(result).__name__} has no audit_record()")
            parts = result.audit_record()
        return self._append(task, **parts)

    def _append(
        self,
        task: str,
        *,
        inputs: Mapping[str, Any] | None = None,
        outputs: Mapping[str, Any] | None = None,
        requests: Mapping[str, int] | None = None,
        validation: Mapping[str, Any] | None = None,
        details: Mapping[str, Any] | None = None,
        outcome: str = "ok",
        changes: UpsertResult | None = None,
    ) -> dict[str, Any]:
        from analytics.observability import redact

        if changes is not None:
            self.changes.add(changes)
            outputs = {**(outputs or {}), **changes.as_dict(), "rows_written": changes.rows_written}
        for endpoint, count in (requests or {}).items():
            self.requests[endpoint] = self.requests.get(endpoint, 0) + int(count)
        if validation:
            self.validations.update(validation)
        if outcome in {"partial", "failed"} and self.outcome == "ok":
            self.outcome = outcome
        entry = AuditEntry(
            run_id=self.run_id,
            trace_id=self.trace_id,
            flow=self.flow,
            task=task,
            code_version=code_version(),
            parameters_hash=parameters_hash(self.parameters),
            outcome=outcome,
            inputs=dict(inputs or {}),
            outputs=dict(outputs or {}),
            requests=dict(requests or {}),
            validation=dict(validation or {}),
            details=dict(details or {}),
        )
        stored = append(
            self.warehouse,
            entry,
            head_dir=self.settings.data_dir,
            anchor_dirs=[self.run_dir],
            redact=redact,
            key=audit_key(self.settings, create=True),
        )
        self.records.append(stored)
        return stored

    def reject(self, task: str, items: Iterable[SetAside], **details: Any) -> list[SetAside]:
        """Set ``items`` aside: one ``partial`` record naming each with its reason.

        The run goes on without them and ends ``partial``; its closing record and summary list
        every item set aside (so the report can say what is missing). ``details`` join the record.
        """
        rejected = list(items)
        if rejected:
            self.set_aside += rejected
            self.record(
                task, outcome="partial", details={**details, "set_aside": [r.as_dict() for r in rejected]}
            )
        return rejected

    def summary(self) -> RunSummary:
        return RunSummary(
            run_id=self.run_id,
            flow=self.flow,
            outcome=self.outcome,
            rows_written=self.changes.rows_written,
            trace_id=self.trace_id,
            run_dir=self.run_dir,
            message=self.message or self._default_message(),
            outputs=dict(self.outputs),
            set_aside=list(self.set_aside),
        )

    def _default_message(self) -> str:
        written = self.changes.rows_written
        aside = f"; {len(self.set_aside)} set aside" if self.set_aside else ""
        if written == 0:
            unchanged = sum(self.changes.unchanged.values())
            return f"no change: nothing written, {unchanged} stored rows already up to date{aside}"
        parts = [
            f"{kind} {sum(d.values())}"
            for kind, d in (
                ("inserted", self.changes.inserted),
                ("updated", self.changes.updated),
                ("removed", self.changes.removed),
            )
            if sum(d.values())
        ]
        return f"{written} rows written ({', '.join(parts)}){aside}"


@contextmanager
def run(
    flow: str,
    *,
    settings: Settings | None = None,
    parameters: Mapping[str, Any] | None = None,
    warehouse: Warehouse | None = None,
    run_id: str | None = None,
    marks_latest: bool = False,
) -> Iterator[AuditRun]:
    """Open a run: a run id, a trace id bound to every log line, a run folder, audit records.

    The run holds the warehouse's run lock (one run at a time per warehouse) and writes a
    ``run.start`` record before anything else, so rows stamped with its id always have a
    record of the run. On leaving, a closing record states the outcome (``ok``, ``unchanged`` when nothing was
    written, ``partial``, or ``failed`` with the error) and the totals; errors propagate.
    With ``marks_latest`` (the main job) a completed run becomes ``data/runs/latest``, the run
    reports and notebooks read by default; a playlist or sync run on its own never does.
    """
    from analytics.observability import (
        FLOW_RUNS,
        bind_run,
        capture_exception,
        configure,
        current_trace_id,
        flush,
        get_logger,
        progress,
        push_metrics,
        span,
    )

    settings = settings or Settings()
    configure(settings)
    run_id = run_id or uuid.uuid4().hex
    run_dir = settings.data_dir / "runs" / run_id
    own_warehouse = warehouse is None
    wh = warehouse or Warehouse.from_settings(settings)
    params = dict(parameters or {})
    log = get_logger("encore.audit")
    with ExitStack() as stack:
        if own_warehouse:
            stack.callback(wh.dispose)
        # one run at a time per warehouse; a second finds the lock taken before it writes anything
        stack.enter_context(warehouse_lock(wh, flow=flow, run_id=run_id))
        run_dir.mkdir(parents=True, exist_ok=True)
        progress.run_opened(flow=flow, run_id=run_id, run_dir=run_dir)
        wh.migrate()
        stack.enter_context(bind_run(run_id=run_id, flow=flow))
        stack.enter_context(span(f"flow.{flow}", attributes={"encore.run_id": run_id}))
        active = AuditRun(
            flow=flow,
            run_id=run_id,
            trace_id=current_trace_id(),
            settings=settings,
            warehouse=wh,
            run_dir=run_dir,
            parameters=params,
        )
        log.info("run.start", parameters_hash=parameters_hash(params))
        # before the run's first row: a run killed midway still has a record naming it
        active.record("run.start", details={"pid": os.getpid()})
        try:
            yield active
        except BaseException as exc:
            active.outcome = "failed"
            active.message = f"{type(exc).__name__}: {exc}"
            active.record(
                "run", outcome="failed", details={"error": type(exc).__name__, "message": str(exc)[:2000]}
            )
            log.error("run.failed", error=type(exc).__name__)
            FLOW_RUNS.labels(flow, "failed").inc()
            capture_exception(exc, tags={"flow": flow, "run_id": run_id})
            raise
        else:
            if active.outcome == "ok" and active.changes.rows_written == 0:
                active.outcome = "unchanged"
            summary = active.summary()
            active.record(
                "run",
                outcome=active.outcome,
                outputs={
                    "rows_written": summary.rows_written,
                    **active.changes.as_dict(),
                    **{k: v for k, v in active.outputs.items() if _is_json_scalar(v)},
                },
                requests=active.requests,
                validation=active.validations,
                details={"message": summary.message}
                | ({"set_aside": [r.as_dict() for r in active.set_aside]} if active.set_aside else {}),
            )
            log.info("run.end", outcome=active.outcome, rows_written=summary.rows_written)
            FLOW_RUNS.labels(flow, active.outcome).inc()
            if marks_latest:  # the main job's runs: what reports and notebooks read by default
                _point_latest(settings.data_dir / "runs", run_dir)
        finally:
            # Grouped by run only: "flow" is a label of the metrics themselves, and the Pushgateway
            # refuses a push whose samples disagree with a grouping label.
            push_metrics(settings, grouping={"run_id": run_id})
            flush()


def _is_json_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool) or value is None


def _point_latest(runs_dir: Path, run_dir: Path) -> None:
    """``runs/latest`` names the newest completed main-job run (notebooks default to it)."""
    latest = runs_dir / "latest"
    tmp = runs_dir / f".latest.{os.getpid()}"
    try:
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(run_dir.name)
        os.replace(tmp, latest)
    except OSError:
        (runs_dir / "LATEST").write_text(run_dir.name)
