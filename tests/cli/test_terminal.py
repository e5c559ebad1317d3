"""The ``encore`` command driven as a person does, in a pseudo-terminal: what is left on the
screen (tests/cli/screen.py renders the bytes as a terminal would), the exit code, and what was
written to the data folder."""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

import pexpect
import pytest

from analytics.warehouse import Warehouse
from tests.cli.screen import screen_lines
from tests.worlds import WORLDS, PipelineWorld

ENCORE = str(Path(sys.executable).with_name("encore"))
ROOT = Path(__file__).resolve().parents[2]


def in_terminal(
    args: list[str], *, env: dict[str, str], timeout: float, program: str = ENCORE
) -> tuple[int, list[str], str]:
    """Run ``encore args`` (or ``program args``) in a 100x40 pseudo-terminal: exit code, the
    screen's non-empty lines, the raw output."""
    child = pexpect.spawn(
        program, args, env=env, cwd=str(ROOT), dimensions=(40, 100), encoding="utf-8", codec_errors="replace"
    )
    child.expect(pexpect.EOF, timeout=timeout)
    raw = child.before or ""
    child.close()
    assert child.exitstatus is not None, f"killed by signal {child.signalstatus}"
    return child.exitstatus, [line for line in screen_lines(raw) if line.strip()], raw


def person_env(home: Path, **extra: str) -> dict[str, str]:
    """A person's shell: a colour terminal, the test's folders, nothing of pytest's output capture."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENCORE_")}
    env.update(
        TERM="xterm-256color",
        COLUMNS="100",
        ENCORE_DATA_DIR=str(home / "data"),
        ENCORE_REPORTS_DIR=str(home / "reports"),
    )
    env.update(extra)
    return env


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


BAD_INPUTS = [
    pytest.param(["playlist", "nosuch"], {}, "no playlist definition 'nosuch'", id="playlist-name"),
    pytest.param(["playlist", "/tmp/nope.yaml"], {}, "/tmp/nope.yaml does not exist", id="playlist-file"),
    pytest.param(["sync", "notAnArtistId"], {}, "unknown artist id 'notAnArtistId'", id="artist-id"),
    pytest.param(
        ["sync"], {"ENCORE_QUOTA_MODE": "foo"}, "ENCORE_QUOTA_MODE='foo': Input should be", id="quota-mode"
    ),
    pytest.param(
        ["sync"], {"ENCORE_ARTIST_IDS": "notjson"}, "a JSON list, e.g. ENCORE_ARTIST_IDS=", id="artists"
    ),
    pytest.param(["--log-format", "xml", "sync"], {}, "--log-format 'xml'", id="log-format"),
    pytest.param(
        ["run"],
        {"ENCORE_REPORT_LANGUAGE": "es"},
        "ENCORE_REPORT_LANGUAGE='es': the reports speak en, fr, de",
        id="report-language",
    ),
    pytest.param(
        ["sync"],
        {"ENCORE_LOG_LEVEL": "LOUD"},
        "ENCORE_LOG_LEVEL='LOUD' is not a log level: use one of DEBUG, INFO, WARNING, ERROR, CRITICAL",
        id="log-level-setting",
    ),
    pytest.param(
        ["--log-format", "json", "sync"],
        {"ENCORE_LOG_FORMAT": "xml"},
        "ENCORE_LOG_FORMAT='xml' is not a log format: use one of json, console",
        id="log-format-setting",
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(("args", "extra", "says"), BAD_INPUTS)
def test_a_bad_input_is_one_short_message_exit_2_and_nothing_written(
    tmp_path: Path, args: list[str], extra: dict[str, str], says: str
) -> None:
    code, lines, raw = in_terminal(args, env=person_env(tmp_path, **extra), timeout=180)
    assert code == 2, raw
    assert 1 <= len(lines) <= 5, lines
    assert says in " ".join(lines), lines
    assert "Traceback" not in raw and "prefect" not in raw.lower(), raw
    data = tmp_path / "data"
    assert not (data / "encore.sqlite").exists() and not (data / "runs").exists(), _files(data)


@pytest.mark.slow
def test_audit_show_of_an_unknown_run_says_so_with_exit_2(tmp_path: Path) -> None:
    data = tmp_path / "data"
    warehouse = Warehouse(f"sqlite:///{data / 'encore.sqlite'}")
    warehouse.migrate()
    warehouse.dispose()
    before = _files(data)
    code, lines, raw = in_terminal(
        ["audit", "show", "--run-id", "nosuch"], env=person_env(tmp_path), timeout=120
    )
    assert code == 2, raw
    assert len(lines) <= 5 and "no run 'nosuch' in the audit log" in " ".join(lines), lines
    assert _files(data) == before

    code, lines, raw = in_terminal(["audit", "show"], env=person_env(tmp_path / "elsewhere"), timeout=120)
    assert code == 2 and "no warehouse yet" in " ".join(lines), raw
    assert not (tmp_path / "elsewhere" / "data").exists()


@pytest.mark.slow
def test_a_prefect_home_in_folders_not_yet_made_is_made_and_one_that_cannot_be_is_refused(
    tmp_path: Path,
) -> None:
    """Prefect makes its home folder but not the folders above it: its temporary API would then
    print tracebacks for minutes and give up."""
    home = tmp_path / "not" / "yet" / "prefect"
    code, lines, raw = in_terminal(
        ["sync", "notAnArtistId"], env=person_env(tmp_path, PREFECT_HOME=str(home)), timeout=180
    )
    assert code == 2 and "unknown artist id 'notAnArtistId'" in " ".join(lines), raw
    assert home.is_dir() and "Traceback" not in raw, raw

    blocked = tmp_path / "a-file"
    blocked.write_text("")
    code, lines, raw = in_terminal(
        ["sync"], env=person_env(tmp_path, PREFECT_HOME=str(blocked / "prefect")), timeout=180
    )
    assert code == 2, raw
    said = "".join("".join(lines).split())  # the long path may wrap at the screen's edge
    assert 1 <= len(lines) <= 5 and f"PREFECT_HOME={blocked}/prefect:cannotmakethefolder" in said, lines
    assert "Traceback" not in raw and not (tmp_path / "data").exists(), raw


@pytest.mark.slow
def test_debug_prints_the_traceback_of_a_bad_input(tmp_path: Path) -> None:
    code, _lines, raw = in_terminal(["--debug", "playlist", "nosuch"], env=person_env(tmp_path), timeout=120)
    assert code == 2
    assert "Traceback" in raw and "DefinitionError" in raw


@pytest.mark.e2e
@pytest.mark.slow
@pytest.mark.timeout(1500)  # the shared world's two runs (when this test builds it), then this one
def test_a_clean_run_shows_its_stages_progress_and_summary_in_at_most_25_lines(
    pipeline_world, tmp_path: Path
) -> None:
    """The shared demo world's data, copied, run once more by a person: a line per stage, bars
    while it works, the summary table; the JSON log lines in the run's folder, not on screen."""
    world: PipelineWorld = pipeline_world("demo")
    home = tmp_path / "home"
    shutil.copytree(world.home, home, symlinks=True)
    env = person_env(home, **{k: v for k, v in WORLDS["demo"](home).items() if v})
    started = time.monotonic()
    code, lines, raw = in_terminal(["run"], env=env, timeout=900)
    took = time.monotonic() - started
    assert code == 0, "\n".join(lines)
    assert len(lines) <= 25, "\n".join(lines)
    text = "\n".join(lines)
    for stage in ("set-up", "catalog sync", "catalog checks", "track analysis", "reports"):
        assert f"✓ {stage}" in text, text
    assert "━" in raw and "/4" in raw  # a bar with its count was drawn while the sync ran
    assert "rows written" in text and "alerts:" in text and "index.html" in text, text
    assert not any(line.lstrip().startswith("{") for line in lines), text  # no JSON on screen
    run_id = next(line.split()[1].rstrip(":") for line in lines if line.startswith("run "))
    log = home / "data" / "runs" / run_id / "log.jsonl"
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert any(r.get("event") == "run.start" and r.get("run_id") == run_id for r in records)
    print(f"encore run in a pseudo-terminal, second run of the demo world: {took:.0f} s, {len(lines)} lines")
