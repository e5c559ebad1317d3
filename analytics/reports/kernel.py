"""The kernel that executes the report notebooks: a fresh process that keeps its bytecode.

Each report runs in a new Python kernel that imports pandas, SQLAlchemy, plotly and, for the
sound section, scikit-learn and SciPy. Where the environment sets ``PYTHONDONTWRITEBYTECODE``
(as containers and CI often do), a module whose bytecode is missing (the project's own, or a
package installed without it) would be compiled from source again by every kernel. The kernel
started there writes and reads its bytecode under ``.cache/pycache`` instead
(``PYTHONPYCACHEPREFIX``), so only the first report after an install pays for compiling, and
neither the source tree nor the virtual environment gets ``__pycache__`` folders.

Elsewhere the kernel reads the bytecode the installed packages carry (``make setup`` installs
them with it) like any Python process: a prefix there would make a fresh clone's first
kernels compile every package from source again, about 7 s of CPU each, until the cache is
written.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager

from analytics.config import PROJECT_ROOT

BYTECODE_CACHE = PROJECT_ROOT / ".cache" / "pycache"


def kernel_environment(
    base: Mapping[str, str] | None = None, *, bytecode_cache: Path = BYTECODE_CACHE
) -> dict[str, str]:
    """The environment of a report kernel: ``base`` (default: ours), with a bytecode cache
    where ``base`` forbids writing bytecode (see the module doc).

    Parameters
    ----------
    base : environment to start from; ``os.environ`` when None.
    bytecode_cache : folder where the kernel writes and reads compiled modules.
    """
    env = dict(os.environ if base is None else base)
    if env.pop("PYTHONDONTWRITEBYTECODE", ""):  # Python ignores it when empty
        env["PYTHONPYCACHEPREFIX"] = str(bytecode_cache)
    return env


class ReportKernelManager(AsyncKernelManager):  # type: ignore[misc]
    """Starts report kernels with :func:`kernel_environment` (see the module doc)."""

    async def _async_pre_start_kernel(self, **kw: Any) -> tuple[list[str], dict[str, Any]]:
        kw["env"] = kernel_environment(kw.get("env"))
        command, options = await super()._async_pre_start_kernel(**kw)
        # The kernel warns on every start that it talks TCP unencrypted: it listens on loopback
        # for this process alone, so the line is noise on the operator's terminal; errors stay.
        return [*command, "--IPKernelApp.log_level=ERROR"], options


# Run in a shared kernel between two notebooks: the next notebook starts from an empty
# namespace and counts its cells from 1, as in a kernel of its own.
_RESET = "\n".join(
    (
        "get_ipython().run_line_magic('reset', '-f')",
        "get_ipython().execution_count = 1",
        "__import__('gc').collect()",
    )
)
RESET_TIMEOUT_S = 30.0  # a healthy kernel answers in milliseconds; past this it is not used again


class SharedReportKernel:
    """One report kernel for several notebooks in turn (the reports of one run).

    A kernel of its own costs each report a Python start and the imports of pandas, plotly,
    scikit-learn and the report code: about 3 s of CPU, most of a report's. Here the first
    notebook starts the kernel (papermill, through :attr:`manager`); before each next one
    :meth:`ready` empties the kernel's namespace; :meth:`stop` ends it. A notebook that failed
    should be followed by :meth:`stop`: the next one then starts a fresh kernel.
    """

    def __init__(self) -> None:
        self.manager = ReportKernelManager(kernel_name="python3")
        self.kernels_started = 0  # how many kernels the notebooks have run in so far

    def ready(self) -> ReportKernelManager:
        """The kernel manager for the next notebook, its kernel reset if one ran before."""
        if self.manager.has_kernel and not self._reset():
            self.stop()
        if not self.manager.has_kernel:
            self.kernels_started += 1
        return self.manager

    def _reset(self) -> bool:
        """Empty the namespace of a kernel a notebook ran in; False when it cannot be used."""
        from jupyter_core.utils import run_sync

        if not run_sync(self.manager.is_alive)():
            return False
        client = self.manager.blocking_client()
        client.start_channels()
        try:
            # asks the kernel for its info once a second until it answers, and gives up as soon
            # as its process is found gone (a process just killed may still poll as alive)
            client.wait_for_ready(timeout=RESET_TIMEOUT_S)
            reply = client.execute_interactive(
                _RESET, store_history=False, timeout=RESET_TIMEOUT_S, output_hook=lambda _msg: None
            )
        except (TimeoutError, RuntimeError):
            return False
        finally:
            client.stop_channels()
        return bool(reply["content"]["status"] == "ok")

    def stop(self) -> None:
        """End the kernel now (its notebooks' outputs are all in); the next notebook starts one."""
        from jupyter_core.utils import run_sync

        if self.manager.has_kernel:
            run_sync(self.manager.shutdown_kernel)(now=True)
            # a manager that shut its kernel down has closed its sockets' context: a new one
            self.manager = ReportKernelManager(kernel_name="python3")
