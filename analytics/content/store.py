"""Storing drafts and their fact sheets in the warehouse, idempotently."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from analytics.content import tables  # noqa: F401  (registers the tables on Base)
from analytics.content.drafts import Draft, write_ready_to_post
from analytics.content.facts import FactSheet
from analytics.warehouse import Base, UpsertResult, Warehouse, upsert_rows
from analytics.warehouse.upsert import mark_removed

if TYPE_CHECKING:
    from analytics.audit import AuditRecord

DRAFT_KEY = ("fact_sheet_id", "kind", "language", "platform", "seed")


def draft_row(draft: Draft) -> dict[str, Any]:
    """The ``content_drafts`` row of a draft."""
    return {
        "fact_sheet_id": draft.fact_sheet_id,
        "kind": draft.kind.value,
        "language": draft.language,
        "platform": draft.platform,
        "seed": draft.seed,
        "draft_id": draft.draft_id,
        "artist_id": draft.artist_id,
        "backend": draft.backend,
        "model": draft.model,
        "template_version": draft.template_version,
        "text": draft.text,
        "hashtags": list(draft.hashtags),
        "char_limit": draft.limit,
        "grounded": draft.validation.ok,
        "validation": draft.validation.model_dump(mode="json"),
        "fallback": draft.fallback.model_dump(mode="json") if draft.fallback else None,
    }


def fact_sheet_row(sheet: FactSheet) -> dict[str, Any]:
    data = sheet.model_dump(mode="json")
    return {
        "fact_sheet_id": sheet.fact_sheet_id,
        "artist_id": sheet.artist_id,
        "period_start": sheet.period_start.isoformat(),
        "period_end": sheet.period_end.isoformat(),
        "schema_version": sheet.schema_version,
        "facts": data["facts"],
        "coverage": data["coverage"],
    }


def store_drafts(
    warehouse: Warehouse, drafts: Iterable[Draft], *, run_id: str, facts: Iterable[FactSheet] = ()
) -> UpsertResult:
    """Upsert drafts (and the fact sheets they were written from) in one unit of work.

    Idempotent on the natural key fact sheet + kind + language + platform + seed: storing the
    same drafts again writes nothing; a changed text updates the row and keeps the old version in
    ``entity_versions``. A fact sheet supersedes the other current sheets of its artist and
    period (facts gathered again, e.g. once a platform that had failed answers): those and their
    drafts are marked removed by ``run_id``, kept with their history, and revived if the same
    facts come back.
    """
    rows = [draft_row(d) for d in drafts]
    sheets = [fact_sheet_row(s) for s in facts]
    with warehouse.session() as session:
        result = upsert_rows(session, "content_drafts", rows, key=DRAFT_KEY, run_id=run_id)
        if sheets:
            result.add(
                upsert_rows(session, "content_fact_sheets", sheets, key=["fact_sheet_id"], run_id=run_id)
            )
            removed = _supersede(session, sheets, run_id=run_id)
            for table, count in removed.items():
                result.removed[table] = result.removed.get(table, 0) + count
    return result


def _supersede(session: Session, sheets: Sequence[dict[str, Any]], *, run_id: str) -> dict[str, int]:
    """Mark removed the current sheets (and drafts) of the same artist and period as ``sheets``."""
    table = Base.metadata.tables["content_fact_sheets"]
    drafts = Base.metadata.tables["content_drafts"]
    kept = {s["fact_sheet_id"] for s in sheets}
    stale: list[str] = []
    for sheet in sheets:
        stale += [
            sid
            for sid in session.execute(
                select(table.c.fact_sheet_id).where(
                    table.c.artist_id == sheet["artist_id"],
                    table.c.period_start == sheet["period_start"],
                    table.c.period_end == sheet["period_end"],
                    table.c.removed_run.is_(None),
                )
            ).scalars()
            if sid not in kept
        ]
    if not stale:
        return {}
    draft_keys = session.execute(
        select(*(drafts.c[k] for k in DRAFT_KEY)).where(
            drafts.c.fact_sheet_id.in_(stale), drafts.c.removed_run.is_(None)
        )
    ).all()
    return {
        "content_fact_sheets": mark_removed(
            session, "content_fact_sheets", [(sid,) for sid in stale], key=["fact_sheet_id"], run_id=run_id
        ),
        "content_drafts": mark_removed(
            session, "content_drafts", [tuple(k) for k in draft_keys], key=DRAFT_KEY, run_id=run_id
        ),
    }


@dataclass(frozen=True)
class StoredDrafts:
    """Drafts stored and written out as ready-to-post files (see :func:`store_and_write_drafts`).

    Attributes
    ----------
    drafts : how many drafts were given.
    files : the ready-to-post files written.
    ready_to_post_dir : where they are.
    replaced : draft id -> why the model's draft was rejected and replaced by the grounded one.
    changes : the rows stored.
    """

    drafts: int
    files: list[Path]
    ready_to_post_dir: Path
    replaced: dict[str, str]
    changes: UpsertResult

    def audit_record(self) -> AuditRecord:
        return {
            "inputs": {"drafts": self.drafts},
            "outputs": {"files": len(self.files), "ready_to_post_dir": str(self.ready_to_post_dir)},
            "details": {"rejected_and_replaced": self.replaced},
            "changes": self.changes,
        }


def store_and_write_drafts(
    warehouse: Warehouse, drafts: Sequence[Draft], *, facts: FactSheet, out_dir: Path, run_id: str
) -> StoredDrafts:
    """Store ``drafts`` with the sheet they were written from (:func:`store_drafts`), then write
    each as a ready-to-post file under ``out_dir`` (:func:`~analytics.content.drafts.write_ready_to_post`)."""
    changes = store_drafts(warehouse, drafts, run_id=run_id, facts=[facts])
    files = write_ready_to_post(drafts, out_dir)
    replaced = {d.draft_id: d.fallback.reason for d in drafts if d.fallback}
    return StoredDrafts(len(drafts), files, out_dir, replaced, changes)
