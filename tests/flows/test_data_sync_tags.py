"""Every task that calls the Spotify Web API carries the tag of the server's Spotify concurrency limit.

Prefect applies a tag concurrency limit to task runs by their own tags; a deployment's tags
are not passed down to its task runs. So the tag has to be on each task object, which is what
these tests inspect (no server, no network).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from prefect import Task

import flows
from deploy.stack import PROJECT_ROOT, load_limits
from flows._policies import SPOTIFY_TAG

# Types through which a task reaches Spotify: the client itself, or the sync engine holding one.
SPOTIFY_TYPES = ("SpotifyClient", "Syncer")
# Code that opens a Spotify client inside a task.
SPOTIFY_CALLS = ("spotify_client(", "SpotifyClient.from_settings(", "sandbox_client(")
# Tasks in modules this change could not edit; strict: the test fails once they are tagged,
# so that the entry is removed then.
NOT_YET_TAGGED: set[str] = set()  # a name here must fail the tag check (strict xfail)


def _tasks() -> dict[str, Task]:
    """Every task object defined in a module of the ``flows`` package, by dotted name."""
    found: dict[str, Task] = {}
    for module_info in pkgutil.iter_modules(flows.__path__):
        module = importlib.import_module(f"flows.{module_info.name}")
        for name, value in vars(module).items():
            if isinstance(value, Task) and value.fn.__module__ == module.__name__:
                found[f"{module.__name__}.{name}"] = value
    return found


def talks_to_spotify(task: Task) -> bool:
    """Whether the task gets a Spotify client (or the sync engine) or opens one itself."""
    annotations = [str(p.annotation) for p in inspect.signature(task.fn).parameters.values()]
    if any(kind in annotation for annotation in annotations for kind in SPOTIFY_TYPES):
        return True
    source = inspect.getsource(task.fn)
    return any(call in source for call in SPOTIFY_CALLS)


def _spotify_tasks() -> list[object]:
    params: list[object] = []
    for name, task in sorted(_tasks().items()):
        if not talks_to_spotify(task):
            continue
        marks = (
            [pytest.mark.xfail(strict=True, reason=f"{name} is not tagged '{SPOTIFY_TAG}' yet")]
            if name in NOT_YET_TAGGED
            else []
        )
        params.append(pytest.param(task, id=name, marks=marks))
    return params


def test_the_sync_tasks_are_found_as_spotify_callers() -> None:
    names = {p.id for p in _spotify_tasks()}  # type: ignore[attr-defined]
    assert {"flows.data_sync.resolve_artists", "flows.data_sync.sync_stage"} <= names
    tasks = _tasks()
    assert not talks_to_spotify(tasks["flows._tasks.validate_dataset"])
    assert not talks_to_spotify(tasks["flows.pipeline.stored_catalog"])


@pytest.mark.parametrize("task", _spotify_tasks())
def test_every_spotify_task_carries_the_spotify_tag(task: Task) -> None:
    assert SPOTIFY_TAG in task.tags, f"{task.name} calls Spotify but has tags {sorted(task.tags)}"


def test_the_tag_has_a_concurrency_limit_in_prefect_yaml() -> None:
    limits = load_limits(PROJECT_ROOT / "prefect.yaml")
    assert limits["task_tags"][SPOTIFY_TAG] >= 1
