"""Language detection on short posts: py3langid (en/fr/de) against the stopword counts it replaced.

The grounding validator checks that a draft is in the language asked for
(``analytics.content.langdetect.detect``). The labelled set, ``benchmarks/data/language_posts.csv``,
holds 315 short texts: 90 of each language from the content generator (drafts of at most 280
characters and single sentences of drafts, for the demo artists) and 45 of each written by hand
(posts an artist writes: thanks, tour news, release days, a few with emoji and hashtags).

Baseline: the detector encore had before, counting each language's function words
(``analytics.content.lexicon.FUNCTION_WORDS``), at least two hits and no tie, else no answer.

Printed per detector: accuracy (right answers over all texts; no answer counts as not right), the
wrong answers (a wrong answer fails a good draft; no answer lets the draft through unchecked),
the texts left without an answer and the time per text; then the ratio of the accuracies.
Writes ``benchmarks/results/language_detection.json``.

    uv run python benchmarks/language_detection.py
"""

from __future__ import annotations

import csv
import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from analytics.content.langdetect import detect
from analytics.content.lexicon import FUNCTION_WORDS

HERE = Path(__file__).resolve().parent
POSTS = HERE / "data" / "language_posts.csv"
RESULTS = HERE / "results" / "language_detection.json"
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def function_word_counts(text: str) -> str | None:
    """The former detector: the language with the most function words, at least two and no tie."""
    pieces: list[str] = []
    for word in (w.casefold().replace("’", "'") for w in _WORD.findall(text)):
        pieces.extend(word.split("'"))  # French elisions: l'album, d'Apex, c'est
    scores = sorted(
        ((sum(1 for w in pieces if w in words), lang) for lang, words in FUNCTION_WORDS.items()), reverse=True
    )
    (best, language), (runner, _) = scores[0], scores[1]
    return language if best >= 2 and best != runner else None


def measure(name: str, detector: Callable[[str], str | None], posts: list[dict[str, str]]) -> dict[str, Any]:
    detector(posts[0]["text"])  # load the model, if any, outside the timing
    started = time.perf_counter()
    answers = [detector(post["text"]) for post in posts]
    elapsed = time.perf_counter() - started
    right = sum(a == p["language"] for a, p in zip(answers, posts, strict=True))
    wrong = [
        {"text": p["text"], "language": p["language"], "detected": a}
        for a, p in zip(answers, posts, strict=True)
        if a is not None and a != p["language"]
    ]
    result = {
        "detector": name,
        "texts": len(posts),
        "accuracy": right / len(posts),
        "wrong": len(wrong),
        "no_answer": sum(a is None for a in answers),
        "ms_per_text": elapsed * 1000 / len(posts),
        "by_source": {
            source: sum(
                a == p["language"] for a, p in zip(answers, posts, strict=True) if p["source"] == source
            )
            / sum(p["source"] == source for p in posts)
            for source in sorted({p["source"] for p in posts})
        },
        "wrong_answers": wrong,
    }
    print(
        f"{name}: accuracy {result['accuracy']:.3f} ({right}/{len(posts)}), wrong {len(wrong)}, "
        f"no answer {result['no_answer']}, {result['ms_per_text']:.3f} ms per text"
    )
    return result


def main() -> None:
    with POSTS.open(encoding="utf-8", newline="") as handle:
        posts = list(csv.DictReader(handle))
    baseline = measure("function-word counts (before)", function_word_counts, posts)
    library = measure("py3langid, en/fr/de (now)", lambda text: detect(text).language, posts)
    ratio = library["accuracy"] / baseline["accuracy"]
    print(f"accuracy ratio py3langid / function-word counts: {ratio:.3f}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps({"baseline": baseline, "library": library, "accuracy_ratio": ratio}, indent=2) + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
