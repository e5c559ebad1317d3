"""encore's Prefect flows, by the names users call them.

Each flow is orchestration only: its tasks call one ``analytics`` function each.

The flows are listed in ``__init__.pyi`` and loaded on first use (lazy_loader): the command line
starts, checks its input and answers ``--help`` without importing Prefect and the libraries the
flows need.
"""

import lazy_loader as lazy

import analytics  # noqa: F401 - first: telemetry off before Prefect reads its settings
import flows._policies  # noqa: F401 - next: no task caches unless it says so, before any task is defined
from flows._telemetry import instrument

instrument()  # spans for HTTP requests and database transactions, in the run's trace when tracing is on

__getattr__, __dir__, __all__ = lazy.attach_stub(__name__, __file__)
