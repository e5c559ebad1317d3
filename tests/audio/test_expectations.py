"""The track_features suite (expectations/track_features.json) accepts what analyze_files produces."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from analytics.audio.batch import analyze_files
from analytics.audio.features import FEATURES
from analytics.config import PROJECT_ROOT
from analytics.demo import audio_files

SUITE = PROJECT_ROOT / "expectations" / "track_features.json"


def _validate(frame: pd.DataFrame) -> tuple[bool, set[str]]:
    import great_expectations as gx

    context = gx.get_context(mode="ephemeral")
    suite = context.suites.add(gx.ExpectationSuite(**json.loads(SUITE.read_text())))
    asset = context.data_sources.add_pandas("audio").add_dataframe_asset("track_features")
    batch = asset.add_batch_definition_whole_dataframe("all").get_batch(batch_parameters={"dataframe": frame})
    result = batch.validate(suite)
    failed = {r.expectation_config.kwargs.get("column", "") for r in result.results if not r.success}
    return result.success, failed


def test_suite_passes_on_demo_features_and_catches_a_bad_row(tmp_path: Path) -> None:
    features = analyze_files(audio_files(), cache_dir=tmp_path, workers=1).features
    ok, failed = _validate(features)
    assert ok, failed
    broken = features.copy()
    broken.loc[0, "tempo_bpm"] = 900.0
    broken.loc[1, "mode"] = "dorian"
    ok, failed = _validate(broken)
    assert not ok and failed == {"tempo_bpm", "mode"}


def test_suite_only_names_known_columns() -> None:
    suite = json.loads(SUITE.read_text())
    columns = {e["kwargs"]["column"] for e in suite["expectations"] if "column" in e["kwargs"]}
    assert columns <= set(FEATURES) | {"path", "content_hash", "feature_set_version"}
