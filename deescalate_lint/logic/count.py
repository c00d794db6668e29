"""Counting threshold: too many of one act per turn or per conversation.

Used by over-apologising. The pack's ``counted`` group is counted (each
surviving, non-overlapping hit is one act, e.g. one apology); its ``flagged``
group is flagged on sight (self-abasing apologies). One finding per turn at
most, at the act that crossed a threshold, so a QA lead reads one line per
offending turn. What the finding
says about the count comes from the pack (``[details]``: ``{count}``,
``{number}``, ``{limit}``), so the type knows nothing of apologies.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..context import Conversation
from ..model import Finding, Notice
from . import GroupSpec, OptionSpec, register
from .common import group, kept

if TYPE_CHECKING:
    from ..rulepack import Rule


@register(
    "count",
    groups=[
        GroupSpec(
            "counted",
            "agent",
            True,
            "the act that is counted",
            leads_from=lambda options: (
                min(options["max-per-turn"], options["max-per-conversation"]) + 1
            ),
        ),
        GroupSpec("flagged", "agent", False, "forms of the act flagged on sight"),
    ],
    options=[
        OptionSpec("max-per-turn", int, "acts allowed in one agent turn"),
        OptionSpec("max-per-conversation", int, "acts allowed in the whole conversation"),
    ],
    doc="Counts `counted` hits (negation and hedges respected) per agent turn and per "
    "conversation, and flags the one that crosses a threshold; `flagged` is flagged on sight.",
    quiet=lambda rule, screen, options, led: None if led else [],
)
def check(
    rule: Rule, convo: Conversation, options: Mapping[str, Any]
) -> Iterator[Finding | Notice]:
    per_turn: int = options["max-per-turn"]
    per_conversation: int = options["max-per-conversation"]
    if not _may_cross(rule, convo, per_turn, per_conversation):
        return
    total = 0
    for view in convo.agent_views():
        counted = kept(rule, convo, view, "counted")
        abasing = kept(rule, convo, view, "flagged")
        before = total
        total += len(counted)
        if abasing:
            hit = abasing[0]
            yield convo.finding(rule, view, hit.start, hit.end, kind="flagged")
        elif len(counted) > per_turn:
            hit = counted[per_turn]
            detail = rule.detail_for("per-turn", count=len(counted), limit=per_turn)
            yield convo.finding(rule, view, hit.start, hit.end, kind="per-turn", detail=detail)
        elif before <= per_conversation < total:
            hit = counted[per_conversation - before]
            detail = rule.detail_for(
                "per-conversation", number=per_conversation + 1, limit=per_conversation
            )
            yield convo.finding(
                rule, view, hit.start, hit.end, kind="per-conversation", detail=detail
            )


def _may_cross(rule: Rule, convo: Conversation, per_turn: int, per_conversation: int) -> bool:
    """Whether a finding is possible, counting every hit as kept (no scope judged):
    scope only removes hits, so a transcript whose hits cross no threshold and
    holds no flagged form has no finding, and its hits need no judging."""
    total = 0
    for view in convo.agent_views():
        if convo.hits(group(rule, view, "flagged"), view):
            return True
        counted = len(convo.hits(group(rule, view, "counted"), view))
        total += counted
        if counted > per_turn or total > per_conversation:
            return True
    return False
