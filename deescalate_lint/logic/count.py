"""Counting threshold: too many of one act per turn or per conversation.

Used by over-apologising. The pack's ``counted`` group is counted (each
surviving, non-overlapping hit is one act, e.g. one apology); its ``flagged``
group is flagged on sight (self-abasing apologies). A turn gets at most one
finding per reason (see ``check``), never two on the same words. What the finding
says about the count comes from the pack (``[details]``: ``{count}``,
``{number}``, ``{limit}``), so the type knows nothing of apologies.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..context import Conversation
from ..model import Finding, Notice
from ..patterns import Hit
from . import GroupSpec, OptionSpec, register
from .common import group, kept
from .phrase import merge_close

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
        OptionSpec(
            "merge-gap",
            int,
            "a turn's findings at most this many characters apart, with no sentence end "
            "between, are one finding whose evidence spans them (0: never merged)",
            default=0,
        ),
        OptionSpec(
            "every-turn-past",
            bool,
            "once past max-per-conversation, every later turn's first act is flagged too "
            "(false: only the act that crosses the limit)",
            default=False,
        ),
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
    merge_gap: int = options["merge-gap"]
    every_past: bool = options["every-turn-past"]
    if not _may_cross(rule, convo, per_turn, per_conversation):
        return
    total = 0
    for view in convo.agent_views():
        counted = kept(rule, convo, view, "counted")
        abasing = kept(rule, convo, view, "flagged")
        before = total
        total += len(counted)
        # One finding per reason, each a different act a QA lead would name:
        # the first flagged hit (self-abasing), the act one too many for the
        # turn, the act that takes the conversation past its limit; never two
        # on the same words. (Blind labels mark them separately; one finding
        # per turn capped recall at 0.69 on round 1, while every one of the
        # seven extra findings this adds there reads as over-apologising.)
        chosen: list[tuple[Hit, str, str | None]] = []
        if abasing:
            chosen.append((abasing[0], "flagged", None))
        if len(counted) > per_turn:
            detail = rule.detail_for("per-turn", count=len(counted), limit=per_turn)
            chosen.append((counted[per_turn], "per-turn", detail))
        if before <= per_conversation < total:
            detail = rule.detail_for(
                "per-conversation", number=per_conversation + 1, limit=per_conversation
            )
            chosen.append((counted[per_conversation - before], "per-conversation", detail))
        elif every_past and per_conversation < before < total:
            # The writers mark every later apology turn, not only the one
            # that crosses the limit ("再次对不起" two turns on is still one
            # too many).
            detail = rule.detail_for("per-conversation", number=before + 1, limit=per_conversation)
            chosen.append((counted[0], "per-conversation", detail))
        taken: list[tuple[int, int, tuple[str, str | None]]] = []
        for hit, kind, detail in chosen:
            if any(t[0] < hit.end and hit.start < t[1] for t in taken):
                continue
            taken.append((hit.start, hit.end, (kind, detail)))
        taken.sort(key=lambda t: t[:2])
        # A burst of apologies ("Anteeks, anteeks tosi paljon", "sorry, sorry
        # ma'am") is one act to a QA lead: findings close together in one
        # sentence become one finding (the first reason's) spanning them.
        runs = merge_close(taken, view.text, merge_gap) if merge_gap else [[t] for t in taken]
        for run in runs:
            kind, detail = run[0][2]
            end = max(t[1] for t in run)
            yield convo.finding(rule, view, run[0][0], end, kind=kind, detail=detail)


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
