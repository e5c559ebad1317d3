"""Expectation suites as reviewable JSON files in ``expectations/``, one per dataset.

A suite file is what GX 1.x's ``ExpectationSuite`` serialises to::

    {"name": "tracks",
     "expectations": [{"type": "expect_column_values_to_not_be_null",
                       "kwargs": {"column": "isrc"}, "meta": {"why": "..."}}],
     "meta": {"id_columns": ["track_id"], "version": "1"}}

``meta.id_columns`` names the columns that identify a row; failures quote them (and only
them, with the offending value) as examples. ``meta.version`` is optional and informative;
the suite's identity in every result is the SHA-256 of its canonical JSON.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from great_expectations.core import ExpectationSuite

EXPECTATIONS_DIR = Path(__file__).resolve().parents[2] / "expectations"  # the repository's suites

_cache: dict[tuple[Path, int, int], SuiteFile] = {}
_cache_lock = threading.Lock()


class SuiteError(ValueError):
    """A suite file that is missing, not JSON, or not a valid GX expectation suite."""


@dataclass(frozen=True)
class SuiteFile:
    """One suite file, parsed and checked: its content, content hash and GX suite.

    Attributes
    ----------
    name : the suite's name (the file's stem).
    path : where the suite was read from.
    content : the file's JSON as a dict.
    sha256 : hex SHA-256 of the canonical JSON (sorted keys, no spaces) of ``content``.
    version : ``meta.version`` when given, else the first 12 hex digits of ``sha256``.
    id_columns : ``meta.id_columns``: the columns that identify a row.
    suite : the GX ``ExpectationSuite`` built from ``content``.
    """

    name: str
    path: Path
    content: dict[str, Any]
    sha256: str
    version: str
    id_columns: tuple[str, ...]
    suite: ExpectationSuite = field(repr=False)


def suite_path(name: str, *, directory: Path | None = None) -> Path:
    """Where the suite ``name`` lives: ``<directory or expectations/>/<name>.json``."""
    return (directory or EXPECTATIONS_DIR) / f"{name}.json"


def available_suites(*, directory: Path | None = None) -> list[str]:
    """Names of every suite file in ``directory`` (default ``expectations/``), sorted."""
    return sorted(p.stem for p in (directory or EXPECTATIONS_DIR).glob("*.json"))


def read_suite(name: str, *, directory: Path | None = None) -> SuiteFile:
    """Read, check and cache the suite ``name`` (re-read when the file changes).

    Raises
    ------
    SuiteError
        When the file is missing, is not JSON, names another suite, or is not a valid GX suite.
    """
    path = suite_path(name, directory=directory)
    try:
        stat = path.stat()
    except FileNotFoundError:
        known = ", ".join(available_suites(directory=path.parent)) or "none"
        raise SuiteError(
            f"no expectation suite {name!r}: {path} does not exist (suites there: {known}); "
            f"add {path.name} in the format described in expectations/README.md"
        ) from None
    key = (path.resolve(), stat.st_mtime_ns, stat.st_size)
    with _cache_lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    loaded = _parse(name, path, path.read_bytes())
    with _cache_lock:
        _cache[key] = loaded
    return loaded


def load_suite(name: str, *, directory: Path | None = None) -> ExpectationSuite:
    """The GX ``ExpectationSuite`` of ``expectations/<name>.json`` (see :func:`read_suite`)."""
    return read_suite(name, directory=directory).suite


def _parse(name: str, path: Path, raw: bytes) -> SuiteFile:
    try:
        content = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SuiteError(f"{path}: not valid JSON ({exc}); fix the file") from None
    if not isinstance(content, dict) or not isinstance(content.get("expectations"), list):
        raise SuiteError(
            f"{path}: expected an object with an 'expectations' list; see expectations/README.md"
        )
    if content.get("name") != name:
        raise SuiteError(
            f"{path}: 'name' is {content.get('name')!r} but the file is named {name!r}; make them match"
        )
    meta = content.get("meta") or {}
    id_columns = meta.get("id_columns", [])
    if not isinstance(id_columns, list) or not all(isinstance(c, str) for c in id_columns):
        raise SuiteError(f"{path}: meta.id_columns must be a list of column names, got {id_columns!r}")
    suite = _to_gx(path, content)
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    sha = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return SuiteFile(
        name=name,
        path=path,
        content=content,
        sha256=sha,
        version=str(meta.get("version") or sha[:12]),
        id_columns=tuple(id_columns),
        suite=suite,
    )


def _to_gx(path: Path, content: dict[str, Any]) -> ExpectationSuite:
    from analytics.validation._context import get_context

    get_context()  # sets GX_ANALYTICS_ENABLED before great_expectations is first imported
    from great_expectations.core import ExpectationSuite
    from great_expectations.expectations.registry import get_expectation_impl

    for position, expectation in enumerate(content["expectations"], start=1):
        kind = expectation.get("type") if isinstance(expectation, dict) else None
        if not isinstance(kind, str):
            raise SuiteError(f"{path}: expectation #{position} has no 'type'; see expectations/README.md")
        try:
            get_expectation_impl(kind)
        except Exception:  # GX would only log this and drop the expectation
            raise SuiteError(
                f"{path}: expectation #{position} has unknown type {kind!r}; "
                "use a Great Expectations 1.x expectation name such as 'expect_column_values_to_not_be_null'"
            ) from None
    try:
        suite = ExpectationSuite(**content)
    except Exception as exc:  # GX raises pydantic, marshmallow and its own errors here
        raise SuiteError(f"{path}: not a valid Great Expectations suite: {exc}") from exc
    if len(suite.expectations) != len(content["expectations"]):
        raise SuiteError(
            f"{path}: Great Expectations kept {len(suite.expectations)} of "
            f"{len(content['expectations'])} expectations; check each one's type and kwargs"
        )
    return suite
