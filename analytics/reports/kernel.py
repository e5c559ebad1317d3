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
