"""Reading raw files and normalising values: encodings, locale numbers, UTC days."""

from __future__ import annotations

import hashlib
import re
import stat
from datetime import UTC, date, datetime
from pathlib import Path

from analytics.streaming.summary import SourceFormatError

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
_GROUPED = re.compile(r"^\d{1,3}([.,])\d{3}(\1\d{3})*$")
_PLAIN = re.compile(r"^\d+$")
_ZERO_DECIMALS = re.compile(r"^(\d+)[.,]0+$")


def file_hash(data: bytes) -> str:
    """SHA-256 of a file's bytes: its identity for file-level idempotency."""
    return hashlib.sha256(data).hexdigest()


def decode_text(data: bytes, *, where: str) -> str:
    """Text of a file in UTF-8 (with or without BOM) or UTF-16 with BOM.

    Raises
    ------
    SourceFormatError if the bytes are in another encoding: we do not guess a legacy code
    page, because a wrong guess silently corrupts names.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise SourceFormatError(where, f"invalid UTF-16 at byte {exc.start}", hint=_ENC_HINT) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        byte = data[exc.start : exc.start + 1].hex()
        problem = f"not UTF-8 (byte 0x{byte} at offset {exc.start}; looks like a legacy code page)"
        raise SourceFormatError(where, problem, hint=_ENC_HINT) from exc


_ENC_HINT = "Export the file again as UTF-8 (Spotify's exports are UTF-8) or convert it with iconv."


# The first day anyone streamed on Spotify (public launch, 7 October 2008): a play or a daily
# figure dated before it is a wrong cell (Excel writes 1900-01-01 for an empty date), not data.
STREAMING_EPOCH = date(2008, 10, 7)
# More than any song or artist has had on Spotify in a day or a year, and far below what a
# 64-bit column holds: a count above it is a broken cell, not a figure.
MAX_COUNT = 10**12


def parse_count(raw: str | None, *, column: str, required: bool = False) -> int | None:
    """A non-negative integer count written in any common locale: "1,234", "1.234", "1 234".

    Returns None for an empty optional cell. Raises ValueError with a reason otherwise,
    also for counts above :data:`MAX_COUNT` (10^12).
    """
    text = "" if raw is None else _SPACES.sub("", raw.strip())
    if len(text) > 40:
        raise ValueError(f"implausible count in {column}: {len(text)} characters")
    if not text:
        if required:
            raise ValueError(f"missing value in {column}")
        return None
    negative = text.startswith(("-", "\u2212"))
    body = text.lstrip("-\u2212+")
    if _PLAIN.match(body):
        value = int(body)
    elif _GROUPED.match(body):
        value = int(re.sub(r"[.,]", "", body))
    elif m := _ZERO_DECIMALS.match(body):
        value = int(m.group(1))
    else:
        raise ValueError(f"non-numeric count in {column}: {raw!r}")
    if negative and value != 0:
        raise ValueError(f"negative count in {column}: {raw.strip() if raw else raw}")
    if value > MAX_COUNT:
        raise ValueError(f"implausible count in {column}: {value} (more than {MAX_COUNT:,})")
    return value


def parse_day(raw: str | None, *, column: str, today: date, earliest: date | None = None) -> date:
    """An ISO day (``YYYY-MM-DD``, optionally with a time) that is not after ``today`` (UTC).

    ``earliest`` (e.g. :data:`STREAMING_EPOCH` for a day of streams) rejects earlier days.
    """
    text = (raw or "").strip()
    if not text:
        raise ValueError(f"missing value in {column}")
    try:
        day = date.fromisoformat(text[:10])
    except ValueError as exc:
        raise ValueError(f"invalid date in {column}: {text!r} (expected YYYY-MM-DD)") from exc
    if day > today:
        raise ValueError(f"date in the future in {column}: {day.isoformat()} is after {today.isoformat()}")
    if earliest is not None and day < earliest:
        raise ValueError(
            f"date before Spotify streaming began in {column}: {day.isoformat()} "
            f"(earliest {earliest.isoformat()}; an empty date cell in Excel reads 1900-01-01)"
        )
    return day


def parse_timestamp(raw: object, *, column: str, now: datetime) -> datetime:
    """An ISO-8601 instant; naive values are UTC (Spotify writes ``2024-01-31T18:02:11Z``)."""
    if not isinstance(raw, str) or not raw.strip():
        raise ValueError(f"missing value in {column}")
    try:
        ts = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValueError(
            f"invalid timestamp in {column}: expected ISO 8601 like 2024-01-31T18:02:11Z"
        ) from exc
    ts = ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts.astimezone(UTC)
    if ts.date() < STREAMING_EPOCH:
        raise ValueError(
            f"date before Spotify streaming began in {column}: {ts.date().isoformat()} "
            f"(earliest {STREAMING_EPOCH.isoformat()})"
        )
    if ts > now:
        raise ValueError(f"date in the future in {column}: {ts.isoformat()} is after {now.isoformat()}")
    return ts


def read_bytes(path: Path) -> bytes:
    """A regular file's bytes, with a clear error when it is missing or not a regular file.

    Symbolic links are not followed and FIFOs, sockets, devices and folders are never opened
    (reading a FIFO would wait forever; a link could point anywhere on the machine).
    """
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError as exc:
        raise SourceFormatError(str(path), "file not found", hint="Check the path.") from exc
    if stat.S_ISLNK(mode):
        raise SourceFormatError(str(path), "a symbolic link", hint="Copy the export itself into the folder.")
    if not stat.S_ISREG(mode):
        raise SourceFormatError(str(path), "not a regular file", hint="Give the export file itself.")
    return path.read_bytes()


def today_utc(now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(UTC).date()
