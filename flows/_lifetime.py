"""Processes a command starts stop with it, even when it is killed with SIGKILL.

Prefect starts a temporary API server (``uvicorn`` in a child process) when no
``PREFECT_API_URL`` is set, and stops it from an ``atexit`` hook: a command killed with
``kill -9`` never runs that hook, and the server (about 260 MB) kept running. The command line
starts that server itself, before any flow, with a parent-death signal (Linux ``prctl``): the
kernel sends the server SIGTERM the moment the command's process is gone, however it ended.
Report kernels already watch their parent (ipykernel's parent poller, ``JPY_PARENT_PID``).
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from analytics.config import InvalidInput

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def dies_with_parent(parent: int, *, sig: int = signal.SIGTERM) -> Callable[[], None]:
    """A ``preexec_fn`` that has the child receive ``sig`` when ``parent`` (the caller) dies.

    The signal is tied to the thread that starts the child: start it from a thread that lives
    as long as the process (the main thread). A parent that died before the signal was set is
    caught by comparing the child's parent id afterwards.
    """

    def set_parent_death_signal() -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
        if os.getppid() != parent:
            os.kill(os.getpid(), sig)

    return set_parent_death_signal


def _temporary_server_class() -> type[Any]:
    from prefect.server.api.server import SubprocessASGIServer

    class TemporaryServer(SubprocessASGIServer):  # type: ignore[misc]
        """Prefect's temporary API server, started with a parent-death signal."""

        def _run_uvicorn_command(self) -> subprocess.Popen[Any]:
            # Prefect 3.x's own command and environment (SubprocessASGIServer._run_uvicorn_command),
            # plus the parent-death signal.
            import prefect
            from prefect.settings import get_current_settings

            server_env = {
                "PREFECT_UI_ENABLED": "0",
                "PREFECT__SERVER_EPHEMERAL": "1",
                "PREFECT__SERVER_FINAL": "1",
            }
            return subprocess.Popen(
                args=[
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "--app-dir",
                    str(prefect.__module_path__.parent),
                    "--factory",
                    "prefect.server.api.server:create_app",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                    "--log-level",
                    "error",
                    "--lifespan",
                    "on",
                ],
                env={
                    **os.environ,
                    **server_env,
                    **get_current_settings().to_environment_variables(exclude_unset=True),
                },
                preexec_fn=dies_with_parent(os.getpid()),  # started from the main thread
            )

    return TemporaryServer


def prefect_home_ready() -> None:
    """Make ``PREFECT_HOME`` (with the folders above it) before Prefect is first imported.

    Prefect makes its home folder on import but not the folders above it; without it, its
    temporary API cannot open its database, prints a traceback for every try and gives up after
    minutes. A folder that cannot be made is an input error (:class:`InvalidInput`).
    """
    home = os.environ.get("PREFECT_HOME")
    if not home:
        return
    try:
        Path(home).expanduser().mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InvalidInput(
            f"PREFECT_HOME={home}: cannot make the folder ({error.strerror}); set it to a folder "
            "you can write, or unset it (Prefect then uses ~/.prefect)"
        ) from None


def start_temporary_prefect_api() -> str | None:
    """Start Prefect's temporary API so that it stops with this process however it ends.

    Without ``PREFECT_API_URL``, starts the server Prefect would start on first use (its clients
    find and reuse it; Prefect stops it at a normal exit) and returns its URL; with one set (a
    Prefect server, the tests' shared one) or off Linux, does nothing and returns None. Call it
    from the main thread (see :func:`dies_with_parent`).
    """
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL

    if PREFECT_API_URL.value() or not sys.platform.startswith("linux"):
        return None
    # The instance Prefect's clients ask for (SubprocessASGIServer() keeps one per port, None
    # for "any"): created here as the subclass, so that theirs is this one, already running.
    server = (
        _temporary_server_class()() if None not in SubprocessASGIServer._instances else SubprocessASGIServer()
    )
    server.start()
    return str(server.api_url)


# Where an operator asks for flow-run heartbeats, Prefect reads them from one of these.
HEARTBEAT_SETTINGS = ("PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "PREFECT_RUNNER_HEARTBEAT_FREQUENCY")


@contextmanager
def no_idle_heartbeats() -> Iterator[None]:
    """Flow runs in the block send no heartbeats, unless the environment asks for them.

    Prefect gives every flow run (each subflow too) a heartbeat thread by default, every 180 s,
    which sleeps in steps of a second; the run waits for it at its end: about half a second a
    flow run, 5-6 s of an ``encore run``'s 20-25 s (a pipeline run has 11). Heartbeats serve an
    automation that marks runs whose process vanished as crashed ("zombie" runs), set up on a
    Prefect server together with the frequency (``PREFECT_FLOWS_HEARTBEAT_FREQUENCY``); a set
    frequency is kept. Deployments run their flows in the worker's processes, with Prefect's own
    default.
    """
    if any(os.environ.get(name) for name in HEARTBEAT_SETTINGS):
        yield
        return
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield
