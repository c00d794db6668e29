"""Contractions a language lets every pattern read without their apostrophe.

Why: chat and social posts drop the apostrophe all the time ("dont", "cant",
"im so angry", "i cant guarantee"), and a pack pattern that spells "don't"
missed them; writing ``don'?t`` by hand in every pattern of every rule is the
kind of duplication that gets forgotten (the English packs had it in a few
dozen of several hundred). A language file lists the contractions in
``[analysis] optional_apostrophe``; each listed word written in a pattern
(and in a scope cue) then also matches with its apostrophe left out. Only
listed words: "we're"/"were", "we'll"/"well" and "I'll"/"ill" are other words
without it, so English does not list them.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import regex

from .errors import RulePackError


def optional_apostrophes(where: str, words: object) -> tuple[str, ...]:
    """The ``optional_apostrophe`` list of a language file, checked."""
    if words is None:
        return ()
    if not isinstance(words, list) or not all(isinstance(w, str) and "'" in w for w in words):
        raise RulePackError(
            where, "analysis.optional_apostrophe must be a list of words, each with an apostrophe"
        )
    return tuple(words)


@lru_cache(maxsize=8)
def _listed(words: tuple[str, ...]) -> regex.Pattern[str]:
    # A listed word as a whole word of the pattern's source: not inside a
    # longer word (a word character before it that is not an escape's letter,
    # as in "\bdon't"), nor followed by a letter or an optional mark.
    alternatives = "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))
    return regex.compile(rf"(?<!(?<!\\)\w)(?:{alternatives})(?![\w'?])", regex.IGNORECASE)


def with_optional_apostrophes(source: str, words: Sequence[str]) -> str:
    """``source`` with each listed contraction's apostrophe made optional
    ("don't" becomes "don'?t"), as the author spelled it otherwise."""
    if not words or "'" not in source:
        return source
    return _listed(tuple(words)).sub(lambda m: m.group().replace("'", "'?"), source)
