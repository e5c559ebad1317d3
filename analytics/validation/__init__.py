"""The Great Expectations gate: every dataset passes its suite before anything downstream reads it.

>>> outcome = validate(df, suite="tracks", run_dir=run_dir, run_id=run_id)   # doctest: +SKIP

runs ``expectations/tracks.json`` on ``df``, saves the full result to
``run_dir/validation/tracks.json`` and raises :class:`DatasetValidationError` (naming each
failed expectation with a short sample of bad rows) when an expectation fails.
:func:`build_data_docs` renders a run's results as one static HTML page that opens offline.
"""

from __future__ import annotations

from analytics.validation.docs import build_data_docs, latest_results
from analytics.validation.gate import DatasetValidationError, ValidationOutcome, validate, validate_frames
from analytics.validation.suites import SuiteError, SuiteFile, available_suites, load_suite, read_suite

__all__ = [
    "DatasetValidationError",
    "SuiteError",
    "SuiteFile",
    "ValidationOutcome",
    "available_suites",
    "build_data_docs",
    "latest_results",
    "load_suite",
    "read_suite",
    "validate",
    "validate_frames",
]
