"""Keep encore's message catalogs (analytics/locale/*/LC_MESSAGES/encore.po) whole and tidy.

    python scripts/messages.py check
        every report text translated in every language with the same placeholders and both
        counted forms; content words where each language needs them; exit 1 listing what is wrong
    python scripts/messages.py format
        rewrite every catalog and the template (encore.pot) from the English catalog's order,
        with one header: run it after editing a .po file by hand
    python scripts/messages.py add KEY --en TEXT --fr TEXT --de TEXT [--en-other … --fr-other … --de-other …]
        add (or replace) one report text in the three catalogs; ``--*-other`` makes it counted

The English catalog is the source: its msgid is the English text and its msgstr repeats it.
"""

from __future__ import annotations

import argparse
import string
import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analytics.locale import DOMAIN, LANGUAGES, LOCALE_DIR, catalog_path  # noqa: E402

SOURCE = "en"
CONTENT_PREFIX = "content"
HEADER = "# encore's messages: {what}.\n# Edit with scripts/messages.py (see docs/reports.md, Languages)."


def _read(language: str) -> Catalog:
    with catalog_path(language).open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def _fields(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def _forms(message: Message) -> tuple[str, ...]:
    return tuple(message.string) if isinstance(message.string, tuple | list) else (message.string,)


def problems() -> list[str]:
    """What is wrong with the catalogs, one line each (empty: nothing)."""
    found: list[str] = []
    source = {m.context: m for m in _read(SOURCE) if m.id}
    for language in LANGUAGES:
        catalog = {m.context: m for m in _read(language) if m.id}
        if missing := sorted(set(source) - set(catalog)):
            found.append(f"{language}: missing messages {missing}")
        if extra := sorted(set(catalog) - set(source)):
            found.append(f"{language}: messages the English catalog lacks {extra}")
        for context, message in catalog.items():
            english = source.get(context)
            if english is None:
                continue
            forms = _forms(message)
            if message.id != english.id:
                found.append(f"{language}: {context}: msgid differs from the English catalog's")
            if context.startswith(CONTENT_PREFIX):
                if context.startswith(f"{CONTENT_PREFIX}:") and not forms[0]:
                    found.append(f"{language}: {context}: no phrasing")
                continue
            if not all(forms):
                found.append(f"{language}: {context}: untranslated")
            sources = [english.id] if isinstance(english.id, str) else list(english.id)
            if len(forms) != len(sources):
                found.append(f"{language}: {context}: {len(forms)} forms for {len(sources)}")
            wanted = set().union(*(_fields(s) for s in sources))
            for form in forms:
                if form and _fields(form) != wanted:
                    found.append(f"{language}: {context}: placeholders {_fields(form)} != {wanted}")
    return found


def write(catalogs: dict[str, Catalog]) -> None:
    """Write the catalogs and the template in the English catalog's order, with one header."""
    order = [m.context for m in catalogs[SOURCE] if m.id]
    dated = catalogs[SOURCE].creation_date  # kept, so that a rewrite changes only what changed
    template = _catalog(None, created=dated, what="the template, every message untranslated")
    for language in LANGUAGES:
        old = {m.context: m for m in catalogs[language] if m.id}
        new = _catalog(language, created=dated, what=f"{language}, by CLDR plural rules")
        for context in order:
            if context in old:
                m = old[context]
                new.add(m.id, m.string, context=context, auto_comments=m.auto_comments, flags=m.flags)
        with catalog_path(language).open("wb") as handle:
            write_po(handle, new, width=100, no_location=True)
    for m in catalogs[SOURCE]:
        if m.id:
            blank = ("", "") if isinstance(m.id, tuple | list) else ""
            template.add(m.id, blank, context=m.context, auto_comments=m.auto_comments, flags=m.flags)
    with (LOCALE_DIR / f"{DOMAIN}.pot").open("wb") as handle:
        write_po(handle, template, width=100, no_location=True)


def _catalog(language: str | None, *, created: object, what: str) -> Catalog:
    return Catalog(
        locale=language,
        domain=DOMAIN,
        project="encore",
        version="1",
        msgid_bugs_address="",
        creation_date=created,
        revision_date=created,
        last_translator="encore",
        language_team="encore",
        fuzzy=False,
        header_comment=HEADER.format(what=what),
    )


def add(key: str, texts: dict[str, tuple[str, ...]]) -> None:
    """Add or replace the report text ``key``: ``texts`` by language, one form or (one, other)."""
    catalogs = {language: _read(language) for language in LANGUAGES}
    english = texts[SOURCE]
    msgid: str | tuple[str, str] = english[0] if len(english) == 1 else (english[0], english[1])
    for language, catalog in catalogs.items():
        for m in list(catalog):
            if m.id and m.context == key:
                catalog.delete(m.id, context=key)
        forms = texts[language]
        catalog.add(msgid, forms[0] if len(forms) == 1 else forms, context=key)
    write(catalogs)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check")
    sub.add_parser("format")
    adding = sub.add_parser("add")
    adding.add_argument("key")
    for language in LANGUAGES:
        adding.add_argument(f"--{language}", required=True)
        adding.add_argument(f"--{language}-other")
    args = parser.parse_args(argv)
    if args.command == "add":
        texts = {
            language: tuple(t for t in (getattr(args, language), getattr(args, f"{language}_other")) if t)
            for language in LANGUAGES
        }
        add(args.key, texts)
    elif args.command == "format":
        write({language: _read(language) for language in LANGUAGES})
    found = problems()
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
