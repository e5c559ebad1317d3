"""Precision and recall of stored anomalies against the labels of injected events."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

KIND_LEVEL = {"suspected_artificial_streaming": "track", "sudden_drop": "track", "release_spike": "artist"}


def _as_day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def evaluate(
    labels: Iterable[Mapping[str, Any]],
    anomalies: Iterable[Mapping[str, Any]],
    *,
    track_days: int,
    artist_days: int,
) -> dict[str, Any]:
    """Recall per injected kind, precision per flagged kind, and false-positive day rates.

    Parameters
    ----------
    labels : dicts with kind, level, entity_id, artist_id, start, end (see the demo model).
    anomalies : stored anomaly rows (kind, level, entity_id, artist_id, day).
    track_days, artist_days : how many track-days and artist-days were judged (denominators).
    """
    labels = [dict(lb, start=_as_day(lb["start"]), end=_as_day(lb["end"])) for lb in labels]
    found = [dict(a, day=_as_day(a["day"])) for a in anomalies]

    def hits(label: Mapping[str, Any], kind: str) -> list[dict[str, Any]]:
        entity = "artist_id" if KIND_LEVEL.get(kind) == "artist" else "entity_id"
        return [
            a
            for a in found
            if a["kind"] == kind and a[entity] == label[entity] and label["start"] <= a["day"] <= label["end"]
        ]

    report: dict[str, Any] = {"recall": {}, "precision": {}, "labels": {}}
    for kind in KIND_LEVEL:
        mine = [lb for lb in labels if lb["kind"] == kind]
        report["labels"][kind] = len(mine)
        if mine:
            report["recall"][kind] = sum(1 for lb in mine if hits(lb, kind)) / len(mine)
        flagged = {(a["entity_id"], a["day"]) for a in found if a["kind"] == kind}
        if flagged:
            true = {(a["entity_id"], a["day"]) for lb in mine for a in hits(lb, kind)}
            report["precision"][kind] = len(true) / len(flagged)
    bots = [lb for lb in labels if lb["kind"] == "suspected_artificial_streaming"]
    false = {
        (a["entity_id"], a["artist_id"], a["day"])
        for a in found
        if a["kind"] == "suspected_artificial_streaming"
        and not any(lb["entity_id"] == a["entity_id"] and lb["start"] <= a["day"] <= lb["end"] for lb in bots)
    }
    report["artificial_false_positive_track_days"] = len(false) / max(track_days, 1)
    report["artificial_false_positive_artist_days"] = len({(a, d) for _, a, d in false}) / max(artist_days, 1)
    playlist = [lb for lb in labels if lb["kind"] == "playlist_add"]
    report["playlist_adds_flagged_artificial"] = sum(
        1 for lb in playlist if any(lb["entity_id"] == a["entity_id"] and a["day"] == lb["start"] for a in found
                                    if a["kind"] == "suspected_artificial_streaming")
    )  # fmt: skip
    return report
