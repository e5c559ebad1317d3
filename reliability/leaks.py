"""Secret canaries and the scans that look for them everywhere encore writes."""

from __future__ import annotations

import json
import typing
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import SecretStr

import analytics.tables  # noqa: F401  (every table is read with its declared types)
from analytics.config import Settings
from analytics.warehouse import Warehouse

CANARY_TAG = "cnry7f3a9e"


def secret_fields() -> list[str]:
    """Every setting typed ``SecretStr`` (or ``SecretStr | None``)."""
    names = []
    for name, info in Settings.model_fields.items():
        annotation = info.annotation
        options = typing.get_args(annotation) or (annotation,)
        if SecretStr in options:
            names.append(name)
    return names


def canary_env(*, overrides: dict[str, str] | None = None) -> dict[str, str]:
    """``ENCORE_*`` variables giving every secret setting a unique canary value.

    ``overrides`` (setting name -> value) replaces the canary of settings whose value must have
    a form (a DSN, a URL); those values are then canaries of their own.
    """
    env = {}
    for name in secret_fields():
        value = (overrides or {}).get(name) or f"{CANARY_TAG}-{name.replace('_', '-')}-{CANARY_TAG}"
        env[f"ENCORE_{name.upper()}"] = value
    return env


def find_in_text(text: str, canaries: Iterable[str], *, where: str) -> list[str]:
    """``where: canary`` for every canary found in ``text``."""
    return [f"{where}: {c[:24]}…" for c in canaries if c and c in text]


def scan_tree(root: Path, canaries: Iterable[str]) -> list[str]:
    """Every file under ``root`` (SQLite files, notebooks, reports, Data Docs, logs), as bytes."""
    needles = [c.encode() for c in canaries if c]
    hits = []
    for path in sorted(root.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            hits += [f"{path}: {n[:24].decode()}…" for n in needles if n in data]
    return hits


def scan_warehouse(warehouse: Warehouse, canaries: Iterable[str]) -> tuple[list[str], int]:
    """Every column of every row of every table; also returns the number of cells read."""
    needles = [c for c in canaries if c]
    hits: list[str] = []
    cells = 0
    for table in warehouse.table_names():
        for row in warehouse.rows(table):
            for column, value in row.items():
                cells += 1
                text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
                hits += [f"{table}.{column}: {n[:24]}…" for n in needles if n in text]
    return hits, cells


def scan_payloads(payloads: Any, canaries: Iterable[str], *, where: str) -> list[str]:
    """Anything JSON-able a loopback receiver got (Sentry events, PagerDuty events, webhooks)."""
    return find_in_text(json.dumps(payloads, default=str), canaries, where=where)
