"""Feature cache keyed by audio content hash and feature-set version.

A rerun over unchanged files reads one small JSON file per file and computes nothing; renaming
or moving a file keeps its cache entry (the key is the content), and bumping
``FEATURE_SET_VERSION`` invalidates every entry at once (a new folder is used).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from pathlib import Path

from analytics.audio.analyze import FileResult
from analytics.audio.features import FEATURE_SET_VERSION


def content_hash(path: Path) -> str:
    """``sha256:<hex>`` of the file's bytes (``""`` if it cannot be read)."""
    try:
        with path.open("rb") as handle:
            return "sha256:" + hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return ""


class FeatureCache:
    """Results by content hash under ``root/<feature-set version>/``; safe for parallel writers."""

    def __init__(self, root: Path, *, version: str = FEATURE_SET_VERSION) -> None:
        self.root = Path(root) / version.replace("/", "-")
        self.version = version

    def _file(self, key: str) -> Path:
        digest = key.split(":", 1)[-1]
        return self.root / digest[:2] / f"{digest}.json"

    def get(self, key: str, *, path: Path | None = None) -> FileResult | None:
        """The cached result for content ``key`` (re-pointed at ``path``), or None."""
        if not key:
            return None
        try:
            data = json.loads(self._file(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if data.get("feature_set_version") != self.version:
            return None
        result = FileResult.from_dict(data)
        return dataclasses.replace(result, path=str(path)) if path is not None else result

    def put(self, result: FileResult) -> None:
        """Store ``result`` atomically (write to a temporary file, then rename)."""
        if not result.content_hash or result.reason in {"missing", "error", "crashed"}:
            return  # nothing to key on, or a failure that may not recur
        target = self._file(result.content_hash)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(result.to_dict(), handle, allow_nan=True)
        os.replace(tmp, target)
