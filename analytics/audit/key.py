"""The audit key that seals each record (HMAC): from settings, else a key file in the data folder.

A key file is created once, with 0600 permissions, the first time a run writes a record. For
protection against someone who can write to both the database and the data folder, set
``ENCORE_AUDIT_KEY`` from a secret store instead: whoever does not hold the key cannot append
or re-chain records without ``encore audit verify`` naming them.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from analytics.config import Settings

KEY_FILE = "audit.key"


def audit_key(settings: Settings, *, create: bool = False) -> bytes | None:
    """The key records are sealed with, or ``None`` where there is none (and ``create`` is false)."""
    if settings.audit_key is not None:
        return settings.audit_key.get_secret_value().encode()
    path = settings.data_dir / KEY_FILE
    if path.exists():
        return path.read_text(encoding="utf-8").strip().encode()
    if not create:
        return None
    return _create(path)


def _create(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32)
    tmp = path.with_name(f".{KEY_FILE}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    try:
        os.link(tmp, path)  # never replaces a key another process created meanwhile
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return path.read_text(encoding="utf-8").strip().encode()
