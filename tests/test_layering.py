"""The import contracts of ``make lint`` (pyproject.toml ``[tool.importlinter]``) catch what they forbid.

Each test copies ``analytics/`` and ``flows/`` with the contracts into a temporary directory,
adds one forbidden import, and runs ``lint-imports`` there: it must fail and name the contract
and the import. The unchanged copy passes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONFIG: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
    "importlinter"
]
CONTRACTS = {contract["id"]: contract for contract in CONFIG["contracts"]}
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

# kind: (module file to add the import to, the import, the contracts it must break)
FORBIDDEN: dict[str, tuple[str, str, set[str]]] = {
    "analytics -> prefect": ("analytics/ml/similarity.py", "import prefect", {"library"}),
    "analytics -> papermill": ("analytics/reports/html.py", "import papermill", {"library"}),
    # through the library, every flow would reach the pipeline and so the flows it chains
    "analytics -> flows": (
        "analytics/content/text.py",
        "import flows.pipeline",
        {"library", "layers", "flows"},
    ),
    "warehouse -> capability": (
        "analytics/warehouse/upsert.py",
        "import analytics.streaming.tables",
        {"warehouse", "layers"},
    ),
    "capability -> sandbox": (
        "analytics/monitoring/rules.py",
        "import analytics.sandbox.spotify",
        {"sandbox"},
    ),
    "flows -> sandbox": ("flows/reporting.py", "import analytics.sandbox.social", {"sandbox"}),
    "flow -> flow": ("flows/track_analysis.py", "import flows.reporting", {"flows"}),
    "foundation -> capability": ("analytics/observability/logs.py", "import analytics.curation", {"layers"}),
}


def _copy(tmp_path: Path) -> Path:
    """``analytics/``, ``flows/`` and pyproject.toml (the contracts), sources only."""
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.ogg", "*.json", "templates")
    for package in ("analytics", "flows"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=skip)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _add_import(root: Path, module_file: str, statement: str) -> None:
    path = root / module_file
    if not path.exists() and path.with_suffix("").is_dir():
        path = path.with_suffix("") / "__init__.py"  # the module is a package
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(f"{text}\n{statement}  # added by the test\n", encoding="utf-8")


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _broken(output: str) -> set[str]:
    return {cid for cid, contract in CONTRACTS.items() if f"{contract['name']} BROKEN" in output}


def test_the_contracts_are_the_documented_ones() -> None:
    assert set(CONTRACTS) == {"layers", "flows", "library", "warehouse", "sandbox"}
    assert CONFIG["include_external_packages"] is True
    assert set(CONTRACTS["library"]["forbidden_modules"]) >= {"prefect", "papermill", "flows"}


def test_every_analytics_package_has_its_place() -> None:
    """A new package joins a layer (or the sandbox's own contract) instead of escaping the contracts."""
    named = {name.strip().strip("()") for layer in CONTRACTS["layers"]["layers"] for name in layer.split(":")}
    packages = {
        f"analytics.{p.stem if p.is_file() else p.name}"
        for p in (ROOT / "analytics").iterdir()
        if (p.is_file() and p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").is_file()
    }
    assert packages - named == {"analytics.sandbox"}
    assert named - {"flows"} <= packages


def test_the_clean_copy_keeps_every_contract_and_the_world_may_import_the_sandbox(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _add_import(root, "flows/world.py", "import analytics.sandbox.spotify")  # the one place allowed
    done = _lint(root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in done.stdout


@pytest.mark.parametrize("kind", sorted(FORBIDDEN))
def test_a_forbidden_import_breaks_its_contract(tmp_path: Path, kind: str) -> None:
    module_file, statement, contracts = FORBIDDEN[kind]
    root = _copy(tmp_path)
    _add_import(root, module_file, statement)
    done = _lint(root)
    assert done.returncode != 0, done.stdout
    assert _broken(done.stdout) == contracts, done.stdout
    importer = module_file.removesuffix(".py").replace("/", ".")
    assert importer in done.stdout
