"""Shell completion of the ``encore`` command, as the README tells users to install it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ENCORE = Path(sys.executable).parent / "encore"


def _encore(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ENCORE), *args],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_show_completion_prints_a_bash_script_that_completes_commands() -> None:
    # The script is for the shell encore runs in (Typer reads the parent processes), so it runs
    # from bash here, as a user's command would, and not straight from pytest's process; the
    # second command keeps bash from replacing itself with encore.
    shown = subprocess.run(
        ["bash", "-c", f"'{ENCORE}' --show-completion; exit $?"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert shown.returncode == 0, shown.stderr
    assert "complete -o default -F _encore_completion encore" in shown.stdout
    assert "_ENCORE_COMPLETE=complete_bash" in shown.stdout
    # what the script asks the command when the user presses Tab after `encore au`
    asked = _encore(env={"_ENCORE_COMPLETE": "complete_bash", "COMP_WORDS": "encore au", "COMP_CWORD": "1"})
    assert asked.returncode == 0, asked.stderr
    assert asked.stdout.split() == ["audit"]
