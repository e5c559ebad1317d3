"""The artist report's fixed texts in English, French and German, from the message catalog.

Headings, the notes that say what is missing and why, the charts' words and the labels of
"Methods and limits" are messages of the gettext catalogs in :mod:`analytics.locale` (shared with
the content generator), chosen by the report's ``language``. Values from data are never part of
these texts: they are filled into ``{placeholders}`` and escaped where the text is displayed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from functools import cache

from babel.numbers import format_decimal

from analytics.locale import LANGUAGES, PLURAL_FORMS, mark, marking, messages, plural_form
from analytics.locale import check_language as _check_language

__all__ = [
    "LANGUAGES",
    "TEXTS",
    "check_language",
    "long_date",
    "long_datetime",
    "plural_form",
    "text",
    "tracks_count",
]

CONTENT_PREFIX = "content"  # the content generator's messages (``content:…``), not the report's


@cache
def _table(language: str, *, marked: bool) -> Mapping[str, str]:
    table: dict[str, str] = {}
    for context, message in messages(language).items():
        if context.startswith(CONTENT_PREFIX):
            continue
        if message.counted:
            table.update(
                {f"{context}.{form}": forms for form, forms in zip(PLURAL_FORMS, message.forms, strict=True)}
            )
        else:
            table[context] = message.forms[0]
    return {key: mark(value) for key, value in table.items()} if marked else table


class _Texts(Mapping[str, Mapping[str, str]]):
    """The report texts of each language by key, read from its catalog: a counted text is there
    as ``<key>.one`` and ``<key>.other``. Marked (see :func:`analytics.locale.mark`) when the
    environment asks for it."""

    def __getitem__(self, language: str) -> Mapping[str, str]:
        if language not in LANGUAGES:
            raise KeyError(language)
        return _table(language, marked=marking())

    def __iter__(self) -> Iterator[str]:
        return iter(LANGUAGES)

    def __len__(self) -> int:
        return len(LANGUAGES)


TEXTS: Mapping[str, Mapping[str, str]] = _Texts()


def check_language(language: str) -> str:
    """``language`` if the report speaks it.

    Raises
    ------
    ValueError : an unsupported language; the message lists the supported ones.
    """
    try:
        return _check_language(language)
    except ValueError:
        raise ValueError(
            f"report language {language!r} is not supported; choose one of: {', '.join(LANGUAGES)}"
        ) from None


def text(key: str, *, language: str = "en", **values: object) -> str:
    """The fixed text ``key`` in ``language``, with ``values`` filled into its placeholders.

    Raises
    ------
    ValueError : an unsupported language (see :func:`check_language`).
    KeyError : no text has that key.
    """
    table = TEXTS[check_language(language)]
    if key not in table and isinstance(values.get("count"), int):
        # a counted text: its form by the language's CLDR plural rules, the count grouped
        count = int(values["count"])  # type: ignore[call-overload]
        key = f"{key}.{plural_form(count, language=language)}"
        values = {**values, "count": format_decimal(count, locale=language)}
    template = table[key]
    return template.format(**values) if values else template


def tracks_count(count: int, *, language: str = "en") -> str:
    """ "1 track", "18 tracks", "1,200 tracks" in ``language``, by the language's plural rules.

    CLDR decides the form: French says "0 titre" and "1,5 titre" (category ``one``), English
    "0 tracks"; a count is written with the language's digit grouping.
    """
    return text("tracks", language=language, count=count)


def long_datetime(moment: datetime, *, language: str = "en") -> str:
    """A moment for people in ``language``, in UTC: "7 Dec 2026, 09:29 UTC", "7. Dez. 2026, 09:29 UTC"
    (the catalog's ``date.time``, a CLDR pattern)."""
    from babel.dates import format_datetime

    pattern = messages(check_language(language))["date.time"].forms[0]
    return str(format_datetime(moment, format=pattern, tzinfo=UTC, locale=language))


def long_date(day: date, *, language: str = "en") -> str:
    """A date for people in ``language``: "26 Oct 2026", "26 oct. 2026", "26. Okt. 2026" (the
    catalog's ``date.long``: a CLDR date pattern, the month's name from CLDR)."""
    from babel.dates import format_date

    pattern = messages(check_language(language))["date.long"].forms[0]
    return str(format_date(day, format=pattern, locale=language))
