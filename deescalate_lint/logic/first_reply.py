"""First reply: after each upset customer turn, does the agent's next reply do X?

Used by missing-empathy: the first agent reply after a customer turn that is
upset on its own (the escalation detector's ``assess``) must hold an
``expected`` phrase (an acknowledgement of the customer's feelings or
situation); an apology is not in that list, so an apology alone does not
count. Why the turn's own judgement and not the detector's persistence: a
customer who is still upset but now only reads out an account number is not
asking to be heard again; every turn where they say how they feel is, so
while they are still upset a milder word (``still-upset-score`` of the
pack's ``still-upset-signals``) is enough (round 4, chosen on it after its
blind measurement, so a development figure: recall 0.50 -> 0.55, precision
0.94 -> 0.92).

Agent turns made only of ``skip_turn`` phrases (listening noises, "one
moment") are not the reply: the next agent turn is. Customer turns in a row
are answered by one reply, judged once. A negated acknowledgement ("I don't
understand why you're upset") does not count.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import regex

from ..context import Conversation, TurnView
from ..escalation import Escalation, EscalationDetector
from ..model import Finding, Notice, Role
from . import GroupSpec, OptionSpec, register
from .common import group, kept, opening

if TYPE_CHECKING:
    from ..rulepack import Rule
    from ..screen import Screen

_LETTER = regex.compile(r"\p{L}")


@register(
    "first-reply",
    groups=[
        GroupSpec("expected", "agent", True, "what the first reply must hold", leads=False),
        GroupSpec(
            "skip_turn", "agent", False, "turns made only of these are not the reply", leads=False
        ),
    ],
    doc="For each customer turn that is upset on its own (the escalation detector), "
    "flags the agent's first reply after it when the reply holds no `expected` phrase "
    "(negation respected). Turns made only of `skip_turn` phrases are not the reply.",
    options=[
        OptionSpec(
            "still-upset-score",
            int,
            "a customer turn scoring this much in `still-upset-signals` while the "
            "customer is still upset from an earlier turn is judged too; 0: only "
            "turns upset on their own (a turn at the detector's threshold is "
            "upset on its own anyway)",
            default=0,
        ),
        OptionSpec(
            "still-upset-signals",
            list,
            "the detector's signals that count toward `still-upset-score`",
            choices_from=lambda: tuple(EscalationDetector.default().weights),
            default=[],
        ),
    ],
    quiet=lambda rule, screen, options, led: None if led else quiet(screen),
    detector_leads=True,
)
def check(
    rule: Rule, convo: Conversation, options: Mapping[str, Any]
) -> Iterator[Finding | Notice]:
    detector = EscalationDetector.default()
    still = int(options.get("still-upset-score", 0))
    kinds = frozenset(options.get("still-upset-signals", ()))
    waiting: tuple[TurnView, Escalation] | None = None
    for view in convo.views:
        if view.is_customer:
            if waiting is None or not waiting[1].escalated:
                # A customer still upset from before needs less to be heard again.
                primed = still > 0 and _still_upset(convo, view)
                wanted = min(still, detector.threshold) if primed else detector.threshold
                # A turn that cannot reach that score is not judged hit by hit.
                if detector.most(convo, view) < wanted:
                    continue
                state = detector.assess(convo, view)
                if state.escalated or (primed and _said(detector, state, kinds) >= still):
                    waiting = (view, state)
            continue
        if not view.is_agent or waiting is None or _only_skippable(rule, convo, view):
            continue
        customer, state = waiting
        waiting = None
        if kept(rule, convo, view, "expected"):
            continue
        start, end = opening(view)
        if start == end:
            continue
        detail = f"The customer was upset in turn {customer.index + 1}: {state.describe()}."
        yield convo.finding(rule, view, start, end, detail=detail)


def _still_upset(convo: Conversation, view: TurnView) -> bool:
    mood = convo.mood_before(view.index)
    return mood is not None and mood.upset


def _said(detector: EscalationDetector, state: Escalation, kinds: frozenset[str]) -> int:
    """The score of a turn's signals of ``kinds`` (chosen in the rule's pack:
    what a customer says about how they feel, not how it is typed), leaving
    out signs of the situation whose pattern says ``renews = false``."""
    return sum(detector.weight_of(s) for s in state.signals if s.kind in kinds and s.renews)


def quiet(screen: Screen) -> list[Finding | Notice] | None:
    """Without a candidate of the detector's listed signals, a customer turn is
    upset on its measured signals alone (capitals, "!!"): when none is, nothing to flag."""
    detector = EscalationDetector.default()
    for text in screen.texts(Role.CUSTOMER):
        if detector.measured_score(text) >= detector.threshold:
            return None
    return []


def _only_skippable(rule: Rule, convo: Conversation, view: TurnView) -> bool:
    """True when every letter of the turn is inside a ``skip_turn`` phrase."""
    hits = convo.hits(group(rule, view, "skip_turn"), view)
    if not hits:
        return not _LETTER.search(view.text)
    text, last, rest = view.text, 0, []
    for hit in hits:
        rest.append(text[last : hit.start])
        last = hit.end
    rest.append(text[last:])
    return not _LETTER.search("".join(rest))
