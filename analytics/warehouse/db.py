"""Engine, sessions, migrations and content hashing of the warehouse."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, MetaData, Table, create_engine, event, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from analytics.warehouse.models import Base
from analytics.warehouse.text import storage_parameters

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def row_hash(row: Mapping[str, Any], *, exclude: Iterable[str] = ()) -> str:
    """SHA-256 of a row's canonical JSON (sorted keys), leaving out ``exclude`` columns."""
    skip = set(exclude)
    payload = {k: _canonical(v) for k, v in row.items() if k not in skip}
    text = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_hash_of_rows(rows: Iterable[Mapping[str, Any]], *, exclude: Iterable[str] = ()) -> str:
    """Order-independent hash of a set of rows."""
    digests = sorted(row_hash(r, exclude=exclude) for r in rows)
    return hashlib.sha256("\n".join(digests).encode()).hexdigest()


class Warehouse:
    """A handle on the warehouse database.

    Parameters
    ----------
    url : SQLAlchemy URL; ``sqlite:///path`` or ``postgresql+psycopg://…``.
    """

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.engine: Engine = create_engine(url, echo=echo, future=True, pool_pre_ping=True)
        database = self.engine.url.database
        if self.engine.dialect.name == "sqlite" and database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)  # the URL's path, decoded
        # a net under every writer that goes through SQLAlchemy (the bulk play loaders write
        # validated ids and codes through the driver directly)
        event.listen(self.engine, "before_cursor_execute", _storable_parameters, retval=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @classmethod
    def from_settings(cls, settings: Any) -> Warehouse:
        return cls(settings.warehouse_url)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back on any error."""
        with self._sessions() as session, session.begin():
            yield session

    def migrate(self, revision: str = "heads") -> None:
        """Bring the schema up to date with Alembic (idempotent)."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        config.set_main_option("path_separator", "os")
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)

    def table_names(self) -> list[str]:
        return sorted(inspect(self.engine).get_table_names())

    def table(self, name: str) -> Table:
        """The table or view ``name``: as its package declares it (typed), else as the database has it.

        Packages declare their tables on the shared :class:`Base` when their ``tables`` module is
        imported; ``analytics.tables`` imports them all. The warehouse imports none of them, so a
        table whose package is not loaded is reflected (untyped).
        """
        declared = Base.metadata.tables.get(name)
        return declared if declared is not None else Table(name, MetaData(), autoload_with=self.engine)

    def rows(self, table: str, *, order_by: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """All rows of one table or view as dicts (small tables and tests)."""
        tbl = self.table(table)
        # the columns the database has: a warehouse not yet upgraded lacks a newer model column
        present = {c["name"] for c in inspect(self.engine).get_columns(table)}
        stmt = select(*[c for c in tbl.c if c.name in present]) if present else select(tbl)
        if order_by:
            stmt = stmt.order_by(*(tbl.c[c] for c in order_by))
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(stmt)]

    def content_hash(
        self,
        *,
        tables: Iterable[str] | None = None,
        exclude_tables: Iterable[str] = ("audit_records", "alembic_version"),
        exclude_columns: Iterable[str] = (),
    ) -> str:
        """A hash of the stored content of ``tables`` (default: all but the audit log)."""
        skip = set(exclude_tables)
        names = [t for t in (tables or self.table_names()) if t not in skip]
        parts = []
        for name in sorted(names):
            parts.append(f"{name}:{content_hash_of_rows(self.rows(name), exclude=exclude_columns)}")
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    def dispose(self) -> None:
        self.engine.dispose()


def _storable_parameters(
    conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
) -> tuple[str, Any]:
    return statement, storage_parameters(parameters, many=executemany)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers (notebooks) work while a flow writes; NORMAL is durable enough with WAL.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
