"""Every command block of README.md works verbatim, from a fresh clone, with uv not on the PATH.

The README is read from a ``git clone`` of this repository (what a newcomer gets); the clone
shares this checkout's built ``.venv`` rather than building its own. Each line of a ``bash``
block is one of:

- ``make TARGET``: long (``make run`` and ``make test`` set everything up): the target exists and
  its prerequisites resolve (``make -n TARGET``);
- ``.venv/bin/encore …``: quick ones run as written; long-running ones (a pipeline, a server,
  a live monitor) are parsed as written with ``--help`` added, in this process (Typer's test
  runner: a misspelt command or option fails) without doing the work;
- ``export ENCORE_…=…`` in a block of values to fill in: the variable is a setting encore reads.

A line that fits none of these fails the test, so a new README line gets classified here.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from analytics.config import PROJECT_ROOT, Settings

# Five `encore` start-ups, four at a time: seconds on a quiet machine, minutes on a loaded one.
pytestmark = pytest.mark.timeout(900)
# Commands that finish in seconds and change nothing outside the clone: run as written.
QUICK = (
    ".venv/bin/encore --help",
    ".venv/bin/encore audit verify",
    ".venv/bin/encore audit show",
    ".venv/bin/encore --show-completion",
    ".venv/bin/encore --install-completion",  # HOME is the test's: it writes there
)
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.DOTALL | re.MULTILINE)


def _shell_lines(readme: str) -> list[str]:
    lines = []
    for language, body in FENCE.findall(readme):
        if language in {"bash", "sh", "shell"}:
            lines += [line.strip() for line in body.splitlines() if line.strip() and not line.startswith("#")]
    return lines


def _without_comment(line: str) -> str:
    return line.split("  #")[0].split(" # ")[0].strip()


def _checks(line: str) -> list[tuple[str, str]]:
    """(kind, shell command) for each command of a README line."""
    out = []
    for command in _without_comment(line).split("&&"):
        command = command.strip()
        if command.startswith("export "):
            out += [("setting", name) for name in re.findall(r"(\w+)=", command)]
        elif re.fullmatch(r"make [\w-]+", command):
            out.append(("make", command.replace("make ", "make -n ", 1)))
        elif command.startswith(".venv/bin/encore"):
            out.append(("encore", command) if command.startswith(QUICK) else ("parse", command))
        else:
            out.append(("unclassified", command))
    return out


def _parse(command: str) -> str:
    """Why ``command --help`` does not parse (a misspelt command or option), or ''."""
    from typer.testing import CliRunner

    from flows.cli import app

    args = shlex.split(command)[1:]
    result = CliRunner().invoke(app, [*args, "--help"])
    return "" if result.exit_code == 0 else f"exit {result.exit_code}: {result.output[-400:]}"


def _environment(home: Path, clone: Path) -> dict[str, str]:
    """This environment without uv on the PATH, without encore's settings, HOME in tmp."""
    keep = [d for d in os.environ.get("PATH", "").split(os.pathsep) if d and not (Path(d) / "uv").exists()]
    env = {
        k: v
        for k, v in os.environ.items()
        if not (k.startswith("ENCORE_") and not k.startswith("ENCORE_TEST_")) and k != "VIRTUAL_ENV"
    }
    # the shared .venv's console scripts import the clone's code, not this checkout's
    return env | {"PATH": os.pathsep.join(keep), "HOME": str(home), "PYTHONPATH": str(clone)}


def _run(command: str, *, cwd: Path, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    started = time.monotonic()
    done = subprocess.run(
        # bash stays the parent process (no exec of a lone command), as in a terminal: completion
        # install detects the shell from it
        ["bash", "-c", f"{command}\nexit $?"],
        cwd=cwd,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    print(f"{time.monotonic() - started:6.1f} s  {command}")
    return done


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (PROJECT_ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    target = tmp_path_factory.mktemp("readme") / "encore"
    subprocess.run(["git", "clone", "-q", str(PROJECT_ROOT), str(target)], check=True, timeout=120)
    (target / ".venv").symlink_to(PROJECT_ROOT / ".venv")
    return target


def test_every_readme_command_works_verbatim_from_a_fresh_clone_without_uv(
    clone: Path, tmp_path: Path
) -> None:
    env = _environment(tmp_path / "home", clone)
    (tmp_path / "home").mkdir()
    assert shutil.which("uv", path=env["PATH"]) is None
    checks = [
        (line, kind, command)
        for line in _shell_lines((clone / "README.md").read_text())
        for kind, command in _checks(line)
    ]
    assert {kind for _line, kind, _command in checks} >= {"make", "encore", "parse"}
    unclassified = [line for line, kind, _command in checks if kind == "unclassified"]
    assert unclassified == [], "README lines this test does not know how to check"
    settings = {f"ENCORE_{name.upper()}" for name in Settings.model_fields}
    unknown = [name for _line, kind, name in checks if kind == "setting" and name not in settings]
    assert unknown == [], "README exports a variable encore does not read"

    unparsed = [
        f"{line}: {why}" for line, kind, command in checks if kind == "parse" and (why := _parse(command))
    ]
    assert unparsed == [], "\n".join(unparsed)

    commands = [(line, command) for line, kind, command in checks if kind in {"make", "encore"}]
    # Commands that read or write the data folder run one after another, in the README's order,
    # as a person types them (the first creates the warehouse); the others alongside.
    in_order = [c for _line, c in commands if c.startswith(".venv/bin/encore audit")]

    def one_after_another(_: object) -> dict[str, subprocess.CompletedProcess[str]]:
        return {c: _run(c, cwd=clone, env=env) for c in in_order}

    alongside = [c for _line, c in commands if c not in in_order]
    with ThreadPoolExecutor(max_workers=4) as pool:
        sequence = pool.submit(one_after_another, None)
        results = dict(
            zip(alongside, pool.map(lambda c: _run(c, cwd=clone, env=env), alongside), strict=True)
        )
        results |= sequence.result()
    done = [results[c] for _line, c in commands]
    failed = [
        f"{line}\n  ran: {command}\n  exit {result.returncode}: {(result.stderr or result.stdout)[-600:]}"
        for (line, command), result in zip(commands, done, strict=True)
        if result.returncode != 0
    ]
    assert failed == [], "\n".join(failed)
    completion = (tmp_path / "home" / ".bashrc").read_text()
    assert "encore" in completion, "encore --install-completion wrote nothing to ~/.bashrc"
