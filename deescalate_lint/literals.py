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
from collections.abc import Mapping, Sequence
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
#: reset, fuzzy/named-list syntax).
_UNSAFE = re.compile(r"\[\[|\[:|\(\?[a-zA-Z^|]|\\[pPXmMLNGKhHRV]|\(\?\(")
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


def requirement(source: str, ignore_case: bool) -> Requirement | None:
    """Strings of which every match of ``source`` contains at least one, or None.

    ``source`` is a pattern after space expansion (``\\s+``), as compiled.
    The most selective of ``requirements``.
    """
    found = requirements(source, ignore_case)
    return found[0] if found else None


def requirements(source: str, ignore_case: bool) -> tuple[Requirement, ...] | None:
    """Every requirement of ``source``, the most selective first; all hold for any match.

    "let me stop you there" needs "let" and "stop" and "there": a text that
    has "there" but no "stop" cannot match, which one requirement alone
    would not show. None when nothing is known (the pattern is always searched).
    """
    found = _MEMO.get((source, ignore_case), lambda: _requirements(source, ignore_case))
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


def _requirements(source: str, ignore_case: bool) -> tuple[tuple[str, ...], ...] | None:
    plain = _without_properties(source)
    if plain is None:
        return None
    source = plain
    braces = _BRACES_OK.sub("", source)
    if _UNSAFE.search(source) or "{" in braces or "}" in braces:
        return None
    try:
        parsed = _sre_parser.parse(source, 0)
    except Exception:  # the stdlib cannot read it: regex-only syntax
        return None
    found = {frozenset(_fold(s, ignore_case) for s in r) for r in _sequence(list(parsed))}
    if not found:
        return None
    return tuple(tuple(sorted(r)) for r in sorted(found, key=_selectivity, reverse=True))


def _selectivity(requirement: Requirement) -> tuple[int, int, tuple[str, ...]]:
    """Longer shortest needle first, then fewer needles (ties broken by the needles)."""
    return (min(len(s) for s in requirement), -len(requirement), tuple(sorted(requirement)))


def _best(requirements: list[Requirement]) -> Requirement | None:
    """The most selective of several requirements that all hold."""
    if not requirements:
        return None
    return max(requirements, key=_selectivity)


def _sequence(items: Sequence[tuple[object, object]]) -> list[Requirement]:
    """Every requirement of a sequence of parsed items (all of them hold)."""
    found: list[Requirement] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            found.append(frozenset(["".join(run)]))
            run.clear()

    for op, arg in items:
        if op is _sre_constants.LITERAL:
            assert isinstance(arg, int)
            run.append(chr(arg))
            continue
        if not (op in _REPEATS and _repeats_a_literal(arg)):
            flush()
        if op is _sre_constants.SUBPATTERN:
            assert isinstance(arg, tuple)
            found.extend(_sequence(list(arg[-1])))
        elif op in _REPEATS:
            assert isinstance(arg, tuple)
            low, _high, body = arg
            body = list(body)
            if low >= 1 and len(body) == 1 and body[0][0] is _sre_constants.LITERAL:
                # "ah+": at least one "h" follows the "a" directly.
                run.append(chr(body[0][1]))
                flush()
            elif low >= 1:
                found.extend(_sequence(body))
        elif op is _sre_constants.BRANCH:
            assert isinstance(arg, tuple)
            # Each branch's best requirement; the match holds one of them.
            union: set[str] = set()
            for branch in arg[1]:
                inner = _best(_sequence(list(branch)))
                if inner is None:
                    union = set()
                    break
                union |= inner
            if union:
                found.append(frozenset(union))
        elif op is _ATOMIC:
            found.extend(_sequence(list(arg)))  # type: ignore[call-overload]
        # Anything else (classes, lookarounds, anchors, back-references,
        # conditionals) consumes unknown text or none: it requires nothing.
    flush()
    return found


_POSSESSIVE = getattr(_sre_constants, "POSSESSIVE_REPEAT", object())
_ATOMIC = getattr(_sre_constants, "ATOMIC_GROUP", object())
_REPEATS = (_sre_constants.MAX_REPEAT, _sre_constants.MIN_REPEAT, _POSSESSIVE)


def _repeats_a_literal(arg: object) -> bool:
    """True for ``x+``-like repeats of one literal character (at least once)."""
    if not isinstance(arg, tuple) or len(arg) != 3:
        return False
    low, _high, body = arg
    items = list(body)
    return bool(low >= 1 and len(items) == 1 and items[0][0] is _sre_constants.LITERAL)


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


@lru_cache(maxsize=64)
def folded(text: str) -> str:
    """Folded text, cached: every pattern group of a turn asks for the same text."""
    return fold(text)


def pattern_needles(source: str, ignore_case: bool) -> tuple[tuple[str, ...], ...] | None:
    """Per requirement, its needles (shortest first, redundant ones dropped); None: unknown.

    At most ``MAX_REQUIREMENTS`` requirements are kept, the most selective.
    """
    found = requirements(source, ignore_case)
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
