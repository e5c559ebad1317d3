"""Alembic upgrades of a PostgreSQL warehouse keep existing data.

The whole job on PostgreSQL is tested on the second world's runs
(tests/e2e/test_real_mode_world2.py), which store their warehouse there.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory

from analytics import catalog, demo
from analytics.warehouse import UpsertResult, Warehouse
from analytics.warehouse.db import MIGRATIONS_DIR

pytestmark = [pytest.mark.postgres, pytest.mark.e2e]

FOUNDATION = "0001_foundation"


def _heads() -> set[str]:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return set(ScriptDirectory.from_config(config).get_heads())


@pytest.fixture
def empty_postgres(postgres_warehouse: Warehouse) -> Iterator[Warehouse]:
    """A PostgreSQL schema of its own with no table at all (the fixture's, emptied)."""
    from sqlalchemy import text

    with postgres_warehouse.engine.begin() as conn:
        schema = conn.execute(text("SELECT current_schema()")).scalar_one()
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    postgres_warehouse.engine.dispose()
    yield postgres_warehouse


def _store_as_the_foundation_did(wh: Warehouse, frames: catalog.CatalogFrames) -> UpsertResult:
    """The catalog stored as the foundation's code stored it: into the tables as the database has
    them (reflected), without the columns later migrations add (the track credits of 0012)."""
    from analytics.warehouse import upsert

    tables = sa.MetaData()
    tables.reflect(wh.engine)
    known = {c.name for c in tables.tables["tracks"].columns}
    old = replace(frames, tracks=frames.tracks[[c for c in frames.tracks.columns if c in known]])
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(upsert, "_table", lambda name: tables.tables[name])
        return catalog.store_catalog(
            wh, old, run_id="before-upgrade", removal_scope=demo.demo_artist_ids(None)
        )


def test_upgrade_from_the_foundation_keeps_every_row(empty_postgres: Warehouse) -> None:
    wh = empty_postgres
    wh.migrate(FOUNDATION)
    frames = catalog.frames_from_catalog(demo.load_catalog(), artist_ids=demo.demo_artist_ids(None))
    written = _store_as_the_foundation_did(wh, frames)
    assert written.rows_written > 20
    old_tables = [t for t in wh.table_names() if t != "alembic_version"]
    before = {t: wh.rows(t) for t in old_tables}

    wh.migrate("heads")

    versions = {r["version_num"] for r in wh.rows("alembic_version")}
    assert versions == _heads() and len(versions) > 1, "every branch of the migrations is applied"
    assert set(wh.table_names()) > set(old_tables), "the newer migrations created their tables"
    for table in old_tables:  # what was stored keeps its values; columns added since are new
        # Migration 0012 gives each track its credits and recomputes the track's content hash over
        # them (so that the next sync still finds it unchanged: `again` below); every other
        # value, and every other table's hash, stays as stored.
        rehashed = {"content_hash"} if table == "tracks" else set()
        after = [
            {k: r[k] for k in row if k not in rehashed}
            for r, row in zip(wh.rows(table), before[table], strict=True)
        ]
        kept = [{k: v for k, v in row.items() if k not in rehashed} for row in before[table]]
        assert after == kept, f"{table} changed during the upgrade"
    again = catalog.store_catalog(
        wh, frames, run_id="after-upgrade", removal_scope=demo.demo_artist_ids(None)
    )
    assert again.rows_written == 0, "the upgraded warehouse still recognises every stored row"
