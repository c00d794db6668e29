"""Concept references and co-occurrence patterns: rules written by concept.

Real people say the same thing a hundred ways, so rule packs do not list
sentences: they name concepts, shared per language in
``rules/concepts/<code>.toml`` (a written channel, a directive, certainty, an
apology, self-reported anger...) and combine them. Two forms, both compiled
into ordinary ``regex`` patterns, so matching, the literal prefilter, scope
and evidence spans work on them unchanged:

* ``{{name}}`` inside a pattern stands for the concept's list as one
  alternation (``"(?:send|drop) us {{written_channel}}"``). Concepts may use
  other concepts; a cycle is a load error naming the file.
* a table ``{ near = ["{{directive}}", "{{written_channel}}"], within = 6 }``
  matches the parts in that order in one clause, at most ``within`` tokens
  apart (``order = "any"`` allows any order). What a token is and what ends
  a clause are the language's (``[near]`` in its file): words for most
  languages, characters for Chinese. A negation or hedge between the parts
  governs the match as one before it would ("you don't need to fill in the
  form"): ``near_gaps`` finds the words between them.

Why patterns and not a token matcher (spaCy's ``Matcher``): blank pipelines
have no lemmas, so token patterns would still list every inflected form; the
same alternations inside one regex keep the single fast path (one literal
scan, then one search) and let negation and hedge scope judge the whole span.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import regex

from .errors import RulePackError
from .patterns import PatternSpec, expand_spaces
from .regexes import compile_pattern

if TYPE_CHECKING:
    from .languages import LanguageProfile

#: ``{{name}}``: a concept reference (names are letters, digits and _).
REFERENCE = compile_pattern(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
#: A pattern that is nothing but one concept reference.
WHOLE_REFERENCE = compile_pattern(r"\s*\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}\s*")
#: A word edge that also works next to punctuation (as in patterns.py).
_EDGE = r"(?!(?<=\w)\w)"
#: Parts of a co-occurrence pattern in any order: at most this many (n! orders).
MAX_ANY_ORDER_PARTS = 3
DEFAULT_WITHIN = 6
_NEAR_KEYS = {"near", "within", "order"}
#: The other keys a co-occurrence table may have: a pattern's own attributes
#: that logic types read (``fallback``: a sequence trigger quoted only alone;
#: ``weight`` and ``renews``: a detector signal's, docs/rule-packs.md).
_NEAR_ATTRIBUTES = {"id", "kind", "vetoes", "note", "match", "fallback", "weight", "renews"}


def expand_specs(
    where: str, specs: Sequence[PatternSpec], lang: LanguageProfile
) -> tuple[PatternSpec, ...]:
    """Specs with co-occurrence tables built and concept references expanded."""
    out = []
    for spec in specs:
        whole = WHOLE_REFERENCE.fullmatch(spec.source)
        if whole is not None and "near" not in spec.attrs:
            out.extend(_one_per_entry(where, spec, whole.group(1), lang))
            continue
        source = spec.source
        attrs = dict(spec.attrs)
        if "near" in attrs:
            source = near_source(where, spec.id, attrs, lang)
            # The parts, expanded: scope looks for negation between them too.
            parts = tuple(expand(where, part, lang) for part in attrs["near"])
            attrs = {k: v for k, v in attrs.items() if k not in _NEAR_KEYS}
            attrs["near_parts"] = parts
        out.append(PatternSpec(spec.id, expand(where, source, lang), attrs))
    return tuple(out)


def _one_per_entry(
    where: str,
    spec: PatternSpec,
    name: str,
    lang: LanguageProfile,
    stack: tuple[str, ...] = (),
) -> list[PatternSpec]:
    """A pattern that is just ``{{name}}``, as one pattern per entry of the list.

    The same matches as the one alternation (alternatives are tried in order
    either way), but each entry keeps its own required words, so one common
    word in one entry does not make the whole family a candidate everywhere
    (the literal prefilter, literals.py). An entry that is itself just
    ``{{other}}`` is split the same way: a family of families (the English
    ``transfer``, 26 alternatives in two lists) was one pattern of 13,800
    characters, a candidate wherever any of its words was, and its search
    tried every alternative at every position (0.6 ms a search).
    """
    items = lang.concepts.get(name)
    if name in stack or not isinstance(items, list) or not items:
        return [PatternSpec(spec.id, expand(where, spec.source, lang), dict(spec.attrs))]
    out = []
    for index, item in enumerate(items):
        entry = item if isinstance(item, str) else None
        own: dict[str, Any] = {}
        if isinstance(item, Mapping) and isinstance(item.get("match"), str):
            entry = item["match"]
            # The entry's own attributes (``vetoes = []``, ``weight``) are as
            # much its meaning as its words: they hold in every rule that uses
            # the concept whole, over the rule entry's.
            own = {k: v for k, v in item.items() if k != "match"}
        if entry is None:  # a near table: keep the family whole
            return [PatternSpec(spec.id, expand(where, spec.source, lang), dict(spec.attrs))]
        part = PatternSpec(f"{spec.id}/{name}[{index}]", entry, {**spec.attrs, **own})
        inner = WHOLE_REFERENCE.fullmatch(entry)
        if inner is not None:
            out.extend(_one_per_entry(where, part, inner.group(1), lang, (*stack, name)))
            continue
        out.append(PatternSpec(part.id, _expand(where, entry, lang, (*stack, name)), part.attrs))
    return out


def expand(where: str, source: str, lang: LanguageProfile) -> str:
    """``source`` with every ``{{concept}}`` replaced by its alternation."""
    if "{{" not in source:
        return source
    return _expand(where, source, lang, ())


def _expand(where: str, source: str, lang: LanguageProfile, stack: tuple[str, ...]) -> str:
    def replace(match: regex.Match[str]) -> str:
        return _concept_source(where, match.group(1), lang, stack)

    return REFERENCE.sub(replace, source)


def _concept_source(where: str, name: str, lang: LanguageProfile, stack: tuple[str, ...]) -> str:
    if name in stack:
        cycle = " -> ".join((*stack, name))
        raise RulePackError(where, f"concept cycle: {cycle}")
    items = lang.concepts.get(name)
    if items is None:
        raise RulePackError(
            where,
            f"unknown concept {{{{{name}}}}} for language {lang.code!r} "
            f"(rules/concepts/{lang.code}.toml)",
        )
    if not isinstance(items, list) or not items:
        raise RulePackError(where, f"concept {name!r} must be a non-empty list of patterns")
    alternatives = []
    for index, item in enumerate(items):
        if isinstance(item, str):
            body = item
        elif isinstance(item, Mapping) and isinstance(item.get("match"), str):
            # Inside a larger pattern the entry is one alternative among many,
            # so its attributes cannot apply; used whole (``_one_per_entry``) they do.
            body = item["match"]
        elif isinstance(item, Mapping) and "near" in item:
            body = near_source(where, f"{name}[{index}]", item, lang)
        else:
            raise RulePackError(
                where, f"concept {name}[{index}] must be a pattern string or a near table"
            )
        alternatives.append(_expand(where, body, lang, (*stack, name)))
    return "(?:" + "|".join(alternatives) + ")"


def near_source(where: str, label: str, table: Mapping[str, Any], lang: LanguageProfile) -> str:
    """The pattern for a co-occurrence table (before concept expansion)."""
    unknown = set(table) - _NEAR_KEYS - _NEAR_ATTRIBUTES
    if unknown:
        raise RulePackError(where, f"{label}: unknown key(s) {', '.join(sorted(unknown))}")
    parts = table.get("near")
    if (
        not isinstance(parts, list)
        or len(parts) < 2
        or not all(isinstance(p, str) and p for p in parts)
    ):
        raise RulePackError(where, f"{label}: 'near' must list two or more patterns")
    within = table.get("within", DEFAULT_WITHIN)
    if not isinstance(within, int) or isinstance(within, bool) or not 0 <= within <= 50:
        raise RulePackError(where, f"{label}: 'within' must be a whole number from 0 to 50")
    order = table.get("order", "given")
    if order not in ("given", "any"):
        raise RulePackError(where, f"{label}: 'order' must be 'given' or 'any'")
    if order == "any" and len(parts) > MAX_ANY_ORDER_PARTS:
        raise RulePackError(
            where, f"{label}: order = 'any' takes at most {MAX_ANY_ORDER_PARTS} parts"
        )
    orders = itertools.permutations(parts) if order == "any" else [tuple(parts)]
    sequences = [_sequence(list(o), within, lang) for o in orders]
    return sequences[0] if len(sequences) == 1 else "(?:" + "|".join(sequences) + ")"


def _sequence(parts: list[str], within: int, lang: LanguageProfile) -> str:
    """Parts in order, each next one at most ``within`` tokens after the last, one clause."""
    separator = f"(?:(?!{lang.near_clause_end})\\W)*"
    gap = f"(?:{separator}{lang.near_token}){{0,{within}}}?{separator}"
    edge = _EDGE if lang.word_boundaries else ""
    pieces = [f"(?:{parts[0]})"]
    for part in parts[1:]:
        pieces.append(f"{edge}{gap}{edge}(?:{part})")
    return "".join(pieces)


def near_gaps(parts: Sequence[str], text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The stretches of ``text[start:end]`` (a co-occurrence match) that no part
    matched: the words between the parts, where a negation may hide."""
    covered = [False] * (end - start)
    for part in parts:
        for match in _part(part).finditer(text, start, end):
            for i in range(match.start() - start, match.end() - start):
                covered[i] = True
    gaps: list[tuple[int, int]] = []
    i = 0
    while i < len(covered):
        if covered[i]:
            i += 1
            continue
        j = i
        while j < len(covered) and not covered[j]:
            j += 1
        gaps.append((start + i, start + j))
        i = j
    return gaps


@lru_cache(maxsize=512)
def _part(source: str) -> regex.Pattern[str]:
    return compile_pattern(expand_spaces(source), regex.IGNORECASE | regex.UNICODE)
