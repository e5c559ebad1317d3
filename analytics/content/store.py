"""Storing drafts and their fact sheets in the warehouse, idempotently."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from analytics.content import tables  # noqa: F401  (registers the tables on Base)
from analytics.content.drafts import Draft
from analytics.content.facts import FactSheet
from analytics.warehouse import UpsertResult, Warehouse, upsert_rows

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
    ``entity_versions``.
    """
    rows = [draft_row(d) for d in drafts]
    sheets = [fact_sheet_row(s) for s in facts]
    with warehouse.session() as session:
        result = upsert_rows(session, "content_drafts", rows, key=DRAFT_KEY, run_id=run_id)
        if sheets:
            result.add(
                upsert_rows(session, "content_fact_sheets", sheets, key=["fact_sheet_id"], run_id=run_id)
            )
    return result
