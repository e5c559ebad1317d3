"""The grounding validator: every number, date and name in a draft must come from its fact sheet.

Checks, in order: names (quoted titles, truncated names, exact names, hashtags, @mentions), dates
(any en/fr/de format), numbers (1.2M, 1 200 000, 1,2 Mio., 12 %, 12%), capitalised words that are
neither known vocabulary nor part of a fact's name, banned content (markup, links, placeholders,
unsupported claims, profanity, control characters), length and language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from functools import cache

from pydantic import BaseModel, ConfigDict

from analytics.content.facts import ArtistFact, FactSheet
from analytics.content.langdetect import detect
from analytics.content.lexicon import generic_hashtag_keys, is_known_word, month_names
from analytics.content.slots import PLATFORM_NAMES
from analytics.content.text import ELLIPSIS, hashtag, hashtag_key, platform_length

PLACEHOLDER = "\u2063"  # invisible separator: where a checked item was, nothing left to check


class Issue(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str  # invented_number | invented_date | invented_name | invented_hashtag | banned | too_long | …
    detail: str


class GroundingResult(BaseModel):
    """What the validator found; ``ok`` only if there is no issue."""

    model_config = ConfigDict(frozen=True)

    ok: bool
    issues: tuple[Issue, ...] = ()
    numbers: int = 0
    dates: int = 0
    names: int = 0
    language_detected: str | None = None
    length: int = 0
    limit: int | None = None

    @property
    def reason(self) -> str:
        """The issues on one line, for logs and records."""
        return "; ".join(f"{i.code}: {i.detail}" for i in self.issues) or "ok"


_QUOTED = re.compile(r"(“|«|„|\")[\s\u00a0\u202f]*(.+?)[\s\u00a0\u202f]*(”|»|“|\")")
_HASHTAG = re.compile(r"#[^\W_][\w]*")
_MENTION = re.compile(r"(?<![\w.])@[A-Za-z0-9_.]{2,}")
_NUMBER = re.compile(
    r"(?<![\w.,])[+\-−]?(\d{1,3}(?:[\u00a0\u202f '’]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)*)"
    r"(?:(?:st|nd|rd|th|er|re|e)\b)?"
    r"(?:[\u00a0\u202f ]?(%|Mio\.|Mrd\.|Tsd\.|Md\b|Mn\b|[kKMB]\b))?"
)
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
_MULTIPLIER = {
    "k": 1e3,
    "K": 1e3,
    "Tsd.": 1e3,
    "M": 1e6,
    "Mio.": 1e6,
    "Mn": 1e6,
    "B": 1e9,
    "Md": 1e9,
    "Mrd.": 1e9,
}
_BANNED = {
    "markup": re.compile(
        r"<\s*/?\s*[A-Za-z!][^>]*>|&(?:[A-Za-z]{2,8}|#\d{1,6});|\*\*|__|\[[^\]]*\]\([^)]*\)"
    ),
    "link": re.compile(r"https?://|www\.|\b[\w.-]+\.(?:com|net|org|io|fm|ly|me)\b", re.IGNORECASE),
    "email": re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b"),
    "placeholder": re.compile(r"\{[^}]*\}|\[[^\]]*\]|\bTODO\b|\blorem ipsum\b|\bXXX\b", re.IGNORECASE),
    "control character": re.compile(
        "[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]"
    ),
    "unsupported claim": re.compile(
        r"\b(?:viral|record-breaking|best[- ]ever|number one|chart[- ]topping|grammy|platinum|billboard|"
        r"guaranteed|world'?s first|record historique|numéro un|disque de platine|garanti|"
        r"rekord\w*|nummer eins|platin|garantiert)\b",
        re.IGNORECASE,
    ),
    "profanity": re.compile(r"\b(?:fuck\w*|shit\w*|putain|merde|scheiße|scheisse|fick\w*)\b", re.IGNORECASE),
}


def _allowed_numbers(sheet: FactSheet) -> tuple[list[float], list[float]]:
    counts: set[float] = set()
    pcts: set[float] = set()
    for fact in sheet.facts:
        for name, value in fact:
            if isinstance(value, bool) or not isinstance(value, int | float):
                continue
            if name.endswith("_pct"):
                pcts.add(abs(float(value)))
            elif name != "energy" and name != "key":
                counts.add(abs(float(value)))
    counts |= {float(d.year) for d in sheet.dates()}
    counts |= {float(r) for r in _release_years(sheet)}
    return sorted(counts), sorted(pcts)


def _release_years(sheet: FactSheet) -> Iterable[int]:
    from analytics.content.facts import ReleaseFact

    return {r.release_date.year for r in sheet.of(ReleaseFact)}


def _release_months(sheet: FactSheet) -> set[tuple[int, int]]:
    from analytics.content.facts import ReleaseFact

    months = {(d.year, d.month) for d in sheet.dates()}
    months |= {
        (r.release_date.year, r.release_date.month)
        for r in sheet.of(ReleaseFact)
        if r.release_date_precision != "year"
    }
    return months


def _candidates(raw: str, suffix: str | None) -> list[tuple[float, float]]:
    """Every reading of a written number as (value, tolerance of its last shown digit)."""
    text = re.sub(r"[\u00a0\u202f '’]", "", raw)
    readings: list[tuple[str, str]] = []  # (integer part, decimals)
    seps = re.findall(r"[.,]", text)
    parts = re.split(r"[.,]", text)
    if not seps:
        readings.append((text, ""))
    elif len(set(seps)) == 2:  # 1,234.5 or 1.234,5: the last separator is the decimal one
        readings.append(("".join(parts[:-1]), parts[-1]))
    elif len(seps) > 1:
        if all(len(p) == 3 for p in parts[1:]):
            readings.append(("".join(parts), ""))
    else:
        readings.append((parts[0], parts[1]))
        if len(parts[1]) == 3:
            readings.append((parts[0] + parts[1], ""))
    mult = _MULTIPLIER.get(suffix or "", 1.0)
    out = []
    for whole, dec in readings:
        value = float(f"{whole}.{dec}" if dec else whole)
        out.append((value * mult, 0.5 * 10 ** (-len(dec)) * mult))
    return out


@cache
def _date_patterns() -> list[tuple[re.Pattern[str], str]]:
    months = "|".join(sorted((re.escape(m) for m in month_names()), key=len, reverse=True))
    return [
        (
            re.compile(
                rf"\b(\d{{1,2}})(?:er|\.)?[\s\u00a0]+({months})\.?[\s\u00a0]+(\d{{4}})\b", re.IGNORECASE
            ),
            "dmy",
        ),
        (
            re.compile(
                rf"\b({months})\.?[\s\u00a0]+(\d{{1,2}})(?:st|nd|rd|th)?,?[\s\u00a0]+(\d{{4}})\b",
                re.IGNORECASE,
            ),
            "mdy",
        ),
        (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), "iso"),
        (re.compile(r"\b(\d{1,2})([./])(\d{1,2})\2(\d{4}|\d{2})\b"), "numeric"),
        (re.compile(rf"\b({months})\.?[\s\u00a0]+(\d{{4}})\b", re.IGNORECASE), "my"),
    ]


def _dates_of(match: re.Match[str], form: str) -> list[date] | tuple[int, int]:
    lookup = month_names()
    g = match.groups()
    try:
        if form == "dmy":
            return [date(int(g[2]), lookup[g[1].casefold().rstrip(".")], int(g[0]))]
        if form == "mdy":
            return [date(int(g[2]), lookup[g[0].casefold().rstrip(".")], int(g[1]))]
        if form == "iso":
            return [date(int(g[0]), int(g[1]), int(g[2]))]
        if form == "my":
            return (int(g[1]), lookup[g[0].casefold().rstrip(".")])
    except (ValueError, KeyError):
        return []
    a, b, year = int(g[0]), int(g[2]), int(g[3])
    year = year + 2000 if year < 100 else year
    out = []
    for day_, month in ((a, b), (b, a)):
        try:
            out.append(date(year, month, day_))
        except ValueError:
            continue
    return out


def _cut(text: str, start: int, end: int) -> str:
    return text[:start] + f" {PLACEHOLDER} " + text[end:]


def _truncated_name_before(before: str, names: list[str]) -> str | None:
    """The longest head of a name that ``before`` ends with (the text cut it with an ellipsis)."""
    return next(
        (
            n[:k].rstrip()
            for n in names
            for k in range(len(n) - 1, 0, -1)
            if n[:k].rstrip() and before.endswith(n[:k].rstrip())
        ),
        None,
    )


def _strip_names(text: str, names: list[str]) -> str:
    """``text`` without the facts' names, whole or cut short with an ellipsis."""
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    pos = 0
    while (pos := text.find(ELLIPSIS, pos)) >= 0:
        head = _truncated_name_before(text[:pos], names)
        if head:
            text = text[: pos - len(head)] + " " + text[pos + len(ELLIPSIS) :]
            pos -= len(head)
        pos += 1
    return text


def _name_matches(candidate: str, names: list[str]) -> bool:
    if candidate in names:
        return True
    if candidate.endswith(ELLIPSIS):
        head = candidate[: -len(ELLIPSIS)].rstrip()
        return len(head) >= 1 and any(n.startswith(head) and n != head for n in names)
    return False


def validate_text(
    text: str, facts: FactSheet, *, language: str, platform: str, limit: int | None
) -> GroundingResult:
    """Check one text against ``facts``; see the module docstring for what is checked."""
    issues: list[Issue] = []
    names = facts.names()
    artist = facts.of(ArtistFact)
    genres = artist[0].genres if artist else []
    counts = {"numbers": 0, "dates": 0, "names": 0}
    work = text
    if not text.strip():
        issues.append(Issue(code="empty", detail="the draft is empty"))
    # a fact's own name is data, whatever it contains (a title may be "{0}" or "<b>"): banned
    # content is looked for in what the writer added around the names
    unnamed = _strip_names(text, names)
    for label, pattern in _BANNED.items():
        found = pattern.search(unnamed)
        if found:
            issues.append(Issue(code="banned", detail=f"{label}: {found.group(0)!r}"))
    for m in reversed(list(_QUOTED.finditer(work))):
        counts["names"] += 1
        if not _name_matches(m.group(2), names):
            issues.append(
                Issue(code="invented_name", detail=f"quoted title {m.group(2)!r} is not in the facts")
            )
        work = _cut(work, m.start(), m.end())
    # hashtags first, so that a name inside one ("#SongsForWwwMaxstackNet" holds "Maxstack") does
    # not split it; a "#" inside a name (a track called "#1 Crush") is the name's, not a hashtag
    allowed_tags = {
        hashtag_key(t) for t in (hashtag(n) for n in [*names, *genres]) if t
    } | generic_hashtag_keys()
    in_names = [(m.start(), m.end()) for n in [*names, *genres] if n for m in re.finditer(re.escape(n), work)]
    for m in reversed(list(_HASHTAG.finditer(work))):
        if any(start <= m.start() and m.end() <= end for start, end in in_names):
            continue
        counts["names"] += 1
        if hashtag_key(m.group(0)) not in allowed_tags:
            issues.append(Issue(code="invented_hashtag", detail=f"{m.group(0)} is not made from a fact"))
        work = _cut(work, m.start(), m.end())
    for name in sorted([*names, *genres], key=len, reverse=True):  # exact names, then truncated ones
        if name in work:
            counts["names"] += work.count(name)
            work = work.replace(name, f" {PLACEHOLDER} ")
    while (pos := work.find(ELLIPSIS)) >= 0:
        head = _truncated_name_before(work[:pos], names)
        work = _cut(work, pos - len(head), pos + 1) if head else work[:pos] + " " + work[pos + 1 :]
    for mention in _MENTION.finditer(work):
        issues.append(Issue(code="invented_name", detail=f"mention {mention.group(0)} is not in the facts"))
    allowed_dates, months = set(facts.dates()), _release_months(facts)
    for pattern, form in _date_patterns():
        for dm in reversed(list(pattern.finditer(work))):
            counts["dates"] += 1
            parsed = _dates_of(dm, form)
            ok = parsed in months if isinstance(parsed, tuple) else any(d in allowed_dates for d in parsed)
            if not ok:
                issues.append(Issue(code="invented_date", detail=f"date {dm.group(0)!r} is not in the facts"))
            work = _cut(work, dm.start(), dm.end())
    allowed, pcts = _allowed_numbers(facts)
    for m in reversed(list(_NUMBER.finditer(work))):
        counts["numbers"] += 1
        work = _cut(work, m.start(), m.end())
        suffix = m.group(2)
        pool = pcts if suffix == "%" else allowed
        readings = _candidates(m.group(1), None if suffix == "%" else suffix)
        if not any(abs(v - a) <= tol + 1e-9 for v, tol in readings for a in pool):
            issues.append(
                Issue(code="invented_number", detail=f"number {m.group(0).strip()!r} is not in the facts")
            )
    name_words = {w.casefold() for n in [*names, *genres, *PLATFORM_NAMES.values()] for w in _WORD.findall(n)}
    for word in _WORD.findall(work):
        if word[:1].isupper() and word.casefold() not in name_words and not is_known_word(word):
            issues.append(Issue(code="invented_name", detail=f"name {word!r} is not in the facts"))
    length = platform_length(text, platform=platform)
    if limit is not None and length > limit:
        issues.append(Issue(code="too_long", detail=f"{length} characters, limit {limit} on {platform}"))
    detected = detect(work.replace(PLACEHOLDER, " ")).language
    if detected is not None and detected != language:
        issues.append(Issue(code="wrong_language", detail=f"written in {detected}, expected {language}"))
    return GroundingResult(
        ok=not issues, issues=tuple(issues), language_detected=detected, length=length, limit=limit, **counts
    )
