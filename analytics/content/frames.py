"""Drafts as a dataset: one row per draft, the columns the ``content_drafts`` suite checks."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analytics.content.drafts import Draft

DRAFT_COLUMNS = (
    "draft_id",
    "fact_sheet_id",
    "artist_id",
    "kind",
    "language",
    "language_detected",
    "platform",
    "seed",
    "backend",
    "model",
    "template_version",
    "text",
    "text_length",
    "limit",
    "grounded",
    "grounding_issues",
    "rejected_backend",
    "rejected_reason",
)


def drafts_frame(drafts: Iterable[Draft]) -> pd.DataFrame:
    """A frame of drafts with their validator verdicts, for the GX gate and the report.

    ``text_length`` is the validator's measure (X counts some characters double), so the
    suite's ``text_length <= limit`` is the platform's own rule.
    """
    rows = [
        {
            "draft_id": d.draft_id,
            "fact_sheet_id": d.fact_sheet_id,
            "artist_id": d.artist_id,
            "kind": d.kind.value,
            "language": d.language,
            "language_detected": d.validation.language_detected,
            "platform": d.platform,
            "seed": d.seed,
            "backend": d.backend,
            "model": d.model,
            "template_version": d.template_version,
            "text": d.text,
            "text_length": d.validation.length or len(d.text),
            "limit": d.limit,
            "grounded": d.validation.ok,
            "grounding_issues": d.validation.reason,
            "rejected_backend": d.fallback.backend if d.fallback else None,
            "rejected_reason": d.fallback.reason if d.fallback else None,
        }
        for d in drafts
    ]
    return pd.DataFrame(rows, columns=list(DRAFT_COLUMNS))
