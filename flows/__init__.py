"""encore's Prefect flows, by the names users call them.

Each flow is orchestration only: its tasks call one ``analytics`` function each.

The flows are listed in ``__init__.pyi`` and loaded on first use (lazy_loader): the command line
starts, checks its input and answers ``--help`` without importing Prefect and the libraries the
flows need.
"""

import os
import sys

import lazy_loader as lazy

import analytics  # noqa: F401 - first: telemetry off before Prefect reads its settings
from flows._telemetry import instrument

# No task caches unless it names a policy: set before Prefect reads its settings (a task reads
# it when defined); flows/_policies.py, which every flow module imports first, re-reads Prefect's
# settings where Prefect was imported before encore.
os.environ.setdefault("PREFECT_TASKS_DEFAULT_NO_CACHE", "true")
if "prefect" in sys.modules:  # Prefect came first (a worker loading a flow): read its settings again
    import flows._policies  # noqa: F401

instrument()  # spans for HTTP requests and database transactions, in the run's trace when tracing is on

__getattr__, __dir__, __all__ = lazy.attach_stub(__name__, __file__)
