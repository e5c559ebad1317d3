"""Suite files: every file in expectations/ is a valid GX suite; broken files fail clearly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analytics.validation import SuiteError, available_suites, load_suite, read_suite
from analytics.validation.suites import EXPECTATIONS_DIR

from .conftest import CATALOG_SUITES

SUITE_FILES = sorted(EXPECTATIONS_DIR.glob("*.json"))


def test_the_catalog_suites_are_there():
    assert set(CATALOG_SUITES) <= set(available_suites())


@pytest.mark.parametrize("path", SUITE_FILES, ids=[p.stem for p in SUITE_FILES])
def test_every_suite_file_is_a_valid_gx_suite(path: Path):
    content = json.loads(path.read_text(encoding="utf-8"))
    spec = read_suite(path.stem)
    assert spec.suite.name == path.stem == content["name"]
    assert len(spec.suite.expectations) == len(content["expectations"]) > 0
    kept = [e.expectation_type for e in spec.suite.expectations]
    assert kept == [e["type"] for e in content["expectations"]]
    assert len(spec.sha256) == 64 and spec.version


def test_load_suite_returns_the_gx_suite():
    from great_expectations.core import ExpectationSuite

    suite = load_suite("tracks")
    assert isinstance(suite, ExpectationSuite)
    assert any(
        e.expectation_type == "expect_column_values_to_be_between"
        and e.configuration.kwargs["column"] == "duration_ms"
        for e in suite.expectations
    )


def _write(directory: Path, name: str, content: object) -> None:
    (directory / f"{name}.json").write_text(json.dumps(content), encoding="utf-8")


def test_an_unknown_expectation_type_is_refused_not_dropped(tmp_path: Path):
    _write(
        tmp_path, "typo", {"name": "typo", "expectations": [{"type": "expect_colum_values_to_not_be_null"}]}
    )
    with pytest.raises(SuiteError, match=r"unknown type 'expect_colum_values_to_not_be_null'"):
        read_suite("typo", directory=tmp_path)


def test_missing_kwargs_are_refused(tmp_path: Path):
    _write(
        tmp_path,
        "nocol",
        {"name": "nocol", "expectations": [{"type": "expect_column_values_to_not_be_null", "kwargs": {}}]},
    )
    with pytest.raises(SuiteError, match=r"nocol\.json: not a valid Great Expectations suite"):
        read_suite("nocol", directory=tmp_path)


def test_a_name_that_does_not_match_the_file_is_refused(tmp_path: Path):
    _write(tmp_path, "albums", {"name": "tracks", "expectations": []})
    with pytest.raises(SuiteError, match=r"'name' is 'tracks' but the file is named 'albums'"):
        read_suite("albums", directory=tmp_path)


def test_a_missing_suite_lists_the_ones_there(tmp_path: Path):
    _write(tmp_path, "tracks", {"name": "tracks", "expectations": []})
    with pytest.raises(SuiteError, match=r"no expectation suite 'trakcs'.*suites there: tracks"):
        read_suite("trakcs", directory=tmp_path)


def test_invalid_json_is_refused(tmp_path: Path):
    (tmp_path / "broken.json").write_text('{"name": "broken", ', encoding="utf-8")
    with pytest.raises(SuiteError, match=r"broken\.json: not valid JSON"):
        read_suite("broken", directory=tmp_path)


def test_the_hash_follows_the_content_and_the_file_is_reread(tmp_path: Path):
    rule = {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "a"}}
    _write(tmp_path, "s", {"name": "s", "expectations": [rule], "meta": {}})
    first = read_suite("s", directory=tmp_path)
    assert first.version == first.sha256[:12]
    _write(
        tmp_path, "s", {"name": "s", "expectations": [rule, rule | {"kwargs": {"column": "b"}}], "meta": {}}
    )
    second = read_suite("s", directory=tmp_path)
    assert second.sha256 != first.sha256
    assert len(second.suite.expectations) == 2
    _write(tmp_path, "s", {"name": "s", "expectations": [rule], "meta": {"version": "7"}})
    assert read_suite("s", directory=tmp_path).version == "7"
