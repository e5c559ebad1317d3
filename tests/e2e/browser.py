"""Open a report in the machine's headless Chromium and record what the page did."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("ENCORE_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """The Chromium binary if it is installed (``make browser`` installs Debian's)."""
    if Path(CHROMIUM).exists():
        return CHROMIUM
    return shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass
class Visit:
    """What happened while a page was open."""

    url: str
    requests: list[str] = field(default_factory=list)
    console: list[tuple[str, str]] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def errors(self) -> list[str]:
        return [text for kind, text in self.console if kind == "error"] + self.page_errors

    @property
    def outside_requests(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(("file://", "data:", "about:"))]


@contextmanager
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if path is None:
        raise FileNotFoundError("chromium is not installed: run `make browser`")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=ARGS)
        try:
            yield b
        finally:
            b.close()


PAGE_FACTS = """() => {
  const plots = [...document.querySelectorAll('div.plot')];
  return {
    plots: plots.length,
    plots_with_svg: plots.filter(p => p.querySelector('svg.main-svg')).length,
    scroll_width: document.documentElement.scrollWidth,
    client_width: document.documentElement.clientWidth,
    title: document.title,
    h1: document.querySelector('h1') ? document.querySelector('h1').textContent : null,
    text: document.body.innerText,
    images: document.images.length,
    svg_text: [...document.querySelectorAll('svg text')].map(t => t.textContent).join(' | '),
  };
}"""


def visit(b: Any, path: Path, *, width: int, height: int = 900, screenshot: Path | None = None) -> Visit:
    """Open ``path`` from file:// at ``width`` CSS pixels; record requests, console, dialogs."""
    context = b.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
    page = context.new_page()
    seen = Visit(url=path.resolve().as_uri())
    page.on("request", lambda r: seen.requests.append(r.url))
    page.on("console", lambda m: seen.console.append((m.type, m.text)))
    page.on("pageerror", lambda e: seen.page_errors.append(str(e)))

    def on_dialog(dialog: Any) -> None:
        seen.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(seen.url, wait_until="load")
    page.wait_for_timeout(300)
    seen.facts = page.evaluate(PAGE_FACTS)
    if screenshot is not None:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshot), full_page=True)
    context.close()
    return seen
