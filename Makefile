# encore — the README's commands. `make run` and `make test` set everything up first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# uv from PATH, else the one `make setup` installs with pip (run as a module, whatever the PATH).
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
RUN := $(UV) run --frozen --no-sync

# Quiet, offline-safe defaults for every command below.
export PREFECT_SERVER_ANALYTICS_ENABLED ?= false
export DO_NOT_TRACK ?= 1
export GX_ANALYTICS_ENABLED ?= false
export PREFECT_LOGGING_LEVEL ?= WARNING
# No task caches its result unless it names a cache policy (flows/_policies.py).
export PREFECT_TASKS_DEFAULT_NO_CACHE ?= true
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS ?= 180
export NUMBA_CACHE_DIR ?= $(CURDIR)/.cache/numba
export UV_LINK_MODE ?= copy
# Installed packages carry their bytecode: where PYTHONDONTWRITEBYTECODE is set (containers, CI)
# every new process (Prefect's server, workers, notebook kernels, test subprocesses) would
# otherwise compile prefect, pandas, plotly … from source again, about 13 s of CPU each.
export UV_COMPILE_BYTECODE ?= 1

.PHONY: help setup run test lint format bench fetch-audio tempo-eval-set browser pushgateway deploy notebooks reliability clean

help:
	@echo "make run     set up, run the main job on the embedded defaults, print where the reports are"
	@echo "make test    set up, lint (ruff, mypy, import contracts, dead code) and run the whole test suite"
	@echo "make lint    ruff (lint + format check), mypy on analytics/, the import contracts (lint-imports), dead code (vulture)"
	@echo "make bench   run the benchmarks (figures as ratios; JSON in benchmarks/results/)"
	@echo "make fetch-audio  fetch the full freely licensed albums used by the benchmarks"
	@echo "make tempo-eval-set  render the held-out tempo/key set from Debian's free MIDI (fluidsynth, MMA)"
	@echo "make browser install Debian's chromium for the browser tests (needs root)"
	@echo "make reliability  the full reliability suite; rewrites docs/RELIABILITY.md"
	@echo "make deploy  Prefect server on PostgreSQL (UI on 127.0.0.1), every deployment, a worker, one run to COMPLETED, then stop"
	@echo "make notebooks  JupyterLab on 127.0.0.1 (token, no browser) with the project's kernel"

setup: .venv/.encore-setup web/node_modules/.package-lock.json

# The reports embed plotly.js's prebuilt basic bundle (bar, pie, scatter: 1.2 MB instead of the
# full 4.8 MB), pinned with its checksum in web/package-lock.json. Without npm the reports fall
# back to the full bundle inside the plotly package and say so in the log.
web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --prefix web --ignore-scripts --no-audit --no-fund --loglevel=error; \
	else echo "npm is not installed: reports will embed plotly's full bundle (4.8 MB a page)"; fi

.venv/.encore-setup: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || { \
		echo "installing uv with pip"; python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv; }
	$(UV) sync --frozen
	@echo "compiling the numba kernels (audio analysis, playlist sequencing) once"
	$(RUN) python -m analytics.jit
	@touch $@

run: setup
	$(RUN) encore run

# xdist workers file by file (tests/conftest.py keeps a shared world's files together): 3 by
# default, as the suite waits on child processes and servers part of the time (on 2 cores,
# 613 s against 702 s with 2 workers); then the few tests that cannot
# run on an xdist worker, by file, so that the suite is not collected a second time for them
# (tests/conftest.py SERIAL_FILES checks this list).
TEST_WORKERS ?= 3
SERIAL_TESTS := tests/sandbox/test_spotify_properties.py
test: setup browser pushgateway lint
	$(RUN) pytest -n $(TEST_WORKERS) --dist loadfile -m "not serial"
	$(RUN) pytest -m serial $(SERIAL_TESTS)

lint: setup
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy
	$(RUN) lint-imports
	$(RUN) vulture

format: setup
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

bench: setup fetch-audio
	@mkdir -p benchmarks/results
	@set -e; for script in benchmarks/*.py; do echo "== $$script"; $(RUN) python $$script; done

fetch-audio:
	@bash scripts/fetch-audio.sh data/cache/audio

# The held-out tempo and key set (benchmarks/tempo_accuracy.py): Debian's free MIDI music and MMA's
# grooves rendered by fluidsynth into data/cache/tempo-eval/audio; labels in benchmarks/data/.
TEMPO_EVAL_DEBS := fluidsynth fluid-soundfont-gm timgm6mb-soundfont musescore-general-soundfont-small mma
tempo-eval-set: setup
	@if ! command -v fluidsynth >/dev/null 2>&1 || ! command -v mma >/dev/null 2>&1 || [ ! -e /usr/share/sounds/sf3/MuseScore_General.sf3 ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(TEMPO_EVAL_DEBS) >/dev/null; \
		else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(TEMPO_EVAL_DEBS) >/dev/null; fi; fi
	nice -n 10 $(RUN) python scripts/build_tempo_eval.py

# The browser tests drive Debian's chromium; install it when missing (root, or sudo).
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	elif command -v sudo >/dev/null 2>&1; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "chromium is not installed and this user cannot install it: browser tests will be skipped"; fi

# Debian's prometheus-pushgateway for the metrics test (root or sudo), like `browser`.
pushgateway:
	@bash deploy/deploy.sh pushgateway

# Prefect server on PostgreSQL, every deployment, a worker, one pipeline run to COMPLETED, then stop.
deploy: setup
	bash deploy/deploy.sh check

# JupyterLab on loopback with a token and no browser (nor an extension manager querying PyPI). The kernel is registered inside .venv
# (--sys-prefix) under the name the notebooks carry (python3), so it is the project's
# environment and nothing goes to the user's own Jupyter folders. Kernels start in the project
# root, where the notebooks' default paths (data/runs/latest) are.
ENCORE_NOTEBOOK_PORT ?= 8888
notebooks: setup
	.venv/bin/python -m ipykernel install --sys-prefix --name python3 --display-name "encore (.venv)" >/dev/null
	.venv/bin/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(ENCORE_NOTEBOOK_PORT) \
		--ServerApp.port_retries=0 --ServerApp.open_browser=False --ServerApp.root_dir=$(CURDIR) \
		--LabApp.default_url=/lab/tree/notebooks --LabApp.extension_manager=readonly \
		$(if $(filter 0,$(shell id -u)),--ServerApp.allow_root=True)

# Faults, crashes, hostile input and secret leaks at full trial counts; writes docs/RELIABILITY.md.
reliability: setup browser pushgateway
	$(RUN) python -m reliability

clean:
	rm -rf data reports .cache .venv web/node_modules .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
