"""Where candidates come from: the warehouse's catalog (else a catalog file), metrics, audio features."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import sqlalchemy as sa

from analytics.audio.tables import TrackAudioFeatures
from analytics.curation.candidates import (
    Candidate,
    candidates_from_catalog,
    candidates_from_rows,
    with_features,
    with_metrics,
)
from analytics.streaming.tables import StreamMetricsDaily
from analytics.warehouse import Warehouse


def _table(warehouse: Warehouse, name: str) -> pd.DataFrame | None:
    if not sa.inspect(warehouse.engine).has_table(name):
        return None
    frame = pd.DataFrame(warehouse.rows(name))
    if "removed_run" in frame:
        frame = frame[frame["removed_run"].isna()]
    return frame


def load_candidates(warehouse: Warehouse, *, catalog: Mapping[str, Any] | None = None) -> list[Candidate]:
    """Every track of the warehouse's catalog (or of ``catalog`` when it holds none), with the
    latest ``stream_metrics_daily`` and ``track_audio_features`` where present.

    Missing metrics or features leave the fields None: scores count them as 0 (streams) or 0.5
    (audio fit), and transitions as neutral.
    """
    tracks, albums = _table(warehouse, "tracks"), _table(warehouse, "albums")
    if tracks is not None and albums is not None and not tracks.empty:
        candidates = candidates_from_rows(tracks.to_dict("records"), albums.to_dict("records"))
    elif catalog is not None:
        candidates = candidates_from_catalog(catalog)
    else:
        return []
    candidates = with_metrics(candidates, _table(warehouse, StreamMetricsDaily.__tablename__))
    return with_features(candidates, _table(warehouse, TrackAudioFeatures.__tablename__))
