"""Finding words in a rendered report that do not come from the message catalog.

With ``ENCORE_MARK_MESSAGES=1`` every text the catalog gives is wrapped in two private-use
characters (:func:`analytics.locale.mark`; the values filled into a text stay outside the marks).
:func:`visible_texts` reads what a person sees on a page (the HTML's text and the words its
charts draw); :func:`leftovers` removes the marked parts, the values that come from data (names
from the warehouse, drafts written earlier by the content generator, CLDR's names of months, days
and countries, numbers) and lists every word left: each one was written by hand somewhere.

:func:`run_in_process` executes a report notebook as papermill would (its parameters after the
parameters cell), in this process: no kernel to start, and the environment's marks apply.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import nbformat
import sqlalchemy as sa
from babel import Locale

from analytics.locale import CLOSE, OPEN
from analytics.reports.display import PLOTLY_MIME

# a marked text, or the start of one a chart shortened to fit ("…" replaced its end and mark)
MARKED = re.compile(f"{OPEN}[^{CLOSE}]*(?:{CLOSE}|$)")
# identifiers shown as they are (a feature's technical name under Methods, a model version)
IDENTIFIER = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b|\b[a-z][a-z0-9-]*/\d[\w.]*")
WORD = re.compile(r"[^\W\d_]+")
# columns whose values are names a page shows as they are (titles, handles, genres, ids)
NAME_COLUMN = re.compile(
    r"(^|_)(name|title|handle|platform|playlist|author|owner|curator|label|genres?|isrc|country|id)$"
)
# what a chart draws: titles, legend names, hover and bar texts, category ticks
CHART_KEYS = frozenset({"text", "name", "title", "hovertemplate", "texttemplate", "ticktext", "x", "y"})
CHART_KEYS |= frozenset({"labels", "customdata", "hovertext", "legendgrouptitle"})
# what a chart puts where it cut a name short
SHORTENED = "…"
HIDDEN_TAGS = frozenset({"script", "style"})
SHOWN_ATTRIBUTES = ("title", "alt", "aria-label", "placeholder")


@dataclass
class Allowed:
    """What may appear outside the marks: phrases from data, and single words from CLDR."""

    phrases: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)
    _patterns: dict[frozenset[str], re.Pattern[str]] = field(default_factory=dict, repr=False, compare=False)

    def pattern(self) -> re.Pattern[str]:
        """Matches, at the leftmost place it can, the longest allowed phrase found there: a
        phrase, or a name of several words as a chart shortens it (its first four or more
        characters and "…").

        The same as every such phrase joined longest first with ``|``, but shaped as a trie
        (each common start written once, a shortened name a branch where it is cut), so a place
        is tried once per character rather than once for each of the tens of thousands of
        shortened names. Built once for each set of phrases (a test reads several pages).
        """
        phrases = frozenset(self.phrases)
        if phrases not in self._patterns:
            self._patterns = {phrases: _phrase_pattern(phrases)}
        return self._patterns[phrases]


def _phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """:meth:`Allowed.pattern` for ``phrases``."""
    trie: dict[str, Any] = {}
    for phrase in phrases:
        shortens = " " in phrase and len(phrase) < 80
        node = trie
        for depth, char in enumerate(phrase):
            if shortens and depth >= 4:
                node.setdefault(SHORTENED, {})[""] = {}  # phrase[:depth] + "…"
            node = node.setdefault(char, {})
        if phrase.strip():
            node[""] = {}  # the whole phrase ends here
    return re.compile(_trie_source(trie) or "(?!)")


def _trie_source(node: dict[str, Any]) -> str | None:
    """A pattern for the phrases below ``node`` (None: no phrase ends below it); greedy, so the
    longest is tried first."""
    branches = []
    for char, child in sorted(node.items()):
        if not char:
            continue
        chars = [char]
        while len(child) == 1 and "" not in child:  # a run without a branch or an end: one literal
            ((char, child),) = child.items()
            chars.append(char)
        rest = _trie_source(child)
        if rest is not None:
            branches.append(re.escape("".join(chars)) + rest)
    if not branches:
        return "" if "" in node else None
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDDEN_TAGS:
            self.hidden += 1
        self.texts += [value for name, value in attrs if name in SHOWN_ATTRIBUTES and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN_TAGS:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.texts.append(data)


def html_texts(page: str) -> list[str]:
    """The text of an HTML page a person reads (scripts and styles aside, titles and alts in)."""
    parser = _Text()
    parser.feed(page)
    return parser.texts


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        if "bdata" in value:
            return  # numbers, packed in base64 by plotly
        for key, inner in value.items():
            if key != "font":
                yield from _strings(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _strings(inner)


def _chart_strings(value: Any) -> Iterator[str]:
    if isinstance(value, Mapping):
        for key, inner in value.items():
            if key == "template":
                continue
            if key in CHART_KEYS:
                yield from _strings(inner)
            else:
                yield from _chart_strings(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _chart_strings(inner)


def chart_texts(figure: Mapping[str, Any]) -> list[str]:
    """The words a plotly figure draws, its ``%{…}`` fields and markup aside."""
    texts = []
    for raw in _chart_strings(figure):
        shown = html.unescape(re.sub(r"%\{[^}]*\}|<[^>]*>", " ", raw))  # as plotly draws it
        if shown.strip():
            texts.append(shown)
    return texts


def notebook_figures(notebook: Path) -> list[dict[str, Any]]:
    """The plotly figures an executed notebook displayed."""
    nb = nbformat.read(notebook, as_version=4)
    return [
        output["data"][PLOTLY_MIME]
        for cell in nb.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if PLOTLY_MIME in output.get("data", {})
    ]


def visible_texts(page: Path, *, notebook: Path | None) -> list[str]:
    """What a person reads on ``page``: its HTML's text and its charts' words (from the notebook
    it was rendered from, where each figure is plain JSON; None for a page without one)."""
    texts = html_texts(page.read_text(encoding="utf-8"))
    for figure in notebook_figures(notebook) if notebook is not None else []:
        texts += chart_texts(figure)
    return texts


def cldr_words(language: str) -> set[str]:
    """Month and day names in every width as CLDR writes them, and the name of UTC ("TU")."""
    from babel.dates import format_datetime

    locale = Locale.parse(language)
    utc = format_datetime(datetime(2026, 1, 1, tzinfo=UTC), "z", tzinfo=UTC, locale=language)
    words = {w.lower() for w in WORD.findall(utc)}
    for names in (locale.months, locale.days):
        for context in names.values():
            for width in context.values():
                words |= {w.lower() for name in width.values() for w in WORD.findall(name)}
    return words


def warehouse_phrases(url: str) -> set[str]:
    """The names kept in the warehouse (of artists, releases, tracks, playlists, platforms,
    genres…) and the text of the drafts the content generator wrote earlier: data, shown as is."""
    engine = sa.create_engine(url)
    found: set[str] = set()
    try:
        inspector = sa.inspect(engine)
        with engine.connect() as connection:
            for table in inspector.get_table_names():
                columns = [
                    c["name"]
                    for c in inspector.get_columns(table)
                    if isinstance(c["type"], sa.String | sa.Text)
                    and (NAME_COLUMN.search(c["name"]) or (table == "content_drafts" and c["name"] == "text"))
                ]
                for column in columns:
                    query = sa.text(f'SELECT DISTINCT "{column}" FROM "{table}"')
                    for (value,) in connection.execute(query):
                        if isinstance(value, str):
                            found |= {value, *_json_strings(value)}
    finally:
        engine.dispose()
    return found


def _json_strings(value: str) -> list[str]:
    """The strings inside a JSON list or object kept in a column (genres are a JSON list)."""
    if not value.startswith(("[", "{")):
        return []
    try:
        return list(_strings(json.loads(value)))
    except ValueError:
        return []


def leftovers(texts: Iterable[str], *, allowed: Allowed) -> list[str]:
    """Every word of ``texts`` outside the marks that no allowed phrase or word explains, each
    as ``word  «where it stands»``."""
    phrases = allowed.pattern()
    found: list[str] = []
    for raw in texts:
        rest = IDENTIFIER.sub(" ", phrases.sub(" ", MARKED.sub(" ", raw)))
        for word in WORD.findall(rest):
            if word.lower() not in allowed.words:
                found.append(f"{word}  «{MARKED.sub('', raw).strip()[:100]}»")
    return sorted(set(found))


def run_in_process(notebook: Path, *, output: Path, parameters: Mapping[str, Any]) -> Path:
    """Execute ``notebook`` cell by cell in an in-process IPython shell, its ``parameters`` set
    after its parameters cell as papermill sets them, and write the executed copy to ``output``.

    Raises
    ------
    RuntimeError : a cell failed (its error is chained).
    """
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False
    nb = nbformat.read(notebook, as_version=4)
    shell = InteractiveShell.instance(config=config)
    try:
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            source = cell.source
            if "parameters" in cell.get("metadata", {}).get("tags", []):
                source += "\n" + "\n".join(f"{name} = {value!r}" for name, value in parameters.items())
            with capture_output() as captured:
                result = shell.run_cell(source, store_history=False)
            if not result.success:
                error = result.error_in_exec or result.error_before_exec
                raise RuntimeError(f"{notebook.name}: a cell failed: {error!r}") from error
            cell.outputs = [
                nbformat.v4.new_output("display_data", data=shown.data, metadata=shown.metadata)
                for shown in captured.outputs
            ]
    finally:
        InteractiveShell.clear_instance()  # IPython's display() goes back to printing
    output.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, output)
    return output
