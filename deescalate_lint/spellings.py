"""Spellings a language lets every pattern read: contractions without their
apostrophe, and the spoken forms of common words.

Why: chat and social posts drop the apostrophe all the time ("dont", "cant",
"im so angry", "i cant guarantee"), and a pack pattern that spells "don't"
missed them; writing ``don'?t`` by hand in every pattern of every rule is the
kind of duplication that gets forgotten (the English packs had it in a few
dozen of several hundred). A language file lists the contractions in
``[analysis] optional_apostrophe``; each listed word written in a pattern
(and in a scope cue) then also matches with its apostrophe left out. Only
listed words: "we're"/"were", "we'll"/"well" and "I'll"/"ill" are other words
without it, so English does not list them.

The same holds for spoken and dialect forms of a few function words: German
writers put Bavarian, Swiss, Berlin and Low German speech in transcripts ("des
is ned mei Problem", "dat is nich meine Schuld"), and a pattern that spells
"das ist nicht" missed them all. A language file maps a standard word to its
spoken forms in ``[analysis] spoken_forms``; each listed word written as a
whole word of a pattern (or a scope cue) then also matches those forms.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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


#: A language's spoken forms: (standard word, its other spellings), sorted.
SpokenForms = tuple[tuple[str, tuple[str, ...]], ...]


def spoken_forms(where: str, table: object) -> SpokenForms:
    """The ``spoken_forms`` table of a language file, checked."""
    if table is None:
        return ()
    ok = isinstance(table, Mapping) and all(
        isinstance(word, str)
        and regex.fullmatch(r"\w+", word)
        and isinstance(forms, list)
        and forms
        and all(isinstance(f, str) and regex.fullmatch(r"[\w']+", f) for f in forms)
        for word, forms in table.items()
    )
    if not ok:
        raise RulePackError(
            where,
            "analysis.spoken_forms must map a word to a list of its spoken forms "
            '(e.g. nicht = ["net", "ned"])',
        )
    assert isinstance(table, Mapping)
    # lower(), not casefold(): "weiß" is read as written and as "weiss".
    return tuple(sorted((word.lower(), tuple(forms)) for word, forms in table.items()))


#: A whole word of a pattern's source: after the start, a space, "(", "|", ":",
#: a lookaround's "=" or "!", an escape "\b" / "\s", or a quantified space or
#: group ending in one ("\s+", "(?:\w+ ){0,2}?"); before the end, a space, ")",
#: "|" or such an escape. Not a word followed by a quantifier ("nichts?"),
#: another word character or an apostrophe, nor one inside a character class,
#: nor a group's name ("(?P=ist)", "(?(ist)"). Only the words ignore case: "\B"
#: and "\S" are not "\b" and "\s" (widened, "\Bist\b" would read "Preis").
_QUANTIFIER = r"(?:[?*+]|\{[\d,]+\})\??"
_WHOLE_WORD = (
    rf"(?<=^|[ (|:=!]|\\[bs]|\\s{_QUANTIFIER}|(?: |\\s)\){_QUANTIFIER})"
    r"(?<!\(\?P=|\(\?\()((?i:WORDS))(?=$|[ )|]|\\[bs])"
)


@lru_cache(maxsize=8)
def _spoken_pattern(
    forms: SpokenForms,
) -> tuple[regex.Pattern[str], dict[str, tuple[str, ...]]]:
    # Both "weiß" and "weiss": the regex module ignores case one letter for one.
    spelled = {w for word, _ in forms for w in (word, word.casefold())}
    words = "|".join(regex.escape(word) for word in sorted(spelled, key=lambda w: (-len(w), w)))
    alternatives = {word.casefold(): others for word, others in forms}
    return regex.compile(_WHOLE_WORD.replace("WORDS", words)), alternatives


def with_spoken_forms(source: str, forms: SpokenForms) -> str:
    """``source`` with each listed word also matching its spoken forms ("ist"
    becomes "(?:ist|is|isch)"), the author's spelling kept first; a word
    written in capitals stays as it is, and a capitalised word gets
    capitalised forms: in a case-sensitive group the author meant the case
    ("(?-i:Sie)", the polite "you", reads "Se", not "se", "they")."""
    if not forms:
        return source
    pattern, alternatives = _spoken_pattern(forms)

    def widened(match: regex.Match[str]) -> str:
        word = match.group()
        # A word in capitals is about capitals (shouting: "(?-i:NICHT)").
        if (len(word) > 1 and word.isupper()) or _in_class(source, match.start()):
            return word
        others = alternatives[word.casefold()]
        if word[0].isupper():
            others = tuple(form[:1].upper() + form[1:] for form in others)
        return f"(?:{word}|{'|'.join(others)})"

    return pattern.sub(widened, source)


def _in_class(source: str, index: int) -> bool:
    """Whether ``index`` is inside a character class ("[ist]") of ``source``."""
    opened = source.rfind("[", 0, index)
    return opened != -1 and source.find("]", opened) > index and source[opened - 1 : opened] != "\\"


@dataclass(frozen=True)
class Spellings:
    """What a language lets every pattern and cue read besides what it spells:
    contractions without the apostrophe, spoken forms of common words."""

    apostrophes: tuple[str, ...] = ()
    spoken: SpokenForms = ()

    @staticmethod
    def of(where: str, analysis: Mapping[str, object]) -> Spellings:
        """The spellings of a language file's ``[analysis]`` table, checked."""
        return Spellings(
            optional_apostrophes(where, analysis.get("optional_apostrophe")),
            spoken_forms(where, analysis.get("spoken_forms")),
        )

    def __bool__(self) -> bool:
        return bool(self.apostrophes or self.spoken)

    def apply(self, source: str) -> str:
        """A pattern's source as the language reads it (both spellings applied)."""
        return with_spoken_forms(with_optional_apostrophes(source, self.apostrophes), self.spoken)


#: No spellings besides what the patterns spell (a language without ``[analysis]``).
NO_SPELLINGS = Spellings()
