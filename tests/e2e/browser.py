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


# What a reader at this width cannot read: per plot, tick labels of one axis printed over each
# other, and tick labels, legend, title or annotations reaching outside the plot's box (cut off);
# per table, a table wider than the screen that does not scroll in its own box, or a hidden column.
LAYOUT_PROBLEMS = """() => {
  const problems = [];
  const box = (e) => e.getBoundingClientRect();
  const shown = (r) => r.width > 0.5 && r.height > 0.5;
  const overlap = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const inside = (r, o) => r.left >= o.left - 1 && r.right <= o.right + 1 && r.top >= o.top - 1 && r.bottom <= o.bottom + 1;
  document.querySelectorAll('div.plot').forEach((plot, i) => {
    const frame = box(plot);
    const title = plot.querySelector('.gtitle');
    const name = `plot ${i + 1} (${title ? title.textContent : 'untitled'})`;
    const svg = plot.querySelector('svg.main-svg');
    if (!svg) { problems.push(`${name}: not drawn`); return; }
    if (box(svg).width > frame.width + 1) problems.push(`${name}: wider than its box`);
    plot.querySelectorAll('.xaxislayer-above, .yaxislayer-above').forEach((layer) => {
      const ticks = [...layer.querySelectorAll('text')].map((t) => [t.textContent, box(t)]).filter(([, r]) => shown(r));
      ticks.forEach(([text, r], a) => {
        if (!inside(r, frame)) problems.push(`${name}: tick label ${JSON.stringify(text)} cut off`);
        ticks.slice(a + 1).forEach(([other, q]) => {
          if (overlap(r, q)) problems.push(`${name}: tick labels ${JSON.stringify(text)} and ${JSON.stringify(other)} overlap`);
        });
      });
    });
    // names beside points are cut at the plot area (plotly clips them to their axes)
    const area = plot.querySelector('.nsewdrag');
    if (area) plot.querySelectorAll('g.textpoint text').forEach((el) => {
      const r = box(el);
      if (shown(r) && !inside(r, box(area))) problems.push(`${name}: point label ${JSON.stringify(el.textContent.slice(0, 40))} cut off`);
    });
    for (const [what, selector] of [['legend', 'g.legend'], ['title', '.gtitle'], ['annotation', 'g.annotation'], ['bar label', 'text.bartext']]) {
      plot.querySelectorAll(selector).forEach((el) => {
        const r = box(el);
        if (shown(r) && !inside(r, frame)) problems.push(`${name}: ${what} ${JSON.stringify(el.textContent.slice(0, 40))} cut off`);
      });
    }
  });
  const page = document.documentElement.clientWidth;
  document.querySelectorAll('table').forEach((table, i) => {
    const r = box(table), style = getComputedStyle(table);
    const name = `table ${i + 1} (${[...table.querySelectorAll('th')].map((t) => t.textContent).slice(0, 3).join(', ')})`;
    if (r.right > page + 1) problems.push(`${name}: runs past the screen`);
    if (table.scrollWidth > table.clientWidth + 1 && !['auto', 'scroll'].includes(style.overflowX)) problems.push(`${name}: wider than its box and does not scroll`);
    table.querySelectorAll('th, td').forEach((cell) => {
      if (!shown(box(cell)) || getComputedStyle(cell).visibility === 'hidden') problems.push(`${name}: a hidden cell ${JSON.stringify(cell.textContent.slice(0, 20))}`);
    });
  });
  return problems;
}"""


def layout_problems(b: Any, path: Path, *, width: int, height: int = 844) -> list[str]:
    """What :data:`LAYOUT_PROBLEMS` finds on ``path`` opened at ``width`` CSS pixels."""
    context = b.new_context(viewport={"width": width, "height": height}, device_scale_factor=1)
    page = context.new_page()
    page.goto(path.resolve().as_uri(), wait_until="load")
    page.wait_for_timeout(300)
    problems: list[str] = page.evaluate(LAYOUT_PROBLEMS)
    context.close()
    return problems


def visit(
    b: Any,
    path: Path,
    *,
    width: int,
    height: int = 900,
    screenshot: Path | None = None,
    offline: bool = False,
) -> Visit:
    """Open ``path`` from file:// at ``width`` CSS pixels; record requests, console, dialogs.

    ``offline``: the browser has no network at all, as on a plane.
    """
    context = b.new_context(
        viewport={"width": width, "height": height}, device_scale_factor=1, offline=offline
    )
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
