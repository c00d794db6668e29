"""Scan first, then judge: one pass per turn finds every pattern that may match.

Why: a transcript used to be searched group by group (23 groups in English,
each with its own literal scan), so the number of rules and patterns set the
cost of every turn, trigger or not. Now every pattern a linter can ask about
in one language (every group of its rules, and the escalation detector's
signals) is looked for in one pass over the turn, and the result, the turn's
*candidates*, is what every rule and the detector read: a group with no
candidate in a turn has no hit there, and a group with some is searched with
``regex`` for those patterns alone (``PatternGroup.finditer``). A transcript
in which no rule has a candidate that could lead to a finding is not judged at
all (``engine.py``; see ``logic.LogicType.quiet``).

Two engines, the same answers (tests/test_fast_paths.py and CI compare them):

* **literals** (always there, pure Python but for pyahocorasick): the literals
  every match must hold (``literals.py``), all of a language's needles in one
  Aho-Corasick automaton; an entry is left when each of its requirements has
  a needle in the text. It cannot see word edges or order, so more
  candidates reach ``regex``, which then finds the same hits.
* **google-re2** (optional, the accelerator): the same literal pass, then
  each entry it leaves is asked of its own RE2 prefilter (``prefilter.py``:
  generated from the real pattern, looser, in RE2 syntax), each its own
  small DFA; far fewer candidates reach ``regex`` than the literals let
  through.
  One ``re2.Set`` of every prefilter was measured best on the packs of the
  time (108 MB/s for 334 English patterns); with the tuned packs (1,300)
  its DFA met a new state at nearly every byte of unseen text, and fell to
  0.1 MB/s (see ``_Re2Engine``).

Set ``DEESCALATE_LINT_NO_RE2=1`` to use the literal engine although google-re2
is installed (CI runs the suite both ways).
"""

from __future__ import annotations

import marshal
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial, reduce
from operator import itemgetter, or_
from pathlib import Path
from typing import Any, NamedTuple

from .diskmemo import DiskMemo, content_key, fingerprint
from .literals import (
    case_sensitive_inside,
    fold,
    numbered_automaton,
    pattern_needles,
    squeezed,
)
from .patterns import PatternGroup
from .prefilter import END_OF_TEXT, PAD, Prefilter, prefilter

#: Set to a non-empty value other than 0 to switch the accelerator off.
NO_RE2_ENV = "DEESCALATE_LINT_NO_RE2"
#: Memory for each prefilter's RE2 program and DFA (RE2's default): each is
#: one pattern, and one that needs more is refused and always a candidate.
RE2_MAX_MEM = 8 << 20
#: ...or this much per byte of a prefilter's source, if more. Why: the longest
#: (the en no-recap "expected" alternation, 150 KB of RE2) ran out of DFA
#: memory in 8 MB on nearly every turn it was asked about (0.1 ms each, 589
#: turns of the real corpora; 2 microseconds with room: the whole linter 0.8x
#: the CPU time). The DFA grows only as far as the texts take it.
RE2_MEM_PER_BYTE = 256

#: What ends each scanned text (``END_OF_TEXT`` in prefilter.py).
_END = "\x00"


def accelerator() -> Any | None:
    """The ``re2`` module when it is installed and not switched off, else None."""
    if os.environ.get(NO_RE2_ENV, "") not in ("", "0"):
        return None
    return _re2()


@lru_cache(maxsize=1)
def _re2() -> Any | None:
    try:
        import re2
    except ImportError:
        return None
    return re2


def engine_name() -> str:
    """Which engine scans turns: ``re2`` or ``literals``."""
    return "re2" if accelerator() is not None else "literals"


@dataclass(frozen=True)
class Look:
    """How a group is looked for: each pattern anywhere (``EACH``), each at the
    end of the text (``at_end``), or ``repeat`` disjoint matches of any; and,
    with ``tag``, only in the texts of one role (``Scanner.scan_tagged``)."""

    at_end: bool = False
    repeat: int = 0
    tag: str = ""


EACH = Look()
#: What stands before each text of a role in ``Scanner.scan_tagged``.
TAGS = ("\x01", "\x02")
_NO_TAG = "[^\\x{1}\\x{2}]*"


class Entry:
    """One pattern as the scan looks for it, or a repeat of a group's patterns.

    ``at_end``: only a match that ends the text (trailing white space aside)
    counts; used to decide whether a rule could lead to a finding at all, never
    to choose candidates (a candidate scanner looks for every match).
    ``repeat`` (2 or more): ``bodies`` holds a group's patterns, and the entry
    stands for that many disjoint matches of them in one text (a count rule
    that flags the second apology needs two); 0: ``bodies`` is one pattern.
    """

    __slots__ = ("at_end", "bodies", "ignore_case", "repeat", "tag", "word_boundaries")

    def __init__(
        self,
        bodies: tuple[str, ...],
        ignore_case: bool,
        word_boundaries: bool,
        at_end: bool = False,
        repeat: int = 0,
        tag: str = "",
    ) -> None:
        self.bodies = bodies
        self.ignore_case = ignore_case
        self.word_boundaries = word_boundaries
        self.at_end = at_end
        self.repeat = repeat
        self.tag = tag

    def key(self) -> tuple[Any, ...]:
        return (
            self.bodies,
            self.ignore_case,
            self.word_boundaries,
            self.at_end,
            self.repeat,
            self.tag,
        )

    def prefilter(self) -> Prefilter | None:
        """This entry's RE2 pattern (None: unknown, always a candidate).

        With a ``tag`` it matches only inside a text that tag opens: after the
        tag, no other tag before the match (tags open texts, and a text holding
        a tag character is never scanned tagged: ``Scanner.scan_tagged``)."""
        tag = f"\\x{{{ord(self.tag):X}}}{_NO_TAG}" if self.tag else ""
        if not self.repeat:
            # The tail is kept where only whether the pattern matches is asked:
            # not at the end of a text, which the end entry asks for itself.
            found = prefilter(
                self.bodies[0], self.ignore_case, self.word_boundaries, tail=not self.at_end
            )
            if found is not None and self.at_end:
                # What may follow a match at the end of a turn: see END_OF_TEXT.
                found = Prefilter(f"(?:{found.source}){END_OF_TEXT}", found.folded, ends_text=True)
            if found is not None and tag:
                found = Prefilter(f"{tag}(?:{found.source})", found.folded)
            return found
        # Without word edges each prefilter match is exactly a match's folded
        # span, so disjoint matches are disjoint prefilter matches, in order.
        parts = [prefilter(body, self.ignore_case, False) for body in self.bodies]
        if not parts or any(p is None or not p.folded for p in parts):
            return None
        one = "(?:" + "|".join(f"(?:{p.source})" for p in parts if p is not None) + ")"
        if not tag:
            return Prefilter(one + f"(?s:.)*{one}" * (self.repeat - 1), True)
        # The next match in the same text, or in a later text of the same role.
        again = f"(?:(?s:.)*\\x{{{ord(self.tag):X}}})?{_NO_TAG}{one}"
        return Prefilter(tag + one + again * (self.repeat - 1), True)


class _Re2Engine:
    """The literal engine's survivors, each confirmed by its own RE2 prefilter.

    Why not one ``re2.Set`` of every prefilter (the first design): with the
    tuned packs (1,300 English prefilters, most with a loop in the middle) its
    DFA met a new state at nearly every byte of a text it had not seen, so a
    fresh corpus ran at DFA-construction speed (0.1 MB/s over the real
    corpora; the same texts a second time, 6 MB/s), and splitting the set in
    chunks of 10 to 400 left it at 0.3-0.5 MB/s. Each prefilter on its own
    keeps a DFA small enough to stay warm, and is asked only about the
    entries whose literals are in the text.

    Why not RE2's FilteredRE2 (google-re2's ``Filter``), which does the same
    in C and measured a little faster: its atom prefilter dropped a pattern
    whose literals were there (``(?:sorry,?\\s+){2,}sorry`` among the 1,300
    English prefilters, on "sorry, sorry, sorry!"; alone it was kept), and a
    candidate scan that can miss is no scan.
    """

    def __init__(self, re2: Any, entries: Sequence[Entry]) -> None:
        self.re2 = re2
        self.options = re2.Options()
        self.options.max_mem = RE2_MAX_MEM
        self.options.log_errors = False
        self.unanchored = re2._re2.RE2.Anchor.UNANCHORED
        self.entries = entries
        self.literals = _LiteralEngine(entries)
        #: Per entry asked about so far, scanning one text (True) or several
        #: joined (False): its compiled prefilter's search (``RE2.Match``),
        #: whether it reads folded text
        #: and whether its leftmost match bounds where the real pattern's
        #: matches start; or None (unknown or refused by RE2: always a candidate).
        self.compiled: dict[bool, dict[int, tuple[Any, bool, bool] | None]] = {
            True: {},
            False: {},
        }

    def _prefilter(self, position: int, single: bool = True) -> tuple[Any, bool, bool] | None:
        compiled = self.compiled[single]
        if position in compiled:
            return compiled[position]
        entry = self.entries[position]
        source = entry.prefilter()
        found = None
        if source is not None:
            text = source.source
            if single and source.ends_text:
                # Its match ends where the one text does: anchored there, RE2
                # reads the text backwards from its end, a few bytes where no
                # match ends it, instead of the whole text forwards (the en
                # "turn that stops on 'and', 'the'..." family: 2,400 searches a
                # run on the real corpora, none a candidate). Texts scanned
                # together each end with a NUL, and only the last at the end.
                text = f"(?:{text})\\z"
            # The bare RE2 object: the module's ``search`` wraps each call in a
            # generator and enum arithmetic that cost more than the search.
            encoded = text.encode("utf-8")
            options = self.options
            if len(encoded) * RE2_MEM_PER_BYTE > RE2_MAX_MEM:
                options = self.re2.Options()
                options.max_mem = len(encoded) * RE2_MEM_PER_BYTE
                options.log_errors = False
            regexp = self.re2._re2.RE2(encoded, options)
            if regexp.ok():
                # Only a plain entry's prefilter matches where the real pattern
                # does (repeats, tags and ends add to it); and not one that may
                # match nothing: an empty match is never a hit, and one skipped
                # could change which hits the merge of single searches gives
                # (``PatternGroup._merge_singles``).
                bounds = not (entry.repeat or entry.tag or entry.at_end or source.empty)
                found = (regexp.Match, source.folded, bounds)
        compiled[position] = found
        return found

    def match(self, text: str, single: bool = True) -> tuple[int, ...]:
        """The entries that may match in ``text``: one text, or (``single`` False)
        several joined (``Scanner.scan_all``, ``Scanner.scan_tagged``)."""
        return self.match_starts(text, single)[0]

    def match_starts(
        self, text: str, single: bool = True
    ) -> tuple[tuple[int, ...], dict[int, int]]:
        """``match``'s entries, and for some that their RE2 prefilter confirmed (see
        ``_prefilter``): the offset in ``text`` before which none of its matches starts.

        Why: a prefilter is the real pattern loosened piece by piece (never a
        part of it dropped), on text folded character by character, so each
        match of the real pattern is a prefilter match over the same folded
        characters, and RE2 reports the leftmost. A ``regex`` search may start
        there instead of at 0 (a look-behind still sees the text before): the
        big alternations that open with a look-behind were tried at every
        position before it (the en transfer concept: 0.6 ms a search, two
        thirds of the confirming time on the real corpora).
        """
        #: Per kind (folded or as is): the haystack, its length, and the folded
        #: characters more than the text has (``ß`` -> ``ss``), or None when
        #: the bytes do not map to characters.
        haystacks: dict[bool, tuple[bytes, int, int | None]] = {}
        found = []
        starts: dict[int, int] = {}
        compiled = self.compiled[single]
        unanchored = self.unanchored
        # Every name read in the loop is local: 28,000 candidates a run on the
        # real corpora, most of them turned down by RE2 in a microsecond.
        for position in self.literals.match(text):
            if position in compiled:  # inline: a call a candidate was a tenth of the scan
                prefilter = compiled[position]
            else:
                prefilter = self._prefilter(position, single)
            if prefilter is None:
                found.append(position)
                continue
            search, on_folded, bounds = prefilter
            if on_folded in haystacks:
                haystack, size, extra = haystacks[on_folded]
            else:
                haystack, size, extra = haystacks[on_folded] = _haystack(text, on_folded)
            begin = search(unanchored, haystack, 0, size)[0][0]
            if begin < 0:
                continue
            found.append(position)
            if begin and bounds and extra is not None:
                if size != len(text) + extra + len(_PADS):  # not ASCII
                    begin = len(haystack[:begin].decode("utf-8"))
                start = begin - len(PAD) - extra
                if start > 0:
                    starts[position] = start
        return tuple(found), starts


def _haystack(text: str, folded: bool) -> tuple[bytes, int, int | None]:
    """What ``_Re2Engine.match_starts`` searches: the padded text, folded or as is,
    in UTF-8; its length; and the characters folding added (None: the bytes do
    not map to the text's characters)."""
    if folded:
        padded = PAD + fold(text) + PAD + _END
        haystack, exact = _utf8_exact(padded)
        more = len(padded) - len(text) - len(_PADS)
        return haystack, len(haystack), more if exact and more >= 0 else None
    haystack, exact = _utf8_exact(PAD + text + PAD + _END)
    return haystack, len(haystack), 0 if exact else None


#: The padding around a scanned text: ``PAD`` before, ``PAD`` and the end after.
_PADS = PAD + PAD + _END


def _utf8_exact(text: str) -> tuple[bytes, bool]:
    """``_utf8`` of ``text``, and whether its bytes are ``text``'s own (a lone
    surrogate's replacement may not keep the character count)."""
    try:
        return text.encode("utf-8"), True
    except UnicodeEncodeError:
        return _utf8(text), False


def _utf8(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates (JSON allows them): each becomes U+FFFD, which every
        # prefilter class that could match a surrogate (all non-ASCII) matches too.
        return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace").encode("utf-8")


#: The shortest needle a requirement after an entry's first may have.
MIN_LATER_NEEDLE = 3
#: A needle too common to choose entries by: one ASCII letter or digit.
_LETTER = re.compile(r"[A-Za-z0-9]")


class _LiteralEngine:
    """The entries' literal requirements: one automaton for folded text, one for text as is.

    One pass of an automaton of every needle of every requirement gives the
    needles a text holds; an entry is left when each of its requirements has
    one of them (bit tests on ints, in C: testing them by substring, requirement by
    requirement, took as long as all the rest of the scan). The needles are
    those of the text with each run of white space one space (``squeeze``),
    so they may span words: "not my fault" rules out far more turns than
    "fault", and "do you" than "do" (a third fewer entries left on the real
    corpora, whose checks were the scan's main cost). An entry with a needle
    of one ASCII letter or digit has no useful test and is always left.

    Each needle's value in the automaton is a set of numbers: the entries whose
    first requirement holds it, and (from ``len(entries)`` on) the later
    requirements that hold it. So one pass gathers, in C, both the entries a
    text opens and the later requirements it meets, and an entry with later
    requirements is left by one test of its bits. Why: a second automaton for the
    later needles was a second pass over every text, and testing each opened
    entry's requirements one by one a Python step each (together about half
    of the literal pass on the real corpora).
    """

    def __init__(self, entries: Sequence[Entry]) -> None:
        key, index = _literal_index(entries)
        counts = index.counts
        #: Per kind of text: an automaton of every needle, and by the number it
        #: yields for a needle, the numbers that needle stands for (entries it
        #: opens, later requirements it meets) as the bits of one int.
        self.automata = [
            (folded, automaton, tuple(map(_bits, numbers)))
            for folded in index.kinds
            for automaton, numbers in (
                _automaton(key, folded, partial(_needles, key, entries, folded)),
            )
        ]
        self.always = index.always
        #: The entries whose first requirement is their only one, as bits: left
        #: by one ``&`` (most entries; a Python step each was a third of the pass).
        self.first_only = _bits(p for p, count in enumerate(counts) if count == 1)
        #: The entries with later requirements, as bits.
        self.more = _bits(p for p, count in enumerate(counts) if count > 1)
        #: Per entry with later requirements: their numbers, as bits.
        self.needs = {p: _bits(index.needs[p]) for p, count in enumerate(counts) if count > 1}

    def match_starts(
        self, text: str, single: bool = True
    ) -> tuple[tuple[int, ...], dict[int, int]]:
        """``match``, and no offsets: literals say nothing of where a match starts."""
        return self.match(text), {}

    def match(self, text: str, single: bool = True) -> tuple[int, ...]:
        """The entries that may match in ``text`` (one text or several joined: alike here)."""
        found = list(self.always)
        plain = squeezed(text)
        for folded, automaton, bits in self.automata:
            # Folding keeps white space as it is: folding squeezed text is
            # squeezing folded text.
            haystack = fold(plain) if folded else plain
            # Gathered in C (``map``, ``reduce``): a text has hundreds of needle
            # occurrences, and a Python step for each was the scan's largest
            # cost. The numbers as the bits of one int: an ``|`` of each
            # needle's int is cheaper than a ``set.union`` of its numbers (a
            # quarter of the literal pass on the real corpora).
            present = reduce(or_, map(bits.__getitem__, map(_VALUE, automaton.iter(haystack))), 0)
            if not present:
                continue
            found.extend(_numbers(present & self.first_only))
            needs = self.needs
            found.extend(p for p in _numbers(present & self.more) if needs[p] & present == needs[p])
        return tuple(found)


def _bits(numbers: Iterable[int]) -> int:
    """``numbers`` as the bits of one int (bit n set for each number n)."""
    out = 0
    for number in numbers:
        out |= 1 << number
    return out


def _numbers(bits: int) -> Iterator[int]:
    """The numbers whose bits are set in ``bits``, lowest first (``_bits`` undone)."""
    while bits:
        low = bits & -bits
        yield low.bit_length() - 1
        bits ^= low


class _LiteralIndex(NamedTuple):
    """What ``_LiteralEngine`` is built from, as plain data (kept on disk)."""

    #: Per entry: its requirements, each the needles of which a match holds one.
    requirements: tuple[tuple[tuple[str, ...], ...], ...]
    #: Per kind of text (folded or as is): each needle, and the numbers it
    #: stands for (entries it opens, later requirements it meets).
    needles: dict[bool, dict[str, tuple[int, ...]]]
    #: Per entry: the numbers of its later requirements (empty: none).
    needs: tuple[tuple[int, ...], ...]
    #: The entries with no useful needle: always left.
    always: tuple[int, ...]


class _LiteralPlan(NamedTuple):
    """What a start needs of a literal index when the memo has its automata:
    not its needles (20,000 strings and their numbers, whose reading was a
    tenth of a clean template's cold start), which only building an automaton
    reads (``_needles``)."""

    #: Per entry: how many requirements it has.
    counts: tuple[int, ...]
    #: The kinds of text (folded or as is) that have needles: an automaton each.
    kinds: tuple[bool, ...]
    #: Per entry: the numbers of its later requirements (empty: none).
    needs: tuple[tuple[int, ...], ...]
    #: The entries with no useful needle: always left.
    always: tuple[int, ...]


#: Literal plans by their entries (and, under ``(key, "needles")``, the
#: needles): working out every entry's needles was half of what was left of a
#: clean template's cold start.
_INDEXES = DiskMemo(
    "scanners", fingerprint(Path(__file__), Path(__file__).with_name("literals.py"))
)
#: The index last built in this process, by its key: a first start needs both
#: its plan and its needles.
_BUILT: dict[bytes, _LiteralIndex] = {}


def _literal_index(entries: Sequence[Entry]) -> tuple[bytes, _LiteralPlan]:
    """``_LiteralEngine``'s plan for ``entries``, from the memo when it has it,
    and the key it is kept under."""
    key = content_key(marshal.dumps(tuple(entry.key() for entry in entries), 0))
    stored: tuple[Any, ...] = _INDEXES.get(key, lambda: tuple(_plan(_built(key, entries))))
    return key, _LiteralPlan(*stored)


def _needles(key: bytes, entries: Sequence[Entry], kind: bool) -> dict[str, tuple[int, ...]]:
    """The needles of ``entries`` in one kind of text (folded or as is), from
    the memo when it has them."""
    found: dict[bool, dict[str, tuple[int, ...]]] = _INDEXES.get(
        (key, "needles"), lambda: _built(key, entries).needles
    )
    return found[kind]


def _built(key: bytes, entries: Sequence[Entry]) -> _LiteralIndex:
    found = _BUILT.get(key)
    if found is None:
        _BUILT.clear()
        found = _BUILT[key] = _build_literal_index(entries)
    return found


def _plan(index: _LiteralIndex) -> _LiteralPlan:
    return _LiteralPlan(
        tuple(map(len, index.requirements)),
        tuple(kind for kind, needles in index.needles.items() if needles),
        index.needs,
        index.always,
    )


@lru_cache(maxsize=1)
def _automata() -> DiskMemo:
    """Built automata, taken apart (``numbered_automaton``), by their index's key
    and kind of text; named by the ahocorasick build too, whose layout their
    bytes are in."""
    import ahocorasick

    here = Path(__file__)
    code = fingerprint(here, here.with_name("literals.py"), Path(ahocorasick.__file__))
    return DiskMemo("automata", code, checked=True)


def _automaton(
    key: bytes, folded: bool, needles: Callable[[], dict[str, tuple[int, ...]]]
) -> tuple[Any, tuple[tuple[int, ...], ...]]:
    """``numbered_automaton(needles())``, put back together from the memo when it
    has it (and its parts fit this ahocorasick: else built again)."""
    memo = _automata()
    stored = memo.peek((key, folded))
    if stored is not None:
        import ahocorasick

        try:
            parts, numbers = stored
            rebuilt = ahocorasick.Automaton(*parts)
        except Exception:  # parts another build cannot read: built again below
            rebuilt = None
        # Parts it takes but cannot search with (a bare trie) are no automaton either.
        if rebuilt is not None and rebuilt.kind == ahocorasick.AHOCORASICK:
            return rebuilt, numbers
    automaton, numbers = numbered_automaton(needles())
    memo.put((key, folded), (automaton.__reduce__()[1], numbers))
    return automaton, numbers


def _build_literal_index(entries: Sequence[Entry]) -> _LiteralIndex:
    always = []
    requirements: list[tuple[tuple[str, ...], ...]] = []
    index: dict[bool, dict[str, set[int]]] = {True: {}, False: {}}
    #: Per kind of text and later requirement: its number.
    later: dict[tuple[bool, frozenset[str]], int] = {}
    needs: list[tuple[int, ...]] = []
    for position, entry in enumerate(entries):
        found, ignore_case = _entry_needles(entry)
        if found is None or any(map(_LETTER.fullmatch, found[0])):
            # A needle that is one ASCII letter or digit is in nearly every
            # text: such an entry is left anyway, and each occurrence of
            # the letter was a step (a few alternations whose weakest
            # branch has one letter gave 400,000 of the 470,000 needle
            # occurrences on the real corpora).
            requirements.append(())
            needs.append(())
            always.append(position)
            continue
        # A later requirement with a short needle (" ", "i", "we") rules out
        # few texts, and each of its occurrences is a step in Python (a
        # third of all steps on the real corpora): only the first, which
        # chooses the entries, keeps such needles.
        found = (found[0], *(r for r in found[1:] if min(map(len, r)) >= MIN_LATER_NEEDLE))
        requirements.append(tuple(found))
        needles = index[ignore_case]
        for needle in found[0]:
            needles.setdefault(needle, set()).add(position)
        numbers = set()
        for requirement in found[1:]:
            key = (ignore_case, frozenset(requirement))
            number = later.setdefault(key, len(entries) + len(later))
            numbers.add(number)
            for needle in requirement:
                needles.setdefault(needle, set()).add(number)
        needs.append(tuple(sorted(numbers)))
    return _LiteralIndex(
        tuple(requirements),
        {
            kind: {n: tuple(sorted(at)) for n, at in needles.items()}
            for kind, needles in index.items()
        },
        tuple(needs),
        tuple(always),
    )


def _entry_needles(entry: Entry) -> tuple[tuple[tuple[str, ...], ...] | None, bool]:
    """An entry's needles in squeezed text (None: unknown), and whether they
    are folded (looked for in folded text) or as written.

    A repeat is looked for as any of its patterns: each match of it holds a
    match of one of them, so one needle of their first requirements. A
    pattern that is case-sensitive as a whole in a case-blind group (the
    shouted ``(?-i:NOW|RIGHT\\s+NOW)``) is looked for as written: "NOW" is
    far rarer than "now".
    """
    if entry.repeat:
        union: set[str] = set()
        for body in entry.bodies:
            found = pattern_needles(body, entry.ignore_case, squeeze=True)
            if found is None:
                return None, entry.ignore_case
            union.update(found[0])
        return (tuple(sorted(union)),), entry.ignore_case
    body = entry.bodies[0]
    if entry.ignore_case:
        inner = case_sensitive_inside(body)
        if inner is not None:
            return pattern_needles(inner, False, squeeze=True), False
    return pattern_needles(body, entry.ignore_case, squeeze=True), entry.ignore_case


#: The value of an automaton's (end, value) result.
_VALUE = itemgetter(1)


class Scanner:
    """Every pattern of some groups, looked for in one pass over a text.

    Built from pattern groups, each with how it is looked for (``Look``): each
    pattern on its own (a candidate scanner), at the end of a text only
    (``at_end``), or as several disjoint matches of any of them (``repeat``).
    Entries shared by several groups (the same pattern with the same
    conventions) are looked for once.
    """

    def __init__(self, groups: Sequence[tuple[PatternGroup, Look]]) -> None:
        entries: list[Entry] = []
        by_key: dict[tuple[Any, ...], int] = {}
        #: Per group (by id) and look: its entries.
        self.group_entries: dict[tuple[int, Look], tuple[int, ...]] = {}
        self.groups: list[PatternGroup] = []  # kept alive: their ids are keys
        #: Per entry: (group id, pattern index) pairs it stands for (candidates).
        owners: list[list[tuple[int, int]]] = []

        def entry_for(entry: Entry) -> int:
            key = entry.key()
            found = by_key.get(key)
            if found is None:
                found = by_key[key] = len(entries)
                entries.append(entry)
                owners.append([])
            return found

        for group, look in groups:
            if (id(group), look) in self.group_entries:
                continue
            self.groups.append(group)
            conventions = (group.ignore_case, group.word_boundaries)
            if look.repeat:
                entry = entry_for(
                    Entry(group.bodies, *conventions, repeat=look.repeat, tag=look.tag)
                )
                self.group_entries[id(group), look] = (entry,)
                continue
            ids = []
            for local, body in enumerate(group.bodies):
                entry = entry_for(Entry((body,), *conventions, at_end=look.at_end, tag=look.tag))
                if look == EACH:
                    owners[entry].append((id(group), local))
                ids.append(entry)
            self.group_entries[id(group), look] = tuple(ids)
        self.owners = tuple(tuple(o) for o in owners)
        re2 = accelerator()
        self.engine: _Re2Engine | _LiteralEngine = (
            _Re2Engine(re2, entries) if re2 is not None else _LiteralEngine(entries)
        )

    def scan(self, text: str) -> tuple[int, ...]:
        """The entries that may match somewhere in ``text`` (an analysis text)."""
        return self.engine.match(text)

    def scan_starts(
        self, text: str
    ) -> tuple[dict[int, tuple[int, ...]], dict[int, dict[int, int]]]:
        """``candidates`` of ``scan(text)``, and per group (by id) for some of those
        patterns the offset in ``text`` before which none of its matches starts."""
        found, starts = self.engine.match_starts(text)
        by_group: dict[int, dict[int, int]] = {}
        for entry, start in starts.items():
            for group, local in self.owners[entry]:
                by_group.setdefault(group, {})[local] = start
        return self.candidates(found), by_group

    def scan_all(self, texts: Sequence[str]) -> tuple[int, ...]:
        """The entries that may match in any of ``texts``, in one pass over them all.

        The texts are joined as the scan pads each one (``PAD`` text ``PAD``
        NUL), so a match in one of them is a match in the joined text; a match
        across two only adds a candidate.
        """
        return self.engine.match(_JOIN.join(texts), single=False)

    def scan_tagged(self, texts: Sequence[tuple[str, str]]) -> tuple[int, ...] | None:
        """The entries that may match, each text (tag, text) opened by its tag, in one
        pass over them all; None when a text holds a tag character (the caller then
        cannot tell the roles apart)."""
        for _tag, text in texts:
            if TAGS[0] in text or TAGS[1] in text:
                return None
        return self.engine.match(_JOIN.join(tag + PAD + text for tag, text in texts), single=False)

    def entries(self, group: PatternGroup, look: Look) -> frozenset[int]:
        """The entries standing for ``group``'s patterns looked for so."""
        return frozenset(self.group_entries.get((id(group), look), ()))

    def candidates(self, found: Iterable[int]) -> dict[int, tuple[int, ...]]:
        """Per group (by id), the indices of its patterns among ``found``, in order."""
        out: dict[int, list[int]] = {}
        for entry in found:
            for group, local in self.owners[entry]:
                out.setdefault(group, []).append(local)
        return {group: tuple(sorted(set(locals_))) for group, locals_ in out.items()}

    def covers(self, group: PatternGroup) -> bool:
        """Whether this scanner gives ``group``'s candidates."""
        return (id(group), EACH) in self.group_entries


#: Between two texts scanned together: the end of one padded text and the
#: start of the next (``_Re2Engine.match`` adds the outer ones).
_JOIN = PAD + "\x00" + PAD

#: Scanners by the groups they cover (and the engine), shared by every linter
#: that asks for the same groups: rule packs are loaded once per process, so a
#: test suite or a batch that builds many linters compiles each set once.
_SCANNERS: dict[tuple[Any, ...], Scanner] = {}
_MAX_SCANNERS = 64


def built_scanner(groups: Sequence[tuple[PatternGroup, Look]]) -> Scanner | None:
    """The scanner for ``groups`` if some linter of this process built it already."""
    return _SCANNERS.get(_key(groups))


def _key(groups: Sequence[tuple[PatternGroup, Look]]) -> tuple[Any, ...]:
    return (engine_name(), *((id(group), look) for group, look in groups))


def scanner(groups: Sequence[tuple[PatternGroup, Look]]) -> Scanner:
    """The scanner for ``groups`` (each with how it is looked for), built on first use."""
    key = _key(groups)
    found = _SCANNERS.get(key)
    if found is None:
        if len(_SCANNERS) >= _MAX_SCANNERS:
            _SCANNERS.pop(next(iter(_SCANNERS)))
        # The scanner keeps its groups alive, so their ids in the key stay theirs.
        found = _SCANNERS[key] = Scanner(groups)
    return found
