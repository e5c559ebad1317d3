"""Every flow reads as the pipeline's outline: a short body of library calls."""

from __future__ import annotations

import ast
from pathlib import Path

FLOWS = Path(__file__).resolve().parents[2] / "flows"
MAX_BODY_LINES = 30  # a screen: the steps of the flow, its audit run and progress; no library work


def _is_flow(node: ast.FunctionDef) -> bool:
    def name(d: ast.expr) -> str:
        target = d.func if isinstance(d, ast.Call) else d
        return target.id if isinstance(target, ast.Name) else getattr(target, "attr", "")

    return any(name(d) == "flow" for d in node.decorator_list)


def flow_bodies(folder: Path = FLOWS) -> dict[str, int]:
    """``module.flow`` -> lines of its body, its docstring left out."""
    found: dict[str, int] = {}
    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and _is_flow(node):
                body = node.body[1:] if ast.get_docstring(node) is not None else node.body
                found[f"{path.stem}.{node.name}"] = body[-1].end_lineno - body[0].lineno + 1  # type: ignore[operator]
    return found


def test_every_flow_body_is_an_outline() -> None:
    bodies = flow_bodies()
    assert len(bodies) >= 9, f"expected the nine flows, found {sorted(bodies)}"
    too_long = {name: n for name, n in bodies.items() if n > MAX_BODY_LINES}
    assert too_long == {}, f"flows longer than {MAX_BODY_LINES} lines: move the work into analytics/"


def test_the_measure_counts_a_long_flow_and_not_its_docstring(tmp_path: Path) -> None:
    steps = "".join(f"    step_{i}()\n" for i in range(31))
    (tmp_path / "long.py").write_text(
        f'from prefect import flow\n\n@flow(name=\'long\')\ndef long():\n    """Doc.\n\n    More."""\n{steps}'
        "\n\ndef helper():\n    pass\n",
        encoding="utf-8",
    )
    assert flow_bodies(tmp_path) == {"long.long": 31}
