"""One step helper: a library call as an audited Prefect task.

A flow's step calls one library function; the function's result reports itself to the audit
(:class:`analytics.audit.Audited`). :func:`audited` makes the task of such a step::

    @audited("snapshot.{artist_id}")
    def snapshot_artist(run: AuditRun, artist_id: str, *, now: datetime) -> monitoring.Snapshot:
        return monitoring.take_snapshot(run.warehouse, artist_id, ..., now=now)

The task calls the function, records its result's ``audit_record()`` in the run under the
step's name, and returns the result: no flow builds an audit record by hand.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from prefect import Task, task

from analytics.audit import Audited, AuditRun

P = ParamSpec("P")
R = TypeVar("R", bound=Audited | None)


def audited(step: str, **options: Any) -> Callable[[Callable[P, R]], Task[P, R]]:
    """Make an audited Prefect task of a function that makes one library call.

    Parameters
    ----------
    step : the step's name in the audit, formatted with the call's arguments as
        :meth:`str.format` does (``"snapshot.{artist_id}"``, ``"rules.{snap.facts.artist_id}"``,
        ``"social.{artist[artist_id]}"``); it names the task run too.
    options : Prefect's task options (``retries`` and ``retry_condition_fn`` from
        :mod:`flows._policies`, ``tags``).

    The function takes the run (:class:`analytics.audit.AuditRun`) as its ``run`` parameter and
    returns an :class:`~analytics.audit.Audited` result, which the task records under ``step``
    once the call has returned (a retried attempt that failed records nothing); a step that
    returns None records nothing. An error that reports itself (a failed suite) is recorded
    under ``step`` too, and raised.
    """

    def decorate(fn: Callable[P, R]) -> Task[P, R]:
        signature = inspect.signature(fn)
        if "run" not in signature.parameters:
            raise TypeError(f"{fn.__qualname__}: an audited step takes the run as its 'run' parameter")

        @functools.wraps(fn)
        def step_of(*args: P.args, **kwargs: P.kwargs) -> R:
            arguments = signature.bind(*args, **kwargs)
            arguments.apply_defaults()
            run: AuditRun = arguments.arguments["run"]
            name = step.format(**arguments.arguments)
            try:
                result = fn(*args, **kwargs)
            except Exception as error:
                if isinstance(error, Audited):
                    run.record(name, error)
                raise
            if result is not None:
                if not isinstance(result, Audited):
                    raise TypeError(
                        f"step {name!r} returned a {type(result).__name__}, which has no audit_record()"
                    )
                run.record(name, result)
            return result

        step_of.audit_step = step  # type: ignore[attr-defined]  # which step it records (tests read it)
        make_task: Callable[[Callable[P, R]], Task[P, R]] = task(task_run_name=step, **options)
        return make_task(step_of)

    return decorate
