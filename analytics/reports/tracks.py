"""The track analysis page: one artist's measured audio features, read from a run and the
warehouse, and the page's sections (features table, key and tempo, loudness against the
streaming norm, "sounds like" map, groups and outliers).

The notebook ``notebooks/track_analysis.ipynb`` calls :func:`load_track_analysis` once and
then one section per cell; the logic stays here, testable without a notebook. Every value
from data is escaped by ``display`` and every figure label by ``plot_text``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import MetaData, inspect, select

from analytics.audio.features import FEATURE_SET_VERSION, FEATURES
from analytics.catalog.counts import count_catalog, tracks_crediting
from analytics.reports.display import fact_note, facts, heading, metric_cards, note, show, table
from analytics.reports.figures_audio import (
    PITCH_CLASSES,
    STREAMING_NORM_LUFS,
    key_bars,
    loudness_against_norm,
    sounds_like_map,
    tempo_histogram,
)
from analytics.reports.load import load_run
from analytics.reports.measures import audio_map
from analytics.reports.report_facts import Fact, excerpt_seconds
from analytics.reports.texts import TEXTS, check_language, text
from analytics.reports.words import (
    minutes_seconds,
    percent,
    pitch_names,
    plain_number,
    recordings_count,
    sound_words,
)
from analytics.reports.words import unit as unit_symbol
from analytics.warehouse import Warehouse

EMPTY = pd.DataFrame()
TABLE_COLUMNS = (
    "name",
    "duration_s",
    "tempo_bpm",
    "tempo_confidence",
    "key",
    "mode",
    "key_confidence",
    "loudness_lufs",
    "true_peak_dbtp",
    "dynamic_range_db",
    "energy",
    "beat_regularity",
    "spectral_centroid_hz",
)
"""The features table's columns, in order (their labels: ``analysis.column.<column>``)."""
PLAIN_FEATURES = {
    "loudness_lufs": "lufs",
    "true_peak_dbtp": "dbtp",
    "dynamic_range_db": "db",
    "loudness_range_lu": "lu",
    "tempo_bpm": "bpm",
    "spectral_centroid_hz": "hz",
    "energy": "%",
    "duration_s": "",
}
"""Outlier features and the unit each is shown in (``unit.<unit>``; their plain names:
``analysis.feature.<feature>``, technical names under Methods)."""
SHARES = frozenset({"tempo_confidence", "key_confidence", "energy", "beat_regularity"})
"""Table columns between 0 and 1, shown as percentages."""
ANCHORS = ("summary", "features", "key-tempo", "loudness", "sounds-like", "groups", "methods")
"""The page's sections, in order, by anchor (their labels: ``analysis.toc.<anchor>``)."""


def contents_of(*, language: str = "en") -> list[tuple[str, str]]:
    """The page's contents line: (label, anchor) of each section in ``language``."""
    return [(text(f"analysis.toc.{anchor}", language=check_language(language)), anchor) for anchor in ANCHORS]


@dataclass
class TrackAnalysis:
    """One artist's analysed recordings and what the page needs around them."""

    artist_id: str
    name: str
    run_dir: Path
    run_id: str
    tracks: pd.DataFrame
    features: pd.DataFrame = field(default_factory=lambda: EMPTY)
    validation: pd.DataFrame = field(default_factory=lambda: EMPTY)
    missing: dict[str, str] = field(default_factory=dict)

    @property
    def has_audio(self) -> bool:
        return not self.features.empty


def _table(warehouse: Warehouse | None, name: str, **equal: Any) -> pd.DataFrame | None:
    """Rows of an optional warehouse table (current rows only); None when it does not exist."""
    if warehouse is None or name not in inspect(warehouse.engine).get_table_names():
        return None
    meta = MetaData()
    meta.reflect(warehouse.engine, only=[name])
    t = meta.tables[name]
    stmt = select(t)
    for column, value in equal.items():
        stmt = stmt.where(t.c[column] == value)
    if "removed_run" in t.c:
        stmt = stmt.where(t.c.removed_run.is_(None))
    with warehouse.engine.connect() as conn:
        return pd.DataFrame([dict(r._mapping) for r in conn.execute(stmt)], columns=list(t.c.keys()))


def _flat_features(frame: pd.DataFrame) -> pd.DataFrame:
    """Feature columns by their own names, whether stored flat (``f_`` prefix) or as a dict."""
    if "features" in frame.columns:
        extra = pd.json_normalize([f if isinstance(f, dict) else {} for f in frame["features"]])
        extra = extra[[c for c in extra.columns if c not in frame.columns]]
        frame = pd.concat([frame.drop(columns=["features"]).reset_index(drop=True), extra], axis=1)
    prefixed = {c: c[2:] for c in frame.columns if c.startswith("f_") and c[2:] not in frame.columns}
    return frame.rename(columns=prefixed)


def _one_per_recording(features: pd.DataFrame) -> pd.DataFrame:
    """One row per analysed recording: the single and the album version with one ISRC share a
    file and its features, so the figures count them once (``versions`` says how many)."""
    key = next((c for c in ("audio_hash", "content_hash") if c in features.columns), None)
    ordered = features.sort_values(["name", "track_id"]).reset_index(drop=True)
    if key is None:
        return ordered.assign(versions=1)
    versions = ordered.groupby(key)["track_id"].transform("count")
    return ordered.assign(versions=versions).drop_duplicates(key).reset_index(drop=True)


def _catalog(
    run_datasets: dict[str, pd.DataFrame], warehouse: Warehouse | None, artist_id: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(artist row, the artist's tracks) from the run's datasets, else the warehouse."""
    artists, tracks = run_datasets.get("artists"), run_datasets.get("tracks")
    if artists is None or tracks is None or artist_id not in set(artists.get("artist_id", [])):
        artists = _table(warehouse, "artists", artist_id=artist_id)
        tracks = _table(warehouse, "tracks")  # every track: the artist's featured songs too
    artists = artists if artists is not None else EMPTY
    tracks = tracks if tracks is not None else EMPTY
    row = artists[artists["artist_id"] == artist_id] if not artists.empty else artists
    tracks = tracks_crediting(tracks, artist_id)  # its featured songs too
    return row, tracks


def _stored_features(run_datasets: dict[str, pd.DataFrame], warehouse: Warehouse | None) -> pd.DataFrame:
    """The run's features (analyze_tracks writes ``track_audio_features``), else the stored table."""
    for name in ("track_audio_features", "audio_features"):
        frame = run_datasets.get(name)
        if frame is not None and not frame.empty and "track_id" in frame:
            return _flat_features(frame)
    stored = _table(warehouse, "track_audio_features")
    return _flat_features(stored) if stored is not None and not stored.empty else EMPTY


def _validation(run_dir: Path) -> pd.DataFrame:
    rows = []
    for path in sorted((run_dir / "validation").glob("*.json")):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            stats = doc.get("statistics", {})
            rows.append(
                {
                    "dataset": path.stem,
                    "passed": "yes" if doc.get("success") else "no",
                    "expectations": stats.get("evaluated_expectations"),
                    "failed": stats.get("unsuccessful_expectations"),
                }
            )
        except (OSError, ValueError, AttributeError):
            rows.append({"dataset": path.stem, "passed": "no", "expectations": None, "failed": None})
    return pd.DataFrame(rows)


def load_track_analysis(run_dir: str | Path, warehouse: Warehouse | None, *, artist_id: str) -> TrackAnalysis:
    """Gather one artist's analysed recordings.

    Parameters
    ----------
    run_dir : a run folder: analyze_tracks' own (``datasets/track_audio_features.parquet``) or
        any run with an ``audio_features`` dataset; without either, the warehouse's
        ``track_audio_features`` table is read.
    warehouse : where the catalog and the stored features are; None reads the run only.
    artist_id : the artist whose tracks to show.

    Raises
    ------
    FileNotFoundError : ``run_dir`` is not a run folder.
    KeyError : the artist is neither in the run's catalog nor in the warehouse.
    """
    run = load_run(run_dir)
    artist, tracks = _catalog(run.datasets, warehouse, artist_id)
    if artist.empty:
        raise KeyError(f"artist {artist_id!r} is in neither the run at {run.run_dir} nor the warehouse")
    data = TrackAnalysis(
        artist_id=artist_id,
        name=str(artist.iloc[0]["name"]),
        run_dir=run.run_dir,
        run_id=str(run.manifest.get("run_id", run.run_dir.name)),
        tracks=tracks,
        validation=_validation(run.run_dir),
    )
    features = _stored_features(run.datasets, warehouse)
    if not features.empty and not tracks.empty:
        features = features[features["track_id"].isin(tracks["track_id"])]
        names = tracks.set_index("track_id")["name"]
        features = features.assign(name=[str(names.get(t, t)) for t in features["track_id"]])
        data.features = _one_per_recording(features)
    if data.features.empty:
        data.missing["audio"] = text("analysis.no_audio")  # in English, for code that reads it
    return data


def _no_audio(data: TrackAnalysis, *, language: str = "en") -> bool:
    if data.has_audio:
        return False
    note(text("analysis.no_audio", language=language), kind="missing")
    return True


def _heading(anchor: str, *, language: str) -> None:
    key = "heading.methods" if anchor == "methods" else f"analysis.heading.{anchor}"
    heading(text(key, language=language), anchor=anchor)


def _median(frame: pd.DataFrame, column: str) -> float | None:
    values = pd.to_numeric(frame.get(column, pd.Series(dtype=float)), errors="coerce").dropna()
    return float(values.median()) if not values.empty else None


def summary(data: TrackAnalysis, *, language: str = "en") -> None:
    """How many tracks were measured, and the catalog's typical tempo and loudness."""
    _heading("summary", language=language)
    if _no_audio(data, language=language):
        return
    audio = data.features
    tempo, loudness = _median(audio, "tempo_bpm"), _median(audio, "loudness_lufs")
    louder = int((pd.to_numeric(audio.get("loudness_lufs"), errors="coerce") > STREAMING_NORM_LUFS).sum())
    versions = int(audio["versions"].sum())
    catalog = count_catalog(EMPTY, data.tracks)
    metric_cards(
        [
            {
                "label": text("analysis.card.analysed", language=language),
                "value": len(audio),
                "hint": text(
                    "analysis.card.analysed_hint",
                    language=language,
                    recordings=recordings_count(catalog.recordings, language=language),
                ),
            },
            {
                "label": text("analysis.card.tempo", language=language),
                "value": "—"
                if tempo is None
                else f"{plain_number(round(tempo), language=language)} {unit_symbol('bpm', language=language)}",
            },
            {
                "label": text("analysis.card.loudness", language=language),
                "value": "—"
                if loudness is None
                else f"{_decimal(loudness, language=language)} {unit_symbol('lufs', language=language)}",
            },
            {
                "label": text("analysis.card.louder", language=language, norm=f"{STREAMING_NORM_LUFS:g}"),
                "value": louder,
                "hint": text("analysis.card.louder_hint", language=language),
            },
        ]
    )
    if catalog.differs:
        fact_note(
            text("analysis.catalog_differs", language=language),
            catalog_tracks=Fact("catalog_tracks", catalog.tracks, str(catalog.tracks)),
            recordings=Fact(
                "recordings", catalog.recordings, recordings_count(catalog.recordings, language=language)
            ),
        )
    if versions > len(audio):
        note(text("analysis.versions", language=language, versions=versions, analysed=len(audio)))
    seconds = excerpt_seconds(audio, data.tracks)
    if seconds is not None:
        note(text("sound.excerpts", language=language, seconds=f"{seconds:.0f}"), kind="info")


def _decimal(value: float, *, language: str) -> str:
    """One decimal, as ``language`` writes it ("-14.2", "-14,2")."""
    from babel.numbers import format_decimal

    return str(format_decimal(round(value, 1), format="0.0", locale=language))


def features_table(data: TrackAnalysis, *, language: str = "en") -> None:
    """Headline features of every recording, one row each."""
    _heading("features", language=language)
    if _no_audio(data, language=language):
        return
    columns = [c for c in TABLE_COLUMNS if c in data.features.columns]
    shown = data.features[columns].copy()
    for column in columns:
        values = (
            pd.to_numeric(shown[column], errors="coerce") if column not in {"name", "key", "mode"} else None
        )
        if column == "duration_s" and values is not None:
            shown[column] = [minutes_seconds(v * 1000) for v in values]
        elif column in SHARES and values is not None:
            shown[column] = [percent(v, language=language) for v in values]
        elif values is not None:
            digits = 0 if column in {"tempo_bpm", "spectral_centroid_hz"} else 1
            shown[column] = [
                plain_number(round(v), language=language) if digits == 0 else _decimal(v, language=language)
                for v in values
            ]
    if "key" in shown:  # the notes as the page's language names them
        notes = dict(zip(PITCH_CLASSES, pitch_names(language=language), strict=True))
        shown["key"] = [notes.get(k, k) for k in shown["key"]]
    if "mode" in shown:  # major and minor in the page's words
        shown["mode"] = [
            text(f"chart.{m}", language=language) if m in {"major", "minor"} else m for m in shown["mode"]
        ]
    table(
        shown.rename(columns={c: text(f"analysis.column.{c}", language=language) for c in columns}),
        max_rows=200,
        caption=text("analysis.features_caption", language=language),
    )


def key_and_tempo(data: TrackAnalysis, *, language: str = "en") -> None:
    """Tempo histogram and keys."""
    _heading("key-tempo", language=language)
    if _no_audio(data, language=language):
        return
    audio = data.features
    if "tempo_bpm" in audio and audio["tempo_bpm"].notna().any():
        show(tempo_histogram(audio, title=text("figure.tempo", language=language), language=language))
    else:
        note(text("analysis.no_tempo", language=language), kind="missing")
    if {"key", "mode"} <= set(audio.columns) and audio["key"].notna().any():
        show(key_bars(audio, title=text("analysis.keys_title", language=language), language=language))
        unsure = int((pd.to_numeric(audio.get("key_confidence"), errors="coerce") < 0.3).sum())
        if unsure:
            note(text("analysis.unsure_keys", language=language, count=unsure), kind="info")
    else:
        note(text("analysis.no_key", language=language), kind="missing")


def loudness(data: TrackAnalysis, *, language: str = "en") -> None:
    """Integrated loudness of each recording against Spotify's -14 LUFS playback level."""
    _heading("loudness", language=language)
    if _no_audio(data, language=language):
        return
    audio = data.features
    if "loudness_lufs" not in audio or audio["loudness_lufs"].isna().all():
        note(text("analysis.no_loudness", language=language), kind="missing")
        return
    norm = f"{STREAMING_NORM_LUFS:g}"
    show(
        loudness_against_norm(
            audio, title=text("analysis.loudness_title", language=language, norm=norm), language=language
        )
    )
    note(text("analysis.loudness_note", language=language, norm=norm), kind="info")


def sounds_like(data: TrackAnalysis, *, max_clusters: int = 4, language: str = "en") -> pd.DataFrame:
    """The similarity map coloured by group, and each recording's closest match and why.

    Returns the map's points (empty with fewer than three recordings), groups and reasons in
    ``language``, for :func:`groups`.
    """
    _heading("sounds-like", language=language)
    if _no_audio(data, language=language):
        return EMPTY
    points = sound_words(audio_map(data.features, max_clusters=max_clusters), language=language)
    if points.empty:
        note(text("analysis.map_needs_three", language=language), kind="missing")
        return points
    show(sounds_like_map(points, title=text("analysis.map_title", language=language), language=language))
    table(
        points[["name", "nearest", "why", "group"]].rename(
            columns={
                "name": text("analysis.column.name", language=language),
                "nearest": text("column.sounds_like", language=language),
                "why": text("column.because", language=language),
                "group": text("column.group", language=language),
            }
        ),
        max_rows=200,
    )
    return points


def groups(data: TrackAnalysis, points: pd.DataFrame, *, language: str = "en") -> None:
    """Groups of recordings described in words, and recordings that stand out."""
    from analytics.ml.clustering import outliers

    _heading("groups", language=language)
    if _no_audio(data, language=language):
        return
    if not points.empty:
        members = (
            points.groupby(["cluster", "group"], sort=True)["name"]
            .agg(lambda names: ", ".join(sorted(str(n) for n in names)))
            .reset_index()
        )
        members["size"] = points.groupby("cluster").size().to_numpy()
        table(
            members[["group", "size", "name"]].rename(
                columns={c: text(f"analysis.column.{k}", language=language) for c, k in GROUP_COLUMNS.items()}
            ),
            caption=text("analysis.groups_caption", language=language),
        )
    found = outliers(data.features, id_column="track_id")
    if found.empty:
        note(text("analysis.no_outliers", language=language), kind="info")
        return
    names = data.features.set_index("track_id")["name"]
    table(
        found.assign(
            track=[names.get(i, i) for i in found["id"]],
            description=[outlier_words(r, language=language) for r in found.to_dict("records")],
        )[["track", "description"]].rename(
            columns={
                "track": text("analysis.column.name", language=language),
                "description": text("analysis.column.description", language=language),
            }
        ),
        caption=text("analysis.outliers_caption", language=language),
    )


GROUP_COLUMNS = {"group": "sounds", "size": "size", "name": "tracks"}
"""The groups table's columns and the key of each one's label (``analysis.column.<key>``)."""


def outlier_words(row: dict[str, Any], *, language: str = "en") -> str:
    """ "loudness range 3.6 LU, well above the catalog's usual 1.1 LU" for one outlier row."""
    feature = str(row["feature"])
    unit_key = PLAIN_FEATURES.get(feature, "")
    unit = unit_key if unit_key in {"%", ""} else unit_symbol(unit_key, language=language)
    name = (
        text(f"analysis.feature.{feature}", language=language)
        if feature in PLAIN_FEATURES
        else feature.replace("_", " ")
    )

    def shown(value: float) -> str:
        if unit == "%":
            return percent(value, language=language)
        if feature == "duration_s":
            return minutes_seconds(value * 1000)
        return f"{plain_number(value, language=language)} {unit}".strip()

    side = "above" if row["value"] > row["catalog_median"] else "below"
    return text(
        f"analysis.outlier.{side}",
        language=language,
        feature=name,
        value=shown(row["value"]),
        median=shown(row["catalog_median"]),
    )


def methods(data: TrackAnalysis, *, language: str = "en") -> None:
    """Versions, the run, and the data quality of the features."""
    from analytics.ml.audio_space import MODEL_VERSION

    def label(key: str, **values: object) -> str:
        return text(f"analysis.methods.{key}", language=language, **values)

    _heading("methods", language=language)
    plain = ", ".join(
        f"{text(f'analysis.feature.{name}', language=language)} = {name}" for name in PLAIN_FEATURES
    )
    facts(
        [
            (label("feature_set"), FEATURE_SET_VERSION),
            (label("similarity"), label("similarity_value", version=MODEL_VERSION)),
            (label("features"), label("features_value", number=len(FEATURES))),
            (label("loudness"), label("loudness_value")),
            (label("tempo"), label("tempo_value")),
            (label("key"), label("key_value")),
            (label("outliers"), label("outliers_value", features=plain)),
            (label("run"), data.run_id),
        ]
    )
    if not data.validation.empty:
        yes_no = {"yes": text("word.yes", language=language), "no": text("word.no", language=language)}
        shown = data.validation.assign(
            dataset=[_dataset_name(d, language=language) for d in data.validation["dataset"]],
            passed=[yes_no.get(str(v), str(v)) for v in data.validation["passed"]],
        )
        table(
            shown.rename(columns={c: text(f"column.{c}", language=language) for c in shown.columns}),
            caption=text("analysis.validation_caption", language=language),
        )


def _dataset_name(name: str, *, language: str) -> str:
    key = f"dataset.{name}"
    return text(key, language=language) if key in TEXTS[language] else name.replace("_", " ")
