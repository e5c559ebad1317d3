"""What a parse or an ingest run did: rows read, stored, duplicate, rejected (and why)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from analytics.warehouse import UpsertResult

if TYPE_CHECKING:
    from analytics.audit import AuditRecord

MAX_EXAMPLES = 50


class SourceFormatError(ValueError):
    """A whole file cannot be read (encoding, missing columns, truncated JSON); nothing was stored."""

    def __init__(self, where: str, problem: str, *, hint: str) -> None:
        super().__init__(f"{where}: {problem}. {hint} Nothing was stored.")
        self.where = where
        self.problem = problem
        self.hint = hint


@dataclass(frozen=True)
class Rejection:
    """One rejected input row: where (1-based line or record number) and why.

    The reason never repeats personal fields of the row; it names columns and, for counts
    and dates, the offending value.
    """

    line: int
    reason: str


@dataclass
class ParseResult:
    """Valid normalised rows of one file, and every rejected row with its reason."""

    rows: list[dict[str, Any]]
    rejected: list[Rejection] = field(default_factory=list)
    duplicates: int = 0
    read: int = 0


@dataclass
class IngestSummary:
    """Outcome of one ingest run, the object a flow stores in its audit record."""

    source: str
    file_name: str | None = None
    file_hash: str | None = None
    already_ingested: bool = False
    rows_read: int = 0
    rows_stored: int = 0
    rows_updated: int = 0
    rows_duplicate: int = 0
    rows_rejected: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    days_touched: set[date] = field(default_factory=set)
    _reasons: Counter[str] = field(default_factory=Counter, repr=False)

    def reject(self, rejections: list[Rejection]) -> None:
        self.rows_rejected += len(rejections)
        room = MAX_EXAMPLES - len(self.rejections)
        if room > 0:
            self.rejections.extend(rejections[:room])
        self._reasons.update(_reason_kind(r.reason) for r in rejections)

    def add(self, other: IngestSummary) -> IngestSummary:
        """Fold another run's counts into this one (e.g. many files or consumer batches)."""
        self.rows_read += other.rows_read
        self.rows_stored += other.rows_stored
        self.rows_updated += other.rows_updated
        self.rows_duplicate += other.rows_duplicate
        self.days_touched |= other.days_touched
        self.rows_rejected += other.rows_rejected
        room = MAX_EXAMPLES - len(self.rejections)
        self.rejections.extend(other.rejections[: max(room, 0)])
        self._reasons.update(other._reasons)
        return self

    @property
    def rejected_by_reason(self) -> dict[str, int]:
        return dict(self._reasons)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form for audit records (examples capped at 50 rejections)."""
        return {
            "source": self.source,
            "file_name": self.file_name,
            "file_hash": self.file_hash,
            "already_ingested": self.already_ingested,
            "rows_read": self.rows_read,
            "rows_stored": self.rows_stored,
            "rows_updated": self.rows_updated,
            "rows_duplicate": self.rows_duplicate,
            "rows_rejected": self.rows_rejected,
            "rejected_by_reason": self.rejected_by_reason,
            "rejections": [{"line": r.line, "reason": r.reason} for r in self.rejections],
            "days_touched": sorted(d.isoformat() for d in self.days_touched),
        }

    def audit_record(self) -> AuditRecord:
        """The ingest's record: rows read, every count of :meth:`as_dict`, the rows stored and
        updated; ``partial`` when rows were rejected (each is set aside by the collection)."""
        return {
            "inputs": {"rows_read": self.rows_read},
            "outputs": self.as_dict(),
            "changes": UpsertResult(
                inserted={"streaming": self.rows_stored}, updated={"streaming": self.rows_updated}
            ),
            "outcome": "partial" if self.rows_rejected else "ok",
        }


def _reason_kind(reason: str) -> str:
    """The reason without its specifics ('negative count in streams: -3' -> 'negative count')."""
    head = reason.split(":", 1)[0].strip()
    return re.sub(r"( in \w+| of line \d+)$", "", head)
