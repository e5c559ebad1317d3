"""What the browser tests share: one headless Chromium per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import service_missing
from tests.e2e.browser import browser, chromium_path


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    if chromium_path() is None:
        service_missing("Chromium (/usr/bin/chromium, `make browser`)", FileNotFoundError("not installed"))
    with browser() as b:
        yield b
