"""A small, seeded world for report tests: one run folder and one warehouse holding the demo
artists with streaming, social, audio and content data, a hostile artist whose name and track
title are markup, and a bare artist with nothing but a catalog entry (development quota mode).

Everything is produced by the packages that produce it in a real run (catalog frames, the GX
gate, streaming ingest/aggregate/anomalies, audio analysis, content drafts); only the social
snapshots are written as rows, the way the social sync stores them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from analytics import catalog, demo
from analytics.config import PROJECT_ROOT, QuotaMode
from analytics.warehouse import Warehouse, upsert_rows

PERIOD = (date(2026, 10, 26), date(2026, 11, 22))
RUN_ID = "run-report-test"
HOSTILE_ID = "HostileArtist000000001"
HOSTILE_NAME = "<img src=x onerror=alert(1)>"
HOSTILE_TRACK = "</script><script>alert(2)</script>"
BARE_ID = "BareArtist000000000001"
BARE_NAME = "Quiet Newcomer"
AUDIO_CACHE = PROJECT_ROOT / "data" / "cache" / "audio" / "features"


@dataclass
class World:
    run_dir: Path
    warehouse_url: str
    demo_ids: list[str]
    period: tuple[date, date]


def world_catalog() -> dict[str, Any]:
    """The demo catalog plus a hostile artist (markup in names) and a bare artist."""
    doc = demo.load_catalog()
    for artist_id, name, track, album_id in (
        (HOSTILE_ID, HOSTILE_NAME, HOSTILE_TRACK, "HostileAlbum0000000001"),
        (BARE_ID, BARE_NAME, "First Light", "BareAlbum0000000000001"),
    ):
        doc["artists"].append(
            {"id": artist_id, "name": name, "genres": [], "followers": None, "popularity": None}
        )
        track_id = album_id.replace("Album", "Track")
        doc["albums"].append(
            {
                "id": album_id,
                "name": f"{name} EP" if artist_id == HOSTILE_ID else "First Light",
                "album_type": "single",
                "artist_ids": [artist_id],
                "release_date": "2026-11-06",
                "release_date_precision": "day",
                "label": None,
                "upc": None,
                "track_ids": [track_id],
                "total_tracks": 1,
            }
        )
        doc["tracks"].append(
            {
                "id": track_id,
                "name": track,
                "album_id": album_id,
                "artist_ids": [artist_id],
                "disc_number": 1,
                "track_number": 1,
                "duration_ms": 201_000,
                "explicit": False,
                "isrc": None,
                "popularity": None,
                "audio": None,
            }
        )
    return doc


def build_world(root: Path, *, with_validation: bool = True) -> World:
    """Write the run folder and the SQLite warehouse under ``root`` (seeded, deterministic)."""
    # Straight from the modules: once a submodule is imported, ``analytics.streaming.aggregate``
    # names the module, not the lazily exported function.
    from analytics.sandbox.streams.demo import generate_demo_data, ingest_demo_data
    from analytics.streaming.aggregate import aggregate
    from analytics.streaming.anomalies import detect_anomalies

    run_dir = root / "runs" / RUN_ID
    doc = world_catalog()
    frames = catalog.frames_from_catalog(doc, quota_mode=QuotaMode.development)
    frames.save(run_dir / "datasets")
    (run_dir / "manifest.json").write_text(
        json.dumps({"run_id": RUN_ID, "trace_id": "0" * 32, "quota_mode": "development"}, indent=2)
    )
    if with_validation:
        from analytics import validation

        for name, frame in frames.items():
            validation.validate(frame, suite=name, run_dir=run_dir, run_id=RUN_ID, dataset=name)
        validation.build_data_docs(run_dir, run_id=RUN_ID)

    url = f"sqlite:///{root / 'encore.sqlite'}"
    warehouse = Warehouse(url)
    warehouse.migrate()
    catalog.store_catalog(warehouse, frames, run_id=RUN_ID)
    demo_ids = demo.demo_artist_ids()
    start, end = PERIOD
    data = generate_demo_data(
        root / "streaming", seed=7, days=84, end_date=end, history_plays=300, scale=0.25
    )
    ingest_demo_data(warehouse, data, run_id=RUN_ID)
    _hostile_streams(warehouse, root / "hostile", end=end)
    aggregate(warehouse, full=True)
    detect_anomalies(warehouse, run_id=RUN_ID, seed=0)
    _social(warehouse, demo_ids, end=end)
    _content(warehouse, demo_ids[0], start=start, end=end)
    _audio(run_dir, doc)
    warehouse.dispose()
    return world_at(root)


def _hostile_streams(warehouse: Warehouse, folder: Path, *, end: date) -> None:
    """Spotify for Artists exports for the hostile artist, so its track title reaches the figures."""
    from analytics.streaming.ingest import ingest_s4a_csv

    track_id = "HostileTrack0000000001"
    days = [end - timedelta(days=55 - i) for i in range(56)]
    audience = ["date,listeners,streams,followers"] + [
        f"{d.isoformat()},{40 + i % 9},{60 + i + (i % 7) * 4},{100 + i}" for i, d in enumerate(days)
    ]
    song = ["date,listeners,streams,saves"] + [
        f"{d.isoformat()},{30 + i % 5},{45 + i + (i % 7) * 3},{i % 4}" for i, d in enumerate(days)
    ]
    (folder / "songs").mkdir(parents=True, exist_ok=True)
    (folder / "audience-timeline.csv").write_text("\n".join(audience) + "\n")
    (folder / "songs" / f"{track_id}-timeline.csv").write_text("\n".join(song) + "\n")
    ingest_s4a_csv(
        warehouse, folder / "audience-timeline.csv", run_id=RUN_ID, artist_id=HOSTILE_ID, kind="audience"
    )
    ingest_s4a_csv(
        warehouse, folder / "songs" / f"{track_id}-timeline.csv", run_id=RUN_ID, artist_id=HOSTILE_ID
    )


def _social(warehouse: Warehouse, artist_ids: list[str], *, end: date) -> None:
    from analytics.social.store import upsert_snapshots

    accounts, snapshots = [], []
    for n, artist_id in enumerate(artist_ids):
        for platform, base, step in (("instagram", 980 + 300 * n, 6), ("youtube", 2400 - 500 * n, 11)):
            pid = f"{platform}-{artist_id}"
            accounts.append(
                {
                    "platform": platform,
                    "platform_id": pid,
                    "handle": f"{platform}_{n}",
                    "display_name": None,
                    "artist_id": artist_id,
                    "verified": False,
                    "link_source": "test",
                    "confidence": 1.0,
                    "link_explanation": "",
                }
            )
            for i in range(40):
                snapshots.append(
                    {
                        "platform": platform,
                        "platform_id": pid,
                        "day": end - timedelta(days=39 - i),
                        "artist_id": artist_id,
                        "followers": base + step * i + (i % 7) * 3,
                        "posts": 40 + i // 5,
                        "views": None,
                        "likes": None,
                        "comments": None,
                        "sample_posts": 0,
                        "engagement_rate": 0.02 + 0.001 * (i % 5),
                    }
                )
    with warehouse.session() as session:
        upsert_rows(session, "social_accounts", accounts, key=["platform", "platform_id"], run_id=RUN_ID)
        upsert_snapshots(session, snapshots, run_id=RUN_ID)


def _content(warehouse: Warehouse, artist_id: str, *, start: date, end: date) -> None:
    from analytics.content import facts_from_warehouse, generate_drafts, store_drafts

    sheet = facts_from_warehouse(warehouse, artist_id, period_start=start, period_end=end)
    drafts = generate_drafts(sheet, languages=("en", "fr"), seed=3)
    store_drafts(warehouse, drafts, run_id=RUN_ID, facts=[sheet])


def _audio(run_dir: Path, doc: dict[str, Any]) -> None:
    from analytics.audio import analyze_files

    files = {demo.DEMO_DIR / t["audio"]: t for t in doc["tracks"] if t.get("audio")}
    batch = analyze_files(list(files), cache_dir=AUDIO_CACHE, workers=2)
    features = batch.features
    by_path = {str(p): t for p, t in files.items()}
    features.insert(0, "track_id", [by_path[p]["id"] for p in features["path"]])
    features.insert(1, "artist_id", [by_path[p]["artist_ids"][0] for p in features["path"]])
    features = features.drop(columns=["path"])
    features.to_parquet(run_dir / "datasets" / "audio_features.parquet", index=False)


def world_at(root: Path) -> World:
    """The world :func:`build_world` wrote under ``root``."""
    return World(
        run_dir=root / "runs" / RUN_ID,
        warehouse_url=f"sqlite:///{root / 'encore.sqlite'}",
        demo_ids=demo.demo_artist_ids(),
        period=PERIOD,
    )


def copy_world(world: World, dest: Path) -> World:
    """A copy of ``world`` under ``dest`` (run folder and warehouse), for a test that writes to it."""
    import shutil

    root = world.run_dir.parent.parent
    shutil.copytree(root, dest, dirs_exist_ok=True)
    return World(
        run_dir=dest / world.run_dir.relative_to(root),
        warehouse_url=f"sqlite:///{dest / 'encore.sqlite'}",
        demo_ids=list(world.demo_ids),
        period=world.period,
    )


def frame(path: Path) -> pd.DataFrame:
    return pd.read_parquet(path)
