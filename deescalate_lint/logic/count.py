"""Counting threshold: too many of one act per turn or per conversation.

Used by over-apologising. The pack's ``apology`` group is counted (each
surviving, non-overlapping hit is one apology); its ``self_abasing`` group is
flagged on sight. One finding per turn at most, at the apology that crossed a
threshold, so a QA lead reads one line per offending turn.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..context import Conversation
from ..model import Finding, Notice
from ..rulepack import Rule
from .common import group, surviving


def check(
    rule: Rule, convo: Conversation, options: Mapping[str, Any]
) -> Iterator[Finding | Notice]:
    per_turn = int(options["max-per-turn"])
    per_conversation = int(options["max-per-conversation"])
    total = 0
    for view in convo.agent_views():
        counted = surviving(
            convo, view, convo.hits(group(rule, view, "apology"), view), rule.vetoes
        )
        abasing = surviving(
            convo, view, convo.hits(group(rule, view, "self_abasing"), view), rule.vetoes
        )
        before = total
        total += len(counted)
        if abasing:
            hit = abasing[0]
            yield convo.finding(rule, view, hit.start, hit.end, kind="self-abasing")
        elif len(counted) > per_turn:
            hit = counted[per_turn]
            detail = f"This turn apologises {len(counted)} times (more than {per_turn})."
            yield convo.finding(rule, view, hit.start, hit.end, kind="per-turn", detail=detail)
        elif before <= per_conversation < total:
            hit = counted[per_conversation - before]
            detail = (
                f"This is apology number {per_conversation + 1} in the conversation "
                f"(more than {per_conversation})."
            )
            yield convo.finding(
                rule, view, hit.start, hit.end, kind="per-conversation", detail=detail
            )
