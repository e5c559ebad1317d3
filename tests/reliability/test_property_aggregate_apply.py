"""Properties on generated input: the incremental aggregation equals a full recompute, and a
planned playlist diff applied over HTTP reaches the target with exactly its planned writes."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from itertools import count
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.config import Settings
from analytics.curation import apply_plan, plan_diff, plan_for_target
from analytics.curation.definition import PlaylistDefinition
from analytics.sandbox.spotify import SandboxOptions, SpotifySandbox, SyntheticCatalogSpec
from analytics.spotify import SpotifyClient
from analytics.streaming.aggregate import aggregate
from analytics.streaming.ingest import ingest_events_jsonl
from analytics.warehouse import Warehouse
from tests.curation.conftest import client_on

FIRST_DAY = date(2026, 10, 1)
NOW = datetime(2026, 11, 23, tzinfo=UTC)
TRACKS = [f"{c * 22}" for c in "ABC"]
ARTIST = "R" * 22
QUICK = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_names = count()

plays = st.tuples(
    st.integers(0, 50),  # day after FIRST_DAY (before NOW): windows of 7 and 28 days, and gaps
    st.sampled_from(TRACKS),
    st.sampled_from([4_000, 31_000, 200_000]),  # below and above the 30-second stream rule
    st.booleans(),
    st.sampled_from(["FR", "US", None]),
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated warehouse file, copied for each example (a migration costs seconds)."""
    path = tmp_path_factory.mktemp("aggregate") / "template.sqlite"
    warehouse = Warehouse(f"sqlite:///{path}")
    warehouse.migrate()
    warehouse.dispose()
    return path


def _ingest(warehouse: Warehouse, folder: Path, batch: list[tuple]) -> None:
    lines = []
    for n, (day, track, ms, skipped, country) in enumerate(batch):
        ts = datetime.combine(FIRST_DAY + timedelta(days=day), datetime.min.time(), UTC)
        event = {
            "v": 1,
            "event_id": f"e{next(_names)}-{n}",
            # distinct instants: two plays at one instant by one listener are one play (event id)
            "ts": (ts + timedelta(seconds=next(_names) % 80_000)).isoformat().replace("+00:00", "Z"),
            "track_id": track,
            "artist_id": ARTIST,
            "ms_played": ms,
            "skipped": skipped,
        }
        if country:
            event["country"] = country
        lines.append(json.dumps(event))
    path = folder / f"batch{next(_names)}.jsonl"
    path.write_text("\n".join(lines) + "\n")
    ingest_events_jsonl(warehouse, path, run_id=path.stem, now=NOW)


def _table(warehouse: Warehouse, name: str) -> list[dict[str, object]]:
    rows = warehouse.rows(name)
    rounded = [{k: (round(v, 9) if isinstance(v, float) else v) for k, v in r.items()} for r in rows]
    return sorted(rounded, key=lambda r: json.dumps(r, sort_keys=True, default=str))


@QUICK
@given(
    first=st.lists(plays, min_size=1, max_size=40),
    later=st.lists(st.lists(plays, min_size=1, max_size=15), min_size=1, max_size=3),
)
# Generated ingest histories, each aggregated twice on a real warehouse: 20-60 s.
@pytest.mark.slow
def test_recomputing_only_touched_days_equals_a_full_recompute(
    template: Path, tmp_path: Path, first: list[tuple], later: list[list[tuple]]
) -> None:
    folder = tmp_path / f"ex{next(_names)}"
    folder.mkdir()
    shutil.copy(template, folder / "w.sqlite")
    warehouse = Warehouse(f"sqlite:///{folder / 'w.sqlite'}")
    _ingest(warehouse, folder, first)
    aggregate(warehouse)
    for batch in later:  # new days, or more plays on days already aggregated
        _ingest(warehouse, folder, batch)
        summary = aggregate(warehouse)
        assert summary.days_recomputed == len({FIRST_DAY + timedelta(days=p[0]) for p in batch})
    incremental = {t: _table(warehouse, t) for t in ("stream_metrics_daily", "stream_country_daily")}
    aggregate(warehouse, full=True)
    assert {t: _table(warehouse, t) for t in incremental} == incremental
    warehouse.dispose()


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SpotifySandbox]:
    spec = SyntheticCatalogSpec(artists=2, albums=4, tracks=40, users=1, playlists=1, seed=11)
    with SpotifySandbox(SandboxOptions(quota_mode="development", synthetic=spec)).running() as sb:
        yield sb


@pytest.fixture(scope="module")
def client(sandbox: SpotifySandbox, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SpotifyClient]:
    with client_on(Settings(data_dir=tmp_path_factory.mktemp("apply")), sandbox) as c:
        yield c


def _writes(sb: SpotifySandbox) -> int:
    return sum(1 for r in sb.requests if r.method in ("POST", "PUT", "DELETE") and r.path.startswith("/v1/"))


@QUICK
@given(data=st.data())
def test_an_applied_diff_reaches_the_target_with_the_planned_writes(
    sandbox: SpotifySandbox, client: SpotifyClient, data: st.DataObject
) -> None:
    ids = sorted(sandbox.state.tracks)
    current = data.draw(st.lists(st.sampled_from(ids), max_size=30), label="current")
    target = data.draw(st.lists(st.sampled_from(ids), unique=True, max_size=30), label="target")
    name = f"property-{next(_names)}"
    playlist = client.create_playlist(name)
    if current:
        client.add_items(str(playlist.id), current)
    definition = PlaylistDefinition(name=name, playlist_id=str(playlist.id), length=max(len(target), 1))
    plan = plan_for_target(client, definition, target, description="")
    assert plan.diff == plan_diff(current, target)
    sandbox.reset_stats()
    result = apply_plan(client, plan)
    assert [e.track_id for e in sandbox.state.playlists[str(playlist.id)].entries] == target
    assert result.verified and result.write_requests == plan.diff.write_requests() == _writes(sandbox)
