"""``encore report`` driven as a person does, in a pseudo-terminal: a wrong input is one short
message with exit code 2 and nothing written; a report in French with its PDF, for the period
asked, rendered from a copy of the shared demo world's run and listed in reports/index.html."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from markupsafe import escape

from analytics.reports.texts import long_date, text
from tests.cli.test_terminal import ENCORE, in_terminal, person_env
from tests.worlds import WORLDS, PipelineWorld

MAXSTACK = "YQhOGXX8g2pM1yHEFVFAjK"  # a demo artist


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


BAD_INPUTS = [
    pytest.param(["--language", "xx"], "--language 'xx': the reports speak en, fr, de", id="language"),
    pytest.param(
        ["--from", "2026-10-10", "--to", "2026-10-01"],
        "--from 2026-10-10 is after --to 2026-10-01",
        id="from-after-to",
    ),
    pytest.param(["--from", "2026-13-01"], "--from '2026-13-01' is not a date: give YYYY-MM-DD", id="date"),
    pytest.param(["--period", "2026-1"], "period '2026-1' not understood: use YYYY-MM", id="period"),
    pytest.param([], "no pipeline run yet in", id="no-run-yet"),
    pytest.param(
        ["--run-dir", "/nonexistent/run"], "--run-dir /nonexistent/run: no such folder", id="run-dir"
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(("args", "says"), BAD_INPUTS)
def test_a_bad_report_input_is_one_short_message_exit_2_and_nothing_written(
    tmp_path: Path, args: list[str], says: str
) -> None:
    code, lines, raw = in_terminal(["report", *args], env=person_env(tmp_path), timeout=180)
    assert code == 2, raw
    assert 1 <= len(lines) <= 5, lines
    assert says in " ".join(lines), lines
    assert "Traceback" not in raw, raw
    if not args:
        assert "run `encore run` first" in " ".join(lines), lines
    assert _files(tmp_path) == [], _files(tmp_path)


CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")


def without_chromium(args: list[str]) -> list[str]:
    """``unshare`` arguments that run ``encore args`` with every Chromium binary hidden (a private
    mount namespace binds /dev/null over each), as on a machine where none was installed."""
    found = {shutil.which(name) for name in CHROMIUM_NAMES} | {"/usr/bin/chromium"}
    hidden = sorted(p for p in found if p and Path(p).is_file())
    mounts = "".join(f"mount --bind /dev/null {shlex.quote(p)} && " for p in hidden)
    return ["--mount", "sh", "-c", f'{mounts}exec "$0" "$@"', ENCORE, *args]


def _can_unshare() -> bool:
    unshare = shutil.which("unshare")
    if unshare is None:
        return False
    done = subprocess.run(
        [unshare, "--mount", "sh", "-c", "mount --bind /dev/null /dev/null"], capture_output=True, check=False
    )
    return done.returncode == 0


@pytest.mark.slow
def test_pdf_without_chromium_says_how_to_install_it_exit_2(tmp_path: Path) -> None:
    if not _can_unshare():
        pytest.skip("hiding Chromium needs a private mount namespace (`unshare --mount`, root)")
    args = without_chromium(["report", "--pdf"])
    code, lines, raw = in_terminal(args, env=person_env(tmp_path), timeout=180, program="unshare")
    assert code == 2, raw
    assert lines == ["encore: --pdf needs Chromium: install it with `make browser`"], lines
    assert _files(tmp_path) == [], _files(tmp_path)


@pytest.mark.e2e
@pytest.mark.slow(reason="the shared demo world when this file runs alone; the render itself ~25 s")
@pytest.mark.timeout(1500)  # the shared world's two runs (when this test builds it), then this one
def test_a_french_report_with_its_pdf_for_the_period_asked_from_a_copy_of_the_demo_run(
    pipeline_world, tmp_path: Path
) -> None:
    world: PipelineWorld = pipeline_world("demo")
    home = tmp_path / "home"
    shutil.copytree(world.home, home, symlinks=True)
    env = person_env(home, **{k: v for k, v in WORLDS["demo"](home).items() if v})
    run_id = (home / "data" / "runs" / "latest").resolve().name
    reports = home / "reports"
    before = _files(reports)

    code, lines, raw = in_terminal(["report", "--artist", "nosuch0artist"], env=env, timeout=180)
    assert code == 2 and len(lines) <= 5, raw
    said = " ".join(lines)
    assert f"artist nosuch0artist is not in run {run_id}" in said and f"{MAXSTACK} (Maxstack)" in said, lines
    assert _files(reports) == before

    today = datetime.now(UTC).date()
    start, end = today - timedelta(days=20), today - timedelta(days=6)
    started = time.monotonic()
    code, lines, raw = in_terminal(
        [
            "report",
            "--artist",
            f"https://open.spotify.com/artist/{MAXSTACK}",
            "--from",
            start.isoformat(),
            "--to",
            end.isoformat(),
            "--language",
            "fr",
            "--pdf",
        ],
        env=env,
        timeout=600,
    )
    took = time.monotonic() - started
    assert code == 0, raw
    folder = reports / MAXSTACK / f"{start.isoformat()}_{end.isoformat()}"
    page, pdf = folder / "artist_report.html", folder / "artist_report.pdf"
    shown = "\n".join(lines)
    assert f"report: {page}" in shown and f"pdf: {pdf}" in shown, shown
    assert f"all reports: {reports / 'index.html'}" in shown and "✓ reports" in shown, shown
    document = page.read_text(encoding="utf-8")
    assert '<html lang="fr">' in document
    french = (long_date(start, language="fr"), long_date(end, language="fr"))
    assert french != (long_date(start), long_date(end))
    subtitle = text("subtitle", language="fr", start=french[0], end=french[1])
    assert str(escape(subtitle)) in document, subtitle  # as the page escapes it
    assert pdf.read_bytes().startswith(b"%PDF")
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert f"{MAXSTACK}/{start.isoformat()}_{end.isoformat()}/artist_report.html" in index
    assert f"{MAXSTACK}/{start.isoformat()}_{end.isoformat()}/artist_report.pdf" in index
    print(f"encore report in French with its PDF, from a copy of the demo run: {took:.0f} s")
