"""Progress of the work as it happens: stages, their steps, and the runs they open.

The library and the flows say what they are doing; whoever listens (the ``encore`` command's
terminal display) shows it. Nothing here knows about terminals or Prefect, and with no
listener every call costs a lookup::

    with progress.stage("audio analysis", total=len(paths)) as step:
        for result in results:
            step.advance()
        step.note(f"{len(paths)} files")

Stages nest (a sub-job's steps inside the main job's stage); listeners get each stage's depth.
Events come from whichever thread does the work, so listeners must be thread-safe.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


@dataclass
class Stage:
    """One stage of the work: its label, how many steps (None: unknown) and how far it got."""

    label: str
    total: int | None = None
    done: int = 0
    depth: int = 0
    detail: str = ""
    started: float = field(default_factory=time.perf_counter)
    _listeners: tuple[Listener, ...] = field(default=(), repr=False)

    def advance(self, steps: int = 1) -> None:
        """``steps`` more steps done."""
        self.done += steps
        for listener in self._listeners:
            listener.stage_advanced(self)

    def note(self, detail: str) -> None:
        """A short result shown with the stage when it ends, e.g. ``"12 files, 3 cached"``."""
        self.detail = detail

    @property
    def elapsed_s(self) -> float:
        return time.perf_counter() - self.started


class Listener(Protocol):
    """Receives the progress events; every method is called from the thread doing the work."""

    def stage_started(self, stage: Stage) -> None: ...
    def stage_advanced(self, stage: Stage) -> None: ...
    def stage_finished(self, stage: Stage, *, error: BaseException | None) -> None: ...
    def run_opened(self, *, flow: str, run_id: str, run_dir: Path) -> None: ...


_lock = threading.Lock()
_listeners: list[Listener] = []
_depth = threading.local()


def _current() -> tuple[Listener, ...]:
    with _lock:
        return tuple(_listeners)


@contextmanager
def listening(listener: Listener) -> Iterator[Listener]:
    """Send every progress event to ``listener`` inside the block."""
    with _lock:
        _listeners.append(listener)
    try:
        yield listener
    finally:
        with _lock:
            _listeners.remove(listener)


@contextmanager
def stage(label: str, *, total: int | None = None) -> Iterator[Stage]:
    """A stage of the work; its listeners hear when it starts, advances and ends (or fails)."""
    depth = getattr(_depth, "value", 0)
    current = Stage(label=label, total=total, depth=depth, _listeners=_current())
    for listener in current._listeners:
        listener.stage_started(current)
    _depth.value = depth + 1
    try:
        yield current
    except BaseException as error:
        for listener in current._listeners:
            listener.stage_finished(current, error=error)
        raise
    else:
        for listener in current._listeners:
            listener.stage_finished(current, error=None)
    finally:
        _depth.value = depth


def run_opened(*, flow: str, run_id: str, run_dir: Path) -> None:
    """A run opened its evidence folder (``audit.run`` calls this)."""
    for listener in _current():
        listener.run_opened(flow=flow, run_id=run_id, run_dir=run_dir)
