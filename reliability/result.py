"""One scenario's outcome and the Markdown table of all of them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class ScenarioResult:
    """What one scenario did and found.

    Parameters
    ----------
    scenario : short name, as in the table.
    trials : independent trials run (runs, kills, files...).
    faults : faults injected (hostile files or strings, HTTP faults, kills, canaries planted).
    lost : rows the reference run stored that this one did not.
    duplicated : rows stored more than once (or changes applied twice).
    leaked : secret or private values found where they must not be.
    injected : hostile input that was executed or changed structure (SQL, HTML, shell, code).
    notes : free text for the table (figures measured, what was checked).
    problems : what went wrong, one line each; empty when the scenario passed.
    """

    scenario: str
    trials: int = 0
    faults: int = 0
    lost: int = 0
    duplicated: int = 0
    leaked: int = 0
    injected: int = 0
    notes: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.lost or self.duplicated or self.leaked or self.injected or self.problems)

    def check(self, condition: bool, problem: str) -> None:
        """Record ``problem`` unless ``condition`` holds."""
        if not condition:
            self.problems.append(problem)

    def tally(self, *, expected: int, found: int) -> None:
        """Count rows missing (lost) or in excess (duplicated) against the expected number."""
        self.lost += max(expected - found, 0)
        self.duplicated += max(found - expected, 0)

    def assert_ok(self) -> None:
        """Raise AssertionError naming every problem (for tests)."""
        assert self.ok, f"{self.scenario}: {self.summary()}"

    def summary(self) -> str:
        head = (
            f"{self.trials} trials, {self.faults} faults, lost {self.lost}, duplicated {self.duplicated}, "
            f"leaked {self.leaked}, injected {self.injected}"
        )
        return head + ("" if not self.problems else "; problems: " + " | ".join(self.problems))


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_table(results: Sequence[ScenarioResult]) -> str:
    """The Markdown table of ``results``: one row per scenario."""
    lines = [
        "| scenario | trials | faults injected | rows lost | rows duplicated | leaks found | injected | result "
        "| notes |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in results:
        result = "pass" if r.ok else "FAIL: " + "; ".join(r.problems)[:300]
        lines.append(
            f"| {r.scenario} | {r.trials} | {r.faults} | {r.lost} | {r.duplicated} | {r.leaked} | "
            f"{r.injected} | {_cell(result)} | {_cell(r.notes)} |"
        )
    return "\n".join(lines) + "\n"
