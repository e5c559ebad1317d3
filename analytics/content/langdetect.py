"""Which of encore's languages (English, French, German) a short text is written in.

py3langid (langid.py's naive Bayes model over byte n-grams, trained on a large multilingual
corpus), restricted to en/fr/de. On short posts it is right more often than the function-word
counts it replaced (``benchmarks/language_detection.py``). Too little evidence gives ``None``
rather than a guess: fewer than :data:`MIN_WORDS` words, or no language at
:data:`MIN_PROBABILITY` or above.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from analytics.content.lang import LANGUAGES

MIN_WORDS = 2
MIN_PROBABILITY = 0.6
"""Below this the best of three languages is a guess (no evidence at all gives a third each)."""
_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class Detection:
    language: str | None
    probabilities: dict[str, float]


@cache
def _identifier() -> Any:
    """py3langid's model restricted to encore's languages, loaded once (a second or so)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def detect(text: str, *, min_probability: float = MIN_PROBABILITY) -> Detection:
    """The language of ``text`` among en/fr/de, with each one's probability; ``None`` when unsure."""
    if len(_WORD.findall(text)) < MIN_WORDS:
        return Detection(None, {})
    ranked = [(language, float(p)) for language, p in _identifier().rank(text)]
    best, probability = ranked[0]
    return Detection(best if probability >= min_probability else None, dict(ranked))
