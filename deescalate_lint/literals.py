"""Required literals of a pattern: a cheap, exact test that a text cannot match.

Why: most turns contain none of a rule's triggers, and a ``regex`` alternation
of dozens of patterns tries every alternative at every position of the text
(about 1 MB/s over a rule set). Almost every trigger contains a word that any
match must contain ("fault" in ``not (?:my|our) fault``). When no pattern's
required word occurs in the text (one ``str.__contains__`` each, hundreds of
MB/s), the regex pass is skipped: it could not have found anything, so the
answer is unchanged.

Soundness comes first. The pattern is parsed with the standard library's
regex parser; any syntax that parser does not read exactly like the
``regex`` module (``\\p{..}``, nested sets, fuzzy matching, inline flags,
stray braces...) makes the pattern "unknown", and a group with one unknown
pattern is always searched. Case-insensitive patterns compare case-folded
text with case-folded literals.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .diskmemo import DiskMemo, fingerprint

if sys.version_info >= (3, 11):
    _sre_constants: Any = importlib.import_module("re._constants")
    _sre_parser: Any = importlib.import_module("re._parser")
else:  # pragma: no cover - Python 3.10
    _sre_constants = importlib.import_module("sre_constants")
    _sre_parser = importlib.import_module("sre_parse")

#: Source text that the stdlib parser would read differently from ``regex``
#: (nested sets, POSIX classes such as ``[a[:digit:]]``, inline flags, branch
#: reset, fuzzy/named-list syntax). A set that merely starts with a colon
#: (``[:,]``), named groups and named back-references are read alike by both.
_UNSAFE = re.compile(r"\[\[|\[:\^?[A-Za-z]+:\]|\(\?(?!P[<=])[a-zA-Z^|]|\\[pPXmMLNGKhHRV]|\(\?\(")
#: Valid counted repeats and escaped braces; any other brace means "unknown".
_BRACES_OK = re.compile(r"\\[{}]|\{\d*,?\d*\}")

Requirement = frozenset[str]


#: ``regex`` matches I and i with the Turkish dotted and dotless i, which
#: ``str.casefold`` keeps apart; fold them together first. With this, every
#: pair of characters ``regex.IGNORECASE`` matches has equal folds (checked
#: over every code point up to U+2FFFF).
_TURKIC_I = {0x130: "i", 0x131: "i"}


def fold(text: str) -> str:
    """Case-fold so that ``regex.IGNORECASE`` matches imply substring matches."""
    if text.isascii():  # the common case: case-folding ASCII is lower-casing
        return text.lower()
    if "\u0130" in text or "\u0131" in text:
        text = text.translate(_TURKIC_I)
    return text.casefold()


def _fold(text: str, ignore_case: bool) -> str:
    return fold(text) if ignore_case else text


def requirement(source: str, ignore_case: bool, squeeze: bool = False) -> Requirement | None:
    """Strings of which every match of ``source`` contains at least one, or None.

    ``source`` is a pattern after space expansion (``\\s+``), as compiled.
    The most selective of ``requirements``.
    """
    found = requirements(source, ignore_case, squeeze)
    return found[0] if found else None


def requirements(
    source: str, ignore_case: bool, squeeze: bool = False
) -> tuple[Requirement, ...] | None:
    """Every requirement of ``source``, the most selective first; all hold for any match.

    "let me stop you there" needs "let" and "stop" and "there": a text that
    has "there" but no "stop" cannot match, which one requirement alone
    would not show. None when nothing is known (the pattern is always searched).

    ``squeeze``: the requirements hold in the text ``squeezed`` (each run of
    white space one space), and may span words: ``not\\s+(?:my|our)\\s+fault``
    needs "not my fault" or "not our fault", not just "fault". Without it
    they hold in the text as it is, and white space breaks them.
    """
    found = _MEMO.get(
        (source, ignore_case, squeeze), lambda: _requirements(source, ignore_case, squeeze)
    )
    return None if found is None else tuple(frozenset(r) for r in found)


#: Requirements kept between processes: parsing every pattern with the
#: standard library's parser is most of the literal engine's start-up.
_MEMO = DiskMemo("requirements", fingerprint(Path(__file__)) + "-" + sys.version.split()[0])


#: A Unicode property outside a set (``\\p{Han}``, ``\\pL``, ``\\P{..}``): one character.
_PROPERTY = re.compile(r"\\[pP](?:\{[^{}\\]*\}|[A-Za-z])")
#: Any one character, as the stdlib parser reads it (a class: requires nothing).
_ANY_CHARACTER = r"[\s\S]"


def _without_properties(source: str) -> str | None:
    """``source`` with each Unicode property outside a set read as "any one
    character" (a looser pattern: its requirements hold for the real one);
    None when a property stands inside a set, which stays unknown.

    Why: the stdlib parser does not know ``\\p{..}``, and a CJK gap written
    ``\\p{Han}{0,4}`` made the whole pattern unknown, so searched in every turn."""
    if "\\p" not in source and "\\P" not in source:
        return source
    out: list[str] = []
    position, in_set = 0, False
    while position < len(source):
        char = source[position]
        if char == "\\":
            found = _PROPERTY.match(source, position)
            if found is not None:
                if in_set:
                    return None
                out.append(_ANY_CHARACTER)
                position = found.end()
                continue
            out.append(source[position : position + 2])
            position += 2
            continue
        if char == "[" and not in_set:
            in_set = True
            out.append(char)
            position += 1
            # A "]" first in a set (after an optional "^") is a literal.
            if source.startswith("^", position):
                out.append("^")
                position += 1
            if source.startswith("]", position):
                out.append("]")
                position += 1
            continue
        if char == "]" and in_set:
            in_set = False
        out.append(char)
        position += 1
    return "".join(out)


def _requirements(
    source: str, ignore_case: bool, squeeze: bool
) -> tuple[tuple[str, ...], ...] | None:
    plain = _without_properties(source)
    if plain is None:
        return None
    source = plain
    braces = _BRACES_OK.sub("", source)
    if _UNSAFE.search(source) or "{" in braces or "}" in braces:
        return None
    parsed = _parsed(source)
    if parsed is None:
        return None
    found = {
        frozenset(_fold(s, ignore_case) for s in r)
        for r in _sequence(list(parsed), squeeze).all_requirements()
    }
    if not found:
        return None
    kept: list[Requirement] = []
    for candidate in sorted(found, key=_selectivity, reverse=True):
        # "fault" implies "faul": a requirement that a kept one implies rules out nothing more.
        if not any(_implies(stronger, candidate) for stronger in kept):
            kept.append(candidate)
    return tuple(tuple(sorted(r)) for r in kept)


@lru_cache(maxsize=1024)
def _parsed(source: str) -> Any:
    """The standard library's parse of ``source`` (None: it cannot read it).

    Kept for a while: a pattern is analysed for squeezed text and for text as
    is, and parsing was a third of the analysis."""
    try:
        return _sre_parser.parse(source, 0)
    except Exception:  # the stdlib cannot read it: regex-only syntax
        return None


def _implies(stronger: Requirement, weaker: Requirement) -> bool:
    """Whether every text holding a string of ``stronger`` holds one of ``weaker``."""
    return all(any(w in s for w in weaker) for s in stronger)


def _selectivity(requirement: Requirement) -> tuple[int, int, tuple[str, ...]]:
    """Longer shortest needle first, then fewer needles (ties broken by the needles)."""
    return (min(len(s) for s in requirement), -len(requirement), tuple(sorted(requirement)))


def _best(requirements: list[Requirement]) -> Requirement | None:
    """The most selective of several requirements that all hold."""
    if not requirements:
        return None
    return max(requirements, key=_selectivity)


#: Largest set of strings an analysis keeps exact (every string a part can
#: match), or as the strings a part's matches begin or end with.
MAX_STRINGS = 32


@dataclass(frozen=True)
class _Info:
    """What any match of a part of a pattern holds (the analysis of Russ Cox's
    code search, reduced): ``exact``, every string the part can match (None:
    too many or unknown); ``prefixes``/``suffixes``, strings one of which each
    match starts/ends with (None: unknown); ``requirements``, sets of strings
    of which each match contains one. The empty string is a string like the
    others here: a requirement holding it is dropped, as it rules nothing out.

    Why more than literal runs: "do|does|did" (which the stdlib parser turns
    into ``d(?:o|oes|id)``), ``f+u+c+k``, ``[:,]`` after "confirm" or
    ``(?:ha){2,}`` gave one-letter needles ("d", "u", "ha") that most turns
    hold; the strings across such joins ("do", "did"; "fu", "ck"; "confirm:";
    "haha") are as sure and far rarer.
    """

    exact: frozenset[str] | None = None
    prefixes: frozenset[str] | None = None
    suffixes: frozenset[str] | None = None
    requirements: tuple[Requirement, ...] = ()

    def starts(self) -> frozenset[str] | None:
        return self.exact if self.exact is not None else self.prefixes

    def ends(self) -> frozenset[str] | None:
        return self.exact if self.exact is not None else self.suffixes

    def all_requirements(self) -> list[Requirement]:
        found = list(self.requirements)
        if self.exact is not None:
            found.append(self.exact)
        return [r for r in found if r and "" not in r]


_UNKNOWN = _Info()
_EMPTY = _Info(exact=frozenset([""]))
_SPACE = _Info(exact=frozenset([" "]))


def _char(code: int, squeeze: bool) -> str:
    char = chr(code)
    return " " if squeeze and char.isspace() else char


def _product(left: frozenset[str], right: frozenset[str], squeeze: bool) -> frozenset[str] | None:
    if len(left) * len(right) > MAX_STRINGS:
        return None
    if squeeze:
        # Squeezed text has one space for any run of white space.
        return frozenset(
            a[:-1] + b if a.endswith(" ") and b.startswith(" ") else a + b
            for a in left
            for b in right
        )
    return frozenset(a + b for a in left for b in right)


def _shortened(strings: frozenset[str] | None, keep_start: bool) -> frozenset[str] | None:
    """At most ``MAX_STRINGS`` strings that still start (or end) every match:
    each cut to a shorter length until few enough remain."""
    if strings is None or len(strings) <= MAX_STRINGS:
        return strings
    for length in range(max(len(s) for s in strings) - 1, 0, -1):
        cut = frozenset(s[:length] if keep_start else s[-length:] for s in strings)
        if len(cut) <= MAX_STRINGS:
            return cut
    return None


def _concat(left: _Info, right: _Info, squeeze: bool) -> _Info:
    """What a match of ``left`` followed by one of ``right`` holds."""
    exact = None
    if left.exact is not None and right.exact is not None:
        exact = _product(left.exact, right.exact, squeeze)
    requirements = (*left.all_requirements(), *right.all_requirements())
    ends, starts = left.ends(), right.starts()
    if ends is not None and starts is not None:
        across = _product(ends, starts, squeeze)
        if across is not None:
            requirements += (across,)
    if exact is not None:
        return _Info(exact, requirements=requirements)
    prefixes = left.prefixes
    if left.exact is not None:
        prefixes = (
            left.exact if starts is None else _product(left.exact, starts, squeeze) or left.exact
        )
    suffixes = right.suffixes
    if right.exact is not None:
        suffixes = (
            right.exact if ends is None else _product(ends, right.exact, squeeze) or right.exact
        )
    return _Info(
        None,
        _shortened(prefixes, keep_start=True),
        _shortened(suffixes, keep_start=False),
        requirements,
    )


def _sequence(items: Sequence[tuple[object, object]], squeeze: bool) -> _Info:
    """What any match of a sequence of parsed items holds.

    A run of literal characters is joined into one string first. That gives
    the same exact strings, prefixes and suffixes as joining them one
    character at a time (a product of one-string sets is one string), and
    leaves out only the requirements within the run ("le", "let", ...), each
    implied by the run itself, which ``_requirements`` dropped anyway. It
    halved the analysis a first run with an empty memo pays for every pattern."""
    info = _EMPTY
    run: list[str] = []
    for item in items:
        if item[0] is _sre_constants.LITERAL:
            run.append(_char(item[1], squeeze))  # type: ignore[arg-type]
            continue
        if run:
            info = _concat(info, _literal_run(run, squeeze), squeeze)
            run = []
        info = _concat(info, _item(item, squeeze), squeeze)
    if run:
        info = _concat(info, _literal_run(run, squeeze), squeeze)
    return info


def _literal_run(chars: list[str], squeeze: bool) -> _Info:
    """What a run of literal characters matches: itself (in squeezed text,
    each run of spaces one space, as ``_product`` joins them)."""
    text = "".join(chars)
    if squeeze and "  " in text:
        text = _SPACES.sub(" ", text)
    return _Info(frozenset([text]))


_SPACES = re.compile(" {2,}")


def _alternatives(branches: Sequence[_Info]) -> _Info:
    """What any match of one of ``branches`` holds."""
    exact: frozenset[str] | None = None
    if all(b.exact is not None for b in branches):
        union = frozenset().union(*(b.exact for b in branches if b.exact is not None))
        exact = union if len(union) <= MAX_STRINGS else None
    if exact is not None:
        return _Info(exact)
    # Each branch's most selective requirement; the match holds one of them.
    best = [_best(b.all_requirements()) for b in branches]
    requirements: tuple[Requirement, ...] = ()
    if best and all(r is not None for r in best):
        requirements = (frozenset().union(*(r for r in best if r is not None)),)
    starts, ends = [b.starts() for b in branches], [b.ends() for b in branches]
    prefixes = None if any(s is None for s in starts) else frozenset().union(*starts)  # type: ignore[arg-type]
    suffixes = None if any(e is None for e in ends) else frozenset().union(*ends)  # type: ignore[arg-type]
    return _Info(
        None,
        _shortened(prefixes, keep_start=True),
        _shortened(suffixes, keep_start=False),
        requirements,
    )


def _repeat(low: int, high: int, body: _Info, squeeze: bool) -> _Info:
    """What any match of ``body`` repeated ``low`` to ``high`` times holds."""
    if squeeze and body.exact == _SPACE.exact:
        # Any run of white space is one space in squeezed text.
        return _SPACE if low >= 1 else _Info(frozenset(["", " "]) if high else frozenset([""]))
    if low == 0:
        if high == 1 and body.exact is not None and len(body.exact) < MAX_STRINGS:
            return _Info(body.exact | {""})
        return _EMPTY if high == 0 else _UNKNOWN
    if low == high and body.exact is not None:
        exact: frozenset[str] | None = body.exact
        for _ in range(low - 1):
            exact = _product(exact, body.exact, squeeze) if exact is not None else None
        if exact is not None:
            return _Info(exact)
    # At least one whole match of the body, and (twice or more) one join of two.
    once = _Info(None, body.starts(), body.ends(), tuple(body.all_requirements()))
    return _concat(once, once, squeeze) if low >= 2 else once


def _item(item: tuple[object, object], squeeze: bool) -> _Info:
    """What any match of one parsed item holds."""
    op, arg = item
    if op is _sre_constants.LITERAL:
        assert isinstance(arg, int)
        return _Info(frozenset([_char(arg, squeeze)]))
    if op is _sre_constants.IN:
        assert isinstance(arg, list)
        # A set of a few plain characters ("[:,]"), and when squeezed white
        # space ("[\\s,]"); anything else is unknown.
        chars = set()
        for kind, value in arg:
            if kind is _sre_constants.LITERAL:
                chars.add(_char(value, squeeze))
            elif squeeze and kind is _sre_constants.CATEGORY and value is _CATEGORY_SPACE:
                chars.add(" ")
            else:
                return _UNKNOWN
        return _Info(frozenset(chars)) if 0 < len(chars) <= MAX_STRINGS else _UNKNOWN
    if op is _sre_constants.SUBPATTERN:
        assert isinstance(arg, tuple)
        return _sequence(list(arg[-1]), squeeze)
    if op is _ATOMIC:
        return _sequence(list(arg), squeeze)  # type: ignore[call-overload]
    if op in _REPEATS:
        assert isinstance(arg, tuple)
        low, high, body = arg
        return _repeat(low, high, _sequence(list(body), squeeze), squeeze)
    if op is _sre_constants.BRANCH:
        assert isinstance(arg, tuple)
        return _alternatives([_sequence(list(branch), squeeze) for branch in arg[1]])
    if op in _ZERO_WIDTH:
        return _EMPTY
    # Classes, any character, back-references, conditionals: unknown text.
    return _UNKNOWN


_POSSESSIVE = getattr(_sre_constants, "POSSESSIVE_REPEAT", object())
_ATOMIC = getattr(_sre_constants, "ATOMIC_GROUP", object())
_REPEATS = (_sre_constants.MAX_REPEAT, _sre_constants.MIN_REPEAT, _POSSESSIVE)
_CATEGORY_SPACE = _sre_constants.CATEGORY_SPACE
#: Anchors and lookarounds: they consume nothing.
_ZERO_WIDTH = (_sre_constants.AT, _sre_constants.ASSERT, _sre_constants.ASSERT_NOT)


def needle_automaton(needles: Mapping[str, Any]) -> Any:
    """An Aho-Corasick automaton that yields ``needles[n]`` for each needle ``n`` found.

    Why pyahocorasick: one pass in C finds every needle (overlapping ones
    included) whatever their number, where a ``str.__contains__`` per needle
    costs a pass each (six times slower over a language's few hundred
    needles), and a ``re`` alternation of literals tries every branch at every
    position (slower still). None when there are no needles.
    """
    if not needles:
        return None
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for needle, value in needles.items():
        automaton.add_word(needle, value)
    automaton.make_automaton()
    return automaton


def numbered_automaton(needles: Mapping[str, Hashable]) -> tuple[Any, tuple[Any, ...]]:
    """``needle_automaton`` of each value's number, and the values by number.

    Why numbers: an automaton of ints is plain data when taken apart
    (``Automaton.__reduce__``: its nodes as bytes, and a few ints), so the
    start-up memo can keep it; rebuilding one from its 20,000 needles was a
    tenth of a clean template's cold start, and putting it back together from
    those bytes costs a quarter of that. (None, ()) when there are no needles.
    """
    if not needles:
        return None, ()
    import ahocorasick

    numbers: dict[Hashable, int] = {}
    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for needle, value in needles.items():
        automaton.add_word(needle, numbers.setdefault(value, len(numbers)))
    automaton.make_automaton()
    return automaton, tuple(numbers)


def case_sensitive_inside(source: str) -> str | None:
    """The inside of a pattern that is one case-sensitive group as a whole
    (``(?-i:...)``), which matches alike in a case-blind group; else None."""
    if not (source.startswith("(?-i:") and source.endswith(")")):
        return None
    try:
        parsed = list(_sre_parser.parse(source, 0))
    except Exception:  # regex-only syntax: not known to be one group
        return None
    if len(parsed) != 1 or parsed[0][0] is not _sre_constants.SUBPATTERN:
        return None
    _group, _add, delete, _body = parsed[0][1]
    return source[5:-1] if delete & _sre_constants.SRE_FLAG_IGNORECASE else None


#: What ends a pattern that must end where only white space follows.
_TAIL_ENDS = ("(?=\\s*$)", "\\s*$")


def tail_reach(body: str) -> int | None:
    """The most characters other than white space a pattern's match can hold,
    when the pattern must end where only white space follows (it ends with
    ``(?=\\s*$)`` or ``\\s*$``) and that number is bounded; None otherwise
    (``PatternGroup.tail_reach`` says why). White space itself (``\\s+`` between
    words) counts for nothing: it only ever matches white space."""
    rest = next((body[: -len(end)] for end in _TAIL_ENDS if body.endswith(end)), None)
    if rest is None or _escaped_at_end(rest) or _has_top_level_bar(rest):
        return None
    plain = _without_properties(_WHITE_SPACE_ITEM.sub(r"\1", rest))
    try:
        _low, high = _sre_parser.parse(plain, 0).getwidth() if plain is not None else (0, -1)
    except Exception:  # regex-only syntax: no bound known
        return None
    return high if 0 <= high < _sre_constants.MAXREPEAT else None


#: ``\\s`` with any repeat, not escaped (``\\\\s`` is a backslash and an s).
_WHITE_SPACE_ITEM = re.compile(r"(?<!\\)((?:\\\\)*)\\s(?:[+*?]|\{\d*,?\d*\})?\??")


def start_within(text: str, end: int, reach: int) -> int:
    """Where a match holding at most ``reach`` characters other than white space,
    and ending at or after ``end``, can start at the earliest (``tail_reach``)."""
    position, seen = end, 0
    while position > 0 and seen < reach:
        position -= 1
        if not text[position].isspace():
            seen += 1
    while position > 0 and text[position - 1].isspace():
        position -= 1
    return position


def _escaped_at_end(text: str) -> bool:
    """Whether ``text`` ends in an odd run of backslashes (the suffix would be escaped)."""
    return (len(text) - len(text.rstrip("\\"))) % 2 == 1


def _has_top_level_bar(source: str) -> bool:
    """Whether an alternative bar stands outside every group and set."""
    depth, in_set, position = 0, False, 0
    while position < len(source):
        char = source[position]
        if char == "\\":
            position += 2
            continue
        if in_set:
            in_set = char != "]"
        elif char == "[":
            in_set = True
            if source.startswith("]", position + 1) or source.startswith("^]", position + 1):
                position += 2 if source[position + 1] == "]" else 3
                continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
        position += 1
    return False


def squeezed(text: str) -> str:
    """``text`` with each run of white space one space (what ``squeeze`` needles are in).

    White space is what ``str.isspace`` says (the standard library's ``\\s``):
    what ``regex``'s ``\\s`` matches, and the four separators (U+001C-U+001F)
    (a superset is sound). By ``str.split``, with a space put back at either
    end the split dropped: four times as fast as ``re.sub(r"\\s+", " ", text)``
    on the real corpora's turns (9 ms against 39 ms a run), once per turn."""
    found = " ".join(text.split())
    if text[:1].isspace():
        found = " " + found
    if text[-1:].isspace() and found != " ":
        found += " "
    return found


@lru_cache(maxsize=64)
def folded(text: str) -> str:
    """Folded text, cached: every pattern group of a turn asks for the same text."""
    return fold(text)


def pattern_needles(
    source: str, ignore_case: bool, squeeze: bool = False
) -> tuple[tuple[str, ...], ...] | None:
    """Per requirement, its needles (shortest first, redundant ones dropped); None: unknown.

    At most ``MAX_REQUIREMENTS`` requirements are kept, the most selective.
    ``squeeze``: needles of the ``squeezed`` text (see ``requirements``).
    """
    # Kept on disk like the requirements: sorting and thinning every pattern's
    # needles was a third of building a scanner at a cold start.
    return _MEMO.get(
        ("needles", source, ignore_case, squeeze),
        lambda: _pattern_needles(source, ignore_case, squeeze),
    )


def _pattern_needles(
    source: str, ignore_case: bool, squeeze: bool
) -> tuple[tuple[str, ...], ...] | None:
    found = requirements(source, ignore_case, squeeze)
    if not found:
        return None
    out = []
    for requirement in found[:MAX_REQUIREMENTS]:
        kept: list[str] = []
        for needle in sorted(requirement, key=lambda s: (len(s), s)):
            # A needle containing a kept one is implied by it: testing it adds nothing.
            if not any(shorter in needle for shorter in kept):
                kept.append(needle)
        out.append(tuple(kept))
    return tuple(out)


#: Requirements kept per pattern: enough to rule out most texts, few enough
#: that testing them stays cheap.
MAX_REQUIREMENTS = 4
