"""Build a :class:`FactSheet` from plain inputs: rows as dicts or DataFrames, any of them missing.

The builder is pure: the warehouse reader (:mod:`analytics.content.warehouse_facts`) and the demo
catalog both end here, and so can a notebook with a few hand-made rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any, TypeAlias

import pandas as pd

from analytics.catalog.counts import count_catalog
from analytics.content.facts import (
    ArtistFact,
    AudioFact,
    FactSheet,
    MilestoneFact,
    PlaylistChangeFact,
    ReleaseFact,
    SocialFact,
    Source,
    StreamingFact,
    TopTrackFact,
)
from analytics.content.text import clean_name

Rows: TypeAlias = pd.DataFrame | Iterable[Mapping[str, Any]] | None
_Fact = Any

STREAM_THRESHOLDS = tuple(int(m * 10**k) for k in range(3, 10) for m in (1, 2.5, 5))
FOLLOWER_THRESHOLDS = tuple(int(m * 10**k) for k in range(2, 9) for m in (1, 2.5, 5))
_PITCHES = {"C": 0, "C#": 1, "DB": 1, "D": 2, "D#": 3, "EB": 3, "E": 4, "F": 5, "F#": 6, "GB": 6}
_PITCHES |= {"G": 7, "G#": 8, "AB": 8, "A": 9, "A#": 10, "BB": 10, "B": 11}


def _records(rows: Rows) -> list[dict[str, Any]]:
    if rows is None:
        return []
    if isinstance(rows, pd.DataFrame):
        return [{str(k): (None if _isna(v) else v) for k, v in r.items()} for r in rows.to_dict("records")]
    return [dict(r) for r in rows]


def _isna(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, pd.Timestamp):
        return value.date()
    return date.fromisoformat(str(value)[:10])


def _release_date(raw: str, precision: str) -> tuple[date, str]:
    parts = str(raw).split("-")
    if precision == "year" or len(parts) == 1:
        return date(int(parts[0]), 1, 1), "year"
    if precision == "month" or len(parts) == 2:
        return date(int(parts[0]), int(parts[1]), 1), "month"
    return date.fromisoformat(str(raw)[:10]), "day"


def _source(sources: Mapping[str, Source], name: str, row: Mapping[str, Any] | None = None) -> Source:
    base = sources.get(name, Source(table=name))
    run = (row or {}).get("last_changed_run") or (row or {}).get("run_id")
    return Source(table=base.table, run_id=str(run) if run else base.run_id)


def _pct(value: int, previous: int | None) -> float | None:
    if not previous:
        return None
    return round((value - previous) / previous * 100.0, 1)


def _release_type(album: Mapping[str, Any]) -> str:
    kind = str(album.get("album_type") or "album").lower()
    if kind == "single" and int(album.get("total_tracks") or 1) >= 4:
        return "ep"
    return kind if kind in {"album", "single", "ep", "compilation"} else "album"


def _key(value: Any) -> int | None:
    if value is None or _isna(value):
        return None
    if isinstance(value, int | float):
        return int(value) % 12
    return _PITCHES.get(str(value).strip().upper().replace("♯", "#").replace("♭", "B"))


def _mode(value: Any) -> str | None:
    if value is None or _isna(value):
        return None
    if isinstance(value, int | float):
        return "major" if int(value) == 1 else "minor"
    text = str(value).strip().lower()
    return text if text in {"major", "minor"} else None


def _crossings(series: Sequence[tuple[date, int]], start_value: int, thresholds: Sequence[int]) -> list:
    """(threshold, day, value) of the highest threshold crossed in an ordered cumulative series."""
    best: tuple[int, date, int] | None = None
    before = start_value
    for day, value in series:
        for t in thresholds:
            if before < t <= value:
                best = (t, day, value)
        before = value
    return [best] if best else []


def _streaming_facts(rows: list[dict[str, Any]], titles: Mapping[str, str], **ctx: Any) -> list[_Fact]:
    start, end, top_n, src = ctx["start"], ctx["end"], ctx["top_n"], ctx["src"]
    span = (end - start).days + 1
    prev_start = start - timedelta(days=span)
    by_day: dict[date, int] = defaultdict(int)
    listeners: dict[date, int] = {}
    by_track: dict[str, int] = defaultdict(int)
    for r in rows:
        day = _day(r["day"])
        streams = int(r.get("streams") or 0)
        by_day[day] += streams
        if r.get("listeners") is not None and not r.get("track_id"):
            listeners[day] = int(r["listeners"])
        if r.get("track_id") and start <= day <= end:
            by_track[str(r["track_id"])] += streams
    facts: list[_Fact] = []
    value = sum(v for d, v in by_day.items() if start <= d <= end)
    previous = sum(v for d, v in by_day.items() if prev_start <= d < start)
    has_previous = any(prev_start <= d < start for d in by_day)
    if any(start <= d <= end for d in by_day):
        prev = previous if has_previous else None
        change = value - prev if prev is not None else None
        facts.append(
            StreamingFact(
                metric="streams",
                value=value,
                previous=prev,
                change=change,
                change_pct=_pct(value, prev),
                source=src,
            )
        )
        cumulative, series = sum(v for d, v in by_day.items() if d < start), []
        base = cumulative
        for d in sorted(d for d in by_day if start <= d <= end):
            cumulative += by_day[d]
            series.append((d, cumulative))
        for t, d, v in _crossings(series, base, STREAM_THRESHOLDS):
            facts.append(
                MilestoneFact(
                    metric="streams", platform="spotify", threshold=t, reached_on=d, value=v, source=src
                )
            )
    in_period = [d for d in listeners if start <= d <= end]
    if in_period:
        now = listeners[max(in_period)]
        before = [d for d in listeners if d < start]
        prev_l = listeners[max(before)] if before else None
        facts.append(
            StreamingFact(
                metric="listeners",
                value=now,
                previous=prev_l,
                change=now - prev_l if prev_l is not None else None,
                change_pct=_pct(now, prev_l),
                source=src,
            )
        )
    ranked = sorted(
        ((n, titles.get(t, "")) for t, n in by_track.items() if titles.get(t)), key=lambda x: (-x[0], x[1])
    )
    seen: set[str] = set()
    for n, title in ranked:
        if title in seen or len(seen) >= top_n:
            continue
        seen.add(title)
        facts.append(TopTrackFact(rank=len(seen), title=title, streams=n, basis="streams", source=src))
    return facts


def _social_facts(rows: list[dict[str, Any]], **ctx: Any) -> list[_Fact]:
    start, end = ctx["start"], ctx["end"]
    by_platform: dict[str, dict[date, int]] = defaultdict(dict)
    runs: dict[str, Mapping[str, Any]] = {}
    for r in rows:
        platform = str(r["platform"]).lower()
        by_platform[platform][_day(r["day"])] = int(r["followers"])
        runs[platform] = r
    facts: list[_Fact] = []
    for platform in sorted(by_platform):
        if platform not in {"spotify", "instagram", "tiktok", "youtube", "x"}:
            continue
        days = by_platform[platform]
        inside = sorted(d for d in days if start <= d <= end)
        if not inside:
            continue
        before = [d for d in days if d < start]
        prev = days[max(before)] if before else None
        now = days[inside[-1]]
        src = _source(ctx["sources"], "social", runs[platform])
        facts.append(
            SocialFact(
                platform=platform,
                followers=now,
                previous=prev,  # type: ignore[arg-type]
                change=now - prev if prev is not None else None,
                change_pct=_pct(now, prev),
                source=src,
            )
        )
        series = [(d, days[d]) for d in inside]
        base = prev if prev is not None else days[inside[0]]
        for t, d, v in _crossings(series, base, FOLLOWER_THRESHOLDS):
            facts.append(
                MilestoneFact(
                    metric="followers",
                    platform=platform,  # type: ignore[arg-type]
                    threshold=t,
                    reached_on=d,
                    value=v,
                    source=src,
                )
            )
    return facts


def build_fact_sheet(
    artist: Mapping[str, Any],
    *,
    period_start: date,
    period_end: date,
    albums: Rows = None,
    tracks: Rows = None,
    streams: Rows = None,
    social: Rows = None,
    audio_features: Rows = None,
    playlist_changes: Rows = None,
    sources: Mapping[str, Source] | None = None,
    top_n: int = 3,
    coverage: Mapping[str, str] | None = None,
) -> FactSheet:
    """The fact sheet of one artist over ``[period_start, period_end]`` from plain rows.

    Parameters
    ----------
    artist : ``artist_id``, ``name``, optional ``genres`` and ``followers``.
    albums : rows with ``album_id``, ``name``, ``album_type``, ``release_date``,
        ``release_date_precision``, ``total_tracks``, optional ``label``.
    tracks : rows with ``track_id``, ``name``, optional ``album_id``, ``popularity``.
    streams : daily rows with ``day``, ``streams``, optional ``track_id`` (per-track rows) and
        ``listeners`` (on artist-level rows without ``track_id``: a rolling audience count).
        Rows before the period give the previous period and the running total for milestones.
    social : rows with ``platform``, ``day``, ``followers``.
    audio_features : rows with ``track_id``, ``tempo_bpm``, ``key`` (0-11 or a name such as
        "F#"), ``mode`` ("major"/"minor" or 1/0), ``energy`` (0-1), ``loudness_lufs``.
    playlist_changes : rows with ``playlist``, ``track_id`` or ``track_title``, ``change``
        ("added"/"removed"), ``day``.
    sources : per input name, the :class:`Source` (table, run) to record on its facts; a row's
        own ``last_changed_run`` or ``run_id`` wins.
    top_n : how many top tracks to keep.

    Returns
    -------
    FactSheet; inputs that are ``None`` or empty simply give fewer facts, and ``coverage`` says so.
    """
    if period_end < period_start:
        raise ValueError(f"period_end {period_end} is before period_start {period_start}")
    srcs = dict(sources or {})
    cover = {
        "catalog": "",
        "streaming": "absent: no rows",
        "social": "absent: no rows",
        "audio": "absent: no rows",
        "playlists": "absent: no rows",
    }
    album_rows, track_rows = _records(albums), _records(tracks)
    titles = {str(t["track_id"]): clean_name(t.get("name")) for t in track_rows}
    releases: list[ReleaseFact] = []
    for a in album_rows:
        if a.get("album_group") == "appears_on" or not clean_name(a.get("name")):
            continue
        precision_given = str(a.get("release_date_precision") or "day")
        try:
            day, precision = _release_date(a["release_date"], precision_given)
        except ValueError as error:
            raise ValueError(
                f"album {a.get('album_id')} ({clean_name(a.get('name'))!r}): release_date "
                f"{a['release_date']!r} is not a date at precision {precision_given} ({error})"
            ) from None
        releases.append(
            ReleaseFact(
                title=clean_name(a["name"]),
                release_type=_release_type(a),  # type: ignore[arg-type]
                release_date=day,
                release_date_precision=precision,  # type: ignore[arg-type]
                track_count=int(a.get("total_tracks") or 0),
                label=clean_name(a.get("label")) or None,
                in_period=precision == "day" and period_start <= day <= period_end,
                source=_source(srcs, "albums", a),
            )
        )
    releases.sort(key=lambda r: (r.release_date, r.title), reverse=True)
    # counted as the report counts them: by recording (ISRC), releases without appearances
    catalog = count_catalog(pd.DataFrame(album_rows), pd.DataFrame(track_rows))
    facts: list[_Fact] = [
        ArtistFact(
            name=clean_name(artist["name"]),
            genres=[clean_name(g) for g in artist.get("genres") or [] if g],
            followers=int(artist["followers"]) if artist.get("followers") is not None else None,
            release_count=len(releases),
            track_count=catalog.recordings,
            source=_source(srcs, "artists", artist),
        )
    ]
    facts.extend(releases)
    cover["catalog"] = f"{len(releases)} releases, {catalog.recordings} recordings"
    ctx = {"start": period_start, "end": period_end, "top_n": top_n, "sources": srcs}
    stream_rows = _records(streams)
    stream_facts = _streaming_facts(stream_rows, titles, src=_source(srcs, "streams"), **ctx)
    facts.extend(stream_facts)
    if stream_rows:
        cover["streaming"] = f"{len(stream_rows)} rows, {len(stream_facts)} facts"
    if not any(isinstance(f, TopTrackFact) for f in facts):
        popular = sorted(
            (t for t in track_rows if t.get("popularity") is not None and titles[str(t["track_id"])]),
            key=lambda t: (-int(t["popularity"]), titles[str(t["track_id"])]),
        )
        seen: list[str] = []
        for t in popular:
            title = titles[str(t["track_id"])]
            if title not in seen and len(seen) < top_n:
                seen.append(title)
                facts.append(
                    TopTrackFact(
                        rank=len(seen), title=title, basis="popularity", source=_source(srcs, "tracks", t)
                    )
                )
    social_rows = _records(social)
    social_facts = _social_facts(social_rows, **ctx)
    facts.extend(social_facts)
    if social_rows:
        cover["social"] = f"{len(social_rows)} rows, {len(social_facts)} facts"
    facts.extend(_audio_facts(_records(audio_features), titles, facts, srcs))
    if audio_features is not None and _records(audio_features):
        cover["audio"] = f"{len(_records(audio_features))} tracks analysed"
    changes = _playlist_facts(_records(playlist_changes), titles, srcs, period_start, period_end)
    facts.extend(changes)
    if playlist_changes is not None and _records(playlist_changes):
        cover["playlists"] = f"{len(changes)} changes in the period"
    cover.update(coverage or {})
    return FactSheet(
        artist_id=str(artist["artist_id"]),
        period_start=period_start,
        period_end=period_end,
        facts=tuple(facts),
        coverage=cover,
    )


def _audio_facts(
    rows: list[dict[str, Any]],
    titles: Mapping[str, str],
    facts: list[_Fact],
    srcs: Mapping[str, Source],
    limit: int = 5,
) -> list[_Fact]:
    wanted = [f.title for f in facts if isinstance(f, TopTrackFact)]
    out: list[_Fact] = []
    seen: set[str] = set()
    ordered = sorted(
        rows,
        key=lambda r: (
            titles.get(str(r.get("track_id")), "") not in wanted,
            titles.get(str(r.get("track_id")), ""),
        ),
    )
    for r in ordered:
        title = titles.get(str(r.get("track_id"))) or clean_name(r.get("title"))
        if not title or title in seen or len(out) >= limit:
            continue
        seen.add(title)
        tempo = r.get("tempo_bpm")
        energy = r.get("energy")
        loud = r.get("loudness_lufs")
        out.append(
            AudioFact(
                title=title,
                tempo_bpm=round(float(tempo)) if tempo is not None and not _isna(tempo) else None,
                key=_key(r.get("key")),
                mode=_mode(r.get("mode")),  # type: ignore[arg-type]
                energy=round(min(1.0, max(0.0, float(energy))), 2)
                if energy is not None and not _isna(energy)
                else None,
                loudness_lufs=round(float(loud), 1) if loud is not None and not _isna(loud) else None,
                source=_source(srcs, "audio_features", r),
            )
        )
    return out


def _playlist_facts(
    rows: list[dict[str, Any]], titles: Mapping[str, str], srcs: Mapping[str, Source], start: date, end: date
) -> list[_Fact]:
    out: list[_Fact] = []
    for r in sorted(rows, key=lambda r: (str(r.get("day") or ""), str(r.get("playlist")))):
        day = _day(r["day"]) if r.get("day") else None
        if day is not None and not start <= day <= end:
            continue
        title = titles.get(str(r.get("track_id"))) or clean_name(r.get("track_title"))
        playlist = clean_name(r.get("playlist"))
        change = str(r.get("change") or "added")
        if not title or not playlist or change not in {"added", "removed"}:
            continue
        out.append(
            PlaylistChangeFact(
                playlist=playlist,
                track_title=title,
                change=change,  # type: ignore[arg-type]
                on=day,
                source=_source(srcs, "playlist_changes", r),
            )
        )
    return out


def catalog_fact_sheet(
    artist_id: str, *, catalog: Mapping[str, Any], period_start: date, period_end: date, **inputs: Any
) -> FactSheet:
    """The fact sheet of an artist of an ``encore-catalog/1`` document (the sandbox's catalog) plus any inputs.

    ``inputs`` are the other keyword arguments of :func:`build_fact_sheet` (streams, social, …).

    Raises
    ------
    KeyError : the artist is not in ``catalog`` (the message lists the artists it holds).
    """
    artist = next((a for a in catalog["artists"] if a["id"] == artist_id), None)
    if artist is None:
        known = ", ".join(f"{a['id']} ({a['name']})" for a in catalog["artists"])
        raise KeyError(f"artist {artist_id!r} is not in the catalog; known: {known}")
    albums = [{**a, "album_id": a["id"]} for a in catalog["albums"] if artist_id in a["artist_ids"]]
    tracks = [{**t, "track_id": t["id"]} for t in catalog["tracks"] if artist_id in t["artist_ids"]]
    src = {
        "artists": Source(table="catalog:artists"),
        "albums": Source(table="catalog:albums"),
        "tracks": Source(table="catalog:tracks"),
    }
    return build_fact_sheet(
        {**artist, "artist_id": artist_id},
        period_start=period_start,
        period_end=period_end,
        albums=albums,
        tracks=tracks,
        sources=src | dict(inputs.pop("sources", None) or {}),
        **inputs,
    )
