"""Plans as tables: what the ``playlist_plans`` expectation suite checks, and audit track lists."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import pandas as pd

from analytics.curation.candidates import Candidate
from analytics.curation.definition import PlaylistDefinition
from analytics.curation.scoring import Recordings

PLAN_COLUMNS = (
    "position",
    "track_id",
    "album_id",
    "isrc",
    "excluded",
    "pin_offset",
    "contiguity_offset",
    "album_over_limit",
    "earlier_versions",
)


def plan_frame(
    definition: PlaylistDefinition, target: Sequence[str], candidates: Mapping[str, Candidate]
) -> pd.DataFrame:
    """One row per target track with the derived columns the suite checks.

    ``pin_offset``: position minus the pinned position (null if not pinned); ``contiguity_offset``:
    position minus the row's rank (0 when positions are 0..n-1); ``album_over_limit``: tracks of
    the album minus ``max_per_album`` (<= 0 when the constraint holds); ``earlier_versions``:
    tracks before it that are versions of its recording (:func:`~analytics.curation.scoring.near_identical`), 0 when the
    definition allows repeats.
    """
    rules = definition.constraints
    pins = {p.track_id: p.position for p in rules.pinned}
    excluded = set(rules.excluded)
    albums = Counter(candidates[t].album_id if t in candidates else f"unknown:{t}" for t in target)
    limit = rules.max_per_album
    rows = []
    before = Recordings()
    for rank, tid in enumerate(target):
        c = candidates.get(tid)
        album = c.album_id if c else f"unknown:{tid}"
        earlier = len(before.versions(c)) if c and rules.unique_recordings else 0
        if c is not None:
            before.add(c)
        rows.append(
            {
                "position": rank,
                "track_id": tid,
                "album_id": album,
                "isrc": c.isrc if c else None,
                "excluded": tid in excluded,
                "pin_offset": rank - pins[tid] if tid in pins else None,
                "contiguity_offset": 0,
                "album_over_limit": albums[album] - limit if limit is not None else 0,
                "earlier_versions": earlier,
            }
        )
    frame = pd.DataFrame(rows, columns=list(PLAN_COLUMNS))
    frame["pin_offset"] = frame["pin_offset"].astype("Int64")
    missing = [p.track_id for p in rules.pinned if p.track_id not in set(target)]
    if missing:  # a pin missing from the plan is a row at its position that is not that track
        extra = pd.DataFrame(
            [
                {
                    "position": pins[t],
                    "track_id": t,
                    "album_id": "",
                    "isrc": None,
                    "excluded": False,
                    "pin_offset": len(target),
                    "contiguity_offset": 0,
                    "album_over_limit": 0,
                    "earlier_versions": 0,
                }
                for t in missing
            ]
        )
        frame = pd.concat([frame, extra.astype(frame.dtypes.to_dict())], ignore_index=True)
    return frame
