"""Alembic environment: run against the connection ``Warehouse.migrate`` hands over."""

from alembic import context

import analytics.warehouse.models  # noqa: F401  (registers the tables)
from analytics.warehouse.models import Base

target_metadata = Base.metadata
connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only the programmatic path is supported
    raise RuntimeError("run migrations through analytics.warehouse.Warehouse.migrate()")

context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
