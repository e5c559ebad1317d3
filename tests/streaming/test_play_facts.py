"""Plays stored narrow: facts, a dimension of contexts, the wide view, and the migration."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.streaming.events import EVENT_COLUMNS, play_tuple
from analytics.streaming.load import CONTEXT_FIELDS, context_id, store_events
from analytics.streaming.tables import utc_microseconds, utc_microseconds_of
from analytics.warehouse import Warehouse
from analytics.warehouse.db import MIGRATIONS_DIR

TRACK = "4uLU6hMCjMI75M1A2tKUQC"
START = datetime(2026, 11, 1, 23, 59, 59, 999_999, tzinfo=UTC)


def _plays(n: int) -> list[tuple[Any, ...]]:
    """Plays across a day boundary, with varied contexts (some repeated, some with nulls)."""
    return [
        play_tuple(
            ts=START + timedelta(microseconds=k * 1_234_567),
            track_id=TRACK,
            ms_played=31_000 + k,
            source=("history", "realtime")[k % 2],
            identity=f"facts|{k}",
            artist_id="artist1" if k % 3 else None,
            country=("SE", "DE", None)[k % 3],
            platform=("Android OS 14", None)[k % 2],
            reason_start="clickrow" if k % 4 else None,
            reason_end=("trackdone", "fwdbtn")[k % 2],
            shuffle=k % 5 == 0,
            skipped=None if k % 7 == 0 else k % 2 == 1,
            offline=False,
            listener=f"listener{k % 4}",
        )
        for k in range(n)
    ]


def _as_dicts(rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    return sorted((dict(zip(EVENT_COLUMNS, r, strict=True)) for r in rows), key=lambda r: r["event_id"])


def test_the_view_gives_back_every_field_of_every_play(warehouse: Warehouse) -> None:
    plays = _plays(40)
    with warehouse.engine.begin() as conn:
        assert store_events(conn, plays).stored == 40
    stored = warehouse.rows("stream_play_events", order_by=["event_id"])
    assert stored == _as_dicts(plays)  # times to the microsecond, aware UTC, on both databases
    assert {r["day"] for r in stored} == {date(2026, 11, 1), date(2026, 11, 2)}
    contexts = warehouse.rows("stream_play_contexts")
    assert (
        len(contexts) == len({tuple(r[EVENT_COLUMNS.index(f)] for f in CONTEXT_FIELDS) for r in plays}) < 40
    )
    assert len(warehouse.rows("stream_play_facts")) == 40


def test_context_ids_are_the_same_in_every_database_and_order(empty_sqlite_warehouse: Warehouse) -> None:
    plays = _plays(30)
    other = empty_sqlite_warehouse
    other.migrate()
    with other.engine.begin() as conn:
        store_events(conn, plays[::-1][:10])
        store_events(conn, plays[::-1])
    ids = {r["context_id"] for r in other.rows("stream_play_contexts")}
    assert ids == {context_id(tuple(r[EVENT_COLUMNS.index(f)] for f in CONTEXT_FIELDS)) for r in plays}
    # the id is a function of the values: a flag given as 1 is the flag True
    assert context_id(("history", "SE", None, None, None, 1, 0, None)) == context_id(
        ("history", "SE", None, None, None, True, False, None)
    )


def test_a_context_id_stored_for_other_values_fails_loudly(warehouse: Warehouse) -> None:
    """A hash collision must not give a play another play's country."""
    play = _plays(1)[0]
    mine = tuple(play[EVENT_COLUMNS.index(f)] for f in CONTEXT_FIELDS)
    with warehouse.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO stream_play_contexts (context_id, source, country) VALUES (:i, 'history', 'ZZ')"
            ),
            {"i": context_id(mine)},
        )
    with pytest.raises(RuntimeError, match="stored for another context"), warehouse.engine.begin() as conn:
        store_events(conn, [play])
    assert warehouse.rows("stream_play_facts") == []


def test_sqlite_keeps_the_time_as_an_integer_and_computes_the_day(sqlite_warehouse: Warehouse) -> None:
    plays = _plays(3)
    with sqlite_warehouse.engine.begin() as conn:
        store_events(conn, plays)
        stored = conn.exec_driver_sql(
            "SELECT typeof(ts), ts, day FROM stream_play_facts ORDER BY event_id"
        ).fetchall()
    assert [(kind, ts, day) for kind, ts, day in stored] == [
        ("integer", utc_microseconds(r[1]), r[2].isoformat()) for r in sorted(plays)
    ]


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2400, 1, 1), timezones=st.just(UTC)))
def test_microseconds_are_exact(ts: datetime) -> None:
    exact = (ts - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)
    assert utc_microseconds(ts) == exact
    assert utc_microseconds_of([ts, ts.replace(tzinfo=None)]) == [exact, exact]  # naive is UTC, in bulk too


# -- the migration from the wide table ------------------------------------------------------

WIDE = sa.Table(
    "stream_play_events",
    sa.MetaData(),
    sa.Column("event_id", sa.String(32), primary_key=True),
    sa.Column("ts", sa.DateTime(timezone=True)),
    sa.Column("day", sa.Date()),
    *(sa.Column(c) for c in EVENT_COLUMNS[3:]),
)


def _alembic(warehouse: Warehouse, command_name: str, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    with warehouse.engine.begin() as connection:
        config.attributes["connection"] = connection
        getattr(command, command_name)(config, revision)


def _wide_rows(warehouse: Warehouse) -> list[dict[str, Any]]:
    with warehouse.engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(sa.select(WIDE).order_by(WIDE.c.event_id))]
    for r in rows:  # SQLite keeps no offset: its text times are UTC
        r["ts"] = r["ts"].replace(tzinfo=UTC) if r["ts"].tzinfo is None else r["ts"]
        for flag in ("shuffle", "skipped", "offline"):
            r[flag] = None if r[flag] is None else bool(r[flag])
    return rows


def test_stored_plays_move_to_the_narrow_tables_and_back(empty_warehouse: Warehouse) -> None:
    wh = empty_warehouse
    plays = _as_dicts(_plays(25))
    wh.migrate("0002_streaming")
    with wh.engine.begin() as conn:
        conn.execute(sa.insert(WIDE), plays)
    wh.migrate("0008_play_facts")  # this migration alone (0010 then re-keys history plays)
    assert wh.rows("stream_play_events", order_by=["event_id"]) == plays
    assert len(wh.rows("stream_play_contexts")) < 25
    with wh.engine.begin() as conn:  # and the loader agrees with what the migration wrote
        assert store_events(conn, _plays(25)).stored == 0

    _alembic(wh, "downgrade", "0002_streaming")
    assert "stream_play_facts" not in wh.table_names()
    assert _wide_rows(wh) == plays
