"""Print a report to PDF with headless Chromium (optional; the HTML page is the report)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")


def find_chromium() -> str | None:
    """Path of a Chromium binary, or None (``make browser`` installs Debian's chromium)."""
    for candidate in CHROMIUM_CANDIDATES:
        found = candidate if Path(candidate).is_file() else shutil.which(candidate)
        if found:
            return found
    return None


def print_pdf(
    html_path: Path, pdf_path: Path, *, chromium: str | None = None, timeout_s: float = 120.0
) -> Path:
    """Print ``html_path`` (opened from file://) to ``pdf_path`` after its scripts have run.

    Raises
    ------
    FileNotFoundError : no Chromium installed; says how to install it.
    RuntimeError : Chromium failed or wrote no PDF; carries the end of its error output.
    """
    binary = chromium or find_chromium()
    if binary is None:
        raise FileNotFoundError(
            "PDF needs Chromium: install it with `make browser` (Debian package chromium)"
        )
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="encore-chromium-") as profile:
        command = [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            "--virtual-time-budget=10000",
            f"--print-to-pdf={pdf_path}",
            html_path.resolve().as_uri(),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s, check=False)
    if done.returncode != 0 or not pdf_path.exists() or pdf_path.stat().st_size == 0:
        raise RuntimeError(
            f"chromium could not print {html_path} to PDF (exit {done.returncode}): {done.stderr[-800:]}"
        )
    return pdf_path
