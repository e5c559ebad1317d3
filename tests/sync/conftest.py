"""Fixtures: a fresh Spotify sandbox per test (tests change its catalog) and a sync helper."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from analytics import sync
from analytics.config import Settings
from analytics.sandbox.spotify import DEMO_USER_ID, SandboxOptions, SpotifySandbox, SyntheticCatalogSpec
from analytics.spotify import RetryPolicy
from analytics.warehouse import Warehouse

# small, but with every shape the sync pages over: several discography pages in development
# mode, a compilation (appears_on), shared playlists
SMALL = SyntheticCatalogSpec(artists=4, albums=24, tracks=200, users=2, playlists=4, seed=2)
FAST = RetryPolicy(
    max_attempts=4, base_delay_s=0.01, max_delay_s=0.05, jitter=0.5, max_retry_wait_s=5.0, timeout_s=5.0
)
# the run-id bookkeeping that differs between two runs storing the same content
RUN_COLUMNS = ("first_seen_run", "last_changed_run", "removed_run", "removed_at")

SyncFn = Callable[..., sync.SyncReport]


def artists_of(sb: SpotifySandbox) -> list[str]:
    """The catalog's artists, without the compilations' 'Various Artists'."""
    return sorted(a.id for a in sb.state.artists.values() if a.name != "Various Artists")


def settled(sb: SpotifySandbox) -> None:
    time.sleep(0.05)  # the sandbox logs a request just after answering it


def catalog_hash(warehouse: Warehouse) -> str:
    """The stored catalog, without run ids, timestamps and the sync's own bookkeeping."""
    return warehouse.content_hash(
        exclude_tables=("audit_records", "alembic_version", "entity_versions", "sync_checkpoints"),
        exclude_columns=RUN_COLUMNS,
    )


def start(mode: str = "development", *, synthetic: SyntheticCatalogSpec | None = None) -> SpotifySandbox:
    return SpotifySandbox(SandboxOptions(quota_mode=mode, synthetic=synthetic, seed=0))  # type: ignore[arg-type]


@pytest.fixture
def demo_sb() -> Iterator[SpotifySandbox]:
    """The demo catalog in development mode, fresh for each test."""
    with start("development").running() as sb:
        yield sb


@pytest.fixture(params=["development", "extended"])
def small_sb(request: pytest.FixtureRequest) -> Iterator[SpotifySandbox]:
    """The small synthetic catalog in each quota mode, fresh for each test."""
    with start(request.param, synthetic=SMALL).running() as sb:
        yield sb


@pytest.fixture
def run_sync(settings: Settings) -> SyncFn:
    """Sync ``sb``'s artists (default: all) into ``warehouse`` through a fresh client."""

    def run(
        sb: SpotifySandbox, warehouse: Warehouse, *, data_dir: Any = None, **options: Any
    ) -> sync.SyncReport:
        local = settings.model_copy(
            update={"quota_mode": sb.runtime.quota_mode, "data_dir": data_dir or settings.data_dir}
        )
        artist_ids = options.pop("artist_ids", None) or artists_of(sb)
        with sync.sandbox_client(local, sb, policy=FAST, seed=0) as client:
            return sync.sync_catalog(client, warehouse, artist_ids=artist_ids, **options)

    return run


def shape(sb: SpotifySandbox) -> sync.CatalogShape:
    return sync.shape_of(sb.state, artists_of(sb), user_id=DEMO_USER_ID)


@pytest.fixture
def reference_warehouse(tmp_path: Any) -> Iterator[Warehouse]:
    """A second SQLite warehouse, for an uninterrupted sync to compare with."""
    wh = Warehouse(f"sqlite:///{tmp_path / 'reference.sqlite'}")
    wh.migrate()
    yield wh
    wh.dispose()
