"""Migrations are frozen snapshots: they import no live code, and the snapshots still agree with it.

A migration that imported the live code would change, long after it ran, whenever that code
changes. So each one carries a copy of what it needs; when the live code moves on, these tests
show the drift (and a new migration, not an edited old one, follows it).
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.streaming import load
from analytics.warehouse.db import MIGRATIONS_DIR

VERSIONS = sorted((MIGRATIONS_DIR / "versions").glob("*.py"))
OUR_PACKAGES = ("analytics", "flows", "tests")


def _migration(stem: str) -> ModuleType:
    path = MIGRATIONS_DIR / "versions" / f"{stem}.py"
    spec = importlib.util.spec_from_file_location(f"_migration_{stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at its top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.add("." * node.level + (node.module or ""))
    return names


def test_the_migrations_are_found() -> None:
    assert len(VERSIONS) >= 8
    assert {p.stem.split("_")[0] for p in VERSIONS} >= {f"{n:04d}" for n in range(1, 9)}


def test_no_migration_imports_live_code() -> None:
    live = {
        path.name: sorted(
            name
            for name in _imported_modules(path)
            if name.startswith(".") or name.split(".")[0] in OUR_PACKAGES
        )
        for path in VERSIONS
    }
    assert {name: found for name, found in live.items() if found} == {}


def test_the_scan_sees_an_import_inside_a_function(tmp_path: Path) -> None:
    sample = tmp_path / "0099_sample.py"
    sample.write_text(
        "import sqlalchemy\n\ndef upgrade():\n    from analytics.streaming.load import context_id\n"
    )
    assert _imported_modules(sample) == {"sqlalchemy", "analytics.streaming.load"}


PLAY_FACTS = _migration("0008_play_facts")


def test_play_facts_snapshot_has_the_loaders_layout() -> None:
    assert PLAY_FACTS.CONTEXT_FIELDS == load.CONTEXT_FIELDS
    assert PLAY_FACTS.FACT_COLUMNS == load.FACT_COLUMNS


_text = st.one_of(st.none(), st.text(max_size=24))
_flag = st.one_of(st.none(), st.booleans(), st.integers(min_value=0, max_value=1))
_contexts = st.tuples(
    st.one_of(st.sampled_from(["history", "realtime", "s4a"]), st.text(max_size=16)),
    st.one_of(st.none(), st.sampled_from(["DE", "FR", "US", "ZZ"])),
    st.one_of(st.none(), st.sampled_from(["android", "ios", "web", "desktop"])),
    _text,
    _text,
    _flag,
    _flag,
    _flag,
)


@settings(max_examples=300, deadline=None)
@given(context=_contexts)
def test_play_facts_snapshot_gives_the_loaders_context_ids(context: tuple[Any, ...]) -> None:
    assert PLAY_FACTS.context_id(context) == load.context_id(context)


def test_play_facts_snapshot_ids_of_known_contexts() -> None:
    """Fixed ids, so that a change to the snapshot and the loader alike shows too."""
    known = {
        ("history", "DE", "android", "trackdone", "trackdone", False, False, False): 3791185917778118515,
        ("realtime", None, None, None, None, None, None, None): 3322637356396504905,
        ("s4a", "US", "ios", "clickrow", "fwdbtn", True, True, None): -3519734891884442471,
    }
    assert {ctx: PLAY_FACTS.context_id(ctx) for ctx in known} == known
    assert {ctx: load.context_id(ctx) for ctx in known} == known
