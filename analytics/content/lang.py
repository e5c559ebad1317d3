"""Locale-correct numbers, dates and noun phrases for English, French and German (Babel).

Numbers and dates go through Babel only (``format_decimal``, ``format_compact_decimal``,
``format_percent``, ``format_date``, ``format_list``); grammar that Babel does not know — plural
nouns, French elision and gender agreement, German case and adjective endings — lives here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_compact_decimal, format_decimal, format_percent

from analytics.locale import message, messages

Language = Literal["en", "fr", "de"]
LANGUAGES: tuple[Language, ...] = ("en", "fr", "de")
NNBSP, NBSP = "\u202f", "\u00a0"


def _noun(name: str, lang: Language) -> tuple[str, str, str]:
    singular, plural = message(f"content-nouns:{name}", language=lang).forms
    return singular, plural, message(f"content-gender:{name}", language=lang).forms[0]


def _nouns() -> dict[str, dict[Language, tuple[str, str, str]]]:
    """noun: {language: (singular, plural, gender)}, from the message catalog (``content-nouns:*``
    and ``content-gender:*``); gender (m, f, n) matters for French and German only."""
    names = [context.split(":", 1)[1] for context in messages("en") if context.startswith("content-nouns:")]
    return {name: {lang: _noun(name, lang) for lang in LANGUAGES} for name in names}


NOUNS: dict[str, dict[Language, tuple[str, str, str]]] = _nouns()
_QUOTES = {"en": ("“", "”"), "fr": ("«" + NBSP, NBSP + "»"), "de": ("„", "“")}
_VOWELS = set("aeiouyàâäéèêëîïôöùûüœæAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŒÆ")


def plural_category(n: float, lang: Language) -> str:
    """CLDR plural category of ``n`` (``one``, ``many``, ``other``) for ``lang``."""
    return str(Locale.parse(lang).plural_form(abs(n)))


def number(n: float, lang: Language) -> str:
    """``n`` with the locale's grouping and decimal signs (1,843 / 1 843 / 1.843)."""
    return format_decimal(n, locale=lang)


def compact(n: int, lang: Language) -> str | None:
    """``n`` in the locale's short form (1.2M / 1,2 M / 1,2 Mio.), ``None`` where that is not shorter."""
    if abs(n) < (1_000_000 if lang == "de" else 10_000):
        return None
    text = format_compact_decimal(n, locale=lang, fraction_digits=1)
    return text if text != format_decimal(n, locale=lang) else None


def percent(pct: float, lang: Language) -> str:
    """The absolute value of a change in percent, one decimal at most (12.3% / 12,3 %)."""
    value = Decimal(str(round(abs(pct), 1))) / 100
    return format_percent(value, locale=lang, decimal_quantization=False)


def day(d: date, lang: Language, *, style: str = "long", precision: str = "day") -> str:
    """A date as the locale writes it; ``precision`` "month" or "year" drops what is unknown."""
    if precision == "year":
        return str(d.year)
    if precision == "month":
        return format_date(d, format="MMMM y", locale=lang)
    text = format_date(d, format=style, locale=lang)
    if lang == "fr" and d.day == 1 and style == "long":
        text = text.replace("1 ", "1er ", 1)
    return text


def listing(items: list[str], lang: Language) -> str:
    """Items joined as the locale does ("A, B and C" / "A, B et C" / "A, B und C")."""
    return format_list(items, locale=lang) if items else ""


def quote(title: str, lang: Language) -> str:
    """A title in the language's quotation marks."""
    left, right = _QUOTES[lang]
    return f"{left}{title}{right}"


DE_DATIVE_PLURAL = {"Titel": "Titeln", "Hörer": "Hörern", "Follower": "Followern"}


def counted(n: int, noun: str, lang: Language, *, short: bool = False, dative: bool = False) -> str:
    """``n`` with its noun in the right number: "1 track", "1 843 abonnés", "1 000 000 d'écoutes".

    ``dative`` gives the German dative plural where it differs ("mit 17 Titeln").
    """
    singular, plural, _ = NOUNS[noun][lang]
    if dative and lang == "de":
        plural = DE_DATIVE_PLURAL.get(plural, plural)
    shown = (compact(n, lang) if short else None) or number(n, lang)
    category = plural_category(n, lang)
    sep = NBSP if lang in {"fr", "de"} else " "
    if category == "one" and not (short and shown != number(n, lang)):
        return f"{shown}{sep}{singular}"
    if lang == "fr" and (category == "many" or (short and "M" in shown)):
        return f"{shown}{sep}{elide('de', plural)}"
    return f"{shown}{sep}{plural}"


def noun(name: str, lang: Language, *, n: int = 1) -> str:
    singular, plural, _ = NOUNS[name][lang]
    return singular if plural_category(n, lang) == "one" else plural


def gender(name: str, lang: Language) -> str:
    return NOUNS[name][lang][2]


def starts_with_vowel(text: str) -> bool:
    return bool(text) and (text[0] in _VOWELS or (text[0] in "hH" and text[1:2] in _VOWELS))


def elide(word: str, following: str) -> str:
    """French elision before a vowel: de + album → d'album, le + EP → l'EP."""
    if word in {"de", "le", "la", "que"} and starts_with_vowel(following):
        return f"{word[0]}'{following}"
    return f"{word} {following}"


def key_name(key: int, mode: str | None, lang: Language) -> str:
    """A musical key: "A minor", "la mineur", "a-Moll" (the catalog's ``content-grammar:key.*``)."""
    pitch = message("content-grammar:pitch_classes", language=lang).forms[0].split(" ")[key]
    if not mode:
        return pitch
    template = message(f"content-grammar:key.{mode}", language=lang).forms[0]
    return template.format(pitch=pitch, pitch_lower=pitch.lower())


# -- French noun phrases ------------------------------------------------------------------------


def fr_np(kind: str, *, article: str, new: bool = False) -> str:
    """French noun phrase for a release type: article "le" | "un" | "du", optionally "nouveau"."""
    word = NOUNS[kind]["fr"][0]
    fem = gender(kind, "fr") == "f"
    if new:
        adj = "nouvelle" if fem else ("nouvel" if starts_with_vowel(word) else "nouveau")
        head = f"{adj} {word}"
    else:
        head = word
    if article == "un":
        return f"{'une' if fem else 'un'} {head}"
    if article == "le":
        return elide("la" if fem else "le", head)
    if article == "du":
        return f"de {elide('la', head)}" if fem or starts_with_vowel(head) else f"du {head}"
    raise ValueError(f"unknown French article {article!r}; use le, un or du")


# -- German noun phrases ------------------------------------------------------------------------

_DE_DEF = {
    "nom": {"m": "der", "f": "die", "n": "das"},
    "acc": {"m": "den", "f": "die", "n": "das"},
    "dat": {"m": "dem", "f": "der", "n": "dem"},
}
_DE_INDEF = {
    "nom": {"m": "ein", "f": "eine", "n": "ein"},
    "acc": {"m": "einen", "f": "eine", "n": "ein"},
    "dat": {"m": "einem", "f": "einer", "n": "einem"},
}
_DE_WEAK = {
    "nom": {"m": "e", "f": "e", "n": "e"},
    "acc": {"m": "en", "f": "e", "n": "e"},
    "dat": {"m": "en", "f": "en", "n": "en"},
}
_DE_MIXED = {
    "nom": {"m": "er", "f": "e", "n": "es"},
    "acc": {"m": "en", "f": "e", "n": "es"},
    "dat": {"m": "en", "f": "en", "n": "en"},
}


def de_np(kind: str, *, case: str, definite: bool, adjective: str | None = None) -> str:
    """German noun phrase with article and adjective declined for gender and case.

    Examples
    --------
    >>> de_np("album", case="acc", definite=False, adjective="neu")
    'ein neues Album'
    >>> de_np("single", case="dat", definite=True, adjective="neu")
    'der neuen Single'
    """
    word, _, g = NOUNS[kind]["de"]
    article = (_DE_DEF if definite else _DE_INDEF)[case][g]
    if adjective:
        ending = (_DE_WEAK if definite else _DE_MIXED)[case][g]
        return f"{article} {adjective}{ending} {word}"
    return f"{article} {word}"


def de_genitive(name: str) -> str:
    """German genitive of a name: Maxstacks, but Sectoids / Max' for names ending in s, x, z."""
    return f"{name}’" if name[-1:].lower() in {"s", "x", "z", "ß"} else f"{name}s"


def en_possessive(name: str) -> str:
    return f"{name}’" if name.endswith(("s", "S")) else f"{name}’s"
