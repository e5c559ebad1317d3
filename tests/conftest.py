"""Shared fixtures: isolated warehouses on SQLite and on the machine's real PostgreSQL, Redis."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from analytics.config import Settings
from analytics.warehouse import Warehouse

POSTGRES_ADMIN_URL = os.environ.get(
    "ENCORE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("ENCORE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
# A loaded 2-core machine can take longer than Prefect's default 20 s to start its API.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
# Each test session gets its own Prefect database, so parallel sessions never share a SQLite lock.
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="encore-prefect-"))


def service_missing(what: str, error: Exception) -> None:
    """Skip where a service is absent on a user's machine; fail under CI, which has it."""
    message = f"{what} is not reachable ({error.__class__.__name__}: {error})"
    if IN_CI:
        pytest.fail(f"{message}; CI must provide it", pytrace=False)
    pytest.skip(message)


def _postgres_schema_url(schema: str) -> str:
    sep = "&" if "?" in POSTGRES_ADMIN_URL else "?"
    return f"{POSTGRES_ADMIN_URL}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture
def empty_sqlite_warehouse(tmp_path: Path) -> Iterator[Warehouse]:
    """A SQLite warehouse without any table (migrations not run)."""
    wh = Warehouse(f"sqlite:///{tmp_path / 'warehouse.sqlite'}")
    yield wh
    wh.dispose()


@pytest.fixture
def empty_postgres_warehouse() -> Iterator[Warehouse]:
    """A fresh, empty schema in the machine's PostgreSQL database ``test``, dropped afterwards."""
    import sqlalchemy as sa

    schema = f"t_{uuid.uuid4().hex[:12]}"
    try:
        admin = sa.create_engine(POSTGRES_ADMIN_URL)
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        service_missing("PostgreSQL at 127.0.0.1:5432", exc)
    wh = Warehouse(_postgres_schema_url(schema))
    try:
        yield wh
    finally:
        wh.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def sqlite_warehouse(empty_sqlite_warehouse: Warehouse) -> Warehouse:
    empty_sqlite_warehouse.migrate()
    return empty_sqlite_warehouse


@pytest.fixture
def postgres_warehouse(empty_postgres_warehouse: Warehouse) -> Warehouse:
    """A fresh schema in the machine's PostgreSQL database ``test``, migrated, dropped afterwards."""
    empty_postgres_warehouse.migrate()
    return empty_postgres_warehouse


@pytest.fixture(params=["sqlite", "postgres"])
def empty_warehouse(request: pytest.FixtureRequest) -> Warehouse:
    """An unmigrated warehouse on SQLite and on PostgreSQL (for migration tests)."""
    if request.param == "postgres":
        request.applymarker(pytest.mark.postgres)
    return request.getfixturevalue(f"empty_{request.param}_warehouse")


@pytest.fixture(params=["sqlite", "postgres"])
def warehouse(request: pytest.FixtureRequest) -> Warehouse:
    """The same test on SQLite and on PostgreSQL, each isolated."""
    if request.param == "postgres":
        request.applymarker(pytest.mark.postgres)
    return request.getfixturevalue(f"{request.param}_warehouse")


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings pointing every file a run writes into the test's own folder."""
    for key in list(os.environ):
        if key.startswith("ENCORE_") and not key.startswith("ENCORE_TEST_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    return Settings(
        data_dir=tmp_path / "data",
        reports_dir=tmp_path / "reports",
        spotify_token_cache=tmp_path / "cache" / "token.json",
    )


@pytest.fixture
def redis_client() -> Iterator[object]:
    """A client on database 15 of the machine's Redis, flushed before and after."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except Exception as exc:
        service_missing("Redis at 127.0.0.1:6379", exc)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture(scope="session", autouse=True)
def every_table_declared() -> None:
    """Every package's tables on the warehouse metadata (``analytics.tables``), so that a test
    reading a table by name gets its declared types, whichever packages it imports itself."""
    import analytics.tables  # noqa: F401
