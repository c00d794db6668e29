"""Suppressions: comments in templates and ``lint`` objects in JSON, and the stale ones.

A QA lead who accepts a phrase on purpose says so next to it, with a reason;
a suppression that no longer suppresses anything is reported as ``DL900
unused-suppression`` (severity info) so stale ones do not pile up, like ruff's
RUF100.

Comment forms, inside an agent turn or a response template (the comment is
masked by ``textprep`` and never judged as agent speech)::

    <!-- deescalate-lint: disable=over-apologising -- reason -->   (HTML, Markdown)
    {# deescalate-lint: disable-next-line=DL104 -- reason #}      (Jinja)
    # deescalate-lint: disable-file=DL102                          (plain text: own line)

Actions: ``disable`` (until a matching ``enable`` or the end of the turn),
``enable``, ``disable-next-line``, ``disable-line`` and ``disable-file`` (the
whole transcript). Rules are codes, code prefixes or rule names, separated by
commas; no ``=rules`` means every rule. A reason follows `` -- ``.

JSON transcripts: ``{"lint": {"ignore": [...]}}`` on the transcript (every
turn) or on one turn (that turn).

A suppression is judged unused only when a rule it names actually ran on the
transcript (selected, and with patterns for the language); one naming no
known rule, an ``enable`` with no open ``disable`` and a malformed comment are
reported the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import regex

from .codes import UNUSED
from .model import Finding, Notice, Result, Role, Severity, Transcript
from .regexes import compile_pattern

#: DL900, as the table of engine codes describes it.
UNUSED_CODE = UNUSED.code
UNUSED_SLUG = UNUSED.slug
ENGINE_SELECTORS = (UNUSED_CODE, UNUSED_SLUG)
ACTIONS = ("disable", "enable", "disable-next-line", "disable-line", "disable-file")
MARKER = "deescalate-lint:"

#: The three comment forms; group ``body`` is what follows ``deescalate-lint:``.
DIRECTIVE = compile_pattern(
    r"<!--[ \t]*deescalate-lint:(?P<body>[^\n]{0,500}?)-->"
    r"|\{\#[ \t]*deescalate-lint:(?P<body>[^\n]{0,500}?)\#\}"
    r"|^[ \t]*\#[ \t]*deescalate-lint:(?P<body>[^\n]{0,500})$",
    regex.MULTILINE,
)

UNUSED_SUGGESTION = UNUSED.suggestion


def matches_unused(selector: str) -> bool:
    """True when ``selector`` (code, prefix or name) names ``DL900``."""
    return selector == UNUSED_SLUG or (bool(selector) and UNUSED_CODE.startswith(selector.upper()))


def is_engine_selector(selector: str) -> bool:
    """A selector that names no rule pack but an engine code (``DL900``, ``DL9``)."""
    return matches_unused(selector) and selector.upper() not in ("D", "DL")


@dataclass(frozen=True)
class Directive:
    """One suppression comment, where it is in its turn."""

    turn: int
    start: int
    end: int
    action: str
    rules: tuple[str, ...]
    reason: str | None


@dataclass
class Suppression:
    """What is switched off where: ``turn`` None means the whole transcript."""

    rules: tuple[str, ...]
    turn: int | None
    span: tuple[int, int] | None
    label: str
    directive: Directive | None = None
    used: set[str] = field(default_factory=set)

    def covers(self, finding: Finding) -> bool:
        if self.turn is not None and finding.turn != self.turn:
            return False
        return self.span is None or self.span[0] <= finding.start < self.span[1]

    def selectors_for(self, rule: RuleLike) -> list[str]:
        if not self.rules:
            return ["*"]
        return [s for s in self.rules if rule.matches_selector(s)]


class RuleLike(Protocol):
    """What suppressions need of a rule (``rulepack.Rule`` fits)."""

    @property
    def slug(self) -> str: ...

    @property
    def code(self) -> str: ...

    def matches_selector(self, selector: str) -> bool: ...


@dataclass(frozen=True)
class Problem:
    """A comment that is malformed or unmatched, reported as DL900."""

    directive_turn: int
    start: int
    end: int
    message: str


def parse_directives(text: str, turn: int) -> tuple[list[Directive], list[Problem]]:
    """Every suppression comment in one turn's text."""
    found: list[Directive] = []
    problems: list[Problem] = []
    if MARKER not in text:
        return found, problems
    for match in DIRECTIVE.finditer(text):
        body = match.group("body").strip()
        spec, _, reason = body.partition(" --")
        action, has_rules, rules_text = spec.strip().partition("=")
        action = action.strip()
        start, end = match.span()
        if match.group(0)[0] in " \t":
            start += len(match.group(0)) - len(match.group(0).lstrip(" \t"))
        rules = tuple(r.strip() for r in rules_text.split(",") if r.strip())
        if action not in ACTIONS or (has_rules and not rules):
            problems.append(
                Problem(
                    turn,
                    start,
                    end,
                    f"Malformed suppression {body!r}: expected one of "
                    f"{', '.join(ACTIONS)}, then =rule,rule and an optional ' -- reason'",
                )
            )
            continue
        found.append(Directive(turn, start, end, action, rules, reason.strip() or None))
    return found, problems


def collect(transcript: Transcript) -> tuple[list[Suppression], list[Problem]]:
    """The suppressions a transcript asks for, from JSON ``lint`` objects and comments."""
    suppressions: list[Suppression] = []
    problems: list[Problem] = []
    if transcript.ignore:
        suppressions.append(
            Suppression(tuple(sorted(transcript.ignore)), None, None, "transcript lint.ignore")
        )
    for index, turn in enumerate(transcript.turns):
        if turn.ignore:
            suppressions.append(
                Suppression(tuple(sorted(turn.ignore)), index, None, f"turn {index} lint.ignore")
            )
        if turn.role is not Role.AGENT:
            continue
        directives, bad = parse_directives(turn.text, index)
        problems.extend(bad)
        _blocks(turn.text, index, directives, suppressions, problems)
    return suppressions, problems


def _blocks(
    text: str,
    turn: int,
    directives: Sequence[Directive],
    out: list[Suppression],
    problems: list[Problem],
) -> None:
    open_blocks: dict[str, Directive] = {}
    for d in directives:
        label = f"{d.action} comment"
        if d.action == "disable-file":
            out.append(Suppression(d.rules, None, None, label, d))
        elif d.action == "disable-line":
            out.append(Suppression(d.rules, turn, _line_span(text, d.start), label, d))
        elif d.action == "disable-next-line":
            line_end = text.find("\n", d.end)
            if line_end < 0:
                problems.append(
                    Problem(
                        turn, d.start, d.end, "Suppression disable-next-line has no line after it"
                    )
                )
                continue
            out.append(Suppression(d.rules, turn, _line_span(text, line_end + 1), label, d))
        elif d.action == "disable":
            for key in d.rules or ("*",):
                open_blocks.setdefault(key, d)
        else:  # enable
            keys = list(d.rules) if d.rules else list(open_blocks)
            if not keys or any(key not in open_blocks for key in keys):
                problems.append(
                    Problem(
                        turn, d.start, d.end, "Suppression enable has no matching disable before it"
                    )
                )
                keys = [key for key in keys if key in open_blocks]
            for key in keys:
                opened = open_blocks.pop(key)
                rules = () if key == "*" else (key,)
                out.append(
                    Suppression(rules, turn, (opened.end, d.start), "disable comment", opened)
                )
    for key, opened in open_blocks.items():
        rules = () if key == "*" else (key,)
        out.append(Suppression(rules, turn, (opened.end, len(text)), "disable comment", opened))


def _line_span(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end < 0 else end


def apply(
    transcript: Transcript,
    results: Iterable[Result],
    *,
    enabled: Sequence[RuleLike],
    known: Sequence[RuleLike],
    checked: Iterable[str],
    report_unused: bool,
) -> list[Result]:
    """Drop suppressed findings (and notices of rules switched off for the whole
    transcript); add DL900 findings for suppressions that did nothing."""
    suppressions, problems = collect(transcript)
    results = list(results)
    if not suppressions and not problems:
        return results
    by_slug: Mapping[str, RuleLike] = {rule.slug: rule for rule in known}
    kept: list[Result] = []
    for result in results:
        rule = by_slug.get(result.rule)
        if rule is None:
            kept.append(result)
            continue
        if isinstance(result, Notice):
            if not any(s.turn is None and s.selectors_for(rule) for s in suppressions):
                kept.append(result)
            continue
        hit = False
        for suppression in suppressions:
            selectors = suppression.selectors_for(rule)
            if selectors and suppression.covers(result):
                suppression.used.update(selectors)
                hit = True
        if not hit:
            kept.append(result)
    if report_unused:
        kept.extend(_unused(transcript, suppressions, problems, enabled, known, set(checked)))
    return kept


def _unused(
    transcript: Transcript,
    suppressions: Sequence[Suppression],
    problems: Sequence[Problem],
    enabled: Sequence[RuleLike],
    known: Sequence[RuleLike],
    checked: set[str],
) -> list[Finding]:
    out = [
        _finding(transcript, p.directive_turn, p.start, p.end, p.message, prefix="")
        for p in problems
    ]
    for s in suppressions:
        turn, start, end = (
            (s.directive.turn, s.directive.start, s.directive.end)
            if s.directive
            else (s.turn if s.turn is not None else -1, 0, 0)
        )
        reason = (
            f" (reason given: {s.directive.reason})" if s.directive and s.directive.reason else ""
        )
        for selector in s.rules or ("*",):
            message = _unused_message(transcript, s, selector, reason, enabled, known, checked)
            if message is not None:
                out.append(_finding(transcript, turn, start, end, message))
    return out


def _unused_message(
    transcript: Transcript,
    s: Suppression,
    selector: str,
    reason: str,
    enabled: Sequence[RuleLike],
    known: Sequence[RuleLike],
    checked: set[str],
) -> str | None:
    """Why one selector of a suppression is stale, or None when it did its job
    (or cannot be judged: not selected here, or not checkable in this language)."""
    if selector == "*":
        if checked and "*" not in s.used:
            return f"{s.label} for every rule suppressed nothing{reason}"
        return None
    if is_engine_selector(selector):
        return None
    if not any(rule.matches_selector(selector) for rule in known):
        return f"{s.label} names unknown rule {selector!r}"
    if not any(r.matches_selector(selector) and r.slug in checked for r in enabled):
        return None
    if s.turn is not None and transcript.turns[s.turn].role is not Role.AGENT:
        return f"{s.label}: {selector} on a customer turn, which is never judged"
    if selector not in s.used:
        return f"{s.label} for {selector} suppressed nothing{reason}"
    return None


def _finding(
    transcript: Transcript,
    turn: int,
    start: int,
    end: int,
    message: str,
    prefix: str = "Unused suppression: ",
) -> Finding:
    speaker = transcript.turns[turn].speaker if 0 <= turn < len(transcript.turns) else ""
    text = transcript.turns[turn].text if 0 <= turn < len(transcript.turns) else ""
    return Finding(
        code=UNUSED_CODE,
        rule=UNUSED_SLUG,
        severity=Severity.INFO,
        path=transcript.path,
        transcript=transcript.id,
        turn=turn,
        speaker=speaker,
        start=start,
        end=end,
        evidence=text[start:end],
        message=f"{prefix}{message}.",
        suggestion=UNUSED_SUGGESTION,
        citations=(),
        language=None,
    )
