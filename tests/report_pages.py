"""What the tests check on every rendered report of a world: the page checker and the links of
the Data Docs beside each report (shared by the demo world's and the second world's tests)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from analytics.reports.consistency import check_page

PLOTLY_BANNER = re.compile(r"\* plotly\.js (?:\([^)]*\) )?v\d")  # opens every plotly.js bundle, basic or full


def plotly_bundles(html: str) -> int:
    """How many plotly.js bundles a page embeds (one is right)."""
    return len(PLOTLY_BANNER.findall(html))


NOT_REPORTS = {"index.html", "data-docs.html"}


def report_pages(reports_dir: Path) -> list[Path]:
    """Every report page a run rendered (the index and the Data Docs are not reports)."""
    return sorted(p for p in reports_dir.rglob("*.html") if p.name not in NOT_REPORTS)


def page_problems(reports_dir: Path) -> dict[str, list[str]]:
    """The checker's problems on each report page that has any, by path under ``reports_dir``."""
    found = {}
    for page in report_pages(reports_dir):
        problems = check_page(page.read_text(encoding="utf-8"))
        if problems:
            found[str(page.relative_to(reports_dir))] = problems
    return found


def broken_links(page: Path) -> list[str]:
    """Relative links of ``page`` whose file does not exist beside it (anchors checked too)."""
    html = page.read_text(encoding="utf-8")
    anchors = set(re.findall(r'\bid="([^"]+)"', html))
    broken = []
    for href in re.findall(r'\bhref="([^"]+)"', html):
        target, _, anchor = unquote(href).partition("#")
        if not target:
            if anchor not in anchors:
                broken.append(href)
        elif "://" in target or not (page.parent / target).is_file():
            broken.append(href)
    return broken


def altered_count(html: str) -> str:
    """``html`` with the first marked count shown one higher, as a hand-edited page would be."""
    match = re.search(r'(data-fact="[^"]+" data-value="(\d+)">)([^<]*?)(\d[\d,.\u00a0\u202f]*)', html)
    assert match, "the page marks no count"
    shown = str(int(re.sub(r"\D", "", match.group(4))) + 1)
    return html[: match.start(4)] + shown + html[match.end(4) :]


SONG_HEADING = re.compile(r'<h3 id="(song-[0-9a-f]{10})"')


@dataclass(frozen=True)
class SongPages:
    """The song pages of an artist report, by anchor: each one found, and those linked from the
    songs' list, stating their streams, and drawing a chart."""

    stated: int  # how many songs the section says were streamed
    anchors: tuple[str, ...]
    linked: tuple[str, ...]
    with_numbers: tuple[str, ...]
    with_chart: tuple[str, ...]


def song_pages(html: str) -> SongPages:
    """What an artist report's "Your songs, one by one" holds (see :class:`SongPages`)."""
    stated = re.search(r'data-fact="songs" data-value="(\d+)"', html)
    found = list(SONG_HEADING.finditer(html))
    bodies = [
        html[m.end() : (found[i + 1].start() if i + 1 < len(found) else len(html))]
        for i, m in enumerate(found)
    ]
    anchors = tuple(m.group(1) for m in found)
    return SongPages(
        stated=int(stated.group(1)) if stated else 0,
        anchors=anchors,
        linked=tuple(a for a in anchors if f'href="#{a}"' in html),
        with_numbers=tuple(
            a for a, b in zip(anchors, bodies, strict=True) if f'data-fact="{a}-streams"' in b
        ),
        with_chart=tuple(
            a for a, b in zip(anchors, bodies, strict=True) if 'class="plot"' in b.split("<h4", 1)[0]
        ),
    )
