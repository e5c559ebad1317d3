"""The packages with lazy exports (lazy_loader over ``__init__.pyi``) load what they export on first use.

For each: importing the package loads none of the heavy libraries its lazy exports exist to
spare; every name of the stub resolves to the object its module defines, and the package lists
exactly those names; a name that is also a submodule's stays the function.
"""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys

import pytest

from analytics.config import PROJECT_ROOT

# package: libraries that importing it must not load
SPARED = {
    "analytics.audio": ["librosa", "numba", "pandas", "numpy"],
    "analytics.curation": ["pandas", "numpy", "scipy", "requests"],
    "analytics.monitoring": ["pandas", "numpy"],
    "analytics.reports": ["nbconvert", "nbformat", "jinja2", "plotly", "pandas"],
    # the command line and the world's options read them without starting a web server
    "analytics.sandbox.social": ["fastapi", "uvicorn"],
    "analytics.sandbox.spotify": ["fastapi", "uvicorn"],
    "analytics.streaming": ["pandas", "sklearn", "numpy"],
    # the command line answers --help and refuses bad input before any flow's libraries load
    "flows": ["prefect", "pandas", "sklearn", "librosa", "papermill"],
}
# modules that are no package but must stay as light
SPARED_MODULES = {"flows.cli": ["prefect", "pandas", "sklearn", "librosa", "papermill", "fastapi", "uvicorn"]}


def _stub(package: str) -> dict[str, str]:
    """Exported name -> its module, read from the package's ``__init__.pyi``."""
    path = PROJECT_ROOT.joinpath(*package.split("."), "__init__.pyi")
    names: dict[str, str] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom):
            assert node.level == 1 and node.module, "lazy_loader reads `from .module import name` only"
            names.update({alias.name: f"{package}.{node.module}" for alias in node.names})
    return names


@pytest.mark.parametrize("package", sorted({**SPARED, **SPARED_MODULES}))
def test_importing_the_package_loads_no_heavy_library(package: str) -> None:
    code = f"import json, sys, {package}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    loaded = set(json.loads(out.stdout))
    spared = {**SPARED, **SPARED_MODULES}[package]
    assert not loaded & set(spared), sorted(loaded & set(spared))


@pytest.mark.parametrize("package", sorted(SPARED))
def test_every_stub_name_is_exported_and_resolves_to_its_module_s_object(package: str) -> None:
    module = importlib.import_module(package)
    stub = _stub(package)
    assert sorted(module.__all__) == sorted(stub)
    assert set(stub) <= set(dir(module))
    for name, source in stub.items():
        assert getattr(module, name) is getattr(importlib.import_module(source), name), name
    with pytest.raises(AttributeError):
        _ = module.nothing_here


@pytest.mark.parametrize(("package", "name"), [("analytics.streaming", "aggregate"), ("flows", "pipeline")])
def test_a_function_named_as_its_module_stays_the_function(package: str, name: str) -> None:
    """``analytics.streaming.aggregate`` is the function, even once its module was imported by name;
    so is the ``flows.pipeline`` flow."""
    code = (
        f"import importlib, {package} as pkg\n"
        f"module = importlib.import_module('{package}.{name}')\n"
        f"from {package} import {name} as found\n"
        f"print(callable(found) and found is module.{name} and pkg.{name} is module.{name})"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "True", out.stderr
