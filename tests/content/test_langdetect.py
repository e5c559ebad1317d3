"""The language check of drafts: py3langid restricted to en/fr/de, silent when unsure."""

from __future__ import annotations

import csv
import importlib.util
from collections.abc import Callable
from typing import Any

import pytest

from analytics.config import PROJECT_ROOT
from analytics.content.langdetect import MIN_PROBABILITY, detect

BENCHMARK = PROJECT_ROOT / "benchmarks" / "language_detection.py"


def _benchmark() -> Any:
    spec = importlib.util.spec_from_file_location("language_detection", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Thank you all for coming tonight!", "en"),
        ("Merci à tous d'être venus ce soir !", "fr"),
        ("Danke an alle, die heute Abend da waren!", "de"),
        ("Mettez le son.", "fr"),
        ("Lauter machen.", "de"),
        ("Kopfhörer auf, Licht aus.", "de"),
    ],
)
def test_short_posts_are_told_apart(text: str, language: str) -> None:
    found = detect(text)
    assert found.language == language
    assert set(found.probabilities) == {"en", "fr", "de"}
    assert found.probabilities[language] >= MIN_PROBABILITY
    assert sum(found.probabilities.values()) == pytest.approx(1.0, abs=1e-4)


@pytest.mark.parametrize("text", ["", "   :    .", "Maxstack", "#Maxstack 🎧", "12 345"])
def test_too_little_text_gives_no_answer(text: str) -> None:
    assert detect(text).language is None


def test_an_unsure_answer_is_no_answer() -> None:
    # Late mixing session: one German word, one that German borrowed; the model's best is a guess.
    text = "Späte Mixing-Session."
    best = max(detect(text, min_probability=0.0).probabilities.values())
    assert best < MIN_PROBABILITY
    assert detect(text).language is None
    assert detect(text, min_probability=0.0).language is not None


def test_on_the_labelled_posts_it_is_no_worse_than_the_function_word_counts_it_replaced() -> None:
    bench = _benchmark()
    with bench.POSTS.open(encoding="utf-8", newline="") as handle:
        posts = list(csv.DictReader(handle))
    assert {p["language"] for p in posts} == {"en", "fr", "de"} and len(posts) >= 300

    def score(detector: Callable[[str], str | None]) -> tuple[int, int]:
        answers = [(detector(p["text"]), p["language"]) for p in posts]
        return sum(a == lang for a, lang in answers), sum(a is not None and a != lang for a, lang in answers)

    right_before, wrong_before = score(bench.function_word_counts)
    right_now, wrong_now = score(lambda text: detect(text).language)
    assert right_now >= right_before, (right_now, right_before)
    assert wrong_now <= wrong_before, (wrong_now, wrong_before)
