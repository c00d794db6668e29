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

Two engines, the same answers (tests/test_scan.py compares them):

* **google-re2** (optional, the accelerator): one ``re2.Set`` of the
  prefilter patterns (``prefilter.py``: generated from the real ones, looser,
  in RE2 syntax) is matched against the case-folded turn; a DFA, linear in
  the text whatever the number of patterns. Measured on the English agent
  text of the real corpora (issue #14): 108 MB/s for all 334 patterns of the
  time, against 37-81 for hyperscan (whose German database took 62 s to
  compile) and 35-75 for one Aho-Corasick automaton of all their literals.
* **literals** (always there, pure Python but for pyahocorasick): the literals
  every match must hold (``literals.py``), all of a language's in one
  Aho-Corasick automaton, the other requirements tested by substring. Less
  selective (it cannot see word edges or order), so more candidates reach
  ``regex``, which then finds the same hits.

Set ``DEESCALATE_LINT_NO_RE2=1`` to use the literal engine although google-re2
is installed (CI runs the suite both ways).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .literals import fold, needle_automaton, pattern_needles
from .patterns import PatternGroup
from .prefilter import PAD, Prefilter, prefilter

#: Set to a non-empty value other than 0 to switch the accelerator off.
NO_RE2_ENV = "DEESCALATE_LINT_NO_RE2"
#: Memory for RE2's compiled sets and their DFAs (its default, 8 MB, is too
#: little for the German and Finnish sets).
RE2_MAX_MEM = 256 << 20

#: White space a turn's end may have after its last match (``str.rstrip`` removes
#: these; every character outside ASCII is allowed, so none is missed), then
#: the padding and the end: a NUL stands for the end, as ``$`` in a set makes
#: the DFA slow (see prefilter.py), and a NUL inside a text only adds candidates.
_TRAILING = r"[\t-\r\x{1C}-\x{20}\x{80}-\x{10FFFF}]*\x{0}"
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
            found = prefilter(self.bodies[0], self.ignore_case, self.word_boundaries)
            if found is not None and self.at_end:
                found = Prefilter(f"(?:{found.source}){_TRAILING}", found.folded)
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
    """The entries' prefilters in one RE2 set for folded text and one for text as is."""

    def __init__(self, re2: Any, entries: Sequence[Entry]) -> None:
        options = re2.Options()
        options.max_mem = RE2_MAX_MEM
        options.log_errors = False
        self.sets: dict[bool, Any] = {}
        #: Per set: set index -> entry index (index 0 is the sentinel).
        self.ids: dict[bool, list[int]] = {}
        always = []
        for index, entry in enumerate(entries):
            found = entry.prefilter()
            if found is None:
                always.append(index)
                continue
            source = found.source
            if found.folded not in self.sets:
                new = re2.Set.SearchSet(options)
                # The sentinel matches every text: a match without it means the
                # DFA gave up (out of memory), and then every entry is a candidate.
                new.Add("")
                self.sets[found.folded] = new
                self.ids[found.folded] = [-1]
            self.sets[found.folded].Add(source)
            self.ids[found.folded].append(index)
        for compiled in self.sets.values():
            compiled.Compile()
        self.always = tuple(always)
        self.everything = tuple(range(len(entries)))
        self.folded = self.sets.get(True)
        self.raw = self.sets.get(False)

    def match(self, text: str) -> tuple[int, ...]:
        found: list[int] = []
        if self.folded is not None:
            matched = self.folded.Match(_utf8(PAD + fold(text) + PAD + _END))
            if not matched:  # the sentinel always matches: the DFA gave up
                return self.everything
            if len(matched) > 1:
                ids = self.ids[True]
                found.extend(ids[i] for i in matched if i)
        if self.raw is not None:
            matched = self.raw.Match(_utf8(PAD + text + PAD + _END))
            if not matched:
                return self.everything
            if len(matched) > 1:
                ids = self.ids[False]
                found.extend(ids[i] for i in matched if i)
        if self.always:
            found.extend(self.always)
        return tuple(found)


def _utf8(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates (JSON allows them): each becomes U+FFFD, which every
        # prefilter class that could match a surrogate (all non-ASCII) matches too.
        return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace").encode("utf-8")


class _LiteralEngine:
    """The entries' literal requirements: one automaton for folded text, one for text as is.

    Each entry's first (most selective) requirement is in the automaton; the
    others are tested by substring for the entries it reports, as
    ``PatternGroup.candidates`` does for one group.
    """

    def __init__(self, entries: Sequence[Entry]) -> None:
        always = []
        self.requirements: list[tuple[tuple[str, ...], ...]] = []
        index: dict[bool, dict[str, set[int]]] = {True: {}, False: {}}
        for position, entry in enumerate(entries):
            # A repeat is looked for as any of its patterns (a superset).
            found = (
                pattern_needles(entry.bodies[0], entry.ignore_case) if not entry.repeat else None
            )
            self.requirements.append(found or ())
            if found is None:
                always.append(position)
                continue
            for needle in found[0]:
                index[entry.ignore_case].setdefault(needle, set()).add(position)
        self.automata = {
            folded: needle_automaton({n: frozenset(at) for n, at in needles.items()})
            for folded, needles in index.items()
            if needles
        }
        self.always = tuple(always)

    def match(self, text: str) -> tuple[int, ...]:
        found = list(self.always)
        for folded, automaton in self.automata.items():
            haystack = fold(text) if folded else text
            touched: set[int] = set()
            for _end, entries in automaton.iter(haystack):
                touched |= entries
            for position in touched:
                others = self.requirements[position][1:]
                if all(any(n in haystack for n in needles) for needles in others):
                    found.append(position)
        return tuple(found)


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

    def scan_all(self, texts: Sequence[str]) -> tuple[int, ...]:
        """The entries that may match in any of ``texts``, in one pass over them all.

        The texts are joined as the scan pads each one (``PAD`` text ``PAD``
        NUL), so a match in one of them is a match in the joined text; a match
        across two only adds a candidate.
        """
        return self.engine.match(_JOIN.join(texts))

    def scan_tagged(self, texts: Sequence[tuple[str, str]]) -> tuple[int, ...] | None:
        """The entries that may match, each text (tag, text) opened by its tag, in one
        pass over them all; None when a text holds a tag character (the caller then
        cannot tell the roles apart)."""
        for _tag, text in texts:
            if TAGS[0] in text or TAGS[1] in text:
                return None
        return self.engine.match(_JOIN.join(tag + PAD + text for tag, text in texts))

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
