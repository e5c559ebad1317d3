"""Notebooks are stored without outputs, have a typed parameters cell, and match their .py pair."""

from __future__ import annotations

from pathlib import Path

import jupytext
import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks() -> None:
    assert NOTEBOOKS, "notebooks/ holds the report notebooks"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_without_outputs(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: strip outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_parameters_cell_is_typed_and_explained(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1, f"{path.name}: exactly one cell tagged 'parameters'"
    for line in cells[0].source.splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, rest = line.partition(":")
            assert name.isidentifier() and "=" in rest and "#" in rest, (
                f"{path.name}: '{line}' needs `name: type = default  # meaning`"
            )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_paired_py_percent_matches(path: Path) -> None:
    pair = path.with_suffix(".py")
    assert pair.exists(), f"{path.name} has no jupytext pair {pair.name}"
    ipynb_sources = [c.source for c in nbformat.read(path, as_version=4).cells]
    py_sources = [c.source for c in jupytext.read(pair).cells]
    assert ipynb_sources == py_sources, f"{path.name} and {pair.name} differ: run `jupytext --sync {pair}`"
