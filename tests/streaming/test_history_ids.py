"""A play is one play however its export writes it; stored ids follow the normalised values."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.streaming.events import normalise_play
from analytics.streaming.history import history_identity, parse_history
from analytics.streaming.ids import event_id
from analytics.streaming.ingest import ingest_history_json
from analytics.streaming.load import store_events
from analytics.warehouse import Warehouse
from tests.streaming.conftest import NOW

TRACK = "A" * 22


def _formats(ts: datetime) -> list[str]:
    """Every way an export (or a hand edit) may write the same instant."""
    plain = ts.strftime("%Y-%m-%dT%H:%M:%S")
    frac = f".{ts.microsecond:06d}" if ts.microsecond else ""
    out = [f"{plain}{frac}Z", f"{plain}{frac}+00:00", ts.astimezone(UTC).isoformat()]
    if not ts.microsecond:
        out += [f"{plain}.000Z", f"{plain}.000000+00:00"]
    shifted = ts.astimezone(__import__("datetime").timezone(timedelta(hours=2)))
    out.append(shifted.isoformat())
    return out


@settings(max_examples=60, deadline=None)
@given(
    moment=st.datetimes(
        min_value=datetime(2010, 1, 1), max_value=datetime(2026, 11, 1), timezones=st.just(UTC)
    ),
    ms=st.integers(min_value=0, max_value=6 * 3600 * 1000),
    platform=st.sampled_from(["Android OS 9 API 28 (samsung)", "ios", "Windows 10 (10.0.19045; x64)", None]),
    reason=st.sampled_from(["trackdone", "clickrow", "fwdbtn", None]),
)
def test_every_equivalent_formatting_of_a_play_gives_one_id(moment, ms, platform, reason) -> None:
    moment = moment.replace(microsecond=(moment.microsecond // 1000) * 1000)
    variants = []
    for ts in _formats(moment):
        for ms_played in (ms, float(ms), str(ms)):
            for plat in {
                platform,
                platform.upper() if platform else None,
                f"  {platform} " if platform else None,
            }:
                variants.append(
                    {
                        "ts": ts,
                        "ms_played": ms_played,
                        "spotify_track_uri": f"spotify:track:{TRACK}",
                        "platform": plat,
                        "reason_start": reason.upper() if reason else reason,
                        "reason_end": reason,
                    }
                )
    parsed = parse_history(json.dumps(variants), where="x.json", now=NOW)
    assert not parsed.rejected
    assert len(parsed.rows) == 1 and parsed.duplicates == len(variants) - 1


def test_equivalent_formattings_in_separate_files_store_once(warehouse: Warehouse, tmp_path: Path) -> None:
    base = {
        "spotify_track_uri": f"spotify:track:{TRACK}",
        "reason_start": "clickrow",
        "reason_end": "trackdone",
    }
    files = [
        [{**base, "ts": "2026-11-01T10:00:00Z", "ms_played": 200000, "platform": "Android"}],
        [{**base, "ts": "2026-11-01T10:00:00+00:00", "ms_played": 200000.0, "platform": "android"}],
        [{**base, "ts": "2026-11-01T10:00:00.000Z", "ms_played": "200000", "platform": "ANDROID"}],
    ]
    stored = 0
    for number, plays in enumerate(files):
        path = tmp_path / f"Streaming_History_Audio_{number}.json"
        path.write_text(json.dumps(plays))
        stored += ingest_history_json(warehouse, path, run_id=f"r{number}", now=NOW).rows_stored
    assert stored == 1 and len(warehouse.rows("stream_play_events")) == 1


def _old_id(raw: dict) -> str:
    """The id the warehouse stored before: a hash of the raw text of six fields."""
    identity = "|".join(
        str(raw[k])
        for k in ("ts", "spotify_track_uri", "ms_played", "reason_start", "reason_end", "platform")
    )
    ts = datetime.fromisoformat(raw["ts"].replace("Z", "+00:00"))
    return event_id(ts, f"history|{identity}")


def test_the_migration_rekeys_stored_history_and_keeps_one_row_per_play(empty_warehouse: Warehouse) -> None:
    warehouse = empty_warehouse
    warehouse.migrate("0008_play_facts")
    base = {
        "spotify_track_uri": f"spotify:track:{TRACK}",
        "reason_start": "clickrow",
        "reason_end": "trackdone",
    }
    raws = [
        {**base, "ts": "2026-11-01T10:00:00Z", "ms_played": 200000, "platform": "Android"},
        {
            **base,
            "ts": "2026-11-01T10:00:00.000Z",
            "ms_played": 200000.0,
            "platform": "android",
        },  # the same play
        {**base, "ts": "2026-11-02T08:30:00Z", "ms_played": 1000, "platform": "ios"},
    ]
    rows = []
    for raw in raws:
        ts = datetime.fromisoformat(raw["ts"].replace("Z", "+00:00"))
        play = normalise_play(
            ts=ts,
            track_id=TRACK,
            ms_played=raw["ms_played"],
            source="history",
            identity="",
            platform=raw["platform"],
            reason_start=raw["reason_start"],
            reason_end=raw["reason_end"],
        )
        play["event_id"] = _old_id(raw)
        rows.append(tuple(play.values()))
    with warehouse.engine.begin() as conn:
        assert store_events(conn, sorted(rows)).stored == 3
    warehouse.migrate()
    stored = warehouse.rows("stream_play_events", order_by=["event_id"])
    assert len(stored) == 2
    expected = sorted(event_id(r["ts"], history_identity(r)) for r in stored)
    assert [r["event_id"] for r in stored] == expected
    assert [r["day"] for r in warehouse.rows("stream_dirty_days")] == [datetime(2026, 11, 1).date()]


def test_the_migration_ids_agree_with_the_live_code() -> None:
    import importlib.util

    from analytics.warehouse.db import MIGRATIONS_DIR

    path = MIGRATIONS_DIR / "versions" / "0010_history_play_ids.py"
    spec = importlib.util.spec_from_file_location("m0010", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for k in range(50):
        ts = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(seconds=k * 7919, microseconds=k * 1000)
        row = {
            "ts": ts,
            "track_id": TRACK,
            "ms_played": k * 1111,
            "reason_start": ["clickrow", None][k % 2],
            "reason_end": "trackdone",
            "platform": ["android", "ios", None][k % 3],
        }
        live = event_id(ts, history_identity(row))
        frozen = module.play_id(ts, TRACK, k * 1111, row["reason_start"], "trackdone", row["platform"])
        assert live == frozen
