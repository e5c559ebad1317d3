"""The playlist description: the content generator's grounded text when it has the facts, else the template.

Spotify keeps at most 300 characters on one line and returns descriptions HTML-escaped, so every
text sent is one line without control characters or angle brackets, with no entity left to
unescape, cut at a word to 300 characters. The text comes from
:class:`analytics.content.GroundedGenerator` only (no language model), so the same facts and seed
give the same description and a second run the same day has nothing to change.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from analytics.curation.candidates import Candidate
from analytics.curation.curate import Curated
from analytics.warehouse import Warehouse

MAX_DESCRIPTION = 300
FACT_DAYS = 28  # the period of the facts: the same window as the 28-day streams the scores use


def safe_description(text: str, *, limit: int = MAX_DESCRIPTION) -> str:
    """``text`` as Spotify keeps it: one line, no control characters, no ``<``/``>``, <= ``limit``.

    Entities are decoded first (Spotify would show ``&amp;`` as ``&``), so reading the
    description back and unescaping it gives this text again.
    """
    for _ in range(3):
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    text = "".join(
        " " if ch.isspace() else ch
        for ch in text
        if ch not in "<>" and (ch.isspace() or not unicodedata.category(ch).startswith("C"))
    )
    text = re.sub(r" {2,}", " ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-") + "…"


def main_artist(curated: Curated) -> str | None:
    """The artist the playlist is about: the pool's only artist, else the most frequent first artist."""
    pool = curated.definition.pool.artist_ids
    if len(pool) == 1:
        return pool[0]
    counts = Counter(p.track.artist_ids[0] for p in curated.tracks if p.track.artist_ids)
    if not counts:
        return None
    return min(counts, key=lambda a: (-counts[a], a))


def names_absent_track(text: str, curated: Curated, candidates: Iterable[Candidate]) -> str | None:
    """The first candidate track named in ``text`` that is not in the playlist (excluded ones too)."""
    inside = {p.track.name.casefold() for p in curated.tracks}
    lowered = text.casefold()
    for c in candidates:
        name = c.name.casefold().strip()
        if name and name not in inside and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", lowered):
            return c.name
    return None


def content_description(
    curated: Curated,
    *,
    warehouse: Warehouse | None,
    today: date,
    candidates: Iterable[Candidate] = (),
    language: str = "en",
    catalog: Mapping[str, Any] | None = None,
) -> str | None:
    """The content generator's playlist description for the playlist's artist, or None.

    The facts come from the warehouse (``facts_from_warehouse``) or, for an artist that is not
    synced, from ``catalog`` (an ``encore-catalog/1`` document: the sandbox world's) when one is
    given. None when there is no artist, no facts,
    the facts cannot support a playlist description, the draft fails its grounding check, or it
    names one of ``candidates`` that is not in the playlist (the artist's top track may be
    excluded from it: the description must not advertise it).
    """
    from analytics import content  # the content package is only needed here

    artist = main_artist(curated)
    if artist is None:
        return None
    start = today - timedelta(days=FACT_DAYS - 1)
    sheet = None
    if warehouse is not None:
        try:
            sheet = content.facts_from_warehouse(warehouse, artist, period_start=start, period_end=today)
        except (KeyError, SQLAlchemyError):  # not synced, or no catalog tables yet
            sheet = None
    if sheet is None:
        if catalog is None:
            return None
        try:
            sheet = content.catalog_fact_sheet(artist, catalog=catalog, period_start=start, period_end=today)
        except KeyError:
            return None
    drafts = content.generate_drafts(
        sheet,
        kinds=[content.ContentKind.playlist_description],
        languages=[language],
        platforms=["spotify"],
        seed=curated.definition.seed,
    )
    grounded = [d for d in drafts if d.validation.ok and d.text.strip()]
    if not grounded or names_absent_track(grounded[0].text, curated, candidates):
        return None
    return safe_description(grounded[0].text)
