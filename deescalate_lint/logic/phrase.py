"""Phrase with scope: a trigger in an agent turn, unless negated or hedged nearby.

Hits close together in one sentence ("I guarantee it will be there tomorrow")
are one act, so they become one finding whose evidence spans them; hits of
different kinds ("Calm down, that's not my fault": dismissing, then
deflecting) are different acts and stay separate findings, each with its
kind's message.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import regex

from ..context import Conversation
from ..escalation import MEASURED, EscalationDetector
from ..model import Finding, Notice, Role
from . import GroupSpec, OptionSpec, register
from .common import kept

if TYPE_CHECKING:
    from ..rulepack import Rule
    from ..screen import Screen

#: Hits at most this many characters apart, with no sentence end between, merge.
MERGE_GAP = 40
_SENTENCE_END = regex.compile(r"[.!?\n。！？]")


@register(
    "phrase",
    groups=[GroupSpec("trigger", "agent", True, "the phrases that are the behaviour")],
    options=[
        OptionSpec(
            "measured-signals",
            list,
            "escalation signals measured rather than listed (`shouting`) that also count",
            choices=MEASURED,
            default=[],
        )
    ],
    doc="Flags each `trigger` in an agent turn, unless a negation or hedge cue "
    "governs it (the rule's `vetoes`); hits close together in one sentence are one "
    "finding. `measured-signals` adds the escalation detector's measured signals "
    "(mostly capitals) on the agent's own turns.",
    quiet=lambda rule, screen, options, led: None if led else quiet(screen, options),
)
def check(
    rule: Rule, convo: Conversation, options: Mapping[str, Any]
) -> Iterator[Finding | Notice]:
    measured = options["measured-signals"]
    detector = EscalationDetector.default() if measured else None
    for view in convo.agent_views():
        hits = kept(rule, convo, view, "trigger")
        spans = [(h.start, h.end, h.pattern.attrs.get("kind")) for h in hits]
        if detector is not None:
            spans += [(s.start, s.end, s.kind) for s in detector.measured(view.text, measured)]
            spans.sort(key=lambda span: span[:2])
        for first, last in merge_close(spans, view.text):
            yield convo.finding(rule, view, first[0], last[1], kind=first[2])


def quiet(screen: Screen, options: Mapping[str, Any]) -> list[Finding | Notice] | None:
    """Without a trigger, only the measured signals could flag an agent turn."""
    measured = options["measured-signals"]
    if measured:
        detector = EscalationDetector.default()
        if any(detector.measured(text, measured) for text in screen.texts(Role.AGENT)):
            return None
    return []


Span = tuple[int, int, Any]


def merge_close(spans: list[Span], text: str) -> list[tuple[Span, Span]]:
    """Group (start, end, kind) spans into runs of close neighbours of the same
    kind in one sentence: (first, last) per run."""
    runs: list[tuple[Span, Span]] = []
    for span in spans:
        if runs and runs[-1][0][2] == span[2]:
            first, last = runs[-1]
            gap = text[last[1] : span[0]]
            if span[0] < last[1] or (len(gap) <= MERGE_GAP and not _SENTENCE_END.search(gap)):
                runs[-1] = (first, span if span[1] > last[1] else last)
                continue
        runs.append((span, span))
    return runs
