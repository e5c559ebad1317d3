"""encore's reliability and security suite: hostile input, secret leaks, faults and crashes.

Each scenario is a function ``run_<name>(*, trials, seed, workdir) -> ScenarioResult``; the fast
CI subset (``tests/reliability``) calls them with few trials, the full runner
(``python -m reliability``) with the full trial counts, and writes ``docs/RELIABILITY.md``.
"""

from reliability.result import ScenarioResult, render_table

__all__ = ["ScenarioResult", "render_table"]
