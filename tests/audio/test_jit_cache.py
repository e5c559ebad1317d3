"""The 2-worker analysis and the playlist sequencing from every JIT cache start state: empty,
shared, half-written, stale.

Each run is a fresh Python process (as a flow run is) analysing demo excerpts with a 2-worker
process pool and its own feature cache, so every file is computed, then sequencing 40 tracks
with the compiled local search. A run passes when the process exits 0, every file is analysed
(none quarantined, none crashed) and the order is a permutation no worse than the one it
started from. A cold compile takes 30-40 s on an idle 2-core machine and minutes on a loaded
one, hence the long timeouts.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analytics.config import PROJECT_ROOT
from analytics.jit import cache_versions, prepare_cache

DEMO = sorted((PROJECT_ROOT / "analytics" / "demo" / "audio").glob("*.ogg"))[:4]
ANALYSE = """
import json, sys, tempfile
from pathlib import Path
from analytics.audio.batch import analyze_files
batch = analyze_files(sys.argv[1:], cache_dir=Path(tempfile.mkdtemp()), workers=2, use_cache=False)
statuses = [[r.status, r.reason] for r in batch.results]
import numpy as np
from analytics.curation.sequencing import Problem, local_search
rng = np.random.default_rng(3)
n = 40
problem = Problem(d=rng.random((n, n)).tolist(), arc=rng.random((n, n)).tolist(), pins={})
order = local_search(problem, list(range(n)))
cost = lambda o: sum(problem.d[a][b] for a, b in zip(o, o[1:])) + sum(problem.arc[t][p] for p, t in enumerate(o))
statuses.append(["sequenced", None] if sorted(order) == list(range(n)) and cost(order) <= cost(range(n)) else ["bad order", str(order)])
print(json.dumps(statuses))
"""


def _start(cache: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "NUMBA_CACHE_DIR": str(cache)}
    return subprocess.Popen(
        [sys.executable, "-c", ANALYSE, *map(str, DEMO)],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _outcome(process: subprocess.Popen[str]) -> list[list[str | None]]:
    out, err = process.communicate(timeout=1100)
    assert process.returncode == 0, f"exit {process.returncode}: {err[-2000:]}"
    statuses: list[list[str | None]] = json.loads(out.strip().splitlines()[-1])
    return statuses


def _all_analysed(statuses: list[list[str | None]]) -> bool:
    """Every file analysed, and the playlist sequenced."""
    analysed, sequenced = statuses[:-1], statuses[-1]
    return (
        len(analysed) == len(DEMO)
        and all(s == ["ok", None] for s in analysed)
        and sequenced == ["sequenced", None]
    )


@pytest.fixture(scope="module")
def built_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two processes start at once on an empty cache; both must analyse every file."""
    cache = tmp_path_factory.mktemp("jit") / "numba"
    cache.mkdir()
    first, second = _start(cache), _start(cache)
    assert _all_analysed(_outcome(first))
    assert _all_analysed(_outcome(second))
    return cache


def _files(cache: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in cache.rglob("*") if p.is_file()}


@pytest.mark.slow  # three fresh processes, one cold numba compile: most of the file's ~95 s idle
@pytest.mark.timeout(1200)
def test_two_processes_on_an_empty_cache_then_a_third_from_the_cache_they_left(built_cache: Path) -> None:
    assert any(p.suffix == ".nbc" for p in built_cache.rglob("*")), "nothing was cached"
    before = _files(built_cache)
    assert _all_analysed(_outcome(_start(built_cache)))
    assert _files(built_cache) == before  # read, not compiled again


@pytest.mark.slow  # two fresh processes, the first recompiling what was damaged
@pytest.mark.timeout(1200)
def test_a_half_written_cache_is_rebuilt(built_cache: Path, tmp_path: Path) -> None:
    cache = tmp_path / "numba"
    shutil.copytree(built_cache, cache)
    damaged = sorted(p for p in cache.rglob("*") if p.suffix in {".nbi", ".nbc"})
    for path in damaged[::2]:  # every other index and data file cut in half, as a killed writer leaves them
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    assert _all_analysed(_outcome(_start(cache)))
    assert _all_analysed(_outcome(_start(cache)))


def _child(script: str) -> tuple[str, ...]:
    return (sys.executable, "-c", script)


def test_a_cache_from_other_versions_is_cleared_before_use(tmp_path: Path) -> None:
    """After an upgrade of numba, llvmlite or librosa the old cache is not read at all."""
    cache = tmp_path / "numba"
    write_one = "import os, pathlib; pathlib.Path(os.environ['NUMBA_CACHE_DIR'], 'f.nbi').write_text('x')"
    prepare_cache(cache_dir=cache, command=_child(write_one))
    stamp = tmp_path / ".numba.stamp.json"
    recorded = json.loads(stamp.read_text())
    assert recorded["versions"] == cache_versions()
    stamp.write_text(json.dumps(recorded | {"versions": cache_versions() | {"numba": "0.1.0"}}))
    _, cleared = prepare_cache(cache_dir=cache, command=_child("pass"))
    assert cleared == 1 and not any(cache.iterdir())
    _, cleared = prepare_cache(cache_dir=cache, command=_child("raise SystemExit(9)"))
    assert cleared == 0  # stamped again after the rebuild: a matching cache is not touched
