from __future__ import annotations

from datetime import date

import pandas as pd

from analytics import demo
from analytics.curation import (
    candidates_from_catalog,
    load_candidates,
    parse_definition,
    score_candidates,
    with_features,
    with_metrics,
)
from analytics.warehouse import Warehouse


def test_metrics_and_features_join_by_track_and_missing_stay_none() -> None:
    cands = candidates_from_catalog(demo.load_catalog())
    first, second = cands[0].track_id, cands[1].track_id
    metrics = pd.DataFrame(
        [
            {"level": "track", "entity_id": first, "day": "2026-11-01", "streams_28d": 10, "saves": 1},
            {
                "level": "track",
                "entity_id": first,
                "day": "2026-11-02",
                "streams_28d": 500,
                "streams_delta_28d": 40,
                "saves": 3,
            },
            {"level": "artist", "entity_id": second, "day": "2026-11-02", "streams_28d": 9999, "saves": 0},
        ]
    )
    features = pd.DataFrame(
        [
            {
                "track_id": second,
                "tempo_bpm": 128.0,
                "key": "A",
                "mode": "minor",
                "energy": 0.7,
                "loudness_lufs": -8.0,
            }
        ]
    )
    out = with_features(with_metrics(cands, metrics), features)
    by_id = {c.track_id: c for c in out}
    assert (by_id[first].streams_28d, by_id[first].streams_delta_28d, by_id[first].saves_28d) == (500, 40, 4)
    assert by_id[second].streams_28d is None  # an artist-level row is not a track's
    assert by_id[second].has_audio and by_id[second].key == "A" and not by_id[first].has_audio
    scores = score_candidates(out, parse_definition({"name": "x", "length": 3}), today=date(2026, 11, 23))
    assert scores[first].ranks["streams"] == 1 and scores[first].parts["streams"] == 1.0
    assert scores[second].parts["streams"] == 0.0


def test_empty_warehouse_falls_back_to_the_catalog_file(sqlite_warehouse: Warehouse) -> None:
    catalog = demo.load_catalog()
    cands = load_candidates(sqlite_warehouse, catalog=catalog)
    assert {c.track_id for c in cands} == {t["id"] for t in catalog["tracks"]}
    assert load_candidates(sqlite_warehouse) == []
