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
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import regex

from .errors import RulePackError
from .literals import folded, pattern_needles

#: A word edge that also works next to punctuation: never between two word
#: characters. Unlike ``\b`` it lets a pattern begin or end with a dash or "%".
_EDGE = r"(?!(?<=\w)\w)"

#: Seconds one pattern group may spend on one text before it is abandoned...
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


#: Sub-alternations (patterns that may match a text) kept compiled per group.
MAX_SUBSETS = 512


class PatternTimeout(Exception):
    """A pattern group exceeded its time budget (``match_budget``) on one text."""

    def __init__(self, where: str, budget: float | None = None, length: int | None = None) -> None:
        self.where = where
        self.budget = budget
        limit = "" if budget is None else f" (limit {budget:.1f} s for {length} characters)"
        super().__init__(f"pattern matching timed out in {where}{limit}")


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


def expand_spaces(source: str) -> str:
    """Turn each literal space outside a character class into ``\\s+``."""
    out: list[str] = []
    in_class = False
    escaped = False
    for position, char in enumerate(source):
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            out.append(char)
            escaped = True
        elif char == "[" and not in_class:
            in_class = True
            out.append(char)
        elif char == "]" and in_class:
            in_class = False
            out.append(char)
        elif char == " " and not in_class:
            quantified = source[position + 1 : position + 2] in ("?", "*", "+", "{")
            if quantified:
                out.append(r"\s")  # " ?" means an optional space: keep the quantifier's meaning
            elif not (out and out[-1] == r"\s+"):
                out.append(r"\s+")
        else:
            out.append(char)
    return "".join(out)


@dataclass
class PatternGroup:
    """Several patterns compiled into one alternation, searched in one pass.

    Fast path (see literals.py): each pattern knows literals of which any match
    needs one. Patterns whose literals are all absent from a text cannot match
    it anywhere, so they are dropped from the alternation for that text; the
    rest are searched as an alternation of the same order, which finds exactly
    the same hits. When none is left the text is not searched at all.
    """

    where: str
    specs: tuple[PatternSpec, ...]
    #: The whole alternation, compiled on first use (see ``compiled``).
    _compiled: regex.Pattern[str] | None
    bodies: tuple[str, ...] = ()
    word_boundaries: bool = True
    ignore_case: bool = True
    _subsets: dict[tuple[int, ...], regex.Pattern[str]] = field(
        default_factory=dict, repr=False, compare=False
    )
    #: needle -> the patterns it stands for; patterns always searched.
    _needle_index: tuple[tuple[str, tuple[int, ...]], ...] = field(
        default=(), repr=False, compare=False
    )
    _always: frozenset[int] = field(default=frozenset(), repr=False, compare=False)
    _needles: tuple[tuple[str, ...] | None, ...] | None = field(
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
            body = expand_spaces(spec.source)
            try:
                if check:
                    regex.compile(body)
            except regex.error as exc:
                raise RulePackError(where, f"pattern {spec.id!r} does not compile: {exc}") from None
            bodies.append(body)
        return cls(where, tuple(specs), None, tuple(bodies), word_boundaries, ignore_case)

    @property
    def needles(self) -> tuple[tuple[str, ...] | None, ...]:
        """Per pattern: needles (case-folded when ``ignore_case``), or None: always search.

        Worked out on first use, like ``compiled``, to keep start-up short.
        """
        if self._needles is None:
            needles = tuple(pattern_needles(body, self.ignore_case) for body in self.bodies)
            index: dict[str, list[int]] = {}
            for position, found in enumerate(needles):
                for needle in found or ():
                    index.setdefault(needle, []).append(position)
            self._needle_index = tuple((needle, tuple(at)) for needle, at in index.items())
            self._always = frozenset(i for i, found in enumerate(needles) if found is None)
            self._needles = needles
        return self._needles

    @property
    def compiled(self) -> regex.Pattern[str] | None:
        """The alternation of every pattern (None for an empty group).

        Compiled on first use, not at load: start-up reads every rule pack in
        every language, and a template in one language needs only its groups.
        Each pattern was still compiled alone at load, so a broken pattern is
        reported when the packs load, as before.
        """
        if self._compiled is None and self.specs:
            self._compiled = self._compile(tuple(range(len(self.specs))))
        return self._compiled

    def _compile(self, indices: tuple[int, ...]) -> regex.Pattern[str]:
        alternation = "|".join(f"(?P<_p{i}>{self.bodies[i]})" for i in indices)
        if self.word_boundaries:
            # One pair of edges around the whole alternation, not one per
            # alternative: the same matches (a zero-width test distributes over
            # ordered alternatives), but 5x faster, as the engine no longer runs
            # a look-behind before every alternative at every position.
            alternation = rf"{_EDGE}(?:{alternation}){_EDGE}"
        flags = regex.UNICODE | (regex.IGNORECASE if self.ignore_case else 0)
        try:
            return regex.compile(alternation, flags)
        except regex.error as exc:
            raise RulePackError(self.where, f"patterns do not compile: {exc}") from None

    def _for_text(self, text: str) -> regex.Pattern[str] | None:
        """The alternation of the patterns that may match ``text`` (None: none may)."""
        haystack = folded(text) if self.ignore_case else text
        found = {i for needle, at in self._needle_index if needle in haystack for i in at}
        if self._always:
            found |= self._always
        if not found:
            return None
        if len(found) == len(self.specs):
            return self.compiled
        present = tuple(sorted(found))
        compiled = self._subsets.get(present)
        if compiled is None:
            if len(self._subsets) >= MAX_SUBSETS:
                self._subsets.clear()
            compiled = self._subsets[present] = self._compile(present)
        return compiled

    def finditer(self, text: str) -> Iterator[Hit]:
        if not self.specs:
            return
        compiled = self._for_text(text) if self.needles else self.compiled  # needles: first
        if compiled is None:
            return
        budget = match_budget(len(text))
        try:
            # Collect before yielding: regex's timeout runs from the first call
            # to the last, so the caller's work between hits would count too.
            found = [
                (match.start(), match.end(), match.lastgroup)
                for match in compiled.finditer(text, timeout=budget)
                if match.end() != match.start()
            ]
        except TimeoutError:
            raise PatternTimeout(self.where, budget, len(text)) from None
        for start, end, name in found:
            assert name is not None
            yield Hit(start, end, self.specs[int(name[2:])])

    def search(self, text: str) -> Hit | None:
        return next(self.finditer(text), None)


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
        else:
            raise RulePackError(
                where, f"patterns.{group}[{index}] must be a string or a table with 'match'"
            )
    return tuple(specs)
