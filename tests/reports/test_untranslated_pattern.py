"""The allowed-phrase pattern of tests/reports/untranslated.py removes what the plain alternation
of every phrase and shortened name, longest first, removes."""

from __future__ import annotations

import random
import re

from tests.reports.untranslated import Allowed


def _plain(phrases: set[str]) -> re.Pattern[str]:
    shortened = {p[:k] + "…" for p in phrases if " " in p and len(p) < 80 for k in range(4, len(p))}
    ordered = sorted((p for p in phrases | shortened if p.strip()), key=len, reverse=True)
    return re.compile("|".join(re.escape(p) for p in ordered) or "(?!)")


def test_the_trie_pattern_removes_what_the_longest_first_alternation_removes() -> None:
    rng = random.Random(11)
    letters = "ab c…"  # few letters: phrases share starts, overlap and end inside each other
    for _ in range(600):
        phrases = {
            "".join(rng.choice(letters) for _ in range(rng.randint(1, 9))) for _ in range(rng.randint(0, 12))
        }
        plain, trie = _plain(phrases), Allowed(phrases=phrases).pattern()
        for _ in range(8):
            text = "".join(rng.choice(letters + "xy") for _ in range(rng.randint(0, 40)))
            assert trie.sub("#", text) == plain.sub("#", text), (sorted(phrases), text)
