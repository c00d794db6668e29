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

import re
from collections.abc import Sequence
from functools import lru_cache

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


#: A word with an apostrophe inside, as a pattern's source spells it.
_CONTRACTION = re.compile(r"\w+'\w+")


@lru_cache(maxsize=8)
def _folded(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(word.casefold() for word in words)


def with_optional_apostrophes(source: str, words: Sequence[str]) -> str:
    """``source`` with each listed contraction's apostrophe made optional
    ("don't" becomes "don'?t"), as the author spelled it otherwise.

    A listed word counts only as a whole word of the source: not inside a
    longer word, nor followed by an optional mark or another apostrophe; a
    letter of an escape before it ("\\bdon't") is not part of it."""
    if not words or "'" not in source:
        return source
    listed = _folded(tuple(words))

    def optional(match: re.Match[str]) -> str:
        head, word = "", match.group()
        if match.start() > 0 and source[match.start() - 1] == "\\":
            head, word = word[0], word[1:]  # "\\bdon't": the escape's letter is not the word's
        if source[match.end() : match.end() + 1] in ("?", "'") or word.casefold() not in listed:
            return match.group()
        return head + word.replace("'", "'?")

    return _CONTRACTION.sub(optional, source)
