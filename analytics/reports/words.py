"""Numbers and names as an artist reads them, in the report's language.

Counts with the language's digit grouping, shares as percentages, durations as m:ss, and plain
names for the detectors, the kinds of unusual day and the measures behind them (their technical
names appear only under "Methods and limits"). Every word comes from
:data:`analytics.reports.texts.TEXTS`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from analytics.catalog.counts import Catalog
from analytics.reports.texts import TEXTS, check_language, plural_form, text

if TYPE_CHECKING:
    import pandas as pd

RATE_METRICS = frozenset({"skip_rate", "completion_rate", "country_hhi", "hour_entropy"})
"""Measures between 0 and 1 that read as a percentage (hour entropy is normalised)."""


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def plain_number(value: object, *, language: str = "en") -> str:
    """A count or measure for people: whole above 10, one decimal below; '—' when unknown."""
    from babel.numbers import format_decimal

    number = _number(value)
    if number is None:
        return "—"
    shown = round(number) if abs(number) >= 10 else round(number, 1)
    return str(format_decimal(shown, locale=check_language(language)))


def percent(value: object, *, language: str = "en") -> str:
    """A share between 0 and 1 as a whole percentage ("28%", "28 %" in French)."""
    from babel.numbers import format_percent

    number = _number(value)
    if number is None:
        return "—"
    return str(format_percent(round(number, 2), locale=check_language(language)))


def signed_percent(value: object, *, language: str = "en") -> str:
    """A change as a signed whole percentage ("+150%", "+150 %" in French, "-20 %"); '—' when
    unknown. The language's own percent pattern, so its spacing stays."""
    shown = percent(value, language=language)
    return f"+{shown}" if shown != "—" and float(value) >= 0 else shown  # type: ignore[arg-type]


def minutes_seconds(milliseconds: object) -> str:
    """A duration as m:ss ("4:48"); '—' when unknown."""
    number = _number(milliseconds)
    if number is None:
        return "—"
    seconds = round(number / 1000)
    return f"{seconds // 60}:{seconds % 60:02d}"


def measure(metric: str, value: object, *, language: str = "en") -> str:
    """The value of one measure of an unusual day, as its kind reads (rates as percentages)."""
    if metric in RATE_METRICS:
        return percent(value, language=language)
    return plain_number(value, language=language)


def _named(prefix: str, name: object, *, language: str) -> str:
    key = f"{prefix}.{name}"
    if key in TEXTS[check_language(language)]:
        return text(key, language=language)
    return str(name).replace("_", " ")


def detector_name(name: object, *, language: str = "en") -> str:
    """ "usual level for the weekday" for ``baseline``, "listening pattern" for the forest."""
    return _named("detector", name, language=language)


def kind_name(name: object, *, language: str = "en") -> str:
    """ "more streams than usual" for ``spike`` and so on."""
    return _named("kind", name, language=language)


def metric_name(name: object, *, language: str = "en") -> str:
    """ "share of plays skipped" for ``skip_rate`` and so on."""
    return _named("metric", name, language=language)


def recordings_count(count: int, *, language: str = "en") -> str:
    """ "1 recording", "20 recordings" by the language's plural rules."""
    return text("facts.recordings", language=language, count=count)


def counted(key: str, count: int, *, language: str = "en") -> str:
    """The text ``<key>.one`` or ``<key>.other``, as the language's plural rules pick for ``count``
    (its placeholders are left for the caller: facts fill them as marked numbers)."""
    return text(f"{key}.{plural_form(count, language=check_language(language))}", language=language)


def catalog_template(catalog: Catalog, *, language: str = "en") -> str:
    """The catalog in one phrase, counted by recording: a template whose placeholders
    (``recordings``, ``catalog_tracks``, ``releases``, ``appearances``) take the facts.

    "16 recordings (18 tracks on 3 releases and 1 compilation the artist appears on; …)", with
    each count's words in the form its number takes.
    """
    on = counted("facts.releases", catalog.releases, language=language)
    if catalog.appearances:
        appearances = counted("facts.appearances", catalog.appearances, language=language)
        on = text("facts.and", language=language).format(first=on, second=appearances)
    key = "facts.catalog_differs" if catalog.differs else "facts.catalog_same"
    return text(key, language=language).replace("{on}", on)


SHARED_TIMBRE = "timbre"
"""The token of a match on MFCCs, which have no everyday name each."""


def _trait(token: str) -> tuple[str, str]:
    """(feature, ``low`` or ``high``) of a token such as ``tempo_bpm+``."""
    return token[:-1], "high" if token.endswith("+") else "low"


def group_words(traits: str, *, language: str = "en") -> str:
    """A group of the "sounds like" map in words ("slow, quiet, minor") from its tokens
    (``tempo_bpm-,loudness_lufs-,mode_minor+``); none: typical of the catalog."""
    tokens = [t for t in traits.split(",") if t]
    if not tokens:
        return text("sound.typical", language=language)
    words = []
    for feature, level in map(_trait, tokens):
        key = f"sound.trait.{feature}.{level}"
        words.append(text(key, language=language) if key in TEXTS[language] else feature.replace("_", " "))
    return ", ".join(words)


def reason_words(traits: str, *, language: str = "en") -> str:
    """What a track shares with its closest one, in words ("both slow, similar timbre"), from
    its tokens (``tempo_bpm-,timbre``); none: close on every feature, none distinctive."""
    words = []
    for token in (t for t in traits.split(",") if t):
        if token == SHARED_TIMBRE:
            words.append(text("sound.why_timbre", language=language))
            continue
        feature, level = _trait(token)
        key = f"sound.both.{feature}.{level}"
        if key in TEXTS[check_language(language)]:
            words.append(text(key, language=language))
        else:  # a feature of a custom space: named as it is
            words.append(
                text(f"sound.why_similar.{level}", language=language, feature=feature.replace("_", " "))
            )
    return ", ".join(words) if words else text("sound.why_none", language=language)


def sound_words(points: pd.DataFrame, *, language: str = "en") -> pd.DataFrame:
    """The "sounds like" map's points with ``group`` and ``why`` in ``language``.

    Points without trait tokens (a map stored before they were) keep the English words they came
    with."""
    if not {"group_traits", "why_traits"} <= set(points.columns):
        return points
    return points.assign(
        group=[group_words(str(t), language=language) for t in points["group_traits"]],
        why=[reason_words(str(t), language=language) for t in points["why_traits"]],
    )


def draft_kind(kind: object, *, language: str = "en") -> str:
    """A draft's kind as the posts section names it: "milestone post", "cap franchi"."""
    return _named("draft", kind, language=language)


def platform_name(platform: object, *, language: str = "en") -> str:
    """ "Instagram" for ``instagram``, "X" for ``x``: a platform as people write it."""
    return _named("platform", platform, language=language)


def language_name(code: object, *, language: str = "en") -> str:
    """ "French", "französisch": the language ``code`` (en, fr, de) named in ``language``."""
    return _named("language", code, language=language)


def quota_mode_name(mode: object, *, language: str = "en") -> str:
    """ "development", "Entwicklung": a quota mode in words."""
    return _named("quota_mode", mode, language=language)


def pitch_names(*, language: str = "en") -> tuple[str, ...]:
    """The twelve pitch classes from C, as ``language`` names them (German calls B "H")."""
    from analytics.locale import mark, marking, message

    names = message("music.pitch_classes", language=check_language(language)).forms[0].split(" ")
    return tuple(mark(name) if marking() else name for name in names)  # each name marked alone


def unit(name: str, *, language: str = "en") -> str:
    """The symbol of a unit (``bpm``, ``lufs``, ``lu``, ``db``, ``dbtp``, ``hz``, ``minutes``)."""
    return text(f"unit.{name}", language=language)
