"""Cross-turn sequence: an agent phrase judged by what the customer did before it.

Used by email-when-call-needed: the agent's ``redirect`` phrase (to email, a
ticket, a form, "in writing") is a finding only when one of the last
``lookback`` customer turns before it is escalated, or their signals together
reach the detector's threshold, (see escalation.py) and no
earlier customer turn asked for writing itself (the ``customer_request``
group). A template has no customer turns, so the rule cannot judge it; it
says so in a notice when the phrase is there.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..context import Conversation, TurnView
from ..escalation import EscalationDetector
from ..model import Finding, Notice
from ..rulepack import Rule
from .common import group, notice, surviving


def check(
    rule: Rule, convo: Conversation, options: Mapping[str, Any]
) -> Iterator[Finding | Notice]:
    lookback = int(options["lookback"])
    detector = EscalationDetector.default()
    # Walk the turns once, keeping the customer turns seen so far and whether
    # one of them asked for writing (checked lazily, each turn once): a long
    # call with many redirects must not rescan its history for each one.
    customers: list[TurnView] = []
    asked = False
    scanned = 0
    for view in convo.views:
        if view.is_customer:
            customers.append(view)
            continue
        if not view.is_agent:
            continue
        hits = surviving(convo, view, convo.hits(group(rule, view, "redirect"), view), rule.vetoes)
        if not hits:
            continue
        if not customers:
            if convo.transcript.template:
                yield notice(
                    rule,
                    convo,
                    f"turn {view.index}: sends the customer to a written channel "
                    f'("{view.turn.text[hits[0].start : hits[0].end]}"); '
                    "whether that is right depends "
                    "on the customer's mood, which a template cannot show",
                )
            continue
        while not asked and scanned < len(customers):
            request = customers[scanned]
            asked = bool(convo.hits(group(rule, request, "customer_request"), request))
            scanned += 1
        if asked:
            continue
        detail = _upset(detector, convo, customers[-lookback:] if lookback else [])
        if detail is not None:
            hit = hits[0]
            yield convo.finding(rule, view, hit.start, hit.end, detail=detail)


#: Signals carried by words rather than by punctuation or capitals.
LEXICAL = frozenset({"profanity", "insult", "threat", "anger"})


def _upset(detector: EscalationDetector, convo: Conversation, recent: list[TurnView]) -> str | None:
    """Why the customer counts as upset in these recent turns, or None.

    One turn at the detector's threshold is enough; so is frustration spread
    over two or more turns of the window, each with a word-level signal
    ("This is terrible" then "What am I supposed to do?"), whose scores reach
    the threshold together.
    """
    states = [(customer, detector.assess(convo, customer)) for customer in recent]
    for customer, state in reversed(states):
        if state.escalated:
            return f"The customer was upset in turn {customer.index}: {state.describe()}."
    # Only turns with a word-level signal build up: "??" after a remark about
    # the weather is not sustained frustration.
    signalled = [(c, s) for c, s in states if any(sig.kind in LEXICAL for sig in s.signals)]
    if len(signalled) >= 2 and sum(s.score for _, s in signalled) >= detector.threshold:
        turns = ", ".join(str(c.index) for c, _ in signalled)
        shown = "; ".join(s.describe() for _, s in signalled)
        return f"The customer's frustration built up over turns {turns}: {shown}."
    return None
