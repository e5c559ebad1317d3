"""What a sync run did: outcome, changes, requests, checkpoints, validation — for the audit record."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from analytics.catalog.frames import frame
from analytics.warehouse import UpsertResult

if TYPE_CHECKING:
    from analytics.audit import AuditRecord

# dataset name -> rows about to be committed; returns evidence, raises when a suite fails
Validator = Callable[[Mapping[str, pd.DataFrame]], dict[str, Any]]


@dataclass
class SyncReport:
    """The result of :func:`analytics.sync.sync_catalog` (or of one stage).

    ``outcome`` is ``ok`` (something written), ``unchanged`` (nothing written) or ``partial``
    (stopped by the quota: checkpoints saved, resume after ``resume_at``).
    """

    run_id: str
    quota_mode: str
    artist_ids: list[str]
    full: bool = False
    changes: UpsertResult = field(default_factory=UpsertResult)
    requests: dict[str, int] = field(default_factory=dict)
    checkpoints: dict[str, dict[str, Any]] = field(default_factory=dict)
    validation: dict[str, Any] = field(default_factory=dict)
    resume_at: datetime | None = None
    stopped_at: str | None = None
    rows_fetched: int = 0
    units: int = 0
    seconds: float = 0.0
    error: str | None = None

    @property
    def partial(self) -> bool:
        return self.resume_at is not None

    @property
    def outcome(self) -> str:
        if self.partial:
            return "partial"
        return "ok" if self.changes.rows_written else "unchanged"

    @property
    def requests_made(self) -> int:
        return sum(n for k, n in self.requests.items() if "/api/token" not in k)

    @property
    def message(self) -> str:
        written = self.changes.rows_written
        what = f"{written} rows written" if written else "no change: nothing written"
        text = f"{what}, {self.requests_made} requests ({self.quota_mode} mode)"
        if self.partial and self.resume_at is not None:
            text += (
                f"; quota exhausted at {self.stopped_at}, checkpoint saved — "
                f"resume after {self.resume_at.isoformat(timespec='seconds')}"
            )
        return text

    def failed(self, error: BaseException) -> SyncReport:
        """This report of a sync that ``error`` stopped: what was read and written before it."""
        self.error = f"{type(error).__name__}: {str(error)[:2000]}"
        return self

    def audit_record(self) -> AuditRecord:
        """The ``sync_catalog`` record: the artists, requests, validation evidence, changes, and
        in the details the quota mode, outcome and message, checkpoints, rows fetched, units and
        time; ``partial`` after a quota stop (with when to resume), ``failed`` after an error
        (named in the details)."""
        return {
            "inputs": {"artist_ids": list(self.artist_ids), "full": self.full},
            "requests": self.requests,
            "validation": self.validation,
            "details": {
                "quota_mode": self.quota_mode,
                "full": self.full,
                "artist_ids": list(self.artist_ids),
                "outcome": self.outcome,
                "message": self.message,
                "resume_at": self.resume_at.isoformat() if self.resume_at else None,
                "stopped_at": self.stopped_at,
                "checkpoints": self.checkpoints,
                "rows_fetched": self.rows_fetched,
                "units": self.units,
                "seconds": round(self.seconds, 3),
            }
            | ({"error": self.error} if self.error is not None else {}),
            "outcome": "failed" if self.error is not None else "partial" if self.partial else "ok",
            "changes": self.changes,
        }


def gx_validator(*, run_dir: Path, run_id: str) -> Validator:
    """A :data:`Validator` running each dataset's Great Expectations suite (``expectations/``).

    Evidence accumulates per dataset: units and rows validated, the suite's hash and the last
    result file. Raises :class:`~analytics.validation.DatasetValidationError` on failure.
    """
    from analytics import validation

    def check(frames: Mapping[str, pd.DataFrame]) -> dict[str, Any]:
        outcomes = validation.validate_frames(dict(frames), run_dir=run_dir, run_id=run_id)
        return {name: o.evidence() for name, o in outcomes.items()}

    return check


def delta_frames(rows: Mapping[str, list[dict[str, Any]]]) -> dict[str, pd.DataFrame]:
    """The non-empty datasets of a unit as frames with the warehouse's columns."""
    return {name: frame(name, r) for name, r in rows.items() if r}


def merge_evidence(total: dict[str, Any], new: Mapping[str, Any]) -> None:
    """Fold one unit's validation evidence into the run's (rows and units add up)."""
    for dataset, evidence in new.items():
        seen = total.setdefault(dataset, {**evidence, "rows": 0, "units": 0, "success": True})
        seen["rows"] += int(evidence.get("rows", 0))
        seen["units"] += 1
        seen["success"] = bool(seen["success"] and evidence.get("success", True))
        seen["result_path"] = evidence.get("result_path")
