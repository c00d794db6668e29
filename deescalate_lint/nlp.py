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


def _nlp(lang: LanguageProfile | None) -> Any:
    nlp = pipeline(lang.spacy, lang.rule_based_tokeniser) if lang else pipeline("xx")
    return nlp


def tokenise(text: str, lang: LanguageProfile | None) -> Tokens:
    """Tokens and sentences of ``text`` as the language's file configures them
    (spaCy code, tokeniser, extra sentence breaks); None: language-neutral."""
    return Piece(text, 0, len(text), lang).tokens


#: Runs (white-space-separated) of margin at each end of a piece: spaCy's
#: special cases may join tokens of neighbouring runs (": -)"), so tokens this
#: close to a piece's ends may differ from the whole text's and are not relied on.
_MARGIN_RUNS = 2
#: A piece reaches about this many characters past the trigger it is cut for,
#: so the triggers after it in a long turn are judged on the same piece.
PIECE = 4_000
#: Pieces grow (doubling) up to about this many characters; past it, the whole text.
MAX_PIECE = 40_000


class Piece:
    """``text[a:b]`` tokenised by spaCy, offsets into ``text``.

    Why this can stand for the whole text (tests/test_scope.py compares the
    two): spaCy's tokeniser cuts the text into runs at white space and
    tokenises each run on its own, so a piece cut at run edges has the whole
    text's tokens (``_MARGIN_RUNS`` from its ends aside). Its sentencizer
    walks the tokens with one bit of state (a sentence-final mark seen); after
    a token that is neither punctuation nor such a mark the bit is clear
    whatever came before, so from there on (``clear``) the piece starts
    sentences exactly where the whole text does. ``exact`` says, for one span,
    whether that is enough for what scope reads.
    """

    def __init__(self, text: str, a: int, b: int, lang: LanguageProfile | None) -> None:
        from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, ORTH

        self.text, self.a, self.b = text, a, b
        nlp = _nlp(lang)
        # The tokeniser alone, its attributes as one array (no Token objects);
        # the sentencizer's rule is applied here (``_sentence_starts``).
        doc = nlp.tokenizer(text[a:b])
        rows = doc.to_array([IDX, LENGTH, IS_SPACE, IS_PUNCT, ORTH]).tolist() if len(doc) else []
        marks = _marks(nlp)
        low = _runs_on(text, a, _MARGIN_RUNS) if a else 0
        token_starts: list[int] = []
        token_ends: list[int] = []
        heads: list[int] = []
        tails: list[int] = []
        clear: int | None = 0 if not a else None
        seen = False
        last = a
        for index, (at, length, space, punct, orth) in enumerate(rows):
            start = at + a
            mark = orth in marks
            plain = not punct and not mark
            if not index or (plain and seen):
                if index:
                    tails.append(last)
                heads.append(start)
                seen = False
            if mark:
                seen = True
            if clear is None and plain and start >= low:
                clear = start + 1
            last = start + length
            if not space:
                token_starts.append(start)
                token_ends.append(last)
        if rows:
            tails.append(last)
        self.token_starts = token_starts
        self.token_ends = token_ends
        #: Where sentences start (white-space tokens too), in order.
        self.sentence_starts = heads
        sentences = tuple(zip(heads, tails, strict=True))
        extra = lang.sentence_break_pattern if lang else None
        if extra is not None:
            sentences = _split_further(text, sentences, extra)
        if not sentences:
            sentences = ((a, b),)
        self.tokens = Tokens(tuple(zip(token_starts, token_ends, strict=True)), sentences)
        #: Tokens from here on stand as in the whole text (``_MARGIN_RUNS`` in).
        self.low = low
        self.high = _runs_back(text, b, _MARGIN_RUNS) if b < len(text) else len(text)
        #: Where sentence starts stand as in the whole text: just after the first
        #: token past the margin that clears the sentencizer's bit (None: none).
        self.clear = clear

    def exact(self, start: int, end: int, reach: int, whole_sentence: bool) -> bool:
        """Whether this piece judges ``text[start:end]`` as the whole text would:
        after ``clear``, a sentence starts before the span or ``reach`` tokens
        stand before it; and likewise after it (a sentence start before the
        margin, or ``reach`` tokens). A language with extra sentence breaks
        needs the span's whole sentence inside, as its breaks are found
        sentence by sentence."""
        clear, high = self.clear, self.high
        if clear is None or clear > start or start < self.a or end > self.b:
            return False
        starts = self.sentence_starts
        left = bisect.bisect_right(starts, start) > bisect.bisect_left(starts, clear)
        if not left and not whole_sentence:
            first = bisect.bisect_left(self.token_starts, clear)
            left = bisect.bisect_right(self.token_ends, start) - first >= reach
        right = self.b == len(self.text) or bisect.bisect_right(starts, high) > bisect.bisect_right(
            starts, start
        )
        if not right and not whole_sentence:
            first = bisect.bisect_left(self.token_starts, end)
            right = bisect.bisect_right(self.token_ends, high) - first >= reach
        return left and right


def _marks(nlp: Any) -> frozenset[int]:
    """The ids of the sentencizer's punctuation marks in ``nlp``'s vocabulary.

    The sentencizer's rule, which ``Piece`` applies token by token (spaCy's
    own pipe makes a Python object of every token: most of the time on a
    long template; tests/test_scope.py compares the two): a sentence-final
    mark (``_PUNCT_CHARS``) sets a flag; the next token that is neither
    punctuation nor such a mark starts a sentence and clears it; the first
    token always starts one.
    """
    return frozenset(nlp.vocab.strings.add(c) for c in _PUNCT_CHARS)


def piece_around(
    text: str, start: int, end: int, lang: LanguageProfile | None, reach: int
) -> Piece | None:
    """A piece of ``text`` around ``text[start:end]`` (and about ``PIECE``
    characters on, for the triggers that follow) that judges the span as the
    whole text would; None when none of up to ``MAX_PIECE`` characters can be
    shown to, or when it would be the whole text anyway (tokenise that)."""
    runs = reach + 1 + _MARGIN_RUNS
    breaks = lang.sentence_break_pattern if lang else None
    while True:
        a = _runs_back(text, start, runs)
        b = _runs_on(text, max(end, min(len(text), start + PIECE)), runs)
        if (a == 0 and b == len(text)) or b - a > MAX_PIECE:
            return None
        piece = Piece(text, a, b, lang)
        if piece.exact(start, end, reach, whole_sentence=breaks is not None):
            return piece
        runs *= 2


def tokens_around(
    text: str, start: int, end: int, lang: LanguageProfile | None, reach: int
) -> Tokens | None:
    """The tokens of ``piece_around`` (None: tokenise the whole text)."""
    piece = piece_around(text, start, end, lang, reach)
    return piece.tokens if piece is not None else None


def _runs_back(text: str, position: int, runs: int) -> int:
    """Where the ``runs``-th white-space-separated run before ``position`` starts
    (the run ``position`` is in, or ends at, counts), or 0."""
    i = position
    for _ in range(runs):
        while i and text[i - 1].isspace():
            i -= 1
        while i and not text[i - 1].isspace():
            i -= 1
        if not i:
            break
    return i


def _runs_on(text: str, position: int, runs: int) -> int:
    """Where the ``runs``-th run from ``position`` on ends (the run it is in counts)."""
    i, n = position, len(text)
    for _ in range(runs):
        while i < n and text[i].isspace():
            i += 1
        while i < n and not text[i].isspace():
            i += 1
        if i == n:
            break
    return i


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
