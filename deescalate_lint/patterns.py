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

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import regex

from .errors import RulePackError

#: A word edge that also works next to punctuation: never between two word
#: characters. Unlike ``\b`` it lets a pattern begin or end with a dash or "%".
_EDGE = r"(?!(?<=\w)\w)"

#: Seconds one pattern group may spend on one text before it is abandoned.
MATCH_TIMEOUT = 1.0


class PatternTimeout(Exception):
    """A pattern group exceeded ``MATCH_TIMEOUT`` on one text."""

    def __init__(self, where: str) -> None:
        self.where = where
        super().__init__(f"pattern matching timed out in {where}")


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
    """Several patterns compiled into one alternation, searched in one pass."""

    where: str
    specs: tuple[PatternSpec, ...]
    compiled: regex.Pattern[str] | None

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
        parts = []
        for index, spec in enumerate(specs):
            body = expand_spaces(spec.source)
            try:
                regex.compile(body)
            except regex.error as exc:
                raise RulePackError(where, f"pattern {spec.id!r} does not compile: {exc}") from None
            if word_boundaries:
                body = rf"{_EDGE}(?:{body}){_EDGE}"
            parts.append(f"(?P<_p{index}>{body})")
        flags = regex.UNICODE | (regex.IGNORECASE if ignore_case else 0)
        return cls(where, tuple(specs), regex.compile("|".join(parts), flags))

    def finditer(self, text: str) -> Iterator[Hit]:
        if self.compiled is None:
            return
        try:
            for match in self.compiled.finditer(text, timeout=MATCH_TIMEOUT):
                if match.end() == match.start():
                    continue
                name = match.lastgroup
                assert name is not None
                yield Hit(match.start(), match.end(), self.specs[int(name[2:])])
        except TimeoutError:
            raise PatternTimeout(self.where) from None

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
            specs.append(PatternSpec(str(item.get("id", f"{group}[{index}]")), item["match"], attrs))
        else:
            raise RulePackError(where, f"patterns.{group}[{index}] must be a string or a table with 'match'")
    return tuple(specs)
