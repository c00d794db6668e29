"""Absent before: the first act of one kind, with no act of another before it.

Used by no-recap: in a conversation where the customer is upset, the first
agent turn (at or after the customer first became upset) that holds a
``trigger`` (a concrete resolution or next step) is a finding when neither
it nor any earlier agent turn holds an ``expected`` phrase (restating the
problem, checking understanding). Only that first turn is judged: a recap
after the solution was offered does not undo the order.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..context import Conversation
from ..model import Finding, Notice
from . import GroupSpec, register
from .common import kept

if TYPE_CHECKING:
    from ..rulepack import Rule


@register(
    "absent-before",
    groups=[
        GroupSpec("trigger", "agent", True, "the act that must come second"),
        GroupSpec("expected", "agent", True, "the act that must come first", leads=False),
    ],
    doc="With an upset customer (the escalation detector, with persistence), flags the "
    "first agent `trigger` when no agent turn up to and including it holds an "
    "`expected` phrase; only that first `trigger` is judged.",
    # Without a trigger nothing to judge, and without an upset customer no finding.
    quiet=lambda rule, screen, options, led: None if led and screen.may_be_upset() else [],
)
def check(
    rule: Rule, convo: Conversation, options: Mapping[str, Any]
) -> Iterator[Finding | Notice]:
    seen_expected = False
    upset_seen = False
    for view in convo.views:
        if not view.is_agent:
            continue
        if not seen_expected and kept(rule, convo, view, "expected"):
            seen_expected = True
        if not upset_seen:
            mood = convo.mood_before(view.index)
            upset_seen = mood is not None and mood.upset
        if not upset_seen:
            continue
        hits = kept(rule, convo, view, "trigger")
        if not hits:
            continue
        if not seen_expected:
            mood = convo.mood_before(view.index)
            why = f"The customer is upset ({mood.reason})." if mood and mood.upset else ""
            hit = hits[0]
            kind = hit.pattern.attrs.get("kind")
            yield convo.finding(rule, view, hit.start, hit.end, kind=kind, detail=why or None)
        return
