"""The dead-code check of ``make lint`` (vulture, pyproject.toml ``[tool.vulture]``) finds what it should.

The tree passes; a forgotten function added to it is caught, while the route, validator and model
configuration beside it (called by FastAPI and pydantic) are not; and every name of
``vulture_whitelist.py`` is there for a reason given beside it and is still needed.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WHITELIST = ROOT / "vulture_whitelist.py"
PATHS: list[str] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["vulture"][
    "paths"
]
VULTURE = Path(sys.executable).with_name("vulture")
ENTRY = re.compile(r"^_\.(\w+)$")

FORGOTTEN = """
from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, field_validator

router = APIRouter()


class Rule(BaseModel):
    model_config = ConfigDict(frozen=True)
    name: str

    @field_validator("name")
    @classmethod
    def _stripped(cls, value: str) -> str:
        return value.strip()


@router.get("/rules")
def list_rules() -> list[Rule]:
    return [Rule(name="a")]


def forgotten_helper(rows: list[int]) -> int:
    return sum(rows)
"""


def _vulture(*paths: str | Path) -> subprocess.CompletedProcess[str]:
    """vulture with the project's configuration over ``paths`` (the command line overrides its paths)."""
    return subprocess.run(
        [str(VULTURE), *map(str, paths)], cwd=ROOT, capture_output=True, text=True, timeout=240, check=False
    )


def _names(report: str) -> set[str]:
    return set(re.findall(r"unused \w+ '([^']+)'", report))


def _whitelisted() -> list[str]:
    lines = WHITELIST.read_text(encoding="utf-8").splitlines()
    return [m.group(1) for line in lines if (m := ENTRY.match(line))]


def test_the_tree_has_no_dead_code() -> None:
    result = _vulture()
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_forgotten_function_is_found_beside_what_frameworks_call(tmp_path: Path) -> None:
    module = tmp_path / "forgotten.py"
    module.write_text(FORGOTTEN, encoding="utf-8")

    result = _vulture(*PATHS, module)

    assert result.returncode == 3, result.stdout + result.stderr
    assert _names(result.stdout) == {"forgotten_helper"}, result.stdout


def test_every_whitelisted_name_says_why_and_is_still_needed() -> None:
    lines = WHITELIST.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if ENTRY.match(line):
            block = lines[:number]
            while block and ENTRY.match(block[-1]):
                block.pop()
            assert block and block[-1].startswith("# "), f"{line} (line {number + 1}) has no reason above it"

    without = _vulture(*(p for p in PATHS if p != WHITELIST.name))
    stale = set(_whitelisted()) - _names(without.stdout)
    assert not stale, f"whitelisted but no longer reported as unused: {sorted(stale)}"
