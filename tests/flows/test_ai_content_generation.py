"""generate_content under Prefect: grounded drafts validated, stored once, ready to post, audited."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analytics import catalog, demo
from analytics.warehouse import Warehouse
from tests.content.test_llm import ChatServer, _completion

MAXSTACK = demo.demo_artist_ids()[0]


@pytest.fixture
def stored_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Warehouse:
    monkeypatch.setenv("ENCORE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ENCORE_REPORTS_DIR", str(tmp_path / "reports"))
    warehouse = Warehouse(f"sqlite:///{tmp_path / 'data' / 'encore.sqlite'}")
    warehouse.migrate()
    frames = catalog.frames_from_catalog(demo.load_catalog(), artist_ids=demo.demo_artist_ids())
    catalog.store_catalog(warehouse, frames, run_id="seed")
    return warehouse


def test_drafts_are_validated_stored_once_and_written_ready_to_post(
    stored_catalog: Warehouse, tmp_path: Path
) -> None:
    from flows.ai_content_generation import generate_content

    first = generate_content(MAXSTACK, languages=["en", "fr"], period_end="2026-11-22")
    second = generate_content(MAXSTACK, languages=["en", "fr"], period_end="2026-11-22")
    assert first.rows_written > 0 and first.outputs["drafts"] > 0
    assert second.rows_written == 0 and second.outcome == "unchanged"
    files = sorted((tmp_path / "data" / "content" / MAXSTACK / "2026-11-22").rglob("*.txt"))
    assert len(files) == first.outputs["ready_to_post_files"] > 0
    assert all(f.read_text(encoding="utf-8").strip() for f in files)
    records = [json.loads(r["body"]) for r in stored_catalog.rows("audit_records")]
    gate = [r for r in records if r["task"] == "validate.content_drafts" and r["run_id"] == first.run_id]
    assert gate and gate[0]["validation"]["content_drafts"]["success"] is True


def test_model_drafts_with_invented_numbers_are_replaced_and_the_audit_says_why(
    stored_catalog: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.ai_content_generation import generate_content

    with ChatServer() as chat:
        chat.answer = lambda body: (200, _completion("Maxstack just passed 1,234,567 streams! 🎉"), {})
        monkeypatch.setenv("ENCORE_LLM_BASE_URL", chat.url)
        monkeypatch.setenv("ENCORE_LLM_MODEL", "loopback-7b")
        monkeypatch.setenv("ENCORE_LLM_API_KEY", "canary-llm-key-5150")
        summary = generate_content(MAXSTACK, kinds=["short_bio"], languages=["en"], period_end="2026-11-22")
    records = [json.loads(r["body"]) for r in stored_catalog.rows("audit_records")]
    (stored,) = [r for r in records if r["task"] == "store_drafts" and r["run_id"] == summary.run_id]
    reasons = stored["details"]["rejected_and_replaced"]
    assert reasons and all("1,234,567" in reason or "number" in reason for reason in reasons.values())
    drafts = stored_catalog.rows("content_drafts")
    assert drafts and not any("1,234,567" in d["text"] for d in drafts)
    assert "canary-llm-key-5150" not in json.dumps(records)


def test_a_draft_that_fails_its_fact_check_is_set_aside_alone_and_the_run_ends_partial(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A genre the validator reads as a placeholder ("[beats]") fails some drafts: those are
    audited with their issues and not stored; the others pass the suite and are stored."""
    from flows.ai_content_generation import generate_content

    monkeypatch.setenv("ENCORE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ENCORE_REPORTS_DIR", str(tmp_path / "reports"))
    hostile = demo.load_catalog()
    artist = next(a for a in hostile["artists"] if a["id"] == MAXSTACK)
    artist["genres"] = ["electronic", "lo-fi [beats]"]
    warehouse = Warehouse(f"sqlite:///{tmp_path / 'data' / 'encore.sqlite'}")
    warehouse.migrate()
    catalog.store_catalog(
        warehouse, catalog.frames_from_catalog(hostile, artist_ids=demo.demo_artist_ids()), run_id="seed"
    )

    summary = generate_content(MAXSTACK, languages=["en"], period_end="2026-11-22")

    assert summary.outcome == "partial" and summary.set_aside
    assert all(s.what == "draft" and "placeholder" in s.reason for s in summary.set_aside)
    assert all("Maxstack" in s.item for s in summary.set_aside)
    stored = warehouse.rows("content_drafts")
    assert stored and len(stored) == summary.outputs["drafts"] and all(d["grounded"] for d in stored)
    assert summary.outputs["drafts_set_aside"] == len(summary.set_aside)
    records = [
        json.loads(r["body"]) for r in warehouse.rows("audit_records") if r["run_id"] == summary.run_id
    ]
    (aside,) = [r for r in records if r["task"] == "set_aside.content_drafts"]
    assert aside["outcome"] == "partial" and len(aside["details"]["set_aside"]) == len(summary.set_aside)
    gate = next(r for r in records if r["task"] == "validate.content_drafts")
    assert gate["validation"]["content_drafts"]["success"] is True and gate["inputs"]["rows"] == len(stored)
    closing = next(r for r in records if r["task"] == "run")
    assert (
        closing["outcome"] == "partial" and closing["details"]["set_aside"] == aside["details"]["set_aside"]
    )
