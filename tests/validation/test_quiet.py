"""A fresh process: the gate is quiet, offline and leaves nothing outside the run directory."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    from validation.conftest import demo_frames
    from analytics.validation import build_data_docs, validate

    for name, frame in demo_frames().items():
        validate(frame, suite=name, run_dir=Path("run"), run_id="quiet")
    build_data_docs(Path("run"))
    print("GX_ANALYTICS_ENABLED=" + os.environ["GX_ANALYTICS_ENABLED"])
    """
)


@pytest.mark.slow
def test_a_fresh_process_is_quiet_and_writes_only_under_run_dir(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("GX_")}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(tests=str(REPO / "tests"))],
        cwd=tmp_path,
        env=env | {"PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "GX_ANALYTICS_ENABLED=false\n"
    assert done.stderr == ""  # no progress bars, warnings or usage-statistics notices
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*"))
    assert written == [
        "run",
        "run/validation",
        "run/validation/albums.json",
        "run/validation/artists.json",
        "run/validation/index.html",
        "run/validation/playlist_items.json",
        "run/validation/playlists.json",
        "run/validation/tracks.json",
    ]
