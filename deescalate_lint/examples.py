"""Rule-pack examples: the notation, parsed into transcripts and expected spans.

An example is one agent turn (a template), or several lines each starting
``agent:`` or ``customer:``, optionally with times: ``customer [0.0-4.2]: ...``.
In should-flag examples ``[[...]]`` marks the exact evidence each expected
finding must quote; the markers are removed before linting.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING

import regex

from .model import Role, Transcript, Turn
from .regexes import compile_pattern

if TYPE_CHECKING:
    from .engine import Linter

_LINE = compile_pattern(
    r"^(?P<role>agent|customer)(?:\s*\[(?P<start>\d+(?:\.\d+)?)-(?P<end>\d+(?:\.\d+)?)\])?:\s?(?P<text>.*)$"
)
_MARK = compile_pattern(r"\[\[(.+?)\]\]", regex.DOTALL)


@dataclass(frozen=True)
class Expected:
    turn: int
    start: int
    end: int
    evidence: str


@dataclass(frozen=True)
class Example:
    source: str
    transcript: Transcript
    expected: tuple[Expected, ...]


def parse_example(source: str, label: str = "<example>") -> Example:
    body = textwrap.dedent(source).strip("\n")
    lines = body.splitlines()
    turns: list[tuple[Role, str, float | None, float | None]] = []
    if lines and all(_LINE.match(line.strip()) for line in lines if line.strip()):
        for line in lines:
            if not line.strip():
                continue
            match = _LINE.match(line.strip())
            assert match is not None
            start = float(match["start"]) if match["start"] else None
            end = float(match["end"]) if match["end"] else None
            turns.append((Role(match["role"]), match["text"], start, end))
        template = False
    else:
        turns.append((Role.AGENT, body.strip(), None, None))
        template = True
    built: list[Turn] = []
    expected: list[Expected] = []
    for index, (role, marked, start, end) in enumerate(turns):
        plain, spans = _strip_marks(marked)
        expected.extend(Expected(index, a, b, plain[a:b]) for a, b in spans)
        built.append(Turn(speaker=role.value, role=role, text=plain, start=start, end=end))
    return Example(source, Transcript(tuple(built), path=label, template=template), tuple(expected))


def _strip_marks(text: str) -> tuple[str, list[tuple[int, int]]]:
    spans = []
    out = []
    last = 0
    length = 0
    for match in _MARK.finditer(text):
        before = text[last : match.start()]
        out.append(before)
        length += len(before)
        inner = match.group(1)
        spans.append((length, length + len(inner)))
        out.append(inner)
        length += len(inner)
        last = match.end()
    out.append(text[last:])
    return "".join(out), spans


def example_problem(linter: Linter, source: str, should_flag: bool) -> str | None:
    """What is wrong with one example under ``linter`` (one rule, one language), or None.

    A should-flag example must produce exactly the findings its ``[[...]]``
    marks (same turn, same offsets); a should-not-flag example none at all;
    and every finding is the selected rule's, in the linter's language. One
    lint answers all three (the examples are most of the suite's time). The
    test suite and ``lint-transcript check-pack`` both ask this.
    """
    example = parse_example(source)
    findings = linter.lint(example.transcript)
    slugs = {rule.slug for rule in linter.rules}
    language = linter.language
    strays = [f for f in findings if f.rule not in slugs or (language and f.language != language)]
    if strays:
        return f"flagged by another rule or language: {[(f.rule, f.language) for f in strays]}"
    got = sorted((f.turn, f.start, f.end, f.evidence) for f in findings)
    if not should_flag:
        return f"should not flag, but flagged {[g[3] for g in got]}" if got else None
    if not example.expected:
        return "a should-flag example must mark its evidence with [[...]]"
    want = sorted((e.turn, e.start, e.end, e.evidence) for e in example.expected)
    if got != want:
        return f"expected {[w[3] for w in want]}, got {[g[3] for g in got]}"
    return None
