"""Every word of a French or German report comes from the message catalog.

The reports are rendered from the shared report world (tests/reports/world.py) with the catalog
marking what it gives (``ENCORE_MARK_MESSAGES=1``): the artist report through the report flow's
own ``render_artist_report`` (page title, subtitle, footer), the catalog overview and the track
analysis page as their flows assemble them; each notebook runs in this process instead of a
kernel (:func:`tests.reports.untranslated.run_in_process`). Whatever a person reads that is
neither marked nor a value from data (see :mod:`tests.reports.untranslated`) fails the test, word
by word.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from analytics.config import PROJECT_ROOT, Settings
from analytics.locale import MARKS_ENV
from analytics.reports import Period, notebook_to_html
from analytics.reports.texts import text
from tests.reports.untranslated import (
    Allowed,
    cldr_words,
    leftovers,
    run_in_process,
    visible_texts,
    warehouse_phrases,
)
from tests.reports.world import RUN_ID, World

NOTEBOOKS = PROJECT_ROOT / "notebooks"
LANGUAGES = ("fr", "de")
# Names that are the same in every language and come with the product, not the catalog: the
# product's name and the services it reads.
PROPER_NAMES = {"encore", "spotify"}

pytestmark = pytest.mark.slow  # waits for the shared report world, then renders 6 pages


@pytest.fixture(scope="module")
def marked(report_world: World) -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(MARKS_ENV, "1")
        patch.setenv("ENCORE_DATABASE_URL", report_world.warehouse_url)
        yield patch


def _runner(folder: Path) -> Callable[..., Path]:
    def run_notebook(notebook: str, *, output: Path, parameters: dict[str, Any]) -> Path:
        return run_in_process(NOTEBOOKS / notebook, output=folder / output.name, parameters=parameters)

    return run_notebook


def _artist_report(
    world: World, folder: Path, patch: pytest.MonkeyPatch, *, language: str
) -> tuple[Path, Path]:
    import flows._notebooks as notebooks

    patch.setattr(notebooks, "run_notebook", _runner(folder / f"artist-{language}"))
    settings = Settings(data_dir=folder / "data", reports_dir=folder / f"reports-{language}")
    start, end = world.period
    page = notebooks.render_artist_report(
        world.run_dir,
        artist_id=world.demo_ids[0],
        period=Period(start, end, label=f"{start}..{end}"),
        settings=settings,
        language=language,
    )
    return page.path, folder / f"artist-{language}" / notebooks.ARTIST_NOTEBOOK


def _overview(world: World, folder: Path, patch: pytest.MonkeyPatch, *, language: str) -> tuple[Path, Path]:
    """The catalog overview as the report flow assembles it (title, subtitle, footer)."""
    import flows._notebooks as notebooks

    patch.setattr(notebooks, "run_notebook", _runner(folder / f"overview-{language}"))
    settings = Settings(data_dir=folder / "data", reports_dir=folder / f"reports-{language}")
    page = notebooks.render_overview(
        world.run_dir,
        notebook=notebooks.OVERVIEW_NOTEBOOK,
        folder=Path("catalog") / world.period[1].isoformat(),  # as the flow names it: the day
        title="",
        parameters={},
        language=language,
        settings=settings,
    )
    return page.path, folder / f"overview-{language}" / notebooks.OVERVIEW_NOTEBOOK


def _index(folder: Path, *, language: str) -> tuple[Path, None]:
    """The reports' index in ``language``, as the flows write it after rendering."""
    from analytics.reports import write_index

    return write_index(folder / f"reports-{language}", language=language), None


def _page(
    world: World, folder: Path, notebook: str, *, language: str, **parameters: Any
) -> tuple[Path, Path]:
    stem = Path(notebook).stem
    executed = run_in_process(
        NOTEBOOKS / notebook,
        output=folder / f"{stem}-{language}.ipynb",
        parameters={"run_dir": str(world.run_dir), "language": language, **parameters},
    )
    page = notebook_to_html(
        executed,
        output_path=folder / f"{stem}-{language}.html",
        title=text(f"page.title.{stem}", language=language),
        language=language,
    )
    return page.path, executed


@pytest.fixture(scope="module")
def pages(
    report_world: World, marked: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[tuple[Path, Path | None]]]:
    """Per language, (page, executed notebook) of the artist report, catalog overview and track
    analysis of the world's first demo artist."""
    folder = tmp_path_factory.mktemp("untranslated")
    return {
        language: [
            _artist_report(report_world, folder, marked, language=language),
            _index(folder, language=language),  # lists the artist report just written
            _overview(report_world, folder, marked, language=language),
            _page(
                report_world,
                folder,
                "track_analysis.ipynb",
                language=language,
                artist_id=report_world.demo_ids[0],
            ),
        ]
        for language in LANGUAGES
    }


@pytest.fixture(scope="module")
def allowed(report_world: World) -> dict[str, Allowed]:
    from babel import Locale

    from analytics.audit import code_version
    from analytics.reports.tracks import PLAIN_FEATURES

    # data, the run and the code version, and the features' technical names (under Methods)
    names = warehouse_phrases(report_world.warehouse_url) | {RUN_ID, code_version(), *PLAIN_FEATURES}
    return {
        language: Allowed(
            phrases=names | set(Locale.parse(language).territories.values()),
            words=cldr_words(language) | PROPER_NAMES,
        )
        for language in LANGUAGES
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_word_of_the_french_and_german_reports_is_from_the_catalog(
    pages: dict[str, list[tuple[Path, Path | None]]], allowed: dict[str, Allowed], language: str
) -> None:
    found = {
        page.name: leftovers(visible_texts(page, notebook=notebook), allowed=allowed[language])
        for page, notebook in pages[language]
    }
    untranslated = [f"{name}: {word}" for name, words in found.items() for word in words]
    assert not untranslated, "words not from the catalog:\n" + "\n".join(untranslated)
    # real pages were read: the reports (each with its notebook) and the index listing one
    assert all(page.stat().st_size > 10_000 for page, notebook in pages[language] if notebook)
    assert len(pages[language]) == 4 and "artist_report.html" in pages[language][1][0].read_text()


def test_a_word_written_by_hand_into_a_section_is_found(
    pages: dict[str, list[tuple[Path, Path | None]]], allowed: dict[str, Allowed], tmp_path: Path
) -> None:
    page, notebook = pages["fr"][0]
    heading = text("heading.streams", language="fr")
    html = page.read_text(encoding="utf-8")
    assert heading in html
    altered = tmp_path / page.name
    altered.write_text(html.replace(heading, f"{heading} Listeners", 1), encoding="utf-8")
    found = leftovers(visible_texts(altered, notebook=notebook), allowed=allowed["fr"])
    assert [line.split()[0] for line in found] == ["Listeners"]
