"""Conditional-request cache: the last ETag and body per URL, in memory and optionally on disk.

A GET sends ``If-None-Match`` with the remembered ETag; a 304 answer returns the remembered
body and tells the caller nothing changed. Persisting to a small SQLite file under
``data_dir/cache`` lets the next run's sync get 304s too.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit


@dataclass(frozen=True)
class CachedResponse:
    etag: str
    body: Any


def cache_key(url: str, params: dict[str, Any] | None = None, *, base: str = "") -> str:
    """A canonical key for a GET: the path below ``base`` with the query (and ``params``) sorted.

    Keys leave out scheme and host, so that a loopback sandbox on a new port each run still
    finds the previous run's entries (the server's ETag decides whether they are still valid).
    """
    parts = urlsplit(url)
    path = parts.path
    base_path = urlsplit(base).path.rstrip("/")
    if base_path and path.startswith(base_path + "/"):
        path = path[len(base_path) :]
    query = parse_qsl(parts.query, keep_blank_values=True)
    query += [(k, str(v)) for k, v in (params or {}).items() if v is not None]
    return urlunsplit(("", "", path, urlencode(sorted(query)), ""))


class ETagCache:
    """ETag + body per request key; thread-safe; ``path`` persists entries across runs.

    Parameters
    ----------
    path : SQLite file to persist to, or None for memory only.
    memory_entries : how many entries stay in memory (least recently used leave first; with a
        ``path`` they are still found on disk).
    """

    def __init__(self, path: Path | None = None, *, memory_entries: int = 4096) -> None:
        self._mem: OrderedDict[str, CachedResponse] = OrderedDict()
        self._max = max(1, memory_entries)
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self.path = path
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS etags (key TEXT PRIMARY KEY, etag TEXT NOT NULL, body TEXT NOT NULL)"
            )

    def get(self, key: str) -> CachedResponse | None:
        with self._lock:
            hit = self._mem.get(key)
            if hit is not None:
                self._mem.move_to_end(key)
                return hit
            if self._db is None:
                return None
            row = self._db.execute("SELECT etag, body FROM etags WHERE key = ?", (key,)).fetchone()
            if row is None:
                return None
            hit = CachedResponse(etag=row[0], body=json.loads(row[1]))
            self._remember(key, hit)
            return hit

    def _remember(self, key: str, entry: CachedResponse) -> None:
        self._mem[key] = entry
        self._mem.move_to_end(key)
        while len(self._mem) > self._max:
            self._mem.popitem(last=False)

    def put(self, key: str, *, etag: str, body: Any) -> None:
        with self._lock:
            self._remember(key, CachedResponse(etag=etag, body=body))
            if self._db is not None:
                self._db.execute(
                    "INSERT INTO etags (key, etag, body) VALUES (?, ?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET etag = excluded.etag, body = excluded.body",
                    (key, etag, json.dumps(body, separators=(",", ":"))),
                )

    def drop(self, key: str) -> None:
        with self._lock:
            self._mem.pop(key, None)
            if self._db is not None:
                self._db.execute("DELETE FROM etags WHERE key = ?", (key,))

    def __len__(self) -> int:
        with self._lock:
            if self._db is not None:
                return int(self._db.execute("SELECT count(*) FROM etags").fetchone()[0])
            return len(self._mem)

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
