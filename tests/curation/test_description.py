"""The playlist description: the content generator's grounded text, else the template; always safe."""

from __future__ import annotations

from datetime import date

from analytics import content
from analytics.curation import content_description, curate, parse_definition, safe_description
from analytics.curation.apply import describe
from analytics.curation.candidates import candidates_from_catalog
from analytics.curation.description import names_absent_track
from analytics.demo import load_catalog

TODAY = date(2026, 11, 23)
MAXSTACK = "YQhOGXX8g2pM1yHEFVFAjK"
CATALOG = load_catalog()  # the sandbox world's catalog


def _curated(**extra: object):  # type: ignore[no-untyped-def]
    definition = parse_definition(
        {
            "name": "Essentials",
            "length": 8,
            "pool": {"artist_ids": [MAXSTACK]},
            "description": "{count} tracks",
        }
        | extra
    )
    return curate(definition, candidates_from_catalog(load_catalog()), today=TODAY)


def test_the_description_is_the_content_generators_grounded_text() -> None:
    curated = _curated()
    text = content_description(curated, warehouse=None, today=TODAY, catalog=CATALOG)
    assert text is not None and 0 < len(text) <= 300
    start = date(2026, 10, 27)
    sheet = content.catalog_fact_sheet(MAXSTACK, catalog=CATALOG, period_start=start, period_end=TODAY)
    drafts = content.generate_drafts(
        sheet, kinds=["playlist_description"], languages=["en"], platforms=["spotify"], seed=0
    )
    assert drafts and drafts[0].validation.ok
    assert text == safe_description(drafts[0].text)
    assert content.validate_text(text, sheet, language="en", platform="spotify", limit=300).ok
    assert text == content_description(
        curated, warehouse=None, today=TODAY, catalog=CATALOG
    )  # same facts, same text


def test_a_text_naming_a_track_left_out_of_the_playlist_is_not_used() -> None:
    everything = candidates_from_catalog(load_catalog())
    whole = _curated(length=60)  # every track of the artist
    text = content_description(whole, warehouse=None, today=TODAY, catalog=CATALOG)
    assert text is not None
    named = [c for c in everything if c.name in text]
    assert named and all(c.track_id in whole.track_ids for c in named)
    assert (
        content_description(whole, warehouse=None, today=TODAY, catalog=CATALOG, candidates=everything)
        == text
    )
    left_out = _curated(length=60, constraints={"excluded": [named[0].track_id]})
    assert names_absent_track(text, left_out, everything) == named[0].name
    assert (
        content_description(left_out, warehouse=None, today=TODAY, catalog=CATALOG, candidates=everything)
        is None
    )
    assert (
        content_description(left_out, warehouse=None, today=TODAY, catalog=CATALOG) == text
    )  # without candidates: not checked


def test_no_facts_for_the_artist_means_no_generated_text() -> None:
    curated = _curated(pool={"artist_ids": ["NotAnArtistOfTheDemo00"]})
    assert content_description(curated, warehouse=None, today=TODAY, catalog=CATALOG) is None


def test_an_unsynced_warehouse_falls_back_to_the_catalogs_facts_only_when_given_one(sqlite_warehouse) -> None:  # type: ignore[no-untyped-def]
    curated = _curated()
    assert content_description(curated, warehouse=sqlite_warehouse, today=TODAY) is None  # no demo default
    assert content_description(
        curated, warehouse=sqlite_warehouse, today=TODAY, catalog=CATALOG
    ) == content_description(curated, warehouse=None, today=TODAY, catalog=CATALOG)


def test_descriptions_are_one_safe_line_of_at_most_300_characters() -> None:
    hostile = "<script>alert(1)</script> Rock &amp; Roll\n\tnight\x00\u202e " + "word " * 100
    text = safe_description(hostile)
    assert len(text) <= 300 and text.endswith("…")
    assert "<" not in text and ">" not in text and "\n" not in text and "\x00" not in text
    assert "\u202e" not in text and "Rock & Roll night" in text
    assert safe_description(text) == text  # stable: sending it twice changes nothing
    assert safe_description("short & sweet") == "short & sweet"
    curated = _curated(description="Line one\nline <b>two</b> " + "x" * 400)
    templated = describe(curated.definition, curated)
    assert len(templated) <= 300 and "\n" not in templated and "<" not in templated
