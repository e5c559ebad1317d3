"""What the ``encore`` command shows a person at a terminal, and where its log lines go.

At a terminal: one line per stage as it ends, a progress bar (or spinner) for the stages under
way, fed by :mod:`analytics.observability.progress` events from the work itself, and the JSON
log lines in the run's evidence folder (``data/runs/<run id>/log.jsonl``). Elsewhere (CI, cron,
a Prefect worker, ``--log-format json``) no display: the log lines go to stdout.
"""

from __future__ import annotations

import io
import threading
import time
from pathlib import Path
from typing import Any, TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from analytics.observability.progress import Stage
from analytics.observability.terminal import printable

LOG_FILE = "log.jsonl"
_BUFFER_LIMIT = 5_000_000  # characters kept before the run folder exists (set-up lines)


class RunLogFile(io.TextIOBase):
    """A log stream that holds its lines until the first run opens its folder, then writes them,
    and every later line, to ``<run folder>/log.jsonl``. Never opened (bad input): nothing is
    written anywhere."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._held: list[str] = []
        self._size = 0
        self._file: TextIO | None = None
        self.path: Path | None = None

    def open_in(self, run_dir: Path) -> None:
        """Write to ``run_dir/log.jsonl`` from now on (the first call wins: the command's run)."""
        with self._lock:
            if self._file is not None:
                return
            self.path = run_dir / LOG_FILE
            self._file = self.path.open("a", encoding="utf-8")
            self._file.write("".join(self._held))
            self._file.flush()
            self._held.clear()

    def write(self, text: str) -> int:
        with self._lock:
            if self._file is not None:
                self._file.write(text)
            elif self._size < _BUFFER_LIMIT:
                self._held.append(text)
                self._size += len(text)
        return len(text)

    def flush(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.flush()

    def close(self) -> None:
        """Close the file; a line logged after this (a thread still finishing) is dropped."""
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None
            self._held.clear()
            self._size = _BUFFER_LIMIT  # hold nothing more

    # -- progress.Listener: only the run's folder matters here --------------------------------
    def run_opened(self, *, flow: str, run_id: str, run_dir: Path) -> None:
        self.open_in(run_dir)

    def stage_started(self, stage: Stage) -> None:
        pass

    def stage_advanced(self, stage: Stage) -> None:
        pass

    def stage_finished(self, stage: Stage, *, error: BaseException | None) -> None:
        pass


def _seconds(value: float) -> str:
    return f"{value:.1f} s" if value < 90 else f"{int(value // 60)} min {int(value % 60)} s"


class TerminalDisplay:
    """A progress listener drawing on a terminal with rich: each top-level stage ends in one line
    (``✓ catalog sync  2 artists  3.1 s``); stages under way show a bar when their number of
    steps is known, a spinner otherwise. The first stage, ``set-up``, lasts until the first run
    opens its folder (the sandbox and Prefect's API are up by then)."""

    def __init__(self, console: Console, *, setup: str = "set-up") -> None:
        self.console = console
        self._lock = threading.RLock()
        self._tasks: dict[int, TaskID] = {}
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(bar_width=30),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._setup_started = time.perf_counter()
        self._setup: TaskID | None = None
        self._setup_label = setup
        self.lines = 0

    def __enter__(self) -> TerminalDisplay:
        # A terminal that cannot move its cursor (TERM=dumb) gets the stage lines, not the bars.
        self._progress.disable = not self.console.is_interactive
        self._progress.start()
        self._setup = self._progress.add_task(self._setup_label, total=None)
        return self

    def __exit__(self, *_exc: object) -> None:
        with self._lock:
            if self._setup is not None:  # no run started (a refused input): no set-up line either
                self._progress.remove_task(self._setup)
                self._setup = None
        self._progress.stop()

    def say(self, text: str, *, style: str | None = None) -> None:
        """A line above the bars (text from data shown with its control characters escaped)."""
        with self._lock:
            self.console.print(
                printable(text, keep_newlines=True), style=style, markup=False, highlight=False
            )

    def show(self, renderable: Any) -> None:
        with self._lock:
            self.console.print(renderable)

    def _end_setup(self) -> None:
        with self._lock:
            if self._setup is None:
                return
            self._progress.remove_task(self._setup)
            self._setup = None
            elapsed = time.perf_counter() - self._setup_started
            self.say(f"✓ {self._setup_label:<28} {_seconds(elapsed):>10}", style="green")

    # -- progress.Listener -----------------------------------------------------------------
    def run_opened(self, *, flow: str, run_id: str, run_dir: Path) -> None:
        self._end_setup()

    def stage_started(self, stage: Stage) -> None:
        with self._lock:
            if stage.depth == 0:
                self._end_setup()
            description = ("  " * stage.depth) + printable(stage.label)
            self._tasks[id(stage)] = self._progress.add_task(description, total=stage.total)

    def stage_advanced(self, stage: Stage) -> None:
        with self._lock:
            task = self._tasks.get(id(stage))
            if task is not None:
                self._progress.update(task, completed=stage.done, total=stage.total)

    def stage_finished(self, stage: Stage, *, error: BaseException | None) -> None:
        with self._lock:
            task = self._tasks.pop(id(stage), None)
            if task is not None:
                self._progress.remove_task(task)
            if stage.depth > 0:
                return
            took = _seconds(stage.elapsed_s)
            if error is None:
                detail = f"  {stage.detail}" if stage.detail else ""
                self.say(f"✓ {stage.label:<28} {took:>10}{detail}", style="green")
            else:
                self.say(f"✗ {stage.label:<28} {took:>10}  stopped: {type(error).__name__}", style="red")
