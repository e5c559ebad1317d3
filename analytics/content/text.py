"""Plain-text hygiene: cleaning hostile names, graceful truncation, platform length counting.

Everything encore writes for a platform is plain text. Names that come from the catalog or from a
platform may carry markup, control characters, bidirectional overrides or be very long; they are
cleaned once, when the fact sheet is built, and shortened with an ellipsis where a draft needs it.
"""

from __future__ import annotations

import re
import unicodedata

ELLIPSIS = "…"

# Bidirectional embeddings/overrides/isolates and the implicit marks (LRM, RLM, ALM).
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}
# Zero-width and invisible characters that only hide things (ZWJ U+200D stays: emoji sequences).
_INVISIBLE = {"\u200b", "\u200c", "\u2060", "\ufeff", "\u00ad", "\u180e"}
_TAG = re.compile(r"<\s*/?\s*[A-Za-z!?][^<>]{0,200}>")
_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{1,6}|#x[0-9A-Fa-f]{1,6});")
_DOUBLE_QUOTES = str.maketrans({c: "'" for c in '"“”„‟«»〝〞＂'})
_ANGLES = str.maketrans({"<": "‹", ">": "›"})
_SPACES = re.compile(r"\s+")
_ENTITY_NAMES = {"amp": "&", "lt": "‹", "gt": "›", "quot": "'", "apos": "'", "nbsp": " "}


def _entity_text(match: re.Match[str]) -> str:
    body = match.group(0)[1:-1]
    if body.startswith("#"):
        try:
            code = int(body[2:], 16) if body[1:2] in {"x", "X"} else int(body[1:])
            return chr(code)
        except (ValueError, OverflowError):
            return ""
    return _ENTITY_NAMES.get(body.lower(), "")


def clean_name(value: object) -> str:
    """A name as safe plain text: no markup, control, bidi-override or invisible characters.

    Parameters
    ----------
    value : a title, artist or playlist name as it came from a source (``None`` gives ``""``).

    Returns
    -------
    NFC-normalised text on one line. HTML tags are dropped (their inner text kept), entities
    decoded, remaining angle brackets become ‹ ›, double quotes become ``'`` so that a name never
    closes the quotes a draft puts around it. Emoji and right-to-left letters are kept.
    """
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = _TAG.sub(" ", text)
    text = _ENTITY.sub(_entity_text, text)
    out = []
    for ch in text:
        if ch in _BIDI or ch in _INVISIBLE:
            continue
        cat = unicodedata.category(ch)
        if cat == "Cc" or cat in {"Cs", "Co", "Cn"}:
            out.append(" " if ch in "\t\n\r\x0b\x0c" else "")
            continue
        out.append(ch)
    text = "".join(out).translate(_DOUBLE_QUOTES).translate(_ANGLES)
    return _SPACES.sub(" ", text).strip()


def _safe_cut(text: str, end: int) -> int:
    """Move ``end`` left so the cut never splits a grapheme (combining marks, ZWJ sequences)."""
    while end > 0 and end < len(text):
        nxt, prev = text[end], text[end - 1]
        if unicodedata.combining(nxt) or nxt in {"\u200d", "\ufe0f", "\ufe0e"} or prev == "\u200d":
            end -= 1
            continue
        if 0x1F3FB <= ord(nxt) <= 0x1F3FF:  # skin-tone modifier belongs to the previous emoji
            end -= 1
            continue
        break
    return end


def shorten(text: str, max_chars: int) -> str:
    """``text`` if it fits, else cut at a word boundary with an ellipsis (total <= ``max_chars``).

    Examples
    --------
    >>> shorten("Endgame: Singularity Original Soundtrack", 24)
    'Endgame: Singularity…'
    """
    if max_chars < 2:
        raise ValueError(f"max_chars must be at least 2, got {max_chars}")
    if len(text) <= max_chars:
        return text
    limit = max_chars - 1
    cut = text.rfind(" ", 0, limit + 1)
    if cut < max(1, limit // 2):  # no space in the second half: cut inside the word
        cut = limit
    cut = _safe_cut(text, cut)
    if cut == 0:
        cut = _safe_cut(text, limit) or limit
    head = text[:cut].rstrip(" ,;:-–—/([{'")
    return (head or text[:cut]) + ELLIPSIS


def _x_weight(ch: str) -> int:
    cp = ord(ch)
    if cp <= 0x10FF or 0x2000 <= cp <= 0x200D or 0x2010 <= cp <= 0x201F or 0x2032 <= cp <= 0x2037:
        return 1
    return 2


def x_weighted_length(text: str) -> int:
    """Length as X counts it: Latin and common punctuation weigh 1, other characters 2.

    Emoji sequences joined by ZWJ count once (as 2), as X does.
    """
    total = 0
    skip_next = False
    for ch in unicodedata.normalize("NFC", text):
        if skip_next:
            skip_next = False
            continue
        if ch == "\u200d":
            skip_next = True  # the joined emoji is part of the previous one
            continue
        if ch in {"\ufe0f", "\ufe0e"} or 0x1F3FB <= ord(ch) <= 0x1F3FF:
            continue
        total += _x_weight(ch)
    return total


def platform_length(text: str, *, platform: str) -> int:
    """The length a platform's limit applies to: X's weighted count, else code points."""
    return x_weighted_length(text) if platform == "x" else len(text)


def hashtag(text: str) -> str | None:
    """A hashtag from a name: letters and digits in CamelCase, ``None`` if nothing usable remains.

    Examples
    --------
    >>> hashtag("Endgame: Singularity")
    '#EndgameSingularity'
    """
    words = re.findall(r"[^\W_]+", unicodedata.normalize("NFC", text))
    if not words:
        return None
    tag = "".join(w[:1].upper() + w[1:] if not w[:1].isupper() else w for w in words)
    if tag.isdigit() or len(tag) > 40:
        return None
    return "#" + tag


def hashtag_key(tag: str) -> str:
    """Comparison key of a hashtag: casefolded letters and digits only."""
    return "".join(ch for ch in tag.casefold() if ch.isalnum())
