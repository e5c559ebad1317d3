"""Grounded, multilingual content: posts, recaps, bios, playlist descriptions and press text.

Everything is written from a :class:`FactSheet` only, and every number, date and name of a draft
is checked against it. Public surface::

    sheet = facts_from_warehouse(warehouse, artist_id, period_start=..., period_end=...)
    drafts = generate_drafts(sheet, kinds=..., languages=("en", "fr", "de"), seed=7)
    store_drafts(warehouse, drafts, run_id=run_id, facts=[sheet])
    write_ready_to_post(drafts, out_dir)
    store_and_write_drafts(warehouse, drafts, facts=sheet, out_dir=..., run_id=...)  # both, audited
"""

from analytics.content.backend import (
    BackendError,
    BackendText,
    ContentBackend,
    DraftRequest,
    MissingFactsError,
)
from analytics.content.builder import build_fact_sheet, catalog_fact_sheet
from analytics.content.drafts import Draft, Fallback, generate_drafts, validate_draft, write_ready_to_post
from analytics.content.facts import FactSheet, Source
from analytics.content.frames import DRAFT_COLUMNS, drafts_frame
from analytics.content.generator import TEMPLATE_VERSION, GroundedGenerator
from analytics.content.kinds import PLATFORMS, ContentKind, limit_for, missing_facts
from analytics.content.lang import LANGUAGES
from analytics.content.llm import OpenAICompatibleBackend, backend_from_settings
from analytics.content.store import StoredDrafts, store_and_write_drafts, store_drafts
from analytics.content.validate import GroundingResult, Issue, validate_text
from analytics.content.warehouse_facts import facts_from_warehouse

__all__ = [
    "DRAFT_COLUMNS",
    "LANGUAGES",
    "PLATFORMS",
    "TEMPLATE_VERSION",
    "BackendError",
    "BackendText",
    "ContentBackend",
    "ContentKind",
    "Draft",
    "DraftRequest",
    "FactSheet",
    "Fallback",
    "GroundedGenerator",
    "GroundingResult",
    "Issue",
    "MissingFactsError",
    "OpenAICompatibleBackend",
    "Source",
    "StoredDrafts",
    "backend_from_settings",
    "build_fact_sheet",
    "catalog_fact_sheet",
    "drafts_frame",
    "facts_from_warehouse",
    "generate_drafts",
    "limit_for",
    "missing_facts",
    "store_and_write_drafts",
    "store_drafts",
    "validate_draft",
    "validate_text",
    "write_ready_to_post",
]
