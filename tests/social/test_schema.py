"""The 0003_social migration matches the tables, and the expectation suites name real columns."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory

from analytics.social.tables import SocialAccountRow, SocialIdentityLinkRow, SocialSnapshotRow
from analytics.warehouse import Warehouse
from analytics.warehouse.db import MIGRATIONS_DIR

ROOT = Path(__file__).resolve().parents[2]


def test_migration_branches_from_the_foundation_and_is_applied_with_the_heads(warehouse: Warehouse) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    script = ScriptDirectory.from_config(config)
    assert script.get_revision("0003_social").down_revision == "0001_foundation"
    with warehouse.engine.connect() as conn:
        applied = {r[0] for r in conn.execute(sa.text("SELECT version_num FROM alembic_version"))}
    assert applied == set(script.get_heads()) and (
        "0003_social" in applied or script.get_revision("0003_social")
    )
    inspector = sa.inspect(warehouse.engine)
    for model in (SocialAccountRow, SocialSnapshotRow, SocialIdentityLinkRow):
        table = model.__table__
        columns = {c["name"]: c for c in inspector.get_columns(table.name)}
        assert set(columns) == {c.name for c in table.columns}, table.name
        for column in table.columns:
            assert columns[column.name]["nullable"] == column.nullable, f"{table.name}.{column.name}"
        assert inspector.get_pk_constraint(table.name)["constrained_columns"] == [
            c.name for c in table.primary_key
        ]


def test_expectation_suites_are_gx_shaped_and_name_existing_columns() -> None:
    for name, model in (("social_accounts", SocialAccountRow), ("social_snapshots", SocialSnapshotRow)):
        suite = json.loads((ROOT / "expectations" / f"{name}.json").read_text(encoding="utf-8"))
        assert suite["name"] == name and suite["expectations"]
        columns = {c.name for c in model.__table__.columns}
        for expectation in suite["expectations"]:
            assert expectation["type"].startswith("expect_") and "meta" in expectation
            kwargs = expectation["kwargs"]
            named = [kwargs["column"]] if "column" in kwargs else kwargs.get("column_list", [])
            assert set(named) <= columns, (name, expectation)
