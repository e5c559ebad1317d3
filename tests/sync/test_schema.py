"""The 0005_sync migration creates exactly the checkpoint table the model describes."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory

from analytics.sync import SyncCheckpoint
from analytics.warehouse import Warehouse
from analytics.warehouse.db import MIGRATIONS_DIR


def test_the_migration_branches_from_the_foundation_and_matches_the_model(warehouse: Warehouse) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    script = ScriptDirectory.from_config(config)
    revision = script.get_revision("0005_sync")
    assert revision is not None and revision.down_revision == "0001_foundation"
    with warehouse.engine.connect() as conn:
        applied = {r[0] for r in conn.execute(sa.text("SELECT version_num FROM alembic_version"))}
    assert "0005_sync" in applied
    inspector = sa.inspect(warehouse.engine)
    table = SyncCheckpoint.__table__
    columns = {c["name"]: c for c in inspector.get_columns(table.name)}
    assert set(columns) == {c.name for c in table.columns}
    for column in table.columns:
        assert columns[column.name]["nullable"] == column.nullable, column.name
    assert inspector.get_pk_constraint(table.name)["constrained_columns"] == ["artist_id", "resource"]
