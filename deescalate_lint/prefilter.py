"""Prefilter patterns generated from the real ones: looser, RE2 syntax, never written by hand.

A prefilter pattern answers one question about a turn: *could* the real
pattern match anywhere in it? It must say yes whenever the real one matches
(it may say yes when it does not: ``regex`` confirms every candidate). So
each piece of syntax becomes something that matches at least as much:

* zero-width tests (look-arounds, ``\\b``, ``^``, ``$``, ``\\A``...) are
  dropped: no constraint at all; except at a pattern's *tail* (nothing
  consumed after it, see ``TAIL``);
* atomic groups and possessive repeats become plain groups and repeats (they
  match the same strings, only with backtracking), and lazy repeats greedy ones;
* counted repeats above ``MAX_COUNT`` lose their bounds (``{0,400}`` -> ``*``);
* classes the two engines read differently (``\\w``, ``\\s``, ``\\d``,
  ``\\p{..}``, negated sets, the dot) become "the ASCII characters the class
  holds, and every character outside ASCII": exact on ASCII, never too strict
  elsewhere, whatever Unicode version each engine knows;
* anything else (back-references, global inline flags, fuzzy matching, set
  operations...) makes the pattern unknown: it is always a candidate.

One zero-width test is kept, in a form that consumes: the word edges a
language with ``word_boundaries`` puts around each group. When every match of
a pattern begins with a word character, the character before it (if any) is
not one, and whatever that character folds to holds no ASCII letter, digit
or ``_`` (tests/test_prefilter.py checks every code point); so the prefilter
asks for ``[^0-9a-z_]`` there, and likewise after a match that ends with a
word character. Without it, "no" would be a candidate in every "know" and
"now". The scan pads each text with ``PAD`` on both sides, so the edges need
no ``^`` or ``$``: with them in every pattern, RE2's DFA built ten times as
many states on the real corpora (measured: 0.31 s of warm-up against 0.03 s).

Case-insensitive patterns are matched against *folded* text (``fold``: the
Turkish dotted and dotless i made plain i, then ``str.casefold``), with every
literal and class member folded the same way. Why folding rather than RE2's
own case-insensitivity: ``regex`` matches İ with i and ı with I, which
Unicode's simple case folding (RE2's) keeps apart, and the two engines may
know different Unicode versions. What folding guarantees: whenever
``regex.IGNORECASE`` matches a character x with a character y,
``fold(x) == fold(y)`` (tests/test_prefilter.py checks every cased
character against every character of the shipped patterns). Folding may turn
one character into two or three (``ß`` -> ``ss``), so a class that can match
such a character stands for one to three folded characters.

A pattern made wholly of a case-sensitive part (``(?-i:NOW|RIGHT NOW)``) is
matched against the text as it is (``Prefilter.folded`` is False): folded, it
would be a candidate in every "know".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import regex

from . import literals
from .diskmemo import DiskMemo, fingerprint
from .literals import fold
from .regexes import compile_pattern

#: Counted repeats with a bound above this lose it (RE2 unrolls counted repeats).
MAX_COUNT = 16
#: Every character outside ASCII, in RE2 class syntax.
_NON_ASCII = r"\x{80}-\x{10FFFF}"
#: Characters outside ASCII whose fold is more than one character or holds an
#: ASCII character (ß -> ss, K (Kelvin sign) -> k, ﬁ -> fi...) all lie in these
#: blocks (tests/test_prefilter.py checks every code point).
SPECIAL_RANGES = ((0x80, 0x3000), (0xFB00, 0xFB50))
_WORD = compile_pattern(r"\w")

#: What the scan puts before and after each text (a character that is no word
#: character, so the edges above hold at the text's ends too).
PAD = " "
#: What the end of a text (``$``, ``\\Z``) becomes: white space a text may end
#: with (``str.rstrip`` removes these; every character outside ASCII is allowed,
#: so none is missed), the padding, and the NUL the scan puts after each text
#: (a NUL inside a text only adds candidates). The ``$`` of RE2 would make a
#: set's DFA slow, and cannot see the end of one of several texts scanned together.
END_OF_TEXT = r"[\t-\r\x{1C}-\x{20}\x{80}-\x{10FFFF}]*\x{0}"


@dataclass(frozen=True)
class Prefilter:
    """RE2 source, whether it is matched against folded text (else the text as is),
    and whether the real pattern may match nothing (``empty``: its prefilter's
    leftmost match then says nothing of where its matches start); ``ends_text``:
    every match of it ends with ``END_OF_TEXT`` (the pattern ends with ``$`` or a
    look-ahead at it, kept at the tail), so scanning one text it may be anchored
    at the end (``scan._Re2Engine``)."""

    source: str
    folded: bool
    empty: bool = True
    ends_text: bool = False


class Unknown(Exception):
    """Syntax the translation does not handle: the pattern is always a candidate."""


def prefilter(
    body: str, ignore_case: bool, word_boundaries: bool, tail: bool = False
) -> Prefilter | None:
    """The prefilter of ``body`` (a pattern as compiled, spaces expanded, in a
    group with these conventions); None when it is unknown (always a candidate).

    With ``word_boundaries`` and ``tail`` False it matches exactly the folded
    span of each match of ``body`` (no edge characters around it), so disjoint
    matches give disjoint prefilter matches (``scan.Entry`` repeats rely on it).

    ``tail``: what the pattern tests at its tail, after its last consumed
    character, is kept by consuming it (``TAIL``), so a match may run on past
    the real one's end; only where the scan asks whether it matches at all.
    """
    return _prefilter(body, ignore_case, word_boundaries, tail)


#: Translations kept between processes: a cold start would otherwise spend
#: about 0.4 s translating every pattern again. Keyed by the translator's code
#: (this module, the fold tables) and the regex version its \w test comes from.
_MEMO = DiskMemo(
    "prefilter",
    fingerprint(Path(__file__), Path(literals.__file__)) + "-" + regex.__version__,
)


@lru_cache(maxsize=8192)
def _prefilter(body: str, ignore_case: bool, word_boundaries: bool, tail: bool) -> Prefilter | None:
    found = _MEMO.get(
        (body, ignore_case, word_boundaries, tail),
        lambda: _stored(_translate(body, ignore_case, word_boundaries, tail)),
    )
    return None if found is None else Prefilter(*found)


def _stored(found: Prefilter | None) -> tuple[str, bool, bool, bool] | None:
    return None if found is None else (found.source, found.folded, found.empty, found.ends_text)


def _translate(
    body: str, ignore_case: bool, word_boundaries: bool, tail: bool = False
) -> Prefilter | None:
    folded = ignore_case
    if ignore_case:
        inner = _whole_case_sensitive(body)
        if inner is not None:
            body, folded = inner, False
    try:
        found = _read(body, folded, tail, head=tail)
        if tail and word_boundaries and not found.first_word:
            # A kept head says nothing of the word edge before the match: where
            # the pattern without it begins with a word character, that edge
            # rules out more ("(?<=^\s*|[,.]\s*)(?:call|ring)" and "recall").
            without = _read(body, folded, tail, head=False)
            if without.first_word:
                found = without
    except Unknown:
        return None
    source = found.source
    if word_boundaries:
        word = "0-9a-z_" if folded else "0-9A-Za-z_"
        # Vacuous when the pattern can match nothing: then the padding lets the
        # prefilter match nothing but an edge (always a candidate, as it must be).
        if found.first_word:
            source = f"[^{word}](?:{source})"
        if found.last_word:
            source = f"(?:{source})[^{word}]"
    ends_text = found.ends_text and not (word_boundaries and found.last_word)
    return Prefilter(source, folded, found.empty, ends_text)


def _read(body: str, folded: bool, tail: bool, head: bool) -> _Part:
    """``body`` read whole (``_Parser.alternation``); Unknown when it cannot be."""
    parser = _Parser(body, folded)
    found = parser.alternation(tail, head)
    if parser.i != len(body):
        raise Unknown(f"unbalanced ')' at {parser.i}")
    return found


def _whole_case_sensitive(body: str) -> str | None:
    """The inside of ``(?-i:...)`` when that group is the whole pattern."""
    if not body.startswith("(?-i:") or not body.endswith(")"):
        return None
    depth = 0
    escaped = in_class = False
    for position, char in enumerate(body):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return body[5:-1] if position == len(body) - 1 else None
    return None


@lru_cache(maxsize=1)
def special_characters() -> tuple[str, ...]:
    """Non-ASCII characters whose fold is several characters or holds ASCII ones."""
    found = []
    for low, high in SPECIAL_RANGES:
        for code in range(low, high):
            char = chr(code)
            changed = char.casefold() != char or code in _TURKIC
            if changed and folds_to_ascii_or_many(char):
                found.append(char)
    return tuple(found)


_TURKIC = (0x130, 0x131)


def folds_to_ascii_or_many(char: str) -> bool:
    folded = fold(char)
    return len(folded) > 1 or any(c.isascii() for c in folded)


@dataclass(frozen=True)
class _Part:
    """RE2 source for a piece of pattern, and what its matches begin and end with.

    ``first_word`` / ``last_word``: every non-empty match begins (ends) with a
    word character of the original text. ``empty``: it may match nothing.
    ``wide``: one character of the original may stand for up to three folded
    ones (classes only).
    """

    source: str
    first_word: bool = False
    last_word: bool = False
    empty: bool = False
    wide: bool = False
    #: One RE2 class or character: a repeat applies to it without a group.
    single: bool = False
    #: Every match ends with ``END_OF_TEXT`` (a kept ``$`` at the tail).
    ends_text: bool = False


_NOTHING = _Part("", first_word=True, last_word=True, empty=True)

# Why the tail (``prefilter``'s ``tail``): "a turn that stops on 'and', 'the',
# 'I've'" (``(?:and|the|...)(?=\\s*$)``) dropped its look-ahead and was a
# candidate in nearly every turn, each confirmed by ``regex`` in vain (with
# the other end-of-turn patterns, a third of all confirms on the real
# corpora). A positive look-ahead, or the end of the text, that nothing
# consumed follows is kept, consumed: the look-ahead's own prefilter, and
# ``END_OF_TEXT`` for ``$``, ``\\Z`` and ``\\z``. A real match followed by
# what it looks ahead at is then one prefilter match, begun where the real one
# begins. Such a part says nothing of the word edge after the match (that edge
# lies where the look-ahead begins), so none is asked for after it.
#
# Why the head (kept where the tail is): "I assure you ... will ..."
# (``(?<=\b(?:I|we)\s+assure\s+you\s+)...will...``) dropped its look-behind,
# and its prefilter matched nearly every "will" (the en unrealistic-promise
# trigger: every confirm failed, a third of all confirming time on the real
# corpora). A positive look-behind that no consumed part precedes (and no
# repeat holds) is kept, consumed: a real match and the text it looks behind
# at are one prefilter match, begun no later than the real one, so the scan's
# start offset (``scan._Re2Engine.match_starts``) stays a lower bound. It
# says nothing of the word edge before the match (``_KEPT_TEST``).

#: What a zero-width test kept by consuming (at the tail or the head) is as a
#: part: it may match nothing and says nothing of a word edge.
_KEPT_TEST = {"first_word": False, "last_word": False, "empty": True}
_END_PART = _Part(END_OF_TEXT, **_KEPT_TEST, ends_text=True)


def _edge_word(items: list[_Part], last: bool = False) -> bool:
    """Whether every non-empty match of the items in sequence begins with a word
    character (``items`` reversed and ``last``: ends with one): each item that
    may be empty lets the next decide too."""
    for item in items:
        if not (item.last_word if last else item.first_word):
            return False
        if not item.empty:
            return True
    return True


class _Parser:
    """A recursive-descent reader of the ``regex`` syntax rule packs use, writing
    the prefilter as it reads. ``folded``: literals and classes are folded."""

    def __init__(self, source: str, folded: bool) -> None:
        self.s = source
        self.i = 0
        self.folded = folded
        #: Whether the atom being read is the last of a sequence at the pattern's tail.
        self.at_tail = False
        #: Whether the atom being read is the first of a sequence at the pattern's
        #: head, not repeated (the head's "why" above ``_KEPT_TEST``).
        self.at_head = False

    # -- structure --------------------------------------------------------

    def alternation(self, tail: bool = False, head: bool = False) -> _Part:
        """Branches; ``tail``: nothing consumed follows them in the pattern;
        ``head``: nothing consumed comes before them."""
        branches = [self.sequence(tail, head)]
        while self.i < len(self.s) and self.s[self.i] == "|":
            self.i += 1
            branches.append(self.sequence(tail, head))
        if len(branches) == 1:
            return branches[0]
        return _Part(
            "|".join(b.source for b in branches),
            first_word=all(b.first_word for b in branches),
            last_word=all(b.last_word for b in branches),
            empty=any(b.empty for b in branches),
            ends_text=all(b.ends_text for b in branches),
        )

    def sequence(self, tail: bool = False, head: bool = False) -> _Part:
        items: list[_Part] = []
        while self.i < len(self.s) and self.s[self.i] not in "|)":
            run = _LITERAL_RUN.match(self.s, self.i)
            if run is not None:
                # Plain text, read at once; its last character may carry a repeat.
                text = run.group()
                if len(text) > 1 and _REPEATED.match(self.s, run.end()):
                    text = text[:-1]
                if len(text) > 1 or not _REPEATED.match(self.s, run.end()):
                    self.i += len(text)
                    items.append(self.literal_run(text))
                    continue
            self.at_tail = tail and self._last_atom()
            self.at_head = head and not items and self._first_group()
            atom = self.atom()
            self.at_tail = self.at_head = False
            if atom is None:
                self._quantifier()  # a repeated zero-width test is still zero-width
                continue
            items.append(self.quantified(atom))
        if not items:
            return _NOTHING
        return _Part(
            "".join(item.source for item in items),
            first_word=_edge_word(items),
            last_word=_edge_word(items[::-1], last=True),
            empty=all(item.empty for item in items),
            ends_text=items[-1].ends_text,
        )

    def _last_atom(self) -> bool:
        """Whether the atom at ``self.i`` is an end of the text or a group that
        ends its sequence (not repeated); others never care."""
        s, i = self.s, self.i
        if s[i] == "$":
            after: int | None = i + 1
        elif s.startswith(("\\Z", "\\z"), i):
            after = i + 2
        elif s[i] == "(":
            close = _group_end(s, i + 1)
            after = None if close is None else close + 1
        else:
            return False
        return after is not None and (after == len(s) or s[after] in "|)")

    def _first_group(self) -> bool:
        """Whether the atom at ``self.i`` is a group that is not repeated (a
        repeated look-behind would test before each repeat, not once)."""
        s, i = self.s, self.i
        if s[i] != "(":
            return False
        close = _group_end(s, i + 1)
        return close is not None and not _REPEATED.match(s, close + 1)

    def atom(self) -> _Part | None:
        """The next atom, or None for a zero-width test (dropped)."""
        char = self.s[self.i]
        if char == "(":
            return self.group()
        if char == "[":
            return self.char_class()
        if char == "\\":
            return self.escape()
        if char in "*+?" or (char == "{" and _COUNT.match(self.s, self.i)):
            raise Unknown("a repeat with nothing to repeat")
        if char == "{" and _FUZZY.match(self.s, self.i):
            raise Unknown("fuzzy matching, or a brace the two engines may read apart")
        self.i += 1
        if char == ".":
            return _generic(".", self.folded)
        if char == "$" and self.at_tail:
            return _END_PART
        if char in "^$":
            return None
        return self.literal(char)

    def group(self) -> _Part | None:
        s = self.s
        tail, self.at_tail = self.at_tail, False
        head, self.at_head = self.at_head, False
        self.i += 1
        if s.startswith("?", self.i):
            rest = s[self.i + 1 : self.i + 3]
            if rest[:1] in (":", ">"):  # plain or atomic: the same strings
                self.i += 2
            elif tail and rest[:1] == "=":  # a look-ahead at the tail: consumed
                self.i += 2
                ahead = self.alternation(tail=True)
                self._close()
                return _Part(f"(?:{ahead.source})", **_KEPT_TEST, ends_text=ahead.ends_text)
            elif head and rest == "<=":  # a look-behind at the head: consumed
                self.i += 3
                behind = self.alternation()
                self._close()
                return _Part(f"(?:{behind.source})", **_KEPT_TEST)
            elif rest in ("<=", "<!") or rest[:1] in ("=", "!"):
                self.i += 1 + (2 if rest[:1] == "<" else 1)
                self.alternation()  # read and dropped: a look-around never consumes
                self._close()
                return None
            elif rest.startswith("P<") or rest.startswith("<"):
                close = s.find(">", self.i)
                if close < 0:
                    raise Unknown("unterminated group name")
                self.i = close + 1
            elif _SCOPED_CASE.match(s, self.i + 1):
                # (?i:...) or (?-i:...): folded text matches a superset of both,
                # so in a folded pattern it is a plain group.
                if not self.folded:
                    raise Unknown("a case-insensitive part of a case-sensitive pattern")
                self.i += 1 + len(_SCOPED_CASE.match(s, self.i + 1).group())  # type: ignore[union-attr]
            elif rest.startswith("#"):
                close = s.find(")", self.i)
                if close < 0:
                    raise Unknown("unterminated comment")
                self.i = close + 1
                return None
            else:
                raise Unknown(f"group syntax (?{rest}")
        end = _group_end(s, self.i)
        if end is not None:
            # Concepts expand into the same alternations in many patterns:
            # each distinct group is read once.
            inner = _inner(s[self.i : end], self.folded, tail, head)
            self.i = end
        else:
            inner = self.alternation(tail, head)
        self._close()
        return _Part(
            f"(?:{inner.source})",
            inner.first_word,
            inner.last_word,
            inner.empty,
            ends_text=inner.ends_text,
        )

    def _close(self) -> None:
        if self.i >= len(self.s) or self.s[self.i] != ")":
            raise Unknown("missing ')'")
        self.i += 1

    def _quantifier(self) -> tuple[int, int | None] | None:
        """The repeat after an atom (low, high; high None: unbounded), read; None: none."""
        s = self.s
        if self.i >= len(s):
            return None
        char = s[self.i]
        low: int
        high: int | None
        if char in "*+?":
            self.i += 1
            low, high = {"*": (0, None), "+": (1, None), "?": (0, 1)}[char]
        elif char == "{":
            match = _COUNT.match(s, self.i)
            if not match:
                if _FUZZY.match(s, self.i):
                    raise Unknown("fuzzy matching")
                return None  # a literal brace follows; it is read next
            self.i = match.end()
            if match.group(4) is not None:  # {,n}
                low, high = 0, int(match.group(4))
            else:
                low = int(match.group(1))
                high = low if match.group(2) is None else int(match.group(3) or -1)
                high = None if high == -1 else high
        else:
            return None
        if self.i < len(s) and s[self.i] in "?+":  # lazy or possessive: the same strings
            self.i += 1
        return low, high

    def quantified(self, atom: _Part) -> _Part:
        repeat = self._quantifier()
        if repeat is None:
            if not atom.wide:
                return atom
            repeat = (1, 1)
        low, high = repeat
        if atom.wide:  # each character may fold to up to three
            high = None if high is None else 3 * high
        if high is not None and high > MAX_COUNT:
            high = None
        low = min(low, MAX_COUNT)
        body = atom.source if atom.single else f"(?:{atom.source})"
        if (low, high) == (0, None):
            suffix = "*"
        elif (low, high) == (1, None):
            suffix = "+"
        elif (low, high) == (0, 1):
            suffix = "?"
        elif high is None:
            suffix = f"{{{low},}}"
        elif low == high:
            suffix = f"{{{low}}}"
        else:
            suffix = f"{{{low},{high}}}"
        return _Part(body + suffix, atom.first_word, atom.last_word, atom.empty or low == 0)

    # -- characters -------------------------------------------------------

    def literal_run(self, text: str) -> _Part:
        """Several literal characters in a row (none of them repeated)."""
        first, last = bool(_WORD.match(text[0])), bool(_WORD.match(text[-1]))
        if self.folded:
            text = fold(text)
        return _Part(_escape_text(text), first, last)

    def literal(self, char: str) -> _Part:
        word = bool(_WORD.match(char))
        if self.folded:
            folded = fold(char)
            return _Part("".join(map(_escape, folded)), word, word, single=len(folded) == 1)
        return _Part(_escape(char), word, word, single=True)

    def escape(self) -> _Part | None:
        s = self.s
        if self.i + 1 >= len(s):
            raise Unknown("trailing backslash")
        code = s[self.i + 1]
        start = self.i
        self.i += 2
        if code in "Zz" and self.at_tail:
            return _END_PART
        if code in "bBAZzmMG":
            return None  # zero-width
        if code in "dDwWsS":
            return _generic(s[start : self.i], self.folded)
        if code in "pP":
            match = _PROPERTY.match(s, self.i)
            if not match:
                raise Unknown("property syntax")
            self.i = match.end()
            return _generic(s[start : self.i], self.folded)
        value = self._char_escape(code)
        if value is None:
            raise Unknown(f"escape \\{code}")
        return self.literal(value)

    def _char_escape(self, code: str) -> str | None:
        """The character an escape stands for (``self.i`` just after its letter);
        None for escapes that stand for no one character."""
        s = self.s
        if code in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[code]
        if code in "xuU":
            if code == "x" and s.startswith("{", self.i):
                close = s.find("}", self.i)
                if close < 0:
                    raise Unknown("unterminated hex escape")
                digits = s[self.i + 1 : close]
                self.i = close + 1
            else:
                width = {"x": 2, "u": 4, "U": 8}[code]
                digits = s[self.i : self.i + width]
                self.i += width
                if len(digits) != width:
                    raise Unknown("short hex escape")
            try:
                return chr(int(digits, 16))
            except ValueError:
                raise Unknown("bad hex escape") from None
        if code == "N":
            match = _NAMED.match(s, self.i)
            if not match:
                raise Unknown("\\N syntax")
            self.i = match.end()
            import unicodedata

            try:
                return unicodedata.lookup(match.group(1))
            except KeyError:
                raise Unknown("unknown character name") from None
        if code == "0":
            match = _OCTAL.match(s, self.i)
            digits = match.group() if match else ""
            self.i += len(digits)
            return chr(int("0" + digits, 8))
        if code.isalnum() or code == "_":
            return None  # back-references, \K, \L<..>, \X, \R...: unknown
        return code  # an escaped punctuation character stands for itself

    def char_class(self) -> _Part:
        """``[...]``: its members (folded) when it lists only characters and
        ranges, else the generic form (ASCII exact, all non-ASCII allowed)."""
        s = self.s
        start = self.i
        i = self.i + 1
        negated = s.startswith("^", i)
        if negated:
            i += 1
        if s.startswith("]", i):
            raise Unknown("']' first in a set")
        members: list[tuple[str, str]] = []
        generic = negated
        while True:
            if i >= len(s):
                raise Unknown("unterminated set")
            char = s[i]
            if char == "]":
                i += 1
                break
            if char == "[" or s.startswith(("&&", "||", "--", "~~"), i):
                raise Unknown("nested set or set operation")
            if char == "\\":
                if i + 1 >= len(s):
                    raise Unknown("trailing backslash")
                code = s[i + 1]
                if code in "dDwWsS":
                    generic = True
                    i += 2
                    continue
                if code in "pP":
                    match = _PROPERTY.match(s, i + 2)
                    if not match:
                        raise Unknown("property syntax")
                    generic = True
                    i = match.end()
                    continue
                self.i = i + 2
                value = self._char_escape(code)
                if value is None or code == "b":
                    raise Unknown(f"escape \\{code} in a set")
                i = self.i
            else:
                value = char
                i += 1
            if s.startswith("-", i) and i + 1 < len(s) and s[i + 1] != "]":
                i += 1
                if s[i] == "\\":
                    if i + 1 >= len(s) or s[i + 1] in "dDwWsSpP":
                        raise Unknown("a range to a class")
                    self.i = i + 2
                    high = self._char_escape(s[i + 1])
                    if high is None:
                        raise Unknown("a range to an unknown escape")
                    i = self.i
                else:
                    high = s[i]
                    i += 1
                if ord(high) < ord(value):
                    raise Unknown("bad range")
                members.append((value, high))
            else:
                members.append((value, value))
        self.i = i
        if generic:
            return _generic(s[start:i], self.folded)
        return _explicit(tuple(members), self.folded)


@lru_cache(maxsize=16384)
def _inner(source: str, folded: bool, tail: bool = False, head: bool = False) -> _Part:
    """A group's inside, read on its own (it depends on nothing around it but
    whether it is at the pattern's tail or head)."""
    return _read(source, folded, tail, head)


def _group_end(source: str, start: int) -> int | None:
    """Where the group whose inside starts at ``start`` closes (its ``)``), or
    None when a quick look cannot tell (the parser then reads it in place)."""
    depth = 0
    i, n = start, len(source)
    while i < n:
        char = source[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            i += 1
            if source.startswith("^", i):
                i += 1
            if source.startswith("]", i):
                return None
            while i < n and source[i] != "]":
                i += 2 if source[i] == "\\" else 1
        elif char == "(":
            depth += 1
        elif char == ")":
            if not depth:
                return i
            depth -= 1
        i += 1
    return None


_COUNT = compile_pattern(r"\{(?:(\d+)(,(\d*))?|,(\d+))\}")
_SCOPED_CASE = compile_pattern(r"-?i:")
_FUZZY = compile_pattern(r"\{[^}]*[a-zA-Z<>=]")
_PROPERTY = compile_pattern(r"\{\^?[\w .:=&-]+\}|[A-Za-z]")
_NAMED = compile_pattern(r"\{([^}]+)\}")
_OCTAL = compile_pattern(r"[0-7]{0,2}")
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "e": "\x1b"}
#: Classes every character of which is a word character.
_WORD_CLASSES = frozenset({r"\w", r"\d"})


#: Plain literal text: no syntax character, no white space (``\\x20`` is written
#: for a space; a literal space never reaches here, spaces are expanded first).
_LITERAL_RUN = compile_pattern(r"[^\\\[\](){}|.*+?^$#\s]+")
#: A repeat (``*``, ``+``, ``?``, ``{m,n}``) follows.
_REPEATED = compile_pattern(r"[*+?]|\{(?:\d+(?:,\d*)?|,\d+)\}")
_SYNTAX_FREE = compile_pattern(r"[0-9A-Za-z]*")


def _escape_text(text: str) -> str:
    if _SYNTAX_FREE.fullmatch(text):
        return text
    return "".join(map(_escape, text))


def _escape(char: str) -> str:
    if char.isascii() and char.isalnum():
        return char
    return f"\\x{{{ord(char):X}}}"


@lru_cache(maxsize=1024)
def _generic(source: str, folded: bool) -> _Part:
    """A class as "its ASCII members (folded), and anything outside ASCII".

    Which of ASCII and the special characters (those that fold to several
    characters or to ASCII) are members, ``regex`` itself says.
    """
    flags = regex.UNICODE | (regex.IGNORECASE if folded else 0)
    try:
        compiled = regex.compile(source, flags)
    except regex.error:
        raise Unknown(f"{source} does not compile alone") from None
    ascii_members = [chr(c) for c in range(128) if compiled.fullmatch(chr(c))]
    wide = False
    allowed = set(ascii_members)
    if folded:
        specials = [c for c in special_characters() if compiled.fullmatch(c)]
        allowed = {c for m in ascii_members + specials for c in fold(m) if c.isascii()}
        wide = any(len(fold(m)) > 1 for m in specials)
    word = source in _WORD_CLASSES
    return _Part(
        f"[{_ranges(sorted(map(ord, allowed)))}{_NON_ASCII}]",
        first_word=word,
        last_word=word,
        wide=wide,
        single=True,
    )


@lru_cache(maxsize=4096)
def _explicit(members: tuple[tuple[str, str], ...], folded: bool) -> _Part:
    """A set of characters and ranges: exactly its members (folded when ``folded``)."""
    singles: set[int] = set()
    strings: set[str] = set()
    word = True
    for low, high in members:
        for code in range(ord(low), ord(high) + 1):
            char = chr(code)
            word = word and bool(_WORD.match(char))
            out = fold(char) if folded else char
            if len(out) == 1:
                singles.add(ord(out))
            else:
                strings.add(out)
    if not singles and not strings:
        raise Unknown("an empty set")
    parts = [f"[{_ranges(sorted(singles))}]"] if singles else []
    parts += ["".join(map(_escape, string)) for string in sorted(strings)]
    if len(parts) == 1 and singles:
        return _Part(parts[0], word, word, single=True)
    return _Part("(?:" + "|".join(parts) + ")", word, word)


def _ranges(codes: Iterable[int]) -> str:
    """Sorted code points as RE2 class contents, runs written as ranges."""
    out: list[str] = []
    run: list[int] = []

    def flush() -> None:
        if run:
            first, last = run[0], run[-1]
            if last - first >= 2:
                out.append(f"{_escape(chr(first))}-{_escape(chr(last))}")
            else:
                out.extend(_escape(chr(c)) for c in range(first, last + 1))
            run.clear()

    for code in codes:
        if run and code != run[-1] + 1:
            flush()
        run.append(code)
    flush()
    return "".join(out)
