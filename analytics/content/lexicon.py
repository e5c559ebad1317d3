"""Known vocabulary: words that may be capitalised in a draft without being a name from the facts.

The vocabulary is the generator's own phrasebook, each language's function words, month and day names from
Babel, musical keys and a short list of common words of posts about music, in en/fr/de. A
capitalised word outside it and outside every fact's names is taken for an invented name.
"""

from __future__ import annotations

import re
from functools import cache

from babel import Locale

from analytics.content import lang as L
from analytics.content.generator import PHRASEBOOK, WORDS
from analytics.content.text import hashtag_key

_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
_SLOT = re.compile(r"\{[^}]*\}")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Each language's function words (and a few everyday words of posts): ordinary words, never names.
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": _words(
        "a about after all also an and any are as at back be been before being but by can come could did "
        "do does down each even every for from get got had has have he her here him his how i if in into "
        "is it its just last like made make many me more most much my new next no not now of on one only "
        "or other our out over past previous right said same see she since so some still than that the "
        "their them then there these they this those through to too under up us very was way we week well "
        "were what when where which while who will with would you your month listen thanks"
    ),
    "fr": _words(
        "à au aux avec ce ces cet cette chez comme dans de des du elle elles en est et être eu il ils je "
        "la le les leur leurs lui ma mais me même mes moi mon ne nos notre nous on ou où par pas pour qu "
        "que qui sa se ses son sont sur ta te tes toi ton tu un une vos votre vous été était ont plus "
        "depuis entre vers sans aussi déjà encore très tout tous toute toutes semaine mois merci sortie "
        "nouveau nouvelle nouvel titre titres écoutes abonnés voici l d c j n"
    ),
    "de": _words(
        "aber alle als also am an auch auf aus bei bin bis bist da damit dann das dass dein deine dem den "
        "der des die dies diese diesem diesen dieser doch du durch ein eine einem einen einer eines er es "
        "euch euer eure für hat hatte hier ich ihr ihre im in ist ja jetzt kann kein keine mit nach nicht "
        "noch nun nur oder schon sehr sein seine sich sie sind so um und uns unser vom von vor war was "
        "weil wenn wer wie wir wird zu zum zur über woche monat neue neues neuen danke titel mehr seit"
    ),
}

COMMON = frozenset(
    [
        "album",
        "albums",
        "single",
        "singles",
        "ep",
        "eps",
        "track",
        "tracks",
        "song",
        "songs",
        "music",
        "stream",
        "streams",
        "streaming",
        "listeners",
        "followers",
        "fans",
        "playlist",
        "playlists",
        "release",
        "releases",
        "spotify",
        "instagram",
        "tiktok",
        "youtube",
        "x",
        "bpm",
        "lufs",
        "today",
        "tonight",
        "now",
        "new",
        "out",
        "here",
        "thank",
        "thanks",
        "week",
        "month",
        "year",
        "listen",
        "check",
        "enjoy",
        "love",
        "happy",
        "big",
        "huge",
        "finally",
        "proud",
        "grateful",
        "friends",
        "everyone",
        "you",
        "we",
        "our",
        "us",
        "my",
        "i",
        "it's",
        "morceau",
        "morceaux",
        "chanson",
        "chansons",
        "musique",
        "écoute",
        "auditeurs",
        "auditrices",
        "abonnés",
        "abonnées",
        "sortie",
        "sorties",
        "nouveauté",
        "aujourd'hui",
        "enfin",
        "merci",
        "grâce",
        "semaine",
        "mois",
        "année",
        "lied",
        "lieder",
        "musik",
        "hörer",
        "hörerinnen",
        "follower",
        "titel",
        "veröffentlichung",
        "veröffentlichungen",
        "woche",
        "monat",
        "jahr",
        "heute",
        "endlich",
        "danke",
        "neu",
        "neue",
        "neues",
        "playlist",
        "streams",
        "fans",
        "c",
        "d",
        "e",
        "f",
        "g",
        "a",
        "b",
        "h",
        "do",
        "ré",
        "mi",
        "fa",
        "sol",
        "la",
        "si",
        "dur",
        "moll",
    ]
)


@cache
def month_names() -> dict[str, int]:
    """Month names and abbreviations of en/fr/de (casefolded, no trailing dot) → month number."""
    out: dict[str, int] = {}
    for lang in L.LANGUAGES:
        loc = Locale.parse(lang)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in loc.months[context][width].items():
                    out[str(name).casefold().rstrip(".")] = int(number)
    out.pop("", None)
    return out


@cache
def _vocabulary() -> frozenset[str]:
    words: set[str] = set(COMMON)
    for function_words in FUNCTION_WORDS.values():
        words |= function_words
    for lang in L.LANGUAGES:
        texts = [t for block in PHRASEBOOK[lang].values() for t in block]
        texts += [w for values in WORDS[lang].values() for w in values if not w.startswith("#")]
        texts += [form for forms in L.NOUNS.values() for form in forms[lang][:2]]
        texts += list(L.DE_DATIVE_PLURAL.values())
        texts += [L.key_name(k, m, lang) for k in range(12) for m in ("major", "minor", None)]
        loc = Locale.parse(lang)
        for context in ("format", "stand-alone"):
            texts += [str(d) for d in loc.days[context]["wide"].values()]
        for text in texts:
            for word in _WORD.findall(_SLOT.sub(" ", text)):
                words.add(word.casefold())
                words.update(part.casefold() for part in re.split(r"[-'’]", word) if part)
    words |= set(month_names())
    return frozenset(words)


def is_known_word(word: str) -> bool:
    """Whether ``word`` (any case) is ordinary vocabulary rather than a name."""
    folded = word.casefold()
    if folded in _vocabulary():
        return True
    parts = [p for p in re.split(r"[-'’]", folded) if p]
    return bool(parts) and all(p in _vocabulary() for p in parts)


@cache
def generic_hashtag_keys() -> frozenset[str]:
    """Hashtags any draft may carry (#NewMusic, #NouvelleMusique, …), as comparison keys."""
    return frozenset(hashtag_key(t) for lang in L.LANGUAGES for t in WORDS[lang]["hashtags"])
