"""Tokens and sentences, from spaCy blank pipelines created once per language.

spaCy is imported lazily: it costs over half a second to import, and most
turns never need tokens (only a turn where a trigger matched does, to judge
negation and hedge scope). What each language uses (spaCy's language code,
the rule-based tokeniser instead of a dictionary-based default, sentence
breaks without punctuation) is declared in its language file
(``[tokeniser]``, ``[sentences]``), not here. Inflection is handled by the
patterns, not by lemmas (blank pipelines have none).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

import regex

if TYPE_CHECKING:
    from .languages import LanguageProfile

#: Sentence-final punctuation across the supported languages, for the sentencizer.
_PUNCT_CHARS = [".", "!", "?", "。", "！", "？", "…", "؟", "｡", "\n"]


@dataclass(frozen=True)
class Tokens:
    """Character offsets of the tokens and sentences of one text."""

    tokens: tuple[tuple[int, int], ...]
    sentences: tuple[tuple[int, int], ...]

    # Offsets are sorted and do not overlap, so every look-up is a binary
    # search: a turn with thousands of triggers must not rescan its tokens
    # for each one (that was quadratic).
    @cached_property
    def _token_starts(self) -> list[int]:
        return [t[0] for t in self.tokens]

    @cached_property
    def _token_ends(self) -> list[int]:
        return [t[1] for t in self.tokens]

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s[0] for s in self.sentences]

    @cached_property
    def _sentence_ends(self) -> list[int]:
        return [s[1] for s in self.sentences]

    def sentence_of(self, start: int, end: int) -> tuple[int, int]:
        """The first sentence holding ``start`` or ending at/after ``end``, stretched to ``end``."""
        candidates = []
        i = bisect.bisect_right(self._sentence_starts, start) - 1
        if i >= 0 and self.sentences[i][0] <= start < self.sentences[i][1]:
            candidates.append(i)
        j = bisect.bisect_left(self._sentence_ends, end)
        if j < len(self.sentences) and self.sentences[j][0] < end <= self.sentences[j][1]:
            candidates.append(j)
        if not candidates:
            return start, end
        s0, s1 = self.sentences[min(candidates)]
        return s0, max(s1, end)

    def before(self, position: int, lower: int, count: int) -> list[tuple[int, int]]:
        """Up to ``count`` tokens ending by ``position`` and starting at ``lower`` or later."""
        if not count:
            return []
        lo = bisect.bisect_left(self._token_starts, lower)
        hi = bisect.bisect_right(self._token_ends, position)
        return list(self.tokens[max(lo, hi - count) : hi]) if hi > lo else []

    def after(self, position: int, upper: int, count: int) -> list[tuple[int, int]]:
        lo = bisect.bisect_left(self._token_starts, position)
        hi = bisect.bisect_right(self._token_ends, upper)
        return list(self.tokens[lo : min(hi, lo + count)]) if hi > lo else []


@lru_cache(maxsize=16)
def pipeline(spacy_code: str, rule_based: bool = False) -> Any:
    """A blank spaCy pipeline with a sentencizer, built once per language setting.

    ``rule_based`` swaps in spaCy's rule-based tokeniser where the language's
    default one needs a dictionary that is not installed (Korean's MeCab).
    """
    import spacy

    config = {"nlp": {"tokenizer": {"@tokenizers": "spacy.Tokenizer.v1"}}} if rule_based else {}
    try:
        nlp = spacy.blank(spacy_code, config=config)
    except Exception:  # an unknown code: the language-neutral tokeniser still works
        nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer", config={"punct_chars": _PUNCT_CHARS})
    return nlp


def tokenise(text: str, lang: LanguageProfile | None) -> Tokens:
    """Tokens and sentences of ``text`` as the language's file configures them
    (spaCy code, tokeniser, extra sentence breaks); None: language-neutral."""
    nlp = pipeline(lang.spacy, lang.rule_based_tokeniser) if lang else pipeline("xx")
    doc = nlp(text)
    tokens = tuple((t.idx, t.idx + len(t.text)) for t in doc if not t.is_space)
    sentences = tuple((s.start_char, s.end_char) for s in doc.sents)
    extra = lang.sentence_break_pattern if lang else None
    if extra is not None:
        sentences = _split_further(text, sentences, extra)
    return Tokens(tokens, sentences or ((0, len(text)),))


def _split_further(
    text: str, sentences: tuple[tuple[int, int], ...], pattern: regex.Pattern[str]
) -> tuple[tuple[int, int], ...]:
    out: list[tuple[int, int]] = []
    for start, end in sentences:
        for match in pattern.finditer(text, start, end):
            out.append((start, match.start()))
            start = match.end()
        out.append((start, end))
    return tuple(out)
