"""Bugs the reliability suite found, each pinned by a test of the library function that had it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from analytics.content import FactSheet, build_fact_sheet, generate_drafts
from analytics.validation import validate
from reliability.hostile import HOSTILE_STRINGS


def test_an_empty_table_passes_its_suite_although_it_has_no_columns(tmp_path: Path) -> None:
    # a run whose exports hold too few plays for any anomaly reads back zero rows: pd.DataFrame([])
    outcome = validate(
        pd.DataFrame([]),
        suite="streaming_anomalies",
        run_dir=tmp_path,
        run_id="r",
        dataset="stream_anomalies",
    )
    assert outcome.success
    # a non-empty frame missing a column still fails
    broken = pd.DataFrame([{"anomaly_id": "a"}])
    failed = validate(
        broken,
        suite="streaming_anomalies",
        run_dir=tmp_path,
        run_id="r",
        dataset="stream_anomalies",
        raise_on_failure=False,
    )
    assert not failed.success


def _sheet(track_names: list[str]) -> FactSheet:
    tracks = [{"track_id": f"t{i}", "name": n, "popularity": 50 - i} for i, n in enumerate(track_names)]
    return build_fact_sheet(
        artist={"artist_id": "a1", "name": "Maxstack", "genres": ["electronic"], "followers": 10},
        albums=[],
        tracks=tracks,
        period_start=date(2026, 11, 16),
        period_end=date(2026, 11, 22),
        streams=[
            {"day": date(2026, 11, 16 + d), "track_id": f"t{d % 3}", "streams": 100 + d} for d in range(7)
        ],
    )


def test_a_title_with_braces_or_underscores_is_grounded_in_a_draft() -> None:
    # a real title such as "{0} __init__" is data from the catalog, not a placeholder the writer left
    names = [HOSTILE_STRINGS[5], "__init__ [demo]", "plain"]
    drafts = generate_drafts(_sheet(names), seed=1)
    assert drafts, "the sheet supports some drafts"
    quoting = [d for d in drafts if any(n in d.text for n in names[:2])]
    assert quoting, "some draft names a hostile title"
    for draft in drafts:
        assert draft.validation.ok, f"{draft.kind}/{draft.platform}: {draft.validation.reason}"
    # text the writer adds itself is still banned
    from analytics.content import validate_text

    sheet = _sheet(names)
    assert not validate_text("Out now: {0} and TODO", sheet, language="en", platform="x", limit=280).ok
