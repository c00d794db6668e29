"""Compile the phrase data of rule packs into regular expressions.

Why ``regex`` rather than spaCy's ``Matcher``: blank pipelines have no lemmas,
so token patterns would have to list every inflection anyway, while the
languages here inflect inside words (Finnish ``pahoittelemme``, Korean
``죄송합니다``) or have no spaces at all (Chinese). Character patterns with
``\\w*`` suffixes, variable-length look-behind and Unicode classes cover all
five with one mechanism, run at tens of MB/s, and take a timeout per call so a
bad user pattern cannot hang a batch. spaCy is still used for tokens and
sentences, where scope is judged.

Pattern conventions (documented for rule authors in docs/rule-packs.md):

* a space means "one or more white-space characters" (write ``\\x20`` for one
  literal space);
* in languages with ``word_boundaries`` a pattern may not start or end inside
  a word (use ``\\w*`` to allow a suffix, e.g. ``pahoittel\\w*``);
* in languages with ``ignore_case`` matching ignores case;
* alternatives are tried in the order listed; at one position the first wins.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import regex

from .errors import RulePackError
from .literals import folded, needle_automaton, pattern_needles, start_within, tail_reach
from .regexes import compile_pattern

_T = TypeVar("_T")

#: A word edge that also works next to punctuation: never between two word
#: characters. Unlike ``\b`` it lets a pattern begin or end with a dash or "%".
_EDGE = r"(?!(?<=\w)\w)"
#: No pattern's first possible start known (``PatternGroup.finditer``'s ``starts``).
NO_STARTS: Mapping[int, int] = {}

#: Seconds one pattern group may spend on one text, twice (``within_budget``:
#: a second, fresh budget before the pattern is blamed), before it is abandoned...
MATCH_TIMEOUT = 1.0
#: ...plus this many seconds per million characters of the text. Why: a fixed
#: limit fails honest long texts (a 20 MB template) while a super-linear
#: pattern blows any budget that grows only linearly. Shipped groups take
#: under 0.5 s per million characters, so this leaves a tenfold margin for a
#: busy machine (see tests/test_adversarial_patterns.py).
MATCH_TIMEOUT_PER_MILLION = 5.0


def match_budget(length: int) -> float:
    """Seconds one pattern group may spend on a text of ``length`` characters."""
    return MATCH_TIMEOUT + MATCH_TIMEOUT_PER_MILLION * length / 1_000_000


class PatternTimeout(Exception):
    """A pattern group exceeded its time budget (``match_budget``) on one text."""

    def __init__(self, where: str, budget: float | None = None, length: int | None = None) -> None:
        self.where = where
        self.budget = budget
        limit = "" if budget is None else f" (limit {budget:.1f} s for {length} characters)"
        super().__init__(f"pattern matching timed out in {where}{limit}")


def within_budget(where: str, length: int, search: Callable[[float], _T]) -> _T:
    """``search(budget)``'s result, with ``match_budget(length)`` seconds of matching
    (``search`` raises TimeoutError past them), or PatternTimeout.

    Once more with a fresh budget before blaming the pattern: a pause of the
    whole process (a garbage collection of a million-turn call, a busy
    machine) spends wall time no search used, and a finding must not depend
    on the machine's load. A super-linear pattern fails twice.
    """
    budget = match_budget(length)
    try:
        return search(budget)
    except TimeoutError:
        try:
            return search(budget)
        except TimeoutError:
            raise PatternTimeout(where, budget, length) from None


@dataclass(frozen=True)
class PatternSpec:
    """One phrase trigger as written in a rule pack."""

    id: str
    source: str
    #: Free-form attributes from the pack (``kind``, ``note``...).
    attrs: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    pattern: PatternSpec


def _shipped(where: str) -> bool:
    """True when ``where`` (a pack file's path and group) is inside the shipped rule packs."""
    from .resources import shipped_rules_dir

    return where.startswith(str(shipped_rules_dir()) + os.sep)


#: What ``expand_spaces`` steps over whole: an escape, a character class, a run
#: of spaces, a run of anything else (a lone backslash at the end last).
_SPACE_TOKENS = re.compile(r"\\.|\[(?:\\.|[^\]\\])*\]?| +|[^\\\[ ]+|\\", re.S)


def expand_spaces(source: str) -> str:
    """Turn each run of literal spaces outside a character class into ``\\s+``.

    A space that a quantifier follows stays one white-space character (``\\s``),
    so " ?" keeps meaning an optional space. Token by token (``_SPACE_TOKENS``)
    rather than character by character: every pattern passes here at start-up.
    """
    out: list[str] = []
    for token in _SPACE_TOKENS.finditer(source):
        text = token.group()
        if text[0] != " ":
            out.append(text)
        elif source[token.end() : token.end() + 1] in ("?", "*", "+", "{"):
            if len(text) > 1:
                out.append(r"\s+")
            out.append(r"\s")  # keep the quantifier's meaning
        else:
            out.append(r"\s+")
    return "".join(out)


@dataclass
class PatternGroup:
    """Several patterns searched as one ordered alternation.

    Fast path (see literals.py): each pattern knows literals of which any match
    needs one, and one Aho-Corasick pass over the case-folded text (C code,
    linear in the text, whatever the number of literals) tells which patterns
    could match at all. Usually none can, and the text is not searched. When a
    few can, each is searched alone (compiled once, on first use) and their
    matches are merged exactly as the alternation would choose them: leftmost
    first, the earlier pattern at a tie, the search going on after each match.
    Why not compile an alternation of just those patterns: ``regex`` compiles
    in Python (milliseconds per alternation) and the subsets are nearly all
    different, so compiling cost more than the searching it saved.
    """

    where: str
    specs: tuple[PatternSpec, ...]
    #: The whole alternation, compiled on first use (see ``compiled``).
    _compiled: regex.Pattern[str] | None
    bodies: tuple[str, ...] = ()
    word_boundaries: bool = True
    ignore_case: bool = True
    #: Each pattern compiled alone (with the group's edges and flags), on first use.
    _singles: dict[int, regex.Pattern[str]] = field(default_factory=dict, repr=False, compare=False)
    #: Per pattern: how far before the end of a text's last non-space character
    #: its matches can start (``tail_reach``), worked out on first use.
    _reaches: dict[int, int | None] = field(default_factory=dict, repr=False, compare=False)
    #: Each pattern anchored to the end of the text (``ending_at_end``), compiled on first use.
    _ends: dict[int, regex.Pattern[str]] = field(default_factory=dict, repr=False, compare=False)
    _automaton: Any = field(default=None, repr=False, compare=False)
    _always: tuple[int, ...] = field(default=(), repr=False, compare=False)
    #: Per pattern: may it be searched alone (see ``_NOT_ALONE``)?
    _alone: tuple[bool, ...] = field(default=(), repr=False, compare=False)
    _all_alone: bool = field(default=False, repr=False, compare=False)
    _requirements: tuple[tuple[tuple[str, ...], ...] | None, ...] | None = field(
        default=None, repr=False, compare=False
    )

    @classmethod
    def build(
        cls,
        where: str,
        specs: Sequence[PatternSpec],
        word_boundaries: bool,
        ignore_case: bool,
    ) -> PatternGroup:
        if not specs:
            return cls(where, (), None)
        bodies = []
        # User packs are checked pattern by pattern now, so a broken one is named
        # at load. Shipped packs are checked by the test suite (every example of
        # every language runs), so start-up does not recompile them one by one:
        # that was most of the start-up time for a single template.
        check = not _shipped(where)
        for spec in specs:
            if "near" in spec.attrs:
                raise RulePackError(where, f"pattern {spec.id!r}: a near table needs a language")
            body = expand_spaces(spec.source)
            if _NUMBERED_REFERENCE.search(body):
                # In the group's alternation each pattern is a group of its
                # own, so \1 names another group than the author's: it never
                # matches, or fails to compile (a tuner lost a pattern to it).
                raise RulePackError(
                    where,
                    f"pattern {spec.id!r}: a numbered back-reference (\\1) cannot work "
                    "in a pattern list; name the group: (?P<word>...)(?P=word)",
                )
            try:
                if check:
                    regex.compile(body)
            except regex.error as exc:
                raise RulePackError(where, f"pattern {spec.id!r} does not compile: {exc}") from None
            bodies.append(body)
        group = cls(where, tuple(specs), None, tuple(bodies), word_boundaries, ignore_case)
        if check:
            # Alone each compiles; together a numbered back-reference can point
            # into another pattern's group. Say so at load, not mid-batch.
            group.compiled  # noqa: B018 - raises RulePackError naming the file
        return group

    @classmethod
    def from_rows(
        cls,
        where: str,
        rows: Sequence[tuple[str, str, Mapping[str, Any], str]],
        word_boundaries: bool,
        ignore_case: bool,
    ) -> PatternGroup:
        """The group ``build`` made, from its ``rows`` (kept on disk, languages.py)."""
        if not rows:
            return cls(where, (), None)
        specs = tuple(PatternSpec(id_, source, attrs) for id_, source, attrs, _ in rows)
        bodies = tuple(body for *_, body in rows)
        return cls(where, specs, None, bodies, word_boundaries, ignore_case)

    @property
    def rows(self) -> tuple[tuple[str, str, dict[str, Any], str], ...]:
        """Each pattern's id, source, attributes and body: plain data for ``from_rows``."""
        return tuple(
            (spec.id, spec.source, dict(spec.attrs), body)
            for spec, body in zip(self.specs, self.bodies, strict=True)
        )

    @property
    def requirements(self) -> tuple[tuple[tuple[str, ...], ...] | None, ...]:
        """Per pattern: its requirements, each a tuple of needles of which a match
        holds one (case-folded when ``ignore_case``); None: always search.

        Worked out on first use, like ``compiled``, to keep start-up short.
        """
        if self._requirements is None:
            found = tuple(pattern_needles(body, self.ignore_case) for body in self.bodies)
            # The automaton looks for the needles of each pattern's first (most
            # selective) requirement; the others are tested only for the patterns
            # it leaves, by substring: short common needles ("the", "i") would
            # make the automaton report a match at nearly every word.
            index: dict[str, set[int]] = {}
            for position, requirements in enumerate(found):
                for needle in requirements[0] if requirements else ():
                    index.setdefault(needle, set()).add(position)
            self._automaton = needle_automaton({n: frozenset(at) for n, at in index.items()})
            self._always = tuple(i for i, requirements in enumerate(found) if requirements is None)
            self._requirements = found
        return self._requirements

    @property
    def alone(self) -> tuple[bool, ...]:
        """Per pattern: may it be searched alone (see ``_NOT_ALONE``)?"""
        if len(self._alone) != len(self.bodies):
            self._alone = tuple(_searchable_alone(body) for body in self.bodies)
            self._all_alone = all(self._alone)
        return self._alone

    @property
    def needles(self) -> tuple[tuple[str, ...] | None, ...]:
        """Per pattern: every needle of its requirements, or None: always search."""
        return tuple(
            None if found is None else tuple(n for needles in found for n in needles)
            for found in self.requirements
        )

    @property
    def compiled(self) -> regex.Pattern[str] | None:
        """The alternation of every pattern (None for an empty group).

        Compiled on first use, not at load: start-up reads every rule pack in
        every language, and a template in one language needs only its groups.
        """
        if self._compiled is None and self.specs:
            self._compiled = self._compile(range(len(self.specs)))
        return self._compiled

    def _compile(self, indices: Iterable[int]) -> regex.Pattern[str]:
        alternation = "|".join(f"(?P<_p{i}>{self.bodies[i]})" for i in indices)
        if self.word_boundaries:
            # One pair of edges around the whole alternation, not one per
            # alternative: the same matches (a zero-width test distributes over
            # ordered alternatives), but 5x faster, as the engine no longer runs
            # a look-behind before every alternative at every position.
            alternation = rf"{_EDGE}(?:{alternation}){_EDGE}"
        flags = regex.UNICODE | (regex.IGNORECASE if self.ignore_case else 0)
        try:
            return compile_pattern(alternation, flags)
        except regex.error as exc:
            raise RulePackError(self.where, f"patterns do not compile: {exc}") from None

    def _single(self, index: int) -> regex.Pattern[str]:
        compiled = self._singles.get(index)
        if compiled is None:
            compiled = self._singles[index] = self._compile((index,))
        return compiled

    def candidates(self, text: str) -> tuple[int, ...]:
        """The patterns that may match ``text``, in order (the others cannot).

        A pattern may match only when each of its requirements has a needle
        in the text: one pass of the automaton tests the first requirement of
        every pattern, substring tests the rest for the patterns left. (Most
        texts have no needle at all: that path allocates nothing.)
        """
        requirements = self._requirements or self.requirements
        automaton = self._automaton
        if automaton is None:
            return self._always
        haystack = folded(text) if self.ignore_case else text
        touched: frozenset[int] | set[int] | None = None
        for _end, patterns in automaton.iter(haystack):
            touched = patterns if touched is None else touched | patterns
        if touched is None:
            return self._always
        found = set(self._always)
        for index in touched:
            others = requirements[index] or ()
            if all(any(n in haystack for n in needles) for needles in others[1:]):
                found.add(index)
        return tuple(sorted(found))

    def finditer(
        self,
        text: str,
        pos: int = 0,
        indices: tuple[int, ...] | None = None,
        starts: Mapping[int, int] = NO_STARTS,
    ) -> Iterator[Hit]:
        """Matches from ``pos`` on, as the alternation's ``finditer`` would give them;
        ``indices``: the patterns that may match in ``text`` (a scan's candidates,
        in order), else ``candidates`` works them out; ``starts``: for some of
        them, an offset before which none of their matches starts (a search
        alone begins there: ``Scanner.scan_starts``)."""
        if not self.specs:
            return
        if indices is None:
            indices = self.candidates(text)
        if not indices:
            return
        alone = self.alone
        # Pattern by pattern however many there are: ``regex`` tries every
        # alternative of an alternation at each position, where a single
        # pattern skips ahead to its first literal (the en frustration concept,
        # 126 patterns, over the real corpora: 3.2 s as an alternation, 2.0 s
        # pattern by pattern, 0.5 s for the candidates alone). The alternation
        # is for patterns that cannot be searched alone, and for the merge's
        # giving up (``MAX_SEARCHES_AGAIN``, ``MAX_REREAD``).
        singly = self._all_alone or all(alone[i] for i in indices)
        # Compile before the clock starts: the budget is for matching, and on a
        # busy machine a first compile must not count as a slow pattern.
        for index in indices if singly else ():
            self._single(index)
        found = within_budget(
            self.where,
            len(text),
            lambda budget: self._find(indices, text, pos, singly, budget, starts),
        )
        for start, end, index in found:
            yield Hit(start, end, self.specs[index])

    def _find(
        self,
        indices: tuple[int, ...],
        text: str,
        pos: int,
        singly: bool,
        budget: float,
        starts: Mapping[int, int] = NO_STARTS,
    ) -> list[tuple[int, int, int]]:
        """``finditer``'s matches (start, end, pattern index), within ``budget``
        seconds of matching (TimeoutError past it)."""
        deadline = time.monotonic() + budget
        found = None
        if singly:
            found = self._merge_singles(indices, text, deadline, pos, starts)
        if found is None:
            # Nor does a first compile of the alternation (none searched
            # alone, or the singles handed over).
            began = time.monotonic()
            compiled = self.compiled
            deadline += time.monotonic() - began
            # Collect before yielding: regex's timeout runs from the first call
            # to the last, so the caller's work between hits would count too.
            assert compiled is not None
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            found = [
                (match.start(), match.end(), int(str(match.lastgroup)[2:]))
                for match in compiled.finditer(text, pos, timeout=left)
                if match.end() != match.start()
            ]
        return found

    def ending_at_end(self, text: str, indices: tuple[int, ...] | None = None) -> Hit | None:
        """The leftmost match of any pattern that ends where ``text`` ends (the
        earliest pattern at a tie), or None.

        Not the last of ``finditer``'s hits: those do not overlap, so a short
        alternative can hide a longer one that ends later (``(?<=\\w)-`` takes
        the first dash of "ich zahl--", and "--" is never tried there).
        """
        if not self.specs:
            return None
        if indices is None:
            indices = self.candidates(text)
        compiled = [(index, self._at_end(index)) for index in indices]  # before the clock

        def leftmost(budget: float) -> Hit | None:
            deadline = time.monotonic() + budget
            best: Hit | None = None
            for index, pattern in compiled:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                match = pattern.search(text, timeout=left)
                if match is None or match.end() == match.start():
                    continue
                if best is None or match.start() < best.start:
                    best = Hit(match.start(), match.end(), self.specs[index])
            return best

        return within_budget(self.where, len(text), leftmost)

    def _at_end(self, index: int) -> regex.Pattern[str]:
        compiled = self._ends.get(index)
        if compiled is None:
            single = self._single(index)
            compiled = self._ends[index] = compile_pattern(rf"(?:{single.pattern})\Z", single.flags)
        return compiled

    def tail_reach(self, index: int) -> int | None:
        """For a pattern whose matches must end where only white space follows
        (it ends with ``(?=\\s*$)`` or ``\\s*$``) and hold a bounded number of
        characters other than white space: that number. Its matches start no
        earlier than ``start_within`` of the text's end, so a search may start
        there (a look-behind still sees the text before). None for any other
        pattern.

        Why: "a turn that stops on 'and', 'the', 'I've'" is an alternation of
        common words; searched from the start, it was tried at nearly every
        position of every customer turn (30% of the linting time on the real
        corpora after the fifth tuning).
        """
        if index not in self._reaches:
            self._reaches[index] = tail_reach(self.bodies[index])
        return self._reaches[index]

    def _merge_singles(
        self,
        indices: tuple[int, ...],
        text: str,
        deadline: float,
        pos: int = 0,
        starts: Mapping[int, int] = NO_STARTS,
    ) -> list[tuple[int, int, int]] | None:
        """The alternation's matches, from each pattern searched alone; None: use the alternation.

        At each step the leftmost next match wins, the earliest pattern at a
        tie (the alternation tries its alternatives in order at each
        position), and patterns whose next match started before the winner's
        end search again from there. It hands back to the alternation on an
        empty match (``finditer`` would step differently) and once the
        repeated searches (more than ``MAX_SEARCHES_AGAIN``) have read more
        than ``MAX_REREAD`` times the text: a losing pattern whose matches run
        long ("sorry.*" beside "sorry") would otherwise rescan the rest of the
        text after every winner. Many short repeated searches are cheap (a
        family split into one pattern per entry overlaps itself all the time),
        and the alternation was up to 70 times slower than the merge.
        """
        again = reread = 0
        #: Where the text's last non-space character ends, once a pattern asks.
        end: int | None = None

        def search(index: int, position: int) -> regex.Match[str] | None:
            nonlocal end
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            position = max(position, starts.get(index, 0))
            reach = self.tail_reach(index)
            if reach is not None:
                if end is None:  # rstrip copies the text: only when a pattern needs it
                    end = len(text.rstrip())
                position = max(position, start_within(text, end, reach))
            return self._single(index).search(text, position, timeout=left)

        upcoming = [search(index, pos) for index in indices]
        found: list[tuple[int, int, int]] = []
        while True:
            best, winner = -1, None
            for slot, match in enumerate(upcoming):
                if match is not None and (winner is None or match.start() < winner.start()):
                    best, winner = slot, match
            if winner is None:
                return found
            start, end = winner.span()
            if start == end:
                return None
            found.append((start, end, indices[best]))
            for slot, match in enumerate(upcoming):
                if match is not None and match.start() < end:
                    upcoming[slot] = found_again = search(indices[slot], end)
                    if slot != best:
                        again += 1
                        # What the search read: up to its match's end, or the rest.
                        reread += (found_again.end() if found_again else len(text)) - end
                        if again > MAX_SEARCHES_AGAIN and reread > MAX_REREAD * len(text):
                            return None

    def search(self, text: str) -> Hit | None:
        return next(self.finditer(text), None)


#: Searches of losing patterns after which the merge may give way to the alternation:
#: when they have read more than ``MAX_REREAD`` times the text.
MAX_SEARCHES_AGAIN = 64
MAX_REREAD = 4
#: Syntax whose meaning depends on the rest of the alternation, so a pattern
#: holding it is never searched alone: numbered back-references and
#: conditionals (the group numbers shift), ``\G`` (where the search started),
#: global inline flags such as ``(?V1)`` or ``(?i)``, fuzzy matching
#: (``{e<=1}``), and ``\K``; and a named back-reference to a group the
#: pattern does not define itself (names may repeat across patterns).
_NOT_ALONE = compile_pattern(
    r"\\(?:[1-9]|[GgKL])"  # \1, \G, \g<name>, \K, \L<list>
    r"|\(\?(?:P>|&|\(|[a-zA-Z0-9^-]*\))"  # (?P>n) (?&n) (?(1)..) (?i) (?V1) (?1)
    r"|(?<!\\)(?<!\\[pPN])\{[^}]*[a-zA-Z<>=]"  # fuzzy {e<=1}, not \p{Han} nor \{
)
#: A numbered back-reference (``\\1``), not an escaped backslash before a digit.
_NUMBERED_REFERENCE = compile_pattern(r"(?<!\\)(?:\\\\)*\\[1-9]")
#: A named back-reference, ``(?P=name)``.
_NAMED_REFERENCE = compile_pattern(r"\(\?P=(\w+)\)")


def _searchable_alone(body: str) -> bool:
    """Whether a pattern finds alone what it finds in its group's alternation.

    A back-reference to a group of its own (the Chinese "规则就是规则"
    tautology, ``(?P<t>..)就是(?P=t)``) means the same alone: a zh group
    with one such pattern among its candidates was searched whole, every
    pattern at every position (12% of the time on the synthetic corpus).
    """
    if _NOT_ALONE.search(body):
        return False
    return all(f"(?P<{name}>" in body for name in _NAMED_REFERENCE.findall(body))


def specs_from_data(where: str, group: str, items: Any) -> tuple[PatternSpec, ...]:
    """Read a pattern list: plain strings, or tables with ``match`` and attributes."""
    if not isinstance(items, list):
        raise RulePackError(where, f"patterns.{group} must be a list")
    specs = []
    for index, item in enumerate(items):
        if isinstance(item, str):
            specs.append(PatternSpec(f"{group}[{index}]", item))
        elif isinstance(item, dict) and isinstance(item.get("match"), str):
            attrs = {k: v for k, v in item.items() if k not in ("match", "id")}
            specs.append(
                PatternSpec(str(item.get("id", f"{group}[{index}]")), item["match"], attrs)
            )
        elif isinstance(item, dict) and "near" in item:
            # A co-occurrence table: its pattern is built by concepts.expand_specs.
            attrs = {k: v for k, v in item.items() if k != "id"}
            specs.append(PatternSpec(str(item.get("id", f"{group}[{index}]")), "", attrs))
        else:
            raise RulePackError(
                where,
                f"patterns.{group}[{index}] must be a string or a table with 'match' or 'near'",
            )
    return tuple(specs)
