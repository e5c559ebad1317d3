"""The Prefect server's own pinned environment (deploy/server-requirements.txt).

The server runs apart from the flows (on its own machine at scale), so it gets the versions it
works with: Prefect 3.8's scheduler fails to insert scheduled runs under SQLAlchemy 2.1, which
the project itself uses. Workers and flow runs keep the project's environment.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REQUIREMENTS = Path(__file__).resolve().parent / "server-requirements.txt"


class ServerEnvError(RuntimeError):
    """The server environment could not be built."""


def _uv() -> list[str]:
    found = shutil.which("uv")
    return [found] if found else [sys.executable, "-m", "uv"]


def server_python(env_dir: Path, *, build: bool = True) -> Path:
    """The Python of the server environment in ``env_dir``, built (or rebuilt) when out of date.

    Installs from uv's cache when it can (``--offline``), else from the package index.

    Raises
    ------
    ServerEnvError : ``build`` is false and the environment is missing or stale, or uv failed.
    """
    python = env_dir / "bin" / "python"
    stamp = env_dir / ".encore-requirements"
    wanted = REQUIREMENTS.read_text()
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python
    if not build:
        raise ServerEnvError(
            f"no up-to-date Prefect server environment in {env_dir}; run deploy/deploy.sh server-env"
        )
    uv = _uv()
    subprocess.run(
        [*uv, "venv", "-q", "--allow-existing", "--python", sys.executable, str(env_dir)], check=True
    )
    install = [*uv, "pip", "install", "-q", "--python", str(python), "-r", str(REQUIREMENTS)]
    if subprocess.run([*install, "--offline"], check=False, capture_output=True).returncode != 0:
        done = subprocess.run(install, check=False, capture_output=True, text=True)
        if done.returncode != 0:
            raise ServerEnvError(f"installing {REQUIREMENTS} into {env_dir} failed:\n{done.stderr[-2000:]}")
    stamp.write_text(wanted)
    return python


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("data/deploy/server-venv")
    print(server_python(target.resolve()))
