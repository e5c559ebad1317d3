"""The policies every flow's tasks share (flows/_policies.py), and the flows' import rule.

- No task caches its result unless it names a cache policy: Prefect's
  ``PREFECT_TASKS_DEFAULT_NO_CACHE`` holds in this process and in a fresh one that imported
  Prefect before encore (as a worker loading a deployment's entrypoint does).
- A retried task retries the network's passing trouble only: a 503, a reset, a short 429 yes;
  a payload that does not parse or validate, a 4xx, a quota stop never (over real loopback
  HTTP against the social sandbox).
- A flow module imports no other flow module; only the pipeline imports the flows it chains.
"""

from __future__ import annotations

import ast
import importlib
import json
import os
import pkgutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from prefect import Task, flow, task
from prefect.cache_policies import NO_CACHE
from pydantic import BaseModel, SecretStr, ValidationError

import flows
from analytics.sandbox.social import SocialSandbox
from analytics.sandbox.spotify import FaultRule
from analytics.social import PlatformUnavailable, RateLimited
from analytics.social.platforms.x import XConnector
from flows import _policies
from flows._policies import NETWORK, is_transient, worth_retrying

ROOT = Path(__file__).resolve().parents[2]
FLOWS = ROOT / "flows"
PIPELINE = "flows.pipeline"
# Tasks that name their own cache policy: the audio analysis (same bytes, same feature set).
CACHED = {"flows.track_analysis.analyze_audio"}


def _tasks() -> dict[str, Task[..., Any]]:
    """Every task object defined in a module of the ``flows`` package, by dotted name."""
    found: dict[str, Task[..., Any]] = {}
    for info in pkgutil.iter_modules(flows.__path__):
        module = importlib.import_module(f"flows.{info.name}")
        for name, value in vars(module).items():
            if isinstance(value, Task) and value.fn.__module__ == module.__name__:
                found[f"{module.__name__}.{name}"] = value
    return found


def _flow_modules() -> set[str]:
    """The modules of ``flows/`` that define a flow (``@flow``)."""
    modules = set()
    for path in FLOWS.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and any(
                getattr(d.func if isinstance(d, ast.Call) else d, "id", None) == "flow"
                for d in node.decorator_list
            ):
                modules.add(f"flows.{path.stem}")
    return modules


def _imported_modules(path: Path) -> set[str]:
    """Every ``flows.*`` module a file imports (``import x``, ``from x import y``, ``from flows import y``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {m for m in found if m.startswith("flows.")}


# -- no cache by default ----------------------------------------------------------------------


def test_no_task_of_the_flows_names_no_cache_itself() -> None:
    """The default does it: no module of flows/ repeats ``cache_policy=NO_CACHE``."""
    for path in FLOWS.glob("*.py"):
        assert "NO_CACHE" not in path.read_text(encoding="utf-8").replace("DEFAULT_NO_CACHE", ""), path


def test_every_task_of_the_flows_caches_nothing_unless_it_names_a_policy() -> None:
    tasks = _tasks()
    assert len(tasks) >= 30 and set(tasks) >= CACHED
    for name, each in tasks.items():
        if name in CACHED:
            assert each.cache_policy not in (NO_CACHE, None), name
        else:
            assert each.cache_policy == NO_CACHE, f"{name} caches with {each.cache_policy!r}"


def test_a_flow_task_called_again_with_equal_inputs_runs_again(tmp_path: Path) -> None:
    """Within one flow run, a second call with the same inputs does its work again, also where
    results persist by default (an operator's Prefect profile may say so): Prefect's default
    policy would then hand back the first result, and the page deleted in between would stay gone."""
    from prefect.settings import (
        PREFECT_RESULTS_LOCAL_STORAGE_PATH,
        PREFECT_RESULTS_PERSIST_BY_DEFAULT,
        temporary_settings,
    )

    from flows.reporting import render_page

    executed = tmp_path / "page.ipynb"
    executed.write_text(
        json.dumps(
            {
                "cells": [{"id": "a", "cell_type": "markdown", "metadata": {}, "source": ["# A page"]}],
                "metadata": {},
                "nbformat": 4,
                "nbformat_minor": 5,
            }
        )
    )
    output = tmp_path / "page.html"
    page = {"output": output, "title": "A page", "subtitle": "twice", "footer": "test"}

    @flow
    def render_twice() -> list[str]:
        first = render_page(executed, return_state=True, **page)
        output.unlink()
        second = render_page(executed, return_state=True, **page)
        return [first.name, second.name]

    persisted = {
        PREFECT_RESULTS_PERSIST_BY_DEFAULT: True,
        PREFECT_RESULTS_LOCAL_STORAGE_PATH: tmp_path / "results",
    }
    with temporary_settings(updates=persisted):
        states = render_twice()
    assert states == ["Completed", "Completed"]
    assert output.exists(), "the second call was answered from a cache instead of rendering"


def test_the_default_holds_where_prefect_was_imported_before_encore(tmp_path: Path) -> None:
    """A fresh interpreter, Prefect imported first and nothing set in the environment (a worker
    loading a deployment's entrypoint): the flows' tasks still cache nothing."""
    script = (
        "import prefect, prefect.context\n"
        "from prefect.cache_policies import NO_CACHE\n"
        "from prefect.settings import get_current_settings\n"
        "assert not get_current_settings().tasks.default_no_cache\n"
        "import flows.track_analysis as ta, flows.streaming_metrics as sm\n"
        "print(ta.catalog_tracks.cache_policy == NO_CACHE, sm.aggregate_days.cache_policy == NO_CACHE,"
        " ta.analyze_audio.cache_policy != NO_CACHE)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_TASKS_DEFAULT_NO_CACHE"}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-3:] == ["True", "True", "True"]


# -- retries: the network's passing trouble only ----------------------------------------------


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SocialSandbox]:
    with SocialSandbox(seed=7).running() as sb:
        yield sb


def _user_url(sb: SocialSandbox) -> str:
    return f"{sb.base_urls['x']}/2/users/by/username/maxstack"


def _get_user(sb: SocialSandbox) -> Any:
    """One GET of an X user from the sandbox: its JSON, or the error the answer raises."""
    token = sb.credentials["x_bearer_token"]
    response = httpx.get(_user_url(sb), headers={"Authorization": f"Bearer {token}"}, timeout=5)
    response.raise_for_status()
    return response.json()


class _WantsFollowers(BaseModel):
    followers: int  # not in X's answer: the payload does not fit this model


def _error_of(call: Callable[[], object]) -> BaseException:
    with pytest.raises(Exception) as caught:
        call()
    return caught.value


@pytest.mark.parametrize(
    ("fault", "transient"),
    [
        (FaultRule(route="/x/*", kind="status", status=503, times=1), True),
        (FaultRule(route="/x/*", kind="status", status=500, times=1), True),
        (FaultRule(route="/x/*", kind="status", status=429, times=1), True),
        (FaultRule(route="/x/*", kind="reset", times=1), True),
        (FaultRule(route="/x/*", kind="status", status=404, times=1), False),
        (FaultRule(route="/x/*", kind="status", status=400, times=1), False),
        (FaultRule(route="/x/*", kind="truncate", times=1), False),  # a body that is not JSON
    ],
    ids=["503", "500", "429", "reset", "404", "400", "truncated-body"],
)
def test_a_raw_answer_is_retried_only_when_the_network_or_server_may_recover(
    sandbox: SocialSandbox, fault: FaultRule, transient: bool
) -> None:
    sandbox.set_faults([fault])
    assert is_transient(_error_of(lambda: _get_user(sandbox))) is transient


def test_a_payload_that_does_not_validate_is_never_retried(sandbox: SocialSandbox) -> None:
    sandbox.set_faults([])
    error = _error_of(lambda: _WantsFollowers.model_validate(_get_user(sandbox)))
    assert isinstance(error, ValidationError) and not is_transient(error)
    wrapped = RuntimeError("could not store the answer")
    wrapped.__cause__ = error
    assert not is_transient(wrapped)


def test_the_connectors_errors_split_into_retry_and_stop(sandbox: SocialSandbox) -> None:
    token = SecretStr(sandbox.credentials["x_bearer_token"])
    x = XConnector(token, base_url=sandbox.base_urls["x"], sleep=lambda _s: None)
    try:
        sandbox.set_faults([FaultRule(route="/x/*", kind="status", status=503)])  # every request
        unavailable = _error_of(lambda: x.account("maxstack"))
        assert isinstance(unavailable, PlatformUnavailable) and is_transient(unavailable)
        sandbox.set_faults([FaultRule(route="/x/*", kind="status", status=429, times=1)], retry_after_s=3600)
        limited = _error_of(lambda: x.account("maxstack"))
        assert isinstance(limited, RateLimited) and not is_transient(limited)  # a quota stop
    finally:
        sandbox.set_faults([])
        x.close()


def _fetch_user_task(sandbox: SocialSandbox) -> Task[[], Any]:
    """A task with the shared network policy (no waits between attempts) that reads a user."""
    options = {**NETWORK, "retry_delay_seconds": 0, "retry_jitter_factor": None}
    return task(lambda: _get_user(sandbox), name="fetch_user", **options)


def test_prefect_retries_a_503_and_not_a_payload_error(sandbox: SocialSandbox) -> None:
    fetch = _fetch_user_task(sandbox)

    @flow
    def fetch_once() -> str:
        return str(fetch(return_state=True).name)

    sandbox.set_faults([FaultRule(route="/x/*", kind="status", status=503, times=1)])
    sandbox.reset_stats()
    assert fetch_once() == "Completed"
    assert [r.status for r in sandbox.served] == [503, 200]  # retried once, then the answer

    sandbox.set_faults([FaultRule(route="/x/*", kind="truncate", times=1)])
    sandbox.reset_stats()
    assert fetch_once() == "Failed"
    assert len(sandbox.served) == 1  # the cut body was not asked for again
    sandbox.set_faults([])


def test_every_retried_task_retries_the_network_only() -> None:
    retried = {name: t for name, t in _tasks().items() if t.retries}
    assert {
        "flows.data_sync.resolve_artists",
        "flows.data_sync.sync_stage",
        "flows.playlist_update.plan_update",
        "flows.social_media_sync.sync_artist_accounts",
    } <= set(retried)
    for name, each in retried.items():
        assert each.retry_condition_fn is worth_retrying, f"{name} retries without the retry condition"


def test_the_spotify_tasks_share_the_spotify_policy() -> None:
    tasks = _tasks()
    for name in ("flows.data_sync.resolve_artists", "flows.data_sync.sync_stage"):
        assert tasks[name].tags == {_policies.SPOTIFY_TAG}
        assert tasks[name].retries == NETWORK["retries"]


# -- the flows' import rule ---------------------------------------------------------------------


def test_the_flow_modules_are_found() -> None:
    assert {
        "flows.pipeline",
        "flows.data_sync",
        "flows.reporting",
        "flows.track_analysis",
        "flows.playlist_update",
    } <= _flow_modules()
    assert "flows._notebooks" not in _flow_modules() and "flows._policies" not in _flow_modules()


def test_no_flow_module_imports_another_but_the_pipeline() -> None:
    flow_modules = _flow_modules()
    shared = {f"flows.{p.stem}" for p in FLOWS.glob("*.py")} - flow_modules - {"flows.cli", "flows.__init__"}
    for path in FLOWS.glob("*.py"):
        module = f"flows.{path.stem}"
        if module in (PIPELINE, "flows.cli", "flows.__init__"):
            continue
        wrong = sorted(_imported_modules(path) & flow_modules - {module})
        kind = "flow" if module in flow_modules else "shared"
        assert not wrong, f"{module} ({kind} module) imports the flow module(s) {wrong}"
    assert shared >= {"flows._policies", "flows._notebooks", "flows._tasks", "flows.world"}
