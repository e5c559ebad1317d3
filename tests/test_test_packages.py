"""No test package shadows a standard-library module.

Some tests start Python with ``tests/`` on ``sys.path`` (to import their helpers); a package
there named like a standard module (``tests/locale``, ``tests/http``) would then be imported in
its place, and pandas, for one, would fail deep inside its import.
"""

from __future__ import annotations

import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_no_test_package_is_named_like_a_standard_module() -> None:
    packages = {p.parent.name for p in TESTS.glob("*/__init__.py")}
    assert len(packages) > 10
    assert sorted(packages & set(sys.stdlib_module_names)) == []
    assert "locale" in sys.stdlib_module_names and "http" in sys.stdlib_module_names  # what it guards
